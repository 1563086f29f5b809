// The sheet of test/fixtures/spreadsheets/README.md as two different programs write a workbook:
// LibreOffice Calc (its own output) and Excel's way (excel-like.xlsx, written by
// make-excel-like-xlsx.mjs: shared strings, date cells with number format 14, `00123` a text
// cell, a formula cell, styled empty cells). Both must give the rows the CSV exports give
// (F8), `line` being the sheet's row number.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CsvRow, parseCsv } from '../../src/csv/index.js';
import { parseXlsx, type XlsxHeader } from '../../src/xlsx/index.js';

const fixture = (file: string): Uint8Array =>
  readFileSync(new URL(`../fixtures/spreadsheets/${file}`, import.meta.url));

const WORKBOOKS = [
  { file: 'libreoffice-calc.xlsx', program: 'LibreOffice Calc 7.4' },
  { file: 'excel-like.xlsx', program: 'written the way Excel writes' },
] as const;

async function rowsOf(rows: AsyncIterable<CsvRow> | Iterable<CsvRow>): Promise<CsvRow[]> {
  const all: CsvRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** A row as compared; the date cell's raw text is a workbook's own affair (a typed date). */
function summary(row: CsvRow) {
  const { 'Expiration Date': _date, ...values } = row.values;
  return {
    line: row.line,
    values,
    ok: row.result.ok,
    update: row.result.ok ? row.result.update : undefined,
    issues: row.result.issues.map((issue) => ({
      code: issue.code,
      severity: issue.severity,
      column: issue.column,
    })),
  };
}

const EXPECTED = [
  {
    line: 2,
    values: {
      Email: 'jose.garcia@example.org',
      'First Name': 'José',
      Active: 'Yes',
      'Employee ID': '00123',
    },
    ok: true,
    update: {
      userId: 'jose.garcia@example.org',
      status: 'active',
      expiresAt: new Date('2027-01-01T00:00:00Z'),
    },
    issues: [],
  },
  {
    line: 3,
    values: {
      Email: 'zoe.muller@example.org',
      'First Name': 'Zoë',
      Active: 'No',
      'Employee ID': '00456',
    },
    ok: true,
    update: { userId: 'zoe.muller@example.org', status: 'deactivated' },
    issues: [],
  },
  {
    line: 5,
    values: {
      Email: 'francoise.dupont@example.org',
      'First Name': 'Françoise',
      Active: 'Yes',
      'Employee ID': '07890',
    },
    ok: true,
    update: {
      userId: 'francoise.dupont@example.org',
      status: 'active',
      expiresAt: new Date('2027-03-02T00:00:00Z'),
    },
    issues: [],
  },
  {
    line: 6,
    values: {
      Email: 'soren.berg@example.org',
      'First Name': 'Søren "Sam"',
      Active: 'No',
      'Employee ID': '00042',
    },
    ok: true,
    update: {
      userId: 'soren.berg@example.org',
      status: 'deactivated',
      expiresAt: new Date('2027-01-16T00:00:00Z'),
    },
    issues: [],
  },
  {
    line: 7,
    values: {
      Email: 'ana.nunez@example.org',
      'First Name': 'Ana, María',
      Active: '',
      'Employee ID': '01000',
    },
    ok: true,
    update: { userId: 'ana.nunez@example.org', expiresAt: null },
    issues: [],
  },
  {
    line: 8,
    values: {
      Email: 'noel.lefevre@example.org',
      'First Name': 'Noël',
      Active: '',
      'Employee ID': '00777',
    },
    ok: true,
    update: { userId: 'noel.lefevre@example.org' },
    issues: [{ code: 'NO_CHANGE', severity: 'warning', column: undefined }],
  },
];

describe('workbooks from two writers read as the sheet (F8)', () => {
  it.each(WORKBOOKS)(
    'F8, C6: $file ($program): lines are sheet rows, the cleared row 4 and styled empty cells are skipped, dates typed as dates need no dateFormats, 00123 kept',
    async ({ file }) => {
      const rows = await rowsOf(parseXlsx(fixture(file)));
      expect(rows.map(summary)).toEqual(EXPECTED);
    },
  );

  it.each(WORKBOOKS)(
    'F8: $file: onHeader reports row 1, the header cells and the first worksheet',
    async ({ file }) => {
      const headers: XlsxHeader[] = [];
      await rowsOf(parseXlsx(fixture(file), { onHeader: (h) => headers.push(h) }));
      expect(headers).toEqual([
        {
          line: 1,
          columns: ['Email', 'First Name', 'Active', 'Expiration Date', 'Employee ID'],
          sheet: 'Learners',
        },
      ]);
    },
  );

  it.each(WORKBOOKS)(
    'F8: $file gives the rows of the LibreOffice CSV export of the same sheet',
    async ({ file }) => {
      const csv = await rowsOf(parseCsv(fixture('libreoffice-calc-utf8.csv')));
      const rows = await rowsOf(parseXlsx(fixture(file)));
      expect(rows.map(summary)).toEqual(csv.map(summary));
    },
  );

  it.each(WORKBOOKS)('C2, F8: $file keyed by Employee ID keeps the text ids', async ({ file }) => {
    const rows = await rowsOf(parseXlsx(fixture(file), { idColumn: 'Employee ID' }));
    expect(
      rows.map((row) => (row.result.ok ? row.result.update.userId : row.result.issues)),
    ).toEqual(['00123', '00456', '07890', '00042', '01000', '00777']);
  });

  it('F8: a formula cell is read by its cached value (excel-like.xlsx, A8)', async () => {
    const rows = await rowsOf(parseXlsx(fixture('excel-like.xlsx')));
    expect(rows.find((row) => row.line === 8)?.values['Email']).toBe('noel.lefevre@example.org');
  });
});

describe('the second sheet, "Long IDs" (F6, F8)', () => {
  it.each(WORKBOOKS)(
    'F8: $file, sheet "Long IDs": a number id that is a safe integer is its decimal text; a text id is kept',
    async ({ file }) => {
      const rows = await rowsOf(parseXlsx(fixture(file), { sheet: 'Long IDs' }));
      expect(rows.slice(0, 2).map((row) => [row.line, row.result])).toEqual([
        [2, { ok: true, issues: [], update: { userId: '123456789012', status: 'active' } }],
        [3, { ok: true, issues: [], update: { userId: '000987654321', status: 'deactivated' } }],
      ]);
    },
  );

  it('F6, F8: excel-like.xlsx, sheet "Long IDs": a number id beyond a safe integer is MANGLED_ID', async () => {
    const rows = await rowsOf(parseXlsx(fixture('excel-like.xlsx'), { sheet: 'Long IDs' }));
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4]);
    expect(rows[2]?.result.ok).toBe(false);
    expect(rows[2]?.result.issues.map((issue) => [issue.code, issue.column])).toEqual([
      ['MANGLED_ID', 'User ID'],
    ]);
  });

  it('F8: the first worksheet is read when no sheet is named', async () => {
    const rows = await rowsOf(parseXlsx(fixture('excel-like.xlsx')));
    expect(rows[0]?.values['Email']).toBe('jose.garcia@example.org');
  });
});
