// F8: the workbook reader's records and cells, from workbooks written part by part the way
// Excel (and other writers) write them.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  isXlsxInput,
  openSheet,
  type SheetLimits,
  type SheetRecord,
  type XlsxInput,
} from '../../src/xlsx/sheet.js';
import { row, type TestWorkbook, xlsx } from './workbooks.js';

const LIMITS: SheetLimits = { maxBytes: 10 * 1024 * 1024, maxFieldLength: 1000 };

async function records(
  input: XlsxInput,
  options: Partial<SheetLimits> & { sheet?: string } = {},
): Promise<SheetRecord[]> {
  const { records: stream } = await openSheet(input, { ...LIMITS, ...options });
  const all: SheetRecord[] = [];
  for await (const record of stream) all.push(record);
  return all;
}

const read = (book: TestWorkbook, options?: Partial<SheetLimits> & { sheet?: string }) =>
  records(xlsx(book), options);

const date = (year: number, month: number, day: number, serial: number, hasTime = false) => ({
  kind: 'date',
  year,
  month,
  day,
  hasTime,
  serial,
});

describe('F8: cells as the workbook stores them', () => {
  it('reads shared strings, with rich text runs joined and phonetic guides left out', async () => {
    const book: TestWorkbook = {
      strings: [
        'Email',
        '<si><r><rPr><b/></rPr><t>ada@</t></r><r><t xml:space="preserve">example.org</t></r></si>',
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>',
      ],
      sheets: [
        {
          name: 'Sheet1',
          data:
            row(1, '<c r="A1" t="s"><v>0</v></c>') +
            row(2, '<c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c>'),
        },
      ],
    };
    expect(await read(book)).toEqual([
      { line: 1, cells: ['Email'] },
      { line: 2, cells: ['ada@example.org', '東京'] },
    ]);
  });

  it('reads inline strings, formula text results, booleans and error values', async () => {
    const data = row(
      1,
      '<c r="A1" t="inlineStr"><is><t>inline</t></is></c>' +
        '<c r="B1" t="inlineStr"><is><r><t>rich </t></r><r><t>inline</t></r></is></c>' +
        '<c r="C1" t="str"><f>LOWER("X")</f><v>x</v></c>' +
        '<c r="D1" t="b"><v>1</v></c><c r="E1" t="b"><v>0</v></c>' +
        '<c r="F1" t="e"><f>NA()</f><v>#N/A</v></c><c r="G1" t="e"><v>#DIV/0!</v></c>',
    );
    expect(await read({ sheets: [{ name: 'Sheet1', data }] })).toEqual([
      { line: 1, cells: ['inline', 'rich inline', 'x', true, false, '#N/A', '#DIV/0!'] },
    ]);
  });

  it('reads numbers as numbers, and formulas by their cached value (none: no cell)', async () => {
    const data = row(
      1,
      '<c r="A1"><v>42</v></c><c r="B1" t="n"><v>-1.5E-3</v></c><c r="C1"><v>123456789012</v></c>' +
        '<c r="D1"><f>1+1</f><v>2</v></c><c r="E1"><f>1+2</f></c><c r="F1" t="str"><f>A1&amp;""</f><v></v></c>' +
        '<c r="G1"><v>0.1</v></c>',
    );
    expect(await read({ sheets: [{ name: 'Sheet1', data }] })).toEqual([
      { line: 1, cells: [42, -0.0015, 123456789012, 2, undefined, undefined, 0.1] },
    ]);
  });

  it('reads a number with a date style as a date: built-in 14, 22, custom codes; not 0.00 or [Red]0', async () => {
    const book: TestWorkbook = {
      numFmts:
        '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="[Red]0.00;&quot;minus&quot;0"/><numFmt numFmtId="166" formatCode="[$-409]d\\ mmmm\\ yyyy;@"/>',
      // Styles 1..5: 14 (short date), 22 (date and time), 164, 165, 166, 2 (0.00).
      cellFormats: [14, 22, 164, 165, 166, 2],
      sheets: [
        {
          name: 'Sheet1',
          data: row(
            1,
            '<c r="A1" s="1"><v>46387</v></c><c r="B1" s="2"><v>46387.75</v></c><c r="C1" s="3"><v>46023</v></c>' +
              '<c r="D1" s="4"><v>46023</v></c><c r="E1" s="5"><v>46023</v></c><c r="F1" s="6"><v>46023</v></c>' +
              '<c r="G1"><v>46023</v></c><c r="H1" s="9"><v>46023</v></c>',
          ),
        },
      ],
    };
    expect(await read(book)).toEqual([
      {
        line: 1,
        cells: [
          date(2026, 12, 31, 46387),
          date(2026, 12, 31, 46387.75, true),
          date(2026, 1, 1, 46023),
          46023,
          date(2026, 1, 1, 46023),
          46023,
          46023,
          46023,
        ],
      },
    ]);
  });

  it('counts dates from 1904-01-01 when workbook.xml says date1904', async () => {
    const book: TestWorkbook = {
      date1904: true,
      cellFormats: [14],
      sheets: [{ name: 'Sheet1', data: row(1, '<c r="A1" s="1"><v>44926</v></c>') }],
    };
    expect(await read(book)).toEqual([{ line: 1, cells: [date(2027, 1, 1, 44926)] }]);
  });

  it('reads t="d" ISO dates as dates, and keeps a t="d" text that is no date as text', async () => {
    const data = row(
      1,
      '<c r="A1" t="d"><v>2026-12-31T00:00:00Z</v></c><c r="B1" t="d"><v>2026-12-31T09:30:00</v></c><c r="C1" t="d"><v>2026-02-30</v></c>',
    );
    expect(await read({ sheets: [{ name: 'Sheet1', data }] })).toEqual([
      {
        line: 1,
        cells: [
          date(2026, 12, 31, 46387),
          date(2026, 12, 31, 46387 + 9.5 / 24, true),
          '2026-02-30',
        ],
      },
    ]);
  });

  it('decodes XML entities and _xHHHH_ escapes, and keeps white space as written', async () => {
    const book: TestWorkbook = {
      strings: [
        '<si><t xml:space="preserve">  two\u00a0spaces  </t></si>',
        '<si><t>a_x000D_&#10;b &amp; &lt;c&gt; &#x41;_x005F_x0041_</t></si>',
      ],
      sheets: [
        {
          name: 'Sheet1',
          data: row(
            1,
            '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t xml:space="preserve"> x_x0009_ </t></is></c>',
          ),
        },
      ],
    };
    expect(await read(book)).toEqual([
      { line: 1, cells: ['  two\u00a0spaces  ', 'a\r\nb & <c> A_x0041_', ' x\t '] },
    ]);
  });

  it('places cells by their reference: gaps are absent cells, cells without r follow the previous', async () => {
    const data =
      row(3, '<c r="B3"><v>1</v></c><c r="D3"><v>2</v></c><c><v>3</v></c>') +
      row(undefined, '<c><v>4</v></c><c r="AA4"><v>5</v></c>') +
      row(10, '<c r="A10" s="0"/><c r="B10"><v>6</v></c><c r="C10" s="0"/>');
    const result = await read({ sheets: [{ name: 'Sheet1', data }] });
    expect(result).toEqual([
      { line: 3, cells: [undefined, 1, undefined, 2, 3] },
      { line: 4, cells: [4, ...Array(25).fill(undefined), 5] },
      { line: 10, cells: [undefined, 6] },
    ]);
    // Absent cells are real array entries, not holes: every index reads as undefined.
    expect(Object.keys(result[0]?.cells ?? [])).toEqual(['0', '1', '2', '3', '4']);
  });

  it('yields no record for empty rows: no cells, styled empty cells, empty texts', async () => {
    const book: TestWorkbook = {
      strings: ['', 'x'],
      sheets: [
        {
          name: 'Sheet1',
          data:
            row(1, '<c r="A1" t="s"><v>1</v></c>') +
            row(2, '') +
            '<row r="3" spans="1:3" ht="20" customHeight="1"/>' +
            row(
              4,
              '<c r="A4" s="0"/><c r="B4" t="s"><v>0</v></c><c r="C4" t="inlineStr"><is><t></t></is></c>',
            ) +
            row(5, '<c r="A5" t="s"><v>1</v></c>'),
        },
      ],
    };
    expect(await read(book)).toEqual([
      { line: 1, cells: ['x'] },
      { line: 5, cells: ['x'] },
    ]);
  });

  it('reads parts whose elements carry a namespace prefix (x:row, x:c)', async () => {
    const part =
      '<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c><x:c r="B1"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>';
    expect(await read({ sheets: [{ name: 'Sheet1', data: part }] })).toEqual([
      { line: 1, cells: ['prefixed', 7] },
    ]);
  });

  it('ignores rows and cells outside sheetData', async () => {
    const part =
      '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr><c r="A1"><v>1</v></c></sheetPr><sheetData><row r="2"><c r="A2"><v>2</v></c></row></sheetData><extLst><row r="3"><c r="A3"><v>3</v></c></row></extLst></worksheet>';
    expect(await read({ sheets: [{ name: 'Sheet1', data: part }] })).toEqual([
      { line: 2, cells: [2] },
    ]);
  });

  it('cuts a text longer than maxFieldLength to maxFieldLength + 1 characters', async () => {
    const long = 'x'.repeat(50);
    const book: TestWorkbook = {
      strings: [long],
      sheets: [
        {
          name: 'Sheet1',
          data: row(
            1,
            `<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>${long}</t></is></c><c r="C1" t="str"><v>${'_x0041_'.repeat(20)}</v></c><c r="D1" t="inlineStr"><is><t>short</t></is></c>`,
          ),
        },
      ],
    };
    expect(await read(book, { maxFieldLength: 10 })).toEqual([
      { line: 1, cells: ['x'.repeat(11), 'x'.repeat(11), 'A'.repeat(11), 'short'] },
    ]);
  });
});

