// Test workbooks written part by part, the way Excel writes them (shared strings stored after
// the sheet, styles with number formats, relationships), so that each test says exactly which
// XML the reader meets. Zips are made by fflate's zipSync, or by `rawZip` when a test needs
// what no honest writer makes (lying sizes, a deflate stream built by hand).
import { deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

interface TestSheet {
  readonly name: string;
  /** The inner XML of <sheetData> (rows), or a whole part when it starts with '<?xml'. */
  readonly data?: string;
  readonly kind?: 'worksheet' | 'chartsheet';
}

export interface TestWorkbook {
  readonly sheets: readonly TestSheet[];
  /** Shared strings: plain texts, or raw `<si>` XML when a string starts with '<si>'. */
  readonly strings?: readonly string[];
  /** Extra `<numFmt>` elements and the numFmtId of each cell style after style 0. */
  readonly numFmts?: string;
  readonly cellFormats?: readonly number[];
  readonly date1904?: boolean;
  /** Parts added or replaced, by name. */
  readonly parts?: Readonly<Record<string, string | Uint8Array>>;
  /** Parts left out, by name. */
  readonly omit?: readonly string[];
}

/**
 * Escapes text for XML the way Excel does: `_xHHHH_` for what XML cannot hold (control
 * characters, CR, which XML parsers turn into LF, and lone surrogates) and `_x005F_` for the
 * underscore of a literal `_xHHHH_`.
 */
export function xmlText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const code = text.charCodeAt(i);
    const pairStart = code >= 0xd800 && code <= 0xdbff && /[\uDC00-\uDFFF]/.test(text[i + 1] ?? '');
    if (pairStart) {
      out += text.slice(i, i + 2);
      i++;
    } else if (char === '_' && /^_x[0-9A-Fa-f]{4}_/.test(text.slice(i, i + 7))) out += '_x005F_';
    else if (char === '&') out += '&amp;';
    else if (char === '<') out += '&lt;';
    else if (char === '>') out += '&gt;';
    else if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
      (code >= 0xd800 && code <= 0xdfff) ||
      code === 0xfffe ||
      code === 0xffff
    ) {
      out += `_x${code.toString(16).toUpperCase().padStart(4, '0')}_`;
    } else out += char;
  }
  return out;
}

/** `<c>` elements from values: text as shared-string index cells is the caller's business. */
export function row(r: number | undefined, cells: string): string {
  return r === undefined ? `<row>${cells}</row>` : `<row r="${r}">${cells}</row>`;
}

