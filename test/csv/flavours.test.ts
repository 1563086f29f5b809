// Any table written in any flavour a spreadsheet program or script writes reads back as the
// table: delimiter (F4) x encoding (F5) x line ends (C7) x quoting x padding columns (F1) x
// ragged padding and blank extra fields (F3) x cleared rows (F2) x a `sep=` line (F4) x any
// chunking of the bytes. The windows-1252 and UTF-16 writers are here: TextEncoder only
// writes UTF-8.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvDelimiter,
  type CsvEncoding,
  type CsvHeader,
  type CsvInput,
  type CsvOptions,
  type CsvRowResult,
  parseCsvRow,
} from '../../src/csv/index.js';
import { collect, cut, utf8 } from './helpers.js';

// ---------------------------------------------------------------------------------------------
// Writers

/** Windows-1252 bytes 0x80-0x9F (WHATWG index; the five unassigned bytes are left out). */
const W1252_HIGH: Readonly<Record<number, number>> = {
  8364: 0x80,
  8218: 0x82,
  402: 0x83,
  8222: 0x84,
  8230: 0x85,
  8224: 0x86,
  8225: 0x87,
  710: 0x88,
  8240: 0x89,
  352: 0x8a,
  8249: 0x8b,
  338: 0x8c,
  381: 0x8e,
  8216: 0x91,
  8217: 0x92,
  8220: 0x93,
  8221: 0x94,
  8226: 0x95,
  8211: 0x96,
  8212: 0x97,
  732: 0x98,
  8482: 0x99,
  353: 0x9a,
  8250: 0x9b,
  339: 0x9c,
  382: 0x9e,
  376: 0x9f,
};

/** The text in Windows-1252, or undefined when a character has no byte there. */
function windows1252(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const byte = code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : W1252_HIGH[code];
    if (byte === undefined) return undefined;
    bytes[i] = byte;
  }
  return bytes;
}

/** The text in UTF-16 with its byte order mark. */
function utf16(text: string, littleEndian: boolean): Uint8Array {
  const withBom = `\uFEFF${text}`;
  const bytes = new Uint8Array(withBom.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < withBom.length; i++)
    view.setUint16(i * 2, withBom.charCodeAt(i), littleEndian);
  return bytes;
}

type Flavour = 'text' | 'utf-8' | 'utf-8 BOM' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes (or text) of `text` in `flavour`, the encoding parseCsv should report, its option. */
function encode(
  text: string,
  flavour: Flavour,
  label: 'windows-1252' | 'latin1' | 'iso-8859-1',
  passUtf16: boolean,
): { data: string | Uint8Array; encoding: CsvEncoding; option: CsvOptions['encoding'] } {
  switch (flavour) {
    case 'text':
      return { data: text, encoding: 'utf-8', option: undefined };
    case 'utf-8':
      return { data: utf8(text), encoding: 'utf-8', option: undefined };
    case 'utf-8 BOM':
      return { data: utf8(`\uFEFF${text}`), encoding: 'utf-8', option: undefined };
    case 'utf-16le':
      return {
        data: utf16(text, true),
        encoding: 'utf-16le',
        option: passUtf16 ? 'utf-16le' : undefined,
      };
    case 'utf-16be':
      return {
        data: utf16(text, false),
        encoding: 'utf-16be',
        option: passUtf16 ? 'utf-16be' : undefined,
      };
    case 'windows-1252': {
      const bytes = windows1252(text);
      // Text that does not fit: the file is written as UTF-8 with a BOM (Excel's CSV UTF-8).
      if (bytes === undefined) return encode(text, 'utf-8 BOM', label, passUtf16);
      return { data: bytes, encoding: 'windows-1252', option: label };
    }
  }
}

interface Layout {
  readonly delimiter: CsvDelimiter;
  readonly eol: '\r\n' | '\n' | '\r';
  readonly finalEol: boolean;
  readonly quoteAll: boolean;
  /** Unnamed columns right of the named ones: their header cells ('' or ' '). */
  readonly padding: readonly string[];
  /** Per data row: how many trailing empty fields to leave out (< 0) or blank ones to add. */
  readonly ragged: readonly number[];
  /** Cleared rows: [position among the records (0: before the header), field count]. */
  readonly cleared: readonly (readonly [number, number])[];
  readonly sepLine: boolean;
}

