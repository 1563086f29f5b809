import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvRowResult,
  loadCsvDates,
  parseCsvRow,
  suggestDateFormats,
} from '../../src/csv/index.js';
import { collect } from './helpers.js';

// Issue 17, through the public API of learner-status/csv: a refused row still names its user
// (CsvRow.userId), and INVALID_DATE for a date in another order says what reads it, calling it
// ambiguous only when day first and month first both give a real date.

// parseCsvRow with `dateFormats` needs date-fns loaded (C4).
await loadCsvDates();

const cell = (expiration: string, dateFormats?: string[]): CsvRowResult =>
  parseCsvRow(
    { Email: 'ada@example.org', 'Expiration Date': expiration },
    dateFormats === undefined ? undefined : { dateFormats },
  );

function message(result: CsvRowResult): string {
  expect(result.ok).toBe(false);
  expect(result.issues.map((issue) => issue.code)).toEqual(['INVALID_DATE']);
  return result.issues[0]?.message ?? '';
}

/** The `dateFormats` options a message names, in order. */
const namedFormats = (text: string): string[] =>
  [...text.matchAll(/`dateFormats: \['([^']+)'\]`/g)].map((m) => m[1] as string);

describe('C6: a refused row names its user when its identifier cell is valid (CsvRow.userId)', () => {
  it('rows refused for their Active or date cell carry the id; rows whose id cell is refused do not', async () => {
    const long = 'x'.repeat(20);
    const rows = await collect(
      [
        'Email,Active,Expiration Date',
        ' ada@example.org ,TRUE,', // INVALID_ACTIVE_VALUE: the id as the cell gives it, trimmed
        'grace@example.org,Yes,31/12/2026', // INVALID_DATE
        `alan@example.org,${long},`, // FIELD_TOO_LONG in the Active cell
        ',No,', // MISSING_ID
        '1.23457E+11,No,', // MANGLED_ID
        `${long}@example.org,No,`, // FIELD_TOO_LONG in the id cell
        'edsger@example.org,Yes,,extra', // COLUMN_COUNT: cells may not be under their headers
        'barbara@example.org,No,', // valid
      ].join('\n'),
      { maxFieldLength: 19 },
    );
    expect(rows.map((row) => [row.line, row.result.ok, row.userId])).toEqual([
      [2, false, 'ada@example.org'],
      [3, false, 'grace@example.org'],
      [4, false, 'alan@example.org'],
      [5, false, undefined],
      [6, false, undefined],
      [7, false, undefined],
      [8, false, undefined],
      [9, true, 'barbara@example.org'],
    ]);
    // The refused result itself is unchanged: the user is on the row, not in the result.
    expect(rows[0]?.result).toEqual({ ok: false, issues: [expect.anything()] });
  });

  it('a ragged row refused for a bad cell names its user too (F3)', async () => {
    const rows = await collect('Email,Active,Expiration Date,Note\nada@example.org,TRUE\n');
    expect(rows[0]?.result.issues.map((issue) => issue.code)).toEqual([
      'INVALID_ACTIVE_VALUE',
      'MISSING_CELLS',
    ]);
    expect(rows[0]?.userId).toBe('ada@example.org');
  });
});

