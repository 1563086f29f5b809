// One sheet as real spreadsheet programs save it (test/fixtures/spreadsheets/README.md says
// which file is the program's own output and which is reproduced from documented behaviour):
// every file must read as the administrator saw the sheet, given only the options the
// administrator would have to pass (the encoding a BOM cannot tell, and the locale's date
// format). C6, C7, F1-F7.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CsvDelimiter,
  type CsvEncoding,
  type CsvHeader,
  type CsvOptions,
  type CsvRow,
  suggestDateFormats,
} from '../../src/csv/index.js';
import { collect, cut, rejection } from './helpers.js';

const fixture = (file: string): Uint8Array =>
  readFileSync(new URL(`../fixtures/spreadsheets/${file}`, import.meta.url));

const HEADER = ['Email', 'First Name', 'Active', 'Expiration Date', 'Employee ID'];

interface SheetRow {
  readonly line: number;
  readonly email: string;
  readonly name: string;
  readonly active: string;
  /** The expiration cell: YYYY-MM-DD for a date, else as typed. */
  readonly expires: string;
  readonly employee: string;
  readonly status?: 'active' | 'deactivated';
  readonly expiresAt?: Date | null;
  readonly warnings: readonly string[];
}

// The sheet: row 4 cleared (F2), dates in column D, Employee ID typed as text (leading zeros).
const SHEET: readonly SheetRow[] = [
  {
    line: 2,
    email: 'jose.garcia@example.org',
    name: 'José',
    active: 'Yes',
    expires: '2026-12-31',
    employee: '00123',
    status: 'active',
    expiresAt: new Date('2027-01-01T00:00:00Z'),
    warnings: [],
  },
  {
    line: 3,
    email: 'zoe.muller@example.org',
    name: 'Zoë',
    active: 'No',
    expires: '',
    employee: '00456',
    status: 'deactivated',
    warnings: [],
  },
  {
    line: 5,
    email: 'francoise.dupont@example.org',
    name: 'Françoise',
    active: 'Yes',
    expires: '2027-03-01',
    employee: '07890',
    status: 'active',
    expiresAt: new Date('2027-03-02T00:00:00Z'),
    warnings: [],
  },
  {
    line: 6,
    email: 'soren.berg@example.org',
    name: 'Søren "Sam"',
    active: 'No',
    expires: '2027-01-15',
    employee: '00042',
    status: 'deactivated',
    expiresAt: new Date('2027-01-16T00:00:00Z'),
    warnings: [],
  },
  {
    line: 7,
    email: 'ana.nunez@example.org',
    name: 'Ana, María',
    active: '',
    expires: 'Never',
    employee: '01000',
    expiresAt: null,
    warnings: [],
  },
  {
    line: 8,
    email: 'noel.lefevre@example.org',
    name: 'Noël',
    active: '',
    expires: '',
    employee: '00777',
    warnings: ['NO_CHANGE'],
  },
];

type DateShown = (year: string, month: string, day: string) => string;
const unpad = (digits: string): string => String(Number(digits));
const SHOWN = {
  iso: (y, m, d) => `${y}-${m}-${d}`,
  us: (y, m, d) => `${unpad(m)}/${unpad(d)}/${y}`,
  usShortYear: (y, m, d) => `${unpad(m)}/${unpad(d)}/${y.slice(2)}`,
  german: (y, m, d) => `${d}.${m}.${y}`,
  french: (y, m, d) => `${d}/${m}/${y}`,
} satisfies Record<string, DateShown>;

interface CsvFixture {
  readonly file: string;
  readonly program: string;
  /** Only what the administrator has to pass. */
  readonly options: CsvOptions;
  readonly delimiter: CsvDelimiter;
  readonly encoding: CsvEncoding;
  /** Unnamed (blank) header cells right of the data: padding columns (F1). */
  readonly padding: number;
  readonly shown: DateShown;
}