function sheetPart(sheet: TestSheet): string {
  const data = sheet.data ?? '';
  if (data.startsWith('<?xml')) return data;
  if (sheet.kind === 'chartsheet') {
    return `${HEAD}<chartsheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>`;
  }
  return `${HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>${data}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

/** The parts of a workbook, in the order Excel stores them (shared strings last). */
export function workbookParts(book: TestWorkbook): Record<string, string | Uint8Array> {
  const sheetPaths = book.sheets.map((sheet, i) =>
    sheet.kind === 'chartsheet' ? `chartsheets/sheet${i + 1}.xml` : `worksheets/sheet${i + 1}.xml`,
  );
  const relationships = book.sheets
    .map(
      (sheet, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL}/${sheet.kind ?? 'worksheet'}" Target="${sheetPaths[i]}"/>`,
    )
    .join('');
  const n = book.sheets.length;
  const strings = (book.strings ?? [])
    .map((text) =>
      text.startsWith('<si>') ? text : `<si><t xml:space="preserve">${xmlText(text)}</t></si>`,
    )
    .join('');
  const formats = [0, ...(book.cellFormats ?? [])]
    .map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"/>`)
    .join('');
  const parts: Record<string, string | Uint8Array> = {
    '[Content_Types].xml': `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
    '_rels/.rels': `${HEAD}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr${book.date1904 ? ' date1904="1"' : ''} defaultThemeVersion="166925"/><sheets>${book.sheets
      .map(
        (sheet, i) =>
          `<sheet name="${xmlText(sheet.name).replaceAll('"', '&quot;')}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
      )
      .join('')}</sheets><calcPr calcId="191029"/></workbook>`,
    'xl/_rels/workbook.xml.rels': `${HEAD}<Relationships xmlns="${PKG}">${relationships}<Relationship Id="rId${n + 1}" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId${n + 2}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  };
  book.sheets.forEach((sheet, i) => {
    parts[`xl/${sheetPaths[i]}`] = sheetPart(sheet);
  });
  parts['xl/styles.xml'] =
    `${HEAD}<styleSheet xmlns="${MAIN}">${book.numFmts === undefined ? '' : `<numFmts>${book.numFmts}</numFmts>`}<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs>${formats}</cellXfs><dxfs count="1"><dxf><numFmt numFmtId="1" formatCode="yyyy"/></dxf></dxfs></styleSheet>`;
  parts['xl/sharedStrings.xml'] =
    `${HEAD}<sst xmlns="${MAIN}" count="${book.strings?.length ?? 0}" uniqueCount="${book.strings?.length ?? 0}">${strings}</sst>`;
  for (const [name, content] of Object.entries(book.parts ?? {})) parts[name] = content;
  for (const name of book.omit ?? []) delete parts[name];
  return parts;
}

/** Zips parts with fflate (deflate, level 6), in the given order. */
export function zipParts(parts: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(
    Object.fromEntries(
      Object.entries(parts).map(([name, content]) => [
        name,
        typeof content === 'string' ? strToU8(content) : content,
      ]),
    ),
    { level: 6 },
  );
}

/** A whole .xlsx file. */
export function xlsx(book: TestWorkbook): Uint8Array {
  return zipParts(workbookParts(book));
}

export interface RawPart {
  readonly name: string;
  /** The bytes stored (already deflated when method is 8). */
  readonly data: Uint8Array;
  readonly method?: number;
  readonly flags?: number;
  /** The uncompressed size the headers declare. */
  readonly size: number;
}

/** A zip written byte by byte, for archives no honest writer makes. CRCs are left 0. */
export function rawZip(parts: readonly RawPart[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = strToU8(part.name);
    const local = new Uint8Array(30 + name.length);
    const view = new DataView(local.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(4, 20, true);
    view.setUint16(6, part.flags ?? 0, true);
    view.setUint16(8, part.method ?? 8, true);
    view.setUint32(18, part.data.length, true);
    view.setUint32(22, part.size, true);
    view.setUint16(26, name.length, true);
    local.set(name, 30);
    const entry = new Uint8Array(46 + name.length);
    const cd = new DataView(entry.buffer);
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 20, true);
    cd.setUint16(6, 20, true);
    cd.setUint16(8, part.flags ?? 0, true);
    cd.setUint16(10, part.method ?? 8, true);
    cd.setUint32(20, part.data.length, true);
    cd.setUint32(24, part.size, true);
    cd.setUint16(28, name.length, true);
    cd.setUint32(42, offset, true);
    entry.set(name, 46);
    chunks.push(local, part.data);
    central.push(entry);
    offset += local.length + part.data.length;
  }
  const size = central.reduce((n, entry) => n + entry.length, 0);
  const end = new Uint8Array(22);
  const view = new DataView(end.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, parts.length, true);
  view.setUint16(10, parts.length, true);
  view.setUint32(12, size, true);
  view.setUint32(16, offset, true);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of all) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The parts of `book` as raw deflated parts, with `replace` swapped in by name. */
export function rawWorkbook(book: TestWorkbook, replace: readonly RawPart[]): Uint8Array {
  const parts: RawPart[] = Object.entries(workbookParts(book)).map(([name, content]) => {
    const bytes = typeof content === 'string' ? strToU8(content) : content;
    return { name, data: deflateRawSync(bytes), size: bytes.length };
  });
  return rawZip(parts.map((part) => replace.find((other) => other.name === part.name) ?? part));
}

/**
 * A deflate stream that inflates to `prefix` followed by `blocks` MiB of spaces, built from
 * one compressed MiB repeated: a zip bomb of gigabytes in a few megabytes, made in
 * milliseconds. Each repeated block only refers back into its own output (all spaces), so
 * the repetition is a valid stream.
 */
export function spaceBomb(prefix: string, blocks: number): Uint8Array {
  const flush = { finishFlush: 2 /* Z_SYNC_FLUSH */ };
  const head = deflateRawSync(strToU8(prefix), flush);
  const block = deflateRawSync(new Uint8Array(1 << 20).fill(0x20), flush);
  const out = new Uint8Array(head.length + block.length * blocks + 2);
  out.set(head);
  for (let i = 0; i < blocks; i++) out.set(block, head.length + i * block.length);
  // An empty final block with fixed codes: BFINAL 1, BTYPE 01, end-of-block code.
  out.set([0x03, 0x00], head.length + block.length * blocks);
  return out;
}

/**
 * An OLE compound file (the container of .xls files and of password-protected Office files)
 * holding empty streams of the given names: a header and one directory sector.
 */
export function compoundFile(names: readonly string[]): Uint8Array {
  const bytes = new Uint8Array(512 * 3);
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  const view = new DataView(bytes.buffer);
  view.setUint16(26, 3, true);
  view.setUint16(28, 0xfffe, true);
  view.setUint16(30, 9, true);
  view.setUint16(32, 6, true);
  view.setUint32(48, 1, true);
  ['Root Entry', ...names].forEach((name, i) => {
    const at = 1024 + i * 128;
    for (let k = 0; k < name.length; k++) view.setUint16(at + k * 2, name.charCodeAt(k), true);
    view.setUint16(at + 64, (name.length + 1) * 2, true);
    bytes[at + 66] = i === 0 ? 5 : 2;
  });
  return bytes;
}
