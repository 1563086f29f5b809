// F8: files refused whole, each with its code and a message that says what to do: what is not
// a workbook (and what it seems to be), encrypted workbooks, old .xls files, a sheet that is
// not there, zip bombs and oversized files, chunks that are not bytes, damaged workbooks.

import fc from 'fast-check';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isLearnerStatusError, type LearnerStatusError } from '../../src/errors.js';
import { INSTALL_PEERS, missingPeers } from '../../src/xlsx/peers.js';
import { openSheet, type SheetLimits, type XlsxInput } from '../../src/xlsx/sheet.js';
import {
  compoundFile,
  rawWorkbook,
  rawZip,
  row,
  spaceBomb,
  type TestWorkbook,
  workbookParts,
  xlsx,
  zipParts,
} from './workbooks.js';

const LIMITS: SheetLimits = { maxBytes: 1024 * 1024, maxFieldLength: 1000 };

/** The error of opening `input` and reading every record. */
async function refusal(
  input: XlsxInput,
  options: Partial<SheetLimits> & { sheet?: string } = {},
): Promise<LearnerStatusError> {
  try {
    const { records } = await openSheet(input, { ...LIMITS, ...options });
    for await (const _ of records);
  } catch (error) {
    if (isLearnerStatusError(error)) return error;
    throw error;
  }
  throw new Error('no error');
}

const BOOK: TestWorkbook = {
  strings: ['Email'],
  sheets: [
    { name: 'Learners', data: row(1, '<c r="A1" t="s"><v>0</v></c>') },
    { name: 'Archive', data: '' },
  ],
};