const CSV_FIXTURES: readonly CsvFixture[] = [
  {
    file: 'excel-windows-csv-utf8.csv',
    program: 'Excel for Windows, CSV UTF-8',
    options: { dateFormats: ['M/d/yyyy'] },
    delimiter: ',',
    encoding: 'utf-8',
    padding: 2,
    shown: SHOWN.us,
  },
  {
    file: 'excel-windows-csv-windows-1252.csv',
    program: 'Excel for Windows, CSV (Comma delimited)',
    options: { encoding: 'windows-1252', dateFormats: ['M/d/yyyy'] },
    delimiter: ',',
    encoding: 'windows-1252',
    padding: 2,
    shown: SHOWN.us,
  },
  {
    file: 'excel-windows-de-csv-windows-1252.csv',
    program: 'Excel for Windows in German, CSV (Trennzeichen-getrennt)',
    options: { encoding: 'windows-1252', dateFormats: ['dd.MM.yyyy'] },
    delimiter: ';',
    encoding: 'windows-1252',
    padding: 2,
    shown: SHOWN.german,
  },
  {
    file: 'excel-windows-fr-csv-windows-1252.csv',
    program: 'Excel for Windows in French, CSV (séparateur: point-virgule)',
    options: { encoding: 'latin1', dateFormats: ['dd/MM/yyyy'] },
    delimiter: ';',
    encoding: 'windows-1252',
    padding: 2,
    shown: SHOWN.french,
  },
  {
    file: 'excel-windows-unicode-text.txt',
    program: 'Excel for Windows, Unicode Text',
    options: { dateFormats: ['M/d/yyyy'] },
    delimiter: '\t',
    encoding: 'utf-16le',
    padding: 2,
    shown: SHOWN.us,
  },
  {
    file: 'excel-mac-csv-utf8.csv',
    program: 'Excel for Mac, CSV UTF-8',
    options: { dateFormats: ['M/d/yy'] },
    delimiter: ',',
    encoding: 'utf-8',
    padding: 2,
    shown: SHOWN.usShortYear,
  },
  {
    file: 'google-sheets.csv',
    program: 'Google Sheets, Download as CSV',
    options: { dateFormats: ['M/d/yyyy'] },
    delimiter: ',',
    encoding: 'utf-8',
    padding: 0,
    shown: SHOWN.us,
  },
  {
    file: 'numbers.csv',
    program: 'Numbers, Export To CSV',
    options: { dateFormats: ['M/d/yyyy'] },
    delimiter: ',',
    encoding: 'utf-8',
    padding: 2,
    shown: SHOWN.us,
  },
  {
    file: 'libreoffice-calc-utf8.csv',
    program: 'LibreOffice Calc, Text CSV UTF-8',
    options: {},
    delimiter: ',',
    encoding: 'utf-8',
    padding: 2,
    shown: SHOWN.iso,
  },
  {
    file: 'libreoffice-calc-quote-all.csv',
    program: 'LibreOffice Calc, Text CSV, quote all text cells',
    options: {},
    delimiter: ',',
    encoding: 'utf-8',
    padding: 2,
    shown: SHOWN.iso,
  },
  {
    file: 'libreoffice-calc-de-windows-1252.csv',
    program: 'LibreOffice Calc in German, Text CSV Western Europe (Windows-1252)',
    options: { encoding: 'windows-1252', dateFormats: ['dd.MM.yyyy'] },
    delimiter: ';',
    encoding: 'windows-1252',
    padding: 2,
    shown: SHOWN.german,
  },
  {
    file: 'libreoffice-calc-utf16-tab.txt',
    program: 'LibreOffice Calc, Text CSV Unicode (UTF-16), tab',
    options: {},
    delimiter: '\t',
    encoding: 'utf-16le',
    padding: 2,
    shown: SHOWN.iso,
  },
];

function dateCell(expires: string, shown: DateShown): string {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  return parts === null
    ? expires
    : shown(parts[1] as string, parts[2] as string, parts[3] as string);
}

/** A row as compared: the parts that must not depend on the program that saved the file. */
function summary(row: CsvRow) {
  const { result } = row;
  return {
    line: row.line,
    values: { ...row.values },
    ok: result.ok,
    update: result.ok ? result.update : undefined,
    issues: result.issues.map((issue) => ({
      code: issue.code,
      severity: issue.severity,
      column: issue.column,
    })),
  };
}

function expected(shown: DateShown) {
  return SHEET.map((row) => ({
    line: row.line,
    values: {
      Email: row.email,
      'First Name': row.name,
      Active: row.active,
      'Expiration Date': dateCell(row.expires, shown),
      'Employee ID': row.employee,
    },
    ok: true,
    update: {
      userId: row.email,
      ...(row.status === undefined ? {} : { status: row.status }),
      ...(row.expiresAt === undefined ? {} : { expiresAt: row.expiresAt }),
    },
    issues: row.warnings.map((code) => ({ code, severity: 'warning', column: undefined })),
  }));
}

async function read(
  file: string,
  options: CsvOptions,
): Promise<{ rows: CsvRow[]; headers: CsvHeader[] }> {
  const headers: CsvHeader[] = [];
  const rows = await collect(fixture(file), { ...options, onHeader: (h) => headers.push(h) });
  return { rows, headers };
}