describe('F8: choosing the sheet', () => {
  const book: TestWorkbook = {
    sheets: [
      { name: 'Chart', kind: 'chartsheet' },
      { name: 'Learners', data: row(1, '<c r="A1" t="inlineStr"><is><t>first</t></is></c>') },
      { name: 'learners', data: row(1, '<c r="A1" t="inlineStr"><is><t>lower</t></is></c>') },
      { name: 'Archive', data: row(1, '<c r="A1" t="inlineStr"><is><t>archive</t></is></c>') },
    ],
  };

  it('reads the first worksheet by default, and lists the worksheets in workbook order', async () => {
    const opened = await openSheet(xlsx(book), LIMITS);
    expect(opened.name).toBe('Learners');
    expect(opened.sheets).toEqual(['Learners', 'learners', 'Archive']);
  });

  it('finds a sheet by its exact name first, then ignoring ASCII case', async () => {
    expect((await openSheet(xlsx(book), { ...LIMITS, sheet: 'learners' })).name).toBe('learners');
    const opened = await openSheet(xlsx(book), { ...LIMITS, sheet: 'ARCHIVE' });
    expect(opened.name).toBe('Archive');
    expect(await records(xlsx(book), { sheet: 'ARCHIVE' })).toEqual([
      { line: 1, cells: ['archive'] },
    ]);
  });

  it('matches names in ASCII terms only: a dotless or dotted I never folds', async () => {
    const turkish: TestWorkbook = {
      sheets: [
        { name: 'LİSTE', data: '' },
        { name: 'liste', data: '' },
      ],
    };
    expect((await openSheet(xlsx(turkish), { ...LIMITS, sheet: 'LISTE' })).name).toBe('liste');
  });
});