describe('C4, F7: a date in another order says what reads it', () => {
  it.each([
    // [cell, the words of the reason, the dateFormats named, in order]
    ['31/12/2026', 'reads only day first (31 is not a month), as 2026-12-31', ['dd/MM/yyyy']],
    ['12/31/2026', 'reads only month first (31 is not a month), as 2026-12-31', ['MM/dd/yyyy']],
    ['31.12.2026', 'reads only day first (31 is not a month), as 2026-12-31', ['dd.MM.yyyy']],
    ['31-1-2026', 'reads only day first (31 is not a month), as 2026-01-31', ['dd-M-yyyy']],
    ['2026/12/31', 'reads year first, as 2026-12-31', ['yyyy/MM/dd']],
    ['2026.1.5', 'reads year first, as 2026-01-05', ['yyyy.M.d']],
    [
      '3/4/2026',
      'ambiguous: day first it is 2026-04-03, month first 2026-03-04',
      ['d/M/yyyy', 'M/d/yyyy'],
    ],
    ['05.05.2026', 'it is 2026-05-05 in either order', ['dd.MM.yyyy', 'MM.dd.yyyy']],
    ['2/30/2026', 'not a real calendar date in either order of day and month', []],
    ['2026/31/12', 'not a real calendar date read as year, month, day', []],
    ['26-12-31', 'has no four-digit year', []],
  ])('%s: %s', (text, reason, formats) => {
    const said = message(cell(text));
    expect(said).toContain(reason);
    expect(said.includes('ambiguous')).toBe(reason.startsWith('ambiguous'));
    expect(namedFormats(said)).toEqual(formats);
  });

  it('the exact message for 31/12/2026, the case of the issue', () => {
    expect(message(cell('31/12/2026'))).toBe(
      "Column 'Expiration Date' has '31/12/2026', which is not YYYY-MM-DD; it reads only day first (31 is not a month), as 2026-12-31. Write 2026-12-31, or read this form with `dateFormats: ['dd/MM/yyyy']`.",
    );
  });

  it('with configured formats that do not read the cell, says so and still names what would', () => {
    const said = message(cell('31/12/2026', ['MM/dd/yyyy']));
    expect(said).toContain(
      'which is not YYYY-MM-DD and matches none of the configured formats (MM/dd/yyyy); it reads only day first',
    );
    expect(namedFormats(said)).toEqual(['dd/MM/yyyy']);
  });

  // Every cell D S D S YYYY (one or two digits, padded or not): "ambiguous" exactly when both
  // orders give a real date and they differ; every dateFormats named reads the cell as the date
  // the message names; and the verdict agrees with suggestDateFormats for that one cell.
  const part = fc
    .tuple(fc.integer({ min: 0, max: 39 }), fc.boolean())
    .map(([n, pad]) => (pad || n > 9 ? String(n).padStart(2, '0') : String(n)));
  const realDate = (year: number, month: number, day: number): boolean => {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  };

  it('F7: "ambiguous" iff both orders are real dates that differ; every option named reads the cell', async () => {
    await fc.assert(
      fc.asyncProperty(
        part,
        part,
        fc.constantFrom('/', '.', '-'),
        fc.integer({ min: 1, max: 9999 }),
        async (first, second, separator, y) => {
          const year = String(y).padStart(4, '0');
          const text = `${first}${separator}${second}${separator}${year}`;
          const said = message(cell(text));
          const dayFirst = realDate(y, Number(second), Number(first));
          const monthFirst = realDate(y, Number(first), Number(second));
          const ambiguous = dayFirst && monthFirst && Number(first) !== Number(second);
          expect(said.includes('ambiguous'), said).toBe(ambiguous);
          const formats = namedFormats(said);
          expect(formats.length, said).toBe((dayFirst ? 1 : 0) + (monthFirst ? 1 : 0));
          for (const format of formats) {
            const read = cell(text, [format]);
            expect(read.ok, `${format} reads ${text}`).toBe(true);
            const day = format[0] === 'd' ? Number(first) : Number(second);
            const month = format[0] === 'd' ? Number(second) : Number(first);
            const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
            expect(said).toContain(iso);
            // R11 in UTC: access through that whole day.
            const end = new Date(0);
            end.setUTCFullYear(y, month - 1, day + 1);
            if (read.ok) expect(read.update.expiresAt).toEqual(end);
          }
          const suggested = await suggestDateFormats([text]);
          if (suggested.formats.length > 0) {
            expect(suggested.ambiguous).toBe(
              ambiguous || (dayFirst && monthFirst && Number(first) === Number(second)),
            );
            if (suggested.format !== undefined && !ambiguous && dayFirst !== monthFirst) {
              expect(formats[0]?.[0], said).toBe(suggested.format[0]);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