describe('spreadsheet exports of one sheet read as the sheet (C6, C7, F1-F5)', () => {
  it.each(CSV_FIXTURES)(
    'C6, F1, F2, F4, F5: $file ($program) gives the sheet: lines, values, ids (00123 kept), updates, warnings',
    async ({ file, options, shown }) => {
      const { rows } = await read(file, options);
      expect(rows.map(summary)).toEqual(expected(shown));
    },
  );

  it.each(CSV_FIXTURES)(
    'F4, F5, F1: $file: onHeader reports line 1, the delimiter, the encoding and the header cells as written',
    async ({ file, options, delimiter, encoding, padding }) => {
      const { headers } = await read(file, options);
      expect(headers).toEqual([
        { line: 1, columns: [...HEADER, ...Array<string>(padding).fill('')], delimiter, encoding },
      ]);
    },
  );

  it.each(CSV_FIXTURES)(
    'C2, F6: $file keyed by Employee ID keeps the leading zeros (idColumn)',
    async ({ file, options }) => {
      const { rows } = await read(file, { ...options, idColumn: 'Employee ID' });
      expect(
        rows.map((row) => (row.result.ok ? row.result.update.userId : row.result.issues)),
      ).toEqual(SHEET.map((row) => row.employee));
    },
  );

  it.each(CSV_FIXTURES)(
    'C7, F5: $file read in pieces of 5 bytes (a BOM, a UTF-16 unit, a CRLF cut) gives the same rows',
    async ({ file, options }) => {
      const bytes = fixture(file);
      const positions = Array.from({ length: Math.ceil(bytes.length / 5) }, (_, i) => i * 5);
      const rows = await collect(cut(bytes, positions), options);
      expect(rows.map(summary)).toEqual((await read(file, options)).rows.map(summary));
    },
  );

  it.each(CSV_FIXTURES.filter((f) => f.options.encoding === undefined))(
    'F4, F5: $file needs no delimiter option: passing the delimiter gives the same rows',
    async ({ file, options, delimiter }) => {
      const { rows } = await read(file, { ...options, delimiter });
      expect(rows.map(summary)).toEqual((await read(file, options)).rows.map(summary));
    },
  );
});

describe('what the administrator is told when a file needs an option (F5, F7)', () => {
  it.each(CSV_FIXTURES.filter((f) => f.encoding === 'windows-1252'))(
    'F5: $file without the encoding is INVALID_ENCODING on line 2 (José), naming CSV UTF-8 and the encoding option',
    async ({ file, options }) => {
      const { encoding: _encoding, ...rest } = options;
      const error = await rejection(collect(fixture(file), rest));
      expect(error).toMatchObject({ code: 'INVALID_ENCODING', line: 2 });
      expect(error.message).toContain('CSV UTF-8');
      expect(error.message).toContain('windows-1252');
    },
  );

  it('F5: Excel for Mac "Comma Separated Values" (Mac Roman, CR line ends) is INVALID_ENCODING on line 2', async () => {
    const error = await rejection(collect(fixture('excel-mac-csv-macroman.csv')));
    expect(error).toMatchObject({ code: 'INVALID_ENCODING', line: 2 });
    expect(error.message).toContain('CSV UTF-8');
  });

  it.each(CSV_FIXTURES.filter((f) => (f.options.dateFormats?.length ?? 0) > 0))(
    'C4, F7: $file without dateFormats: the date rows are INVALID_DATE, the others as before',
    async ({ file, options }) => {
      const { dateFormats: _dateFormats, ...rest } = options;
      const { rows } = await read(file, rest);
      expect(rows.map((row) => row.line)).toEqual(SHEET.map((row) => row.line));
      expect(
        rows.map((row) =>
          row.result.ok ? 'ok' : row.result.issues.map((issue) => issue.code).join(),
        ),
      ).toEqual(SHEET.map((row) => (/^\d{4}-/.test(row.expires) ? 'INVALID_DATE' : 'ok')));
    },
  );

  it.each(CSV_FIXTURES.filter((f) => f.shown !== SHOWN.iso && f.shown !== SHOWN.usShortYear))(
    'F7: $file: the suggested date format reads every date of the file',
    async ({ file, options }) => {
      const { dateFormats: _dateFormats, ...rest } = options;
      const cells = (await read(file, rest)).rows.map((row) => row.values['Expiration Date'] ?? '');
      const suggestion = await suggestDateFormats(cells);
      expect(suggestion.ambiguous).toBe(false);
      expect(suggestion.format).toBeDefined();
      const { rows } = await read(file, { ...rest, dateFormats: [suggestion.format as string] });
      expect(rows.map(summary)).toEqual((await read(file, options)).rows.map(summary));
    },
  );
});

describe('long identifiers in a General column (F6)', () => {
  it.each([
    ['excel-windows-long-ids.csv', {}, ','],
    ['excel-windows-de-long-ids.csv', { encoding: 'windows-1252' }, ';'],
  ] as const)(
    "F6: %s: Excel's scientific notation is MANGLED_ID, the id typed as text is kept",
    async (file, options, delimiter) => {
      const { rows, headers } = await read(file, options);
      expect(headers[0]?.delimiter).toBe(delimiter);
      expect(rows.map((row) => row.line)).toEqual([2, 3]);
      expect(rows[0]?.result.ok).toBe(false);
      expect(rows[0]?.result.issues.map((issue) => [issue.code, issue.column])).toEqual([
        ['MANGLED_ID', 'User ID'],
      ]);
      expect(rows[0]?.result.issues[0]?.message).toContain('Text');
      expect(rows[1]?.result).toEqual({
        ok: true,
        issues: [],
        update: { userId: '000987654321', status: 'deactivated' },
      });
    },
  );

  it('F6: LibreOffice writes the whole number, which is kept as written', async () => {
    const { rows } = await read('libreoffice-calc-long-ids.csv', {});
    expect(rows.map((row) => [row.line, row.result])).toEqual([
      [2, { ok: true, issues: [], update: { userId: '123456789012', status: 'active' } }],
      [3, { ok: true, issues: [], update: { userId: '000987654321', status: 'deactivated' } }],
    ]);
  });
});