describe('F8: NOT_A_WORKBOOK names what the file seems to be', () => {
  it.each([
    ['a CSV file renamed .xlsx', strToU8('\uFEFFEmail,Active\r\nada@example.org,Yes\r\n'), /CSV/],
    [
      'a Windows-1252 CSV',
      new Uint8Array([0x45, 0x6d, 0x61, 0x69, 0x6c, 0x2c, 0xe9, 0x0d, 0x0a]),
      /CSV/,
    ],
    ['a UTF-16 text file', new Uint8Array([0xff, 0xfe, 0x45, 0x00]), /text/],
    [
      'an HTML page',
      strToU8('<!DOCTYPE html><html><table><tr><td>x</td></tr></table></html>'),
      /HTML/,
    ],
    [
      'an XML Spreadsheet 2003',
      strToU8(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
      ),
      /XML Spreadsheet 2003/,
    ],
    ['a PDF', strToU8('%PDF-1.7\n%\u00e2\u00e3'), /PDF/],
    ['an empty file', new Uint8Array(0), /empty/],
    ['binary data', new Uint8Array([0, 1, 2, 3, 255, 254, 0, 9]), /neither a zip/],
  ])('%s', async (_, bytes, what) => {
    const error = await refusal(bytes);
    expect(error.code).toBe('NOT_A_WORKBOOK');
    expect(error.message).toMatch(what);
    expect(error.message).toMatch(/\.xlsx/);
  });

  it.each([
    ['a Word document (.docx)', { 'word/document.xml': '<w:document/>' }, /Word document/],
    ['a PowerPoint presentation', { 'ppt/presentation.xml': '<p/>' }, /PowerPoint/],
    [
      'an OpenDocument spreadsheet',
      { mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<x/>' },
      /OpenDocument/,
    ],
    ['an Excel Binary Workbook', { 'xl/workbook.bin': 'binary' }, /\.xlsb/],
    ['an Apple Numbers document', { 'Index/Document.iwa': 'x' }, /Numbers/],
    ['a zip of something else', { 'notes.txt': 'hello' }, /zip archive with no workbook/],
  ])('%s', async (_, parts, what) => {
    const docx = zipParts({
      '[Content_Types].xml': '<Types/>',
      '_rels/.rels':
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ...parts,
    });
    const error = await refusal(docx);
    expect(error.code).toBe('NOT_A_WORKBOOK');
    expect(error.message).toMatch(what);
  });

  it('a zip cut short (an interrupted download) is damaged, and says to get it again', async () => {
    const whole = xlsx(BOOK);
    for (const length of [30, Math.floor(whole.length / 2), whole.length - 10]) {
      const error = await refusal(whole.subarray(0, length));
      expect(error.code).toBe('NOT_A_WORKBOOK');
      expect(error.message).toMatch(/cut short|damaged/);
    }
  });

  it('a part that is not well-formed XML or not UTF-8 makes the workbook damaged', async () => {
    for (const sheet of [
      '<worksheet><sheetData><row>',
      new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]),
    ]) {
      const parts = workbookParts(BOOK);
      parts['xl/worksheets/sheet1.xml'] = sheet;
      const error = await refusal(zipParts(parts));
      expect(error.code).toBe('NOT_A_WORKBOOK');
      expect(error.message).toMatch(/damaged.*xl\/worksheets\/sheet1\.xml/);
    }
  });

  it('a part that declares entities (XXE, billion laughs) is damaged, nothing expanded or fetched', async () => {
    for (const doctype of [
      '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
      '<!DOCTYPE worksheet [<!ENTITY b SYSTEM "file:///etc/passwd">]>',
    ]) {
      const sheet = `<?xml version="1.0"?>${doctype}<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>`;
      const error = await refusal(xlsx({ sheets: [{ name: 'S', data: sheet }] }));
      expect(error.code).toBe('NOT_A_WORKBOOK');
      expect(error.message).toMatch(/not well-formed XML: undefined entity/);
    }
  });

  it('a cell that refers to a missing shared string, or past column XFD, is damaged', async () => {
    const missing = await refusal(
      xlsx({ sheets: [{ name: 'S', data: row(1, '<c r="A1" t="s"><v>3</v></c>') }] }),
    );
    expect(missing).toMatchObject({ code: 'NOT_A_WORKBOOK' });
    expect(missing.message).toMatch(/cell A1 refers to shared text 3/);
    const far = await refusal(
      xlsx({ sheets: [{ name: 'S', data: row(1, '<c r="XFE1"><v>1</v></c>') }] }),
    );
    expect(far.message).toMatch(/past column XFD/);
  });

  it('a sheet listed in the workbook without its part, or a deflate stream that is broken, is damaged', async () => {
    const error = await refusal(xlsx({ ...BOOK, omit: ['xl/worksheets/sheet1.xml'] }));
    expect(error.message).toMatch(/"Learners" has no data part/);
    const broken = rawWorkbook(BOOK, [
      {
        name: 'xl/worksheets/sheet1.xml',
        data: new Uint8Array([0xff, 0xff, 0xff, 0xff]),
        size: 10,
      },
    ]);
    expect((await refusal(broken)).message).toMatch(/cannot be unzipped/);
  });

  it('any bytes at all are refused with a code, never a crash or a hang', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        expect(['NOT_A_WORKBOOK', 'ENCRYPTED_WORKBOOK', 'LEGACY_XLS']).toContain(
          (await refusal(bytes)).code,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('a real workbook with bytes flipped is read or refused with a code, never a crash', async () => {
    const whole = xlsx(BOOK);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            at: fc.nat({ max: whole.length - 1 }),
            byte: fc.integer({ min: 0, max: 255 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (flips) => {
          const bytes = whole.slice();
          for (const { at, byte } of flips) bytes[at] = byte;
          try {
            const { records } = await openSheet(bytes, LIMITS);
            for await (const _ of records);
          } catch (error) {
            expect(isLearnerStatusError(error), String(error)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('F8: ENCRYPTED_WORKBOOK and LEGACY_XLS, told apart inside an OLE compound file', () => {
  it('a password-protected workbook (EncryptionInfo, EncryptedPackage) says how to remove the password', async () => {
    const error = await refusal(
      compoundFile(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']),
    );
    expect(error.code).toBe('ENCRYPTED_WORKBOOK');
    expect(error.message).toContain('File > Info > Protect Workbook > Encrypt with Password');
  });

  it('an Excel 97-2003 .xls (a Workbook or Book stream) says to save it as .xlsx or CSV UTF-8', async () => {
    for (const stream of ['Workbook', 'Book']) {
      const error = await refusal(compoundFile([stream, '\u0005SummaryInformation']));
      expect(error.code).toBe('LEGACY_XLS');
      expect(error.message).toMatch(/Excel Workbook \(\.xlsx\) or CSV UTF-8/);
    }
  });

  it('other compound files are NOT_A_WORKBOOK, named', async () => {
    expect((await refusal(compoundFile(['WordDocument']))).message).toMatch(
      /Word document \(\.doc\)/,
    );
    expect(await refusal(compoundFile(['Other']))).toMatchObject({ code: 'NOT_A_WORKBOOK' });
  });

  it('a part inside a password-protected zip is ENCRYPTED_WORKBOOK', async () => {
    const bytes = rawWorkbook(BOOK, [
      { name: 'xl/workbook.xml', data: new Uint8Array(12), flags: 1, size: 100 },
    ]);
    expect(await refusal(bytes)).toMatchObject({ code: 'ENCRYPTED_WORKBOOK' });
  });
});

describe('F8: SHEET_NOT_FOUND lists the worksheets', () => {
  it('names the sheet asked for and every worksheet, field sheet', async () => {
    const error = await refusal(xlsx(BOOK), { sheet: 'Learner' });
    expect(error).toMatchObject({ code: 'SHEET_NOT_FOUND', field: 'sheet' });
    expect(error.message).toBe(
      'The workbook has no sheet named "Learner". Its worksheets: "Learners", "Archive". Pass one of these names as the sheet.',
    );
  });

  it('says so when the sheet asked for is a chart', async () => {
    const book: TestWorkbook = { sheets: [{ name: 'Chart1', kind: 'chartsheet' }, ...BOOK.sheets] };
    const error = await refusal(xlsx(book), { sheet: 'chart1' });
    expect(error.code).toBe('SHEET_NOT_FOUND');
    expect(error.message).toMatch(
      /"Chart1", but it is a chart, not a worksheet\. Its worksheets: "Learners"/,
    );
  });

  it('a workbook with no worksheet at all', async () => {
    const book: TestWorkbook = { sheets: [{ name: 'Chart1', kind: 'chartsheet' }] };
    expect((await refusal(xlsx(book))).message).toMatch(/no worksheet/);
    expect((await refusal(xlsx(book), { sheet: 'x' })).message).toMatch(/no worksheet at all/);
  });
});

describe('F8: TOO_LARGE, for the file and for the data unzipped (zip bombs)', () => {
  it('a sheet that inflates to 4 GiB stops at maxBytes, quickly, without allocating it', async () => {
    // 4096 MiB of spaces in about 4 MiB; declared honestly, then as a lie (1 KiB).
    const bomb = spaceBomb('<worksheet><sheetData>', 4096);
    for (const size of [0xffff_fffe, 1024]) {
      const bytes = rawWorkbook(BOOK, [{ name: 'xl/worksheets/sheet1.xml', data: bomb, size }]);
      const started = performance.now();
      const error = await refusal(bytes, { maxBytes: 8 * 1024 * 1024 });
      expect(error).toMatchObject({ code: 'TOO_LARGE', field: 'maxBytes' });
      expect(error.message).toMatch(
        /more than 8388608 bytes of data once unzipped \(option maxBytes\)/,
      );
      expect(performance.now() - started).toBeLessThan(5000);
    }
  });

  it('counts every part read together: shared strings and sheet', async () => {
    const strings = Array.from({ length: 2000 }, (_, i) => `learner${i}@example.org`);
    const data = strings
      .map((_, i) => row(i + 1, `<c r="A${i + 1}" t="s"><v>${i}</v></c>`))
      .join('');
    const bytes = xlsx({ strings, sheets: [{ name: 'S', data }] });
    const sizes = Object.values(workbookParts({ strings, sheets: [{ name: 'S', data }] })).map(
      (part) => (typeof part === 'string' ? strToU8(part).length : part.length),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    // Enough for the file and for the largest part alone, not for the parts read together.
    const maxBytes = Math.max(bytes.length, ...sizes) + 1000;
    expect(maxBytes).toBeLessThan(total - 1000);
    expect(await refusal(bytes, { maxBytes })).toMatchObject({ code: 'TOO_LARGE' });
  });

  it('a file larger than maxBytes, whatever the input kind, before reading it all', async () => {
    const bytes = xlsx(BOOK);
    const maxBytes = bytes.length - 1;
    let pulled = 0;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length * 100; at += 100) {
        pulled++;
        yield bytes.subarray(at % bytes.length, (at % bytes.length) + 100);
      }
    }
    for (const input of [bytes, new Blob([bytes]), new Blob([bytes]).stream(), chunks()]) {
      const error = await refusal(input, { maxBytes });
      expect(error).toMatchObject({ code: 'TOO_LARGE', field: 'maxBytes' });
      expect(error.message).toMatch(/larger than \d+ bytes \(option maxBytes\)/);
    }
    expect(pulled).toBeLessThan(bytes.length / 100 + 3);
  });
});

describe('F8: INVALID_INPUT', () => {
  it('a chunk that is not bytes (text from a stream with an encoding set, a number)', async () => {
    async function* text(): AsyncGenerator<unknown> {
      yield new Uint8Array([0x50, 0x4b]);
      yield 'PK';
    }
    const error = await refusal(text() as AsyncIterable<Uint8Array>);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/chunk of the workbook is text.*Read the file as bytes/);
    async function* number(): AsyncGenerator<unknown> {
      yield 7;
    }
    expect((await refusal(number() as AsyncIterable<Uint8Array>)).message).toMatch(/a number/);
  });

  it(`missing fflate or saxes says to run '${INSTALL_PEERS}'`, () => {
    const missing = missingPeers(
      Object.assign(new Error("Cannot find package 'saxes'"), { code: 'ERR_MODULE_NOT_FOUND' }),
    );
    expect(missing).toMatchObject({ code: 'INVALID_INPUT' });
    expect(missing.message).toContain("run 'npm install fflate saxes'");
    expect(missingPeers(new Error('boom')).message).toMatch(/loading them failed/);
  });
});

describe('F8: zip details', () => {
  it('reads stored (uncompressed) parts and parts found under another letter case', async () => {
    const parts = workbookParts(BOOK);
    const raw = Object.entries(parts).map(([name, content]) => {
      const data = typeof content === 'string' ? strToU8(content) : content;
      return {
        name: name === 'xl/sharedStrings.xml' ? 'xl/SharedStrings.xml' : name,
        data,
        method: 0,
        size: data.length,
      };
    });
    const { records } = await openSheet(rawZip(raw), LIMITS);
    const all = [];
    for await (const record of records) all.push(record);
    expect(all).toEqual([{ line: 1, cells: ['Email'] }]);
  });

  it('refuses a part compressed with a method other than deflate', async () => {
    const bytes = rawWorkbook(BOOK, [
      { name: 'xl/workbook.xml', data: new Uint8Array(8), method: 14, size: 8 },
    ]);
    expect((await refusal(bytes)).message).toMatch(/method 14, not deflate/);
  });
});