const SPECIAL = /[",;\t|\r\n]/;

function field(value: string, layout: Layout): string {
  const needs = value.includes(layout.delimiter) || /["\r\n]/.test(value);
  return needs || (layout.quoteAll && value !== '') ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Line breaks as C6 counts them: CRLF once, lone CR and lone LF each once. */
const lineBreaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * Writes the table; returns the text, the physical line each data row starts on, and for each
 * row whether trailing empty cells under named columns were left out (F3).
 */
function write(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  layout: Layout,
): { text: string; headerLine: number; lines: number[]; short: boolean[] } {
  const { delimiter, eol, padding } = layout;
  const records: { text: string; row?: number; header?: true }[] = [];
  records.push({
    text: [...header, ...padding].map((v) => field(v, layout)).join(delimiter),
    header: true,
  });
  const short: boolean[] = [];
  rows.forEach((cells, index) => {
    const fields = [...cells.map((v) => field(v, layout)), ...padding.map(() => '')];
    const change = layout.ragged[index] ?? 0;
    // Trailing empty fields left out, as Excel does past its first rows: padding first, then
    // empty cells of named columns (F3: MISSING_CELLS).
    for (let drop = -change; drop > 0 && fields.at(-1) === ''; drop--) fields.pop();
    short[index] = fields.length < cells.length;
    for (let i = 0; i < change; i++) fields.push(i % 2 === 0 ? '' : ' ');
    records.push({ text: fields.join(delimiter), row: index });
  });
  // Cleared rows: only delimiters and spaces, never quoted (a spreadsheet writes nothing there).
  for (const [position, count] of [...layout.cleared].sort((a, b) => b[0] - a[0])) {
    const at = Math.min(position, records.length);
    const text = Array.from({ length: count }, (_, i) => (i % 3 === 1 ? ' ' : '')).join(delimiter);
    records.splice(at, 0, { text });
  }
  let text = layout.sepLine ? `sep=${delimiter}${eol}` : '';
  let headerLine = 0;
  const lines: number[] = [];
  records.forEach((record, index) => {
    const line = 1 + lineBreaks(text);
    if (record.header) headerLine = line;
    if (record.row !== undefined) lines[record.row] = line;
    text += record.text;
    if (index < records.length - 1 || layout.finalEol) text += eol;
  });
  return { text, headerLine, lines, short };
}

// ---------------------------------------------------------------------------------------------
// Tables

const PIECES = [
  'a',
  'Zoë',
  'José',
  ' ',
  ',',
  ';',
  '\t',
  '|',
  '"',
  '""',
  '\r\n',
  '\n',
  '\r',
  '€',
  '“quoted”',
  'Œuvre',
  'Straße',
  'x=1',
  '0',
  // Not in Windows-1252: the file then is UTF-8.
  'Łukasz',
  '😀',
];
const freeText = fc.array(fc.constantFrom(...PIECES), { maxLength: 5 }).map((p) => p.join(''));
const id = fc.oneof(
  fc.stringMatching(/^0{0,3}[1-9][0-9]{0,5}$/),
  fc.stringMatching(/^[a-z]{1,6}(\.[a-z]{1,6})?@example\.org$/),
);
const isoDate = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2099-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const expiration = fc.oneof(fc.constant(''), fc.constant('Never'), isoDate);
const active = fc.constantFrom('Yes', 'No', '', 'yes', 'NO');

const table = fc
  .record({
    idName: fc.constantFrom('User ID', 'Email', 'Login'),
    notes: fc.subarray(['Note', 'Full Name']),
    order: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
  })
  .chain(({ idName, notes, order }) => {
    const names = [idName, 'Active', 'Expiration Date', ...notes];
    // A permutation of the columns, from the random keys in `order`.
    const header = names
      .map((name, i) => ({ name, key: order[i] ?? 0 }))
      .sort((a, b) => a.key - b.key)
      .map((c) => c.name);
    const cell = (name: string) =>
      name === idName
        ? id
        : name === 'Active'
          ? active
          : name === 'Expiration Date'
            ? expiration
            : freeText;
    const row = fc.tuple(...header.map(cell));
    return fc.record({
      header: fc.constant(header),
      rows: fc.array(row, { minLength: 1, maxLength: 6 }),
    });
  });

const layout = (rowCount: number): fc.Arbitrary<Layout> =>
  fc.record({
    delimiter: fc.constantFrom<CsvDelimiter>(',', ';', '\t', '|'),
    eol: fc.constantFrom<Layout['eol']>('\r\n', '\n', '\r'),
    finalEol: fc.boolean(),
    quoteAll: fc.boolean(),
    padding: fc.array(fc.constantFrom('', ' '), { maxLength: 3 }),
    cleared: fc.array(fc.tuple(fc.nat({ max: rowCount + 1 }), fc.integer({ min: 1, max: 9 })), {
      maxLength: 3,
    }),
    sepLine: fc.boolean(),
    // Per row: up to 5 trailing empty fields left out, or one blank field added.
    ragged: fc.array(fc.integer({ min: -5, max: 1 }), {
      minLength: rowCount,
      maxLength: rowCount,
    }),
  });

const flavour = fc.record({
  encoding: fc.constantFrom<Flavour>(
    'text',
    'utf-8',
    'utf-8 BOM',
    'utf-16le',
    'utf-16be',
    'windows-1252',
  ),
  label: fc.constantFrom('windows-1252', 'latin1', 'iso-8859-1') as fc.Arbitrary<
    'windows-1252' | 'latin1' | 'iso-8859-1'
  >,
  passUtf16: fc.boolean(),
  passDelimiter: fc.boolean(),
  cuts: fc.array(fc.nat(), { maxLength: 8 }),
});

const scenario = table.chain((t) =>
  fc.record({ table: fc.constant(t), layout: layout(t.rows.length), flavour }),
);

/**
 * A result as compared: issues without their message (a MISSING_CELLS warning's message is the
 * parser's), in code order (F3 does not fix the order of a row's warnings).
 */
function outcome(result: CsvRowResult, extra: readonly { code: string; severity: string }[]) {
  const issues = [
    ...result.issues.map(({ code, severity, column, value }) => ({
      code,
      severity,
      column,
      value,
    })),
    ...extra.map(({ code, severity }) => ({ code, severity, column: undefined, value: undefined })),
  ].sort((a, b) => a.code.localeCompare(b.code));
  return { ok: result.ok, update: result.ok ? result.update : undefined, issues };
}

function input(data: string | Uint8Array, cuts: readonly number[]): CsvInput {
  if (cuts.length === 0) return data;
  const positions = cuts.map((c) => c % (data.length + 1));
  return typeof data === 'string' ? cut(data, positions) : cut(data, positions);
}

// ---------------------------------------------------------------------------------------------

describe('flavours: any table in any flavour reads back as the table (C6, C7, F1-F5)', () => {
  it('C6, C7, F1, F2, F3, F4, F5: same rows (named values, results) on the lines the writer put them', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ table: { header, rows }, layout: l, flavour: f }) => {
        const { text, headerLine, lines, short } = write(header, rows, l);
        const { data, encoding, option } = encode(text, f.encoding, f.label, f.passUtf16);
        const headers: CsvHeader[] = [];
        const options: CsvOptions = {
          onHeader: (h) => headers.push(h),
          ...(option === undefined ? {} : { encoding: option }),
          ...(f.passDelimiter ? { delimiter: l.delimiter } : {}),
        };
        const parsed = await collect(input(data, f.cuts), options);

        expect(headers).toEqual([
          {
            line: headerLine,
            columns: [...header, ...l.padding],
            delimiter: l.delimiter,
            encoding,
          },
        ]);
        const expected = rows.map((cells, index) => {
          const values = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
          const result = parseCsvRow(values);
          const missing = short[index] ? [{ code: 'MISSING_CELLS', severity: 'warning' }] : [];
          return { line: lines[index], values, ...outcome(result, missing) };
        });
        expect(
          parsed.map((row) => ({
            line: row.line,
            values: { ...row.values },
            ...outcome(row.result, []),
          })),
        ).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('the writers: Windows-1252 and UTF-16 bytes of a known text', () => {
    expect(windows1252('é€“”Œ,')).toEqual(Uint8Array.from([0xe9, 0x80, 0x93, 0x94, 0x8c, 0x2c]));
    expect(windows1252('Ł')).toBeUndefined();
    expect(utf16('A😀', true)).toEqual(
      Uint8Array.from([0xff, 0xfe, 0x41, 0, 0x3d, 0xd8, 0x00, 0xde]),
    );
    expect(utf16('A', false)).toEqual(Uint8Array.from([0xfe, 0xff, 0, 0x41]));
    const { text, headerLine, lines } = write(
      ['Email', 'Active'],
      [['a@example.org', 'Yes, "really"']],
      {
        delimiter: ';',
        eol: '\r\n',
        finalEol: false,
        quoteAll: false,
        padding: [''],
        ragged: [0],
        cleared: [[0, 3]],
        sepLine: true,
      },
    );
    expect(text).toBe('sep=;\r\n; ;\r\nEmail;Active;\r\na@example.org;"Yes, ""really""";');
    expect([headerLine, lines]).toEqual([3, [4]]);
    expect(SPECIAL.test(text)).toBe(true);
  });
});

describe('flavours: cases the property can reach, spelled out (F2, F4, F5)', () => {
  it('F2, F4: cleared rows before the header are skipped; the header is found with auto delimiter', async () => {
    const headers: CsvHeader[] = [];
    const rows = await collect(';;;\r\n\r\nEmail;Active;Note\r\nada@example.org;No;a, b\r\n', {
      onHeader: (h) => headers.push(h),
    });
    expect(headers.map((h) => [h.line, h.delimiter])).toEqual([[3, ';']]);
    expect(rows.map((row) => [row.line, row.result.ok])).toEqual([[4, true]]);
  });

  it('F5: a UTF-16 byte order mark wins over the encoding option', async () => {
    const headers: CsvHeader[] = [];
    const rows = await collect(utf16('Email\tActive\r\nzoë@example.org\tYes\r\n', false), {
      encoding: 'windows-1252',
      onHeader: (h) => headers.push(h),
    });
    expect(headers[0]?.encoding).toBe('utf-16be');
    expect(rows[0]?.result).toEqual({
      ok: true,
      issues: [],
      update: { userId: 'zoë@example.org', status: 'active' },
    });
  });

  it('F5: Windows-1252 bytes 0x80-0x9F are the WHATWG characters (€, curly quotes), not C1 controls', async () => {
    const bytes = windows1252('Email,Active,Note\r\nada@example.org,Yes,“€ 5” Œ\r\n') as Uint8Array;
    const rows = await collect(bytes, { encoding: 'windows-1252' });
    expect(rows[0]?.values['Note']).toBe('“€ 5” Œ');
  });
});
