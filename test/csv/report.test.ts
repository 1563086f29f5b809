import { describe, expect, it } from 'vitest';
import {
  CSV_REPORT_HEADER,
  type CsvRow,
  csvReportRowFormatter,
  formatCsv,
  formatCsvReport,
  parseCsv,
} from '../../src/csv/index.js';
import { collect, tokenizeText } from './helpers.js';

describe('formatCsvReport (C6, C10)', () => {
  it('C6: one line per issue with line, user, column, value, code, severity and message', async () => {
    const rows = await collect(
      'Email,Active,Expires\nada@example.org,TRUE,2026-02-30\nbob@example.org,,\ncy@example.org,Yes,\n =cmd ,No,\n',
    );
    const report = tokenizeText(formatCsvReport(rows)).map((record) => record.fields);
    expect(report[0]).toEqual([...CSV_REPORT_HEADER]);
    expect(report.slice(1).map((line) => line.slice(0, 6))).toEqual([
      ['2', 'ada@example.org', 'Active', 'TRUE', 'INVALID_ACTIVE_VALUE', 'error'],
      ['2', 'ada@example.org', 'Expires', '2026-02-30', 'INVALID_DATE', 'error'],
      ['3', 'bob@example.org', '', '', 'NO_CHANGE', 'warning'],
    ]);
    expect(report[1]?.[6]).toContain('Yes, No');
  });

  it('C10: cells that look like formulas are neutralised in the report', async () => {
    const rows = await collect('Email,Active\n"=HYPERLINK(""x"")",=1+1\n');
    const report = formatCsvReport(rows);
    expect(report).toContain(`"'=HYPERLINK(""x"")"`);
    expect(report).toContain(",'=1+1,");
  });

  it('warnings: false leaves warnings out; the id column follows idColumn', async () => {
    const rows = await collect('Staff No,Email,Active\n7,a@x,\n8,b@x,maybe\n', {
      idColumn: 'Staff No',
    });
    const report = tokenizeText(
      formatCsvReport(rows, { idColumn: 'staff no', warnings: false }),
    ).map((r) => r.fields);
    expect(report.slice(1).map((line) => [line[0], line[1], line[4]])).toEqual([
      ['3', '8', 'INVALID_ACTIVE_VALUE'],
    ]);
  });

  it('leaves the user blank when no single column can name it', () => {
    const refused = {
      ok: false,
      issues: [{ code: 'COLUMN_COUNT', severity: 'error', message: 'm' }],
    } as const;
    const values = (entries: Record<string, string>) =>
      Object.assign(Object.create(null), entries) as Record<string, string>;
    const rows: CsvRow[] = [
      { line: 2, values: values({ Name: 'x' }), result: refused },
      { line: 3, values: values({ Email: 'a', Login: 'b' }), result: refused },
      { line: 4, values: values({ Email: ' a ' }), result: refused },
      { line: 5, values: values({ Email: undefined as unknown as string }), result: refused },
    ];
    expect(tokenizeText(formatCsvReport(rows)).map((r) => r.fields[1])).toEqual([
      'User',
      '',
      '',
      'a',
      '',
    ]);
  });

  it('INVALID_OPTION for bad options', () => {
    expect(() => formatCsvReport([], { warnings: 'no' } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'warnings' }),
    );
    expect(() => formatCsvReport([], null as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => formatCsvReport([], { idcolumn: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('csvReportRowFormatter (C6, C10)', () => {
  it('C6: the header plus every row formatted alone is exactly formatCsvReport', async () => {
    const text =
      'Email,Active,Expiration Date\r\nada@example.org,TRUE,\r\n=bob@example.org,No,2026-02-30\r\ncy@example.org,,\r\n,Yes,\r\n';
    const rows: CsvRow[] = [];
    for await (const row of parseCsv(text)) rows.push(row);
    for (const warnings of [true, false]) {
      const formatRow = csvReportRowFormatter({ warnings });
      const pieced = formatCsv([CSV_REPORT_HEADER]) + rows.map((row) => formatRow(row)).join('');
      expect(pieced).toBe(formatCsvReport(rows, { warnings }));
    }
    expect(formatCsvReport(rows)).toContain("'=bob@example.org");
  });

  it('validates its options once, when it is made', () => {
    expect(() => csvReportRowFormatter({ warnings: 'no' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('the report, exactly (C6)', () => {
  it('has the header Line,User,Column,Value,Code,Severity,Message, and nothing else without issues', () => {
    expect(formatCsvReport([])).toBe('Line,User,Column,Value,Code,Severity,Message\r\n');
    expect(CSV_REPORT_HEADER).toEqual([
      'Line',
      'User',
      'Column',
      'Value',
      'Code',
      'Severity',
      'Message',
    ]);
    expect(
      csvReportRowFormatter()({
        line: 2,
        values: {},
        result: { ok: true, update: { userId: 'a', status: 'active' }, issues: [] },
      } as unknown as CsvRow),
    ).toBe('');
  });

  it('names the user of a refused row by its trimmed id cell, when one column holds it', async () => {
    const rows = await collect('Email,Active\n  ada@example.org  ,TRUE\n');
    expect(formatCsvReport(rows).split('\r\n')[1]).toMatch(
      /^2,ada@example\.org,Active,TRUE,INVALID_ACTIVE_VALUE,error,/,
    );
  });

  it('refuses options that are not an object, and a warnings option that is not a boolean, with a message', () => {
    expect(() => csvReportRowFormatter('strict' as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => csvReportRowFormatter({ warnings: 1 } as never)).toThrow(
      'Option `warnings` must be true or false.',
    );
  });
});