describe('F8: every input kind', () => {
  const book = xlsx({
    strings: ['Email', 'ada@example.org'],
    sheets: [
      {
        name: 'Sheet1',
        data: row(1, '<c r="A1" t="s"><v>0</v></c>') + row(2, '<c r="A2" t="s"><v>1</v></c>'),
      },
    ],
  });
  const expected = [
    { line: 1, cells: ['Email'] },
    { line: 2, cells: ['ada@example.org'] },
  ];
  const chunks = (size: number): Uint8Array[] =>
    Array.from({ length: Math.ceil(book.length / size) }, (_, i) =>
      book.subarray(i * size, (i + 1) * size),
    );

  it('reads a Uint8Array, a Node Buffer, a Blob', async () => {
    expect(await records(book)).toEqual(expected);
    expect(await records(Buffer.from(book))).toEqual(expected);
    expect(await records(new Blob([book]))).toEqual(expected);
  });

  it('reads an async iterable of chunks and a Node Readable', async () => {
    async function* source(): AsyncGenerator<Uint8Array> {
      yield* chunks(7);
    }
    expect(await records(source())).toEqual(expected);
    expect(await records(Readable.from(chunks(100)))).toEqual(expected);
  });

  it('reads a web ReadableStream', async () => {
    expect(await records(new Blob([book]).stream())).toEqual(expected);
  });

  it('tells its inputs apart from what it cannot read', () => {
    expect(isXlsxInput(book)).toBe(true);
    expect(isXlsxInput(new Blob([book]))).toBe(true);
    expect(isXlsxInput(new Blob([book]).stream())).toBe(true);
    expect(isXlsxInput(Readable.from([book]))).toBe(true);
    for (const other of ['PK', 42, null, undefined, {}, [book], new ArrayBuffer(4)]) {
      expect(isXlsxInput(other)).toBe(false);
    }
  });
});

describe('F8: streaming', () => {
  it('hands out records while the rest of the sheet is still unread', async () => {
    // The last row refers to a shared string that does not exist: the records before it
    // arrive first, which they could not if the sheet were read whole before the first one.
    const count = 20_000;
    const rows = Array.from({ length: count }, (_, i) =>
      row(
        i + 1,
        i === count - 1
          ? `<c r="A${i + 1}" t="s"><v>5</v></c>`
          : `<c r="A${i + 1}"><v>${(i * 7919) % 100_003}</v></c><c r="B${i + 1}" t="s"><v>0</v></c>`,
      ),
    ).join('');
    const { records: stream } = await openSheet(
      xlsx({ strings: ['x'], sheets: [{ name: 'Sheet1', data: rows }] }),
      LIMITS,
    );
    let seen = 0;
    await expect(
      (async () => {
        for await (const _ of stream) seen++;
      })(),
    ).rejects.toMatchObject({ code: 'NOT_A_WORKBOOK' });
    expect(seen).toBeGreaterThan(1000);
    expect(seen).toBeLessThan(count - 1000);
    // After the error the stream is over.
    expect(await stream[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });

  it('stops cleanly when the caller stops early', async () => {
    const rows = Array.from({ length: 100 }, (_, i) =>
      row(i + 1, `<c r="A${i + 1}"><v>${i}</v></c>`),
    ).join('');
    const { records: stream } = await openSheet(
      xlsx({ sheets: [{ name: 'S', data: rows }] }),
      LIMITS,
    );
    for await (const record of stream) {
      expect(record.line).toBe(1);
      break;
    }
    expect(await stream[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });
});
