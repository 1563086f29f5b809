// What a file that is not an .xlsx workbook seems to be, so that the refusal can say what to do
// with it: people rename files, upload the wrong one, or keep old .xls and password-protected
// workbooks. Only the refusal is decided here; reading workbooks is elsewhere.
import { LearnerStatusError } from '../errors.js';

const SAVE_AS =
  'Open it in the spreadsheet program and save it as Excel Workbook (.xlsx) or CSV UTF-8.';

function notAWorkbook(what: string, advice = SAVE_AS): LearnerStatusError {
  return new LearnerStatusError(
    'NOT_A_WORKBOOK',
    `The file is ${what}, not an .xlsx workbook. ${advice}`,
  );
}

/**
 * The error for a workbook whose zip or XML is broken (cut short, or written wrongly).
 *
 * @example
 * ```ts
 * throw damaged('the zip archive ends too early: it was cut short');
 * ```
 */
export function damaged(detail: string): LearnerStatusError {
  return new LearnerStatusError(
    'NOT_A_WORKBOOK',
    `The workbook is damaged (${detail}). If it was downloaded or copied, do so again; otherwise open it in Excel and save it again as .xlsx or CSV UTF-8.`,
  );
}

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

/**
 * The names of the streams and storages in an OLE compound file (the container of .xls,
 * .doc and of password-protected Office files). Every directory entry is 128 bytes and sits
 * at a multiple of 128 bytes in the file, whatever the sector size, so the names are found
 * by looking at each such slot for an entry's shape (name length and object type) instead
 * of following the sector chains: the result only chooses which refusal to give.
 */
function compoundFileNames(bytes: Uint8Array): Set<string> {
  const names = new Set<string>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    const nameBytes = view.getUint16(at + 64, true);
    const type = bytes[at + 66];
    if (nameBytes < 4 || nameBytes > 64 || nameBytes % 2 !== 0) continue;
    if (type !== 1 && type !== 2 && type !== 5) continue;
    if (view.getUint16(at + nameBytes - 2, true) !== 0) continue;
    let name = '';
    for (let i = 0; i < nameBytes - 2; i += 2) {
      name += String.fromCharCode(view.getUint16(at + i, true));
    }
    names.add(name);
  }
  return names;
}

function refuseCompoundFile(bytes: Uint8Array): LearnerStatusError {
  const names = compoundFileNames(bytes);
  if (names.has('EncryptionInfo') || names.has('EncryptedPackage')) {
    return new LearnerStatusError(
      'ENCRYPTED_WORKBOOK',
      'The workbook is protected by a password, so its cells cannot be read. Remove the password in Excel (File > Info > Protect Workbook > Encrypt with Password, clear the password, OK) and save the workbook again.',
    );
  }
  if (names.has('Workbook') || names.has('Book')) {
    return new LearnerStatusError(
      'LEGACY_XLS',
      'The file is an old Excel 97-2003 workbook (.xls), which is not read. Open it in Excel and use File > Save As > Excel Workbook (.xlsx) or CSV UTF-8 (Comma delimited).',
    );
  }
  if (names.has('WordDocument')) return notAWorkbook('an old Word document (.doc)');
  if (names.has('PowerPoint Document'))
    return notAWorkbook('an old PowerPoint presentation (.ppt)');
  return notAWorkbook('an old-style Office file (OLE compound file) that holds no workbook');
}

/**
 * Whether the first bytes read as text: a UTF-16 byte order mark, or no control characters
 * but tab and line breaks (UTF-8 and Windows-1252 text both pass; binary data never does).
 */
function looksLikeText(head: Uint8Array): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return true;
  }
  return head.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
}

/**
 * The refusal for bytes that are not a zip archive: a compound file (an encrypted workbook,
 * an old .xls, or another old Office file), or another kind of file named in the message.
 *
 * @example
 * ```ts
 * refuseNonZip(new TextEncoder().encode('Email,Active\n')).code; // 'NOT_A_WORKBOOK'
 * ```
 */
export function refuseNonZip(bytes: Uint8Array): LearnerStatusError {
  if (bytes.length === 0) return notAWorkbook('empty');
  if (startsWith(bytes, CFB_SIGNATURE)) return refuseCompoundFile(bytes);
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return notAWorkbook('a PDF document');
  const head = bytes.subarray(0, 4096);
  if (looksLikeText(head)) {
    let text = '';
    for (const byte of head.subarray(0, 1024))
      text += byte < 0x80 ? String.fromCharCode(byte) : ' ';
    const start = text.replace(/^[\s\u00ef\u00bb\u00bf]+/, '').toLowerCase();
    if (start.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
      return notAWorkbook('an XML Spreadsheet 2003 file');
    }
    if (/^<(!doctype html|html|table|meta|head|body)\b/.test(start)) {
      return notAWorkbook(
        'a web page (HTML) saved under a spreadsheet name, as some systems export',
      );
    }
    return notAWorkbook(
      'text (probably a CSV file renamed .xlsx)',
      'Read it as CSV instead, or open it in the spreadsheet program and save it as Excel Workbook (.xlsx).',
    );
  }
  return notAWorkbook('neither a zip archive nor a file a spreadsheet program writes');
}

/**
 * The refusal for a zip archive without a workbook, naming what the archive holds when it is
 * another kind of office document.
 *
 * @example
 * ```ts
 * refuseOtherZip(['word/document.xml']).message; // 'The file is a Word document (.docx), ...'
 * ```
 */
export function refuseOtherZip(names: Iterable<string>): LearnerStatusError {
  const has = new Set(names);
  if (has.has('xl/workbook.bin')) {
    return notAWorkbook(
      'an Excel Binary Workbook (.xlsb)',
      'Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8.',
    );
  }
  if (has.has('word/document.xml')) return notAWorkbook('a Word document (.docx)');
  if (has.has('ppt/presentation.xml')) return notAWorkbook('a PowerPoint presentation (.pptx)');
  if (has.has('mimetype') && has.has('content.xml')) {
    return notAWorkbook(
      'an OpenDocument file (.ods, from LibreOffice or OpenOffice)',
      'Open it and use File > Save As with the type Excel 2007-365 (.xlsx) or Text CSV (UTF-8).',
    );
  }
  if (has.has('Index/Document.iwa')) {
    return notAWorkbook(
      'an Apple Numbers document',
      'Open it in Numbers and use File > Export To > Excel (.xlsx) or CSV.',
    );
  }
  return notAWorkbook('a zip archive with no workbook in it');
}
