import { format as formatDate } from 'date-fns/format';
import { parse as parseDate } from 'date-fns/parse';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDateFns } from '../../src/csv/date-fns.js';
import {
  type DateFormatSuggestion,
  describeDateFormatSuggestion,
  SUGGESTED_DATE_FORMATS,
  suggestDateFormats,
  suggestDateFormatsWith,
} from '../../src/csv/date-formats.js';
import { readExpirationCell } from '../../src/csv/expiration-cell.js';
import { resolveCsvOptions } from '../../src/csv/options.js';

// F7: which caller date format would read a column of date cells, while C4 stays strict. The
// oracle of "reads" is the CSV parser itself: readExpirationCell with `dateFormats`.

const fns = await loadDateFns();
const plain = resolveCsvOptions(undefined);
const withFormat = new Map(
  SUGGESTED_DATE_FORMATS.map((format) => [
    format,
    { ...resolveCsvOptions({ dateFormats: [format] }), dateFns: fns },
  ]),
);
// The synchronous core, with date-fns loaded above; suggestDateFormats itself is tested below.
const suggest = (cells: Iterable<string>): DateFormatSuggestion =>
  suggestDateFormatsWith(cells, fns);

function parserReads(cell: string, format: string): boolean {
  return readExpirationCell(cell, 'Expires', withFormat.get(format) ?? plain) instanceof Date;
}

function suggestion(
  formats: readonly string[],
  format: string | undefined,
  ambiguous: boolean,
  cells: number,
): DateFormatSuggestion {
  return { formats, format, ambiguous, cells };
}

describe('suggestDateFormats: examples of each F7 rule', () => {
  it('loads date-fns on its first call and answers as the synchronous core does', async () => {
    await expect(suggestDateFormats(['12/31/2026', '1/5/2026'])).resolves.toEqual(
      suggest(['12/31/2026', '1/5/2026']),
    );
  });

  it('F7: US dates with a single-digit month read as M/d/yyyy only', () => {
    expect(suggest(['12/31/2026', '1/5/2026'])).toEqual(
      suggestion(['M/d/yyyy'], 'M/d/yyyy', false, 2),
    );
  });

  it('F7: two-digit US dates read with M/d/yyyy and MM/dd/yyyy; M/d/yyyy is preferred', () => {
    expect(suggest(['12/31/2026', '10/15/2027'])).toEqual(
      suggestion(['M/d/yyyy', 'MM/dd/yyyy'], 'M/d/yyyy', false, 2),
    );
  });

  it('F7: a zero-padded cell rules out the unpadded format (MM/dd/yyyy)', () => {
    expect(suggest(['12/31/2026', '01/05/2026'])).toEqual(
      suggestion(['MM/dd/yyyy'], 'MM/dd/yyyy', false, 2),
    );
  });

  it('F7: European 31/12/2026 reads day first as d/M/yyyy', () => {
    expect(suggest(['31/12/2026'])).toEqual(
      suggestion(['d/M/yyyy', 'dd/MM/yyyy'], 'd/M/yyyy', false, 1),
    );
  });

  it('F7: 31.12.2026 reads with d.M.yyyy and dd.MM.yyyy; 01.02.2026 only with the padded one', () => {
    expect(suggest(['31.12.2026'])).toEqual(
      suggestion(['d.M.yyyy', 'dd.MM.yyyy'], 'd.M.yyyy', false, 1),
    );
    expect(suggest(['31.12.2026', '01.02.2026'])).toEqual(
      suggestion(['dd.MM.yyyy'], 'dd.MM.yyyy', false, 2),
    );
    expect(suggest(['13-1-2026'])).toEqual(suggestion(['d-M-yyyy'], 'd-M-yyyy', false, 1));
  });

  it('F7: when every day is 12 or less both orders read the cells: ambiguous, no format', () => {
    expect(suggest(['1/2/2026', '3/4/2026', '12/12/2026'])).toEqual(
      suggestion(['M/d/yyyy', 'd/M/yyyy'], undefined, true, 3),
    );
    expect(suggest(['01.02.2026'])).toEqual(
      suggestion(['MM.dd.yyyy', 'dd.MM.yyyy'], undefined, true, 1),
    );
  });

  it('F7: mixed separators or mixed orders are read by no format', () => {
    expect(suggest(['12/31/2026', '31.12.2026'])).toEqual(suggestion([], undefined, false, 2));
    expect(suggest(['12/31/2026', '31/12/2026'])).toEqual(suggestion([], undefined, false, 2));
    expect(suggest(['1/2-2026'])).toEqual(suggestion([], undefined, false, 1));
    for (const cell of [
      '1,2,2026',
      '1/a/2026',
      '1/2/20x6',
      'a/2/2026',
      '123/4/2026',
      '1/234/2026',
    ]) {
      expect(suggest([cell]).formats).toEqual([]);
    }
  });

  it('F7, C9: a date that does not exist is read by no format (no roll-over)', () => {
    expect(suggest(['2/30/2026']).formats).toEqual([]);
    expect(suggest(['29/2/2025']).formats).toEqual([]);
    expect(suggest(['2/29/2024']).formats).toEqual(['M/d/yyyy']);
    expect(suggest(['29/2/2024']).formats).toEqual(['d/M/yyyy']);
    expect(suggest(['13/13/2026']).formats).toEqual([]);
  });

  it('F7: years are four digits from 0001 to 9999, as the parser reads them', () => {
    expect(suggest(['12/31/26']).formats).toEqual([]);
    expect(suggest(['12/31/0000']).formats).toEqual([]);
    expect(suggest(['12/31/10000']).formats).toEqual([]);
    expect(suggest(['12/31/0001']).format).toBe('M/d/yyyy');
    expect(suggest(['12/31/9999']).format).toBe('M/d/yyyy');
  });

  it('F7: one cell that no format reads leaves none, whatever the other cells are', () => {
    expect(suggest(['12/31/2026', 'soon', '1/5/2026']).formats).toEqual([]);
    expect(suggest(['12/31/2026', '2026-12-31T17:00:00']).formats).toEqual([]);
    expect(suggest(['12/31/2026', '12/31/2026\u200b']).formats).toEqual([]);
    expect(suggest(['\uff11/5/2026']).formats).toEqual([]);
  });

  it('F7, C4: blank cells, Never, YYYY-MM-DD and ISO instants are ignored', () => {
    const cells = [
      '',
      '   ',
      'Never',
      ' NEVER ',
      '2026-12-31',
      '2026-02-30',
      '2026-12-31T17:00:00Z',
      '2026-12-31T17:00:00+01:00',
      '\u00a031/12/2026\t',
    ];
    expect(suggest(cells)).toEqual(suggestion(['d/M/yyyy', 'dd/MM/yyyy'], 'd/M/yyyy', false, 1));
  });

  it('F7, C4: no input, or only cells C4 reads, looks at 0 cells and suggests nothing', () => {
    for (const cells of [[], ['', 'never', '2026-12-31']]) {
      const found = suggest(cells);
      expect(found).toEqual(suggestion([], undefined, false, 0));
      expect(describeDateFormatSuggestion(found)).toBeUndefined();
    }
  });

  it('F7: reads any iterable once and stops at the cell that leaves no format', () => {
    let pulled = 0;
    function* column(): Generator<string> {
      for (const cell of ['1/5/2026', '31/12/2026', '12/31/2026']) {
        pulled++;
        yield cell;
      }
      throw new Error('read past the cell that left no format');
    }
    expect(suggest(column())).toEqual(suggestion([], undefined, false, 3));
    expect(pulled).toBe(3);
    expect(suggest(new Set(['31/12/2026'])).format).toBe('d/M/yyyy');
  });

  it('F7: a column of a million cells is read in one pass', () => {
    function* column(): Generator<string> {
      for (let i = 0; i < 1_000_000; i++) {
        yield `${(i % 12) + 1}/${(i % 28) + 1}/${2026 + (i % 5)}`;
      }
    }
    expect(suggest(column())).toEqual(suggestion(['M/d/yyyy'], 'M/d/yyyy', false, 1_000_000));
  });

  it('F7: answers the same past its bounded cache of 4,096 distinct cells', () => {
    const cells: string[] = [];
    for (let year = 2001; cells.length < 5000; year++) {
      for (let day = 13; day <= 28; day++) cells.push(`${(year % 12) + 1}/${day}/${year}`);
    }
    expect(suggest([...cells, ...cells]).format).toBe('M/d/yyyy');
    expect(suggest([...cells, '2/30/2026', ...cells]).formats).toEqual([]);
  });

  it('F7: the suggested formats are the date-only patterns the parser accepts', () => {
    expect(new Set(SUGGESTED_DATE_FORMATS).size).toBe(12);
    for (const format of SUGGESTED_DATE_FORMATS) {
      expect(resolveCsvOptions({ dateFormats: [format] }).dateFormats).toEqual([format]);
    }
  });
});

describe('describeDateFormatSuggestion (F7)', () => {
  it('names the one format and its order', () => {
    expect(describeDateFormatSuggestion(suggest(['12/31/2026', '1/5/2026']))).toBe(
      'Every date in this column reads as M/d/yyyy (month first).',
    );
    expect(describeDateFormatSuggestion(suggest(['31.12.2026', '01.02.2026']))).toBe(
      'Every date in this column reads as dd.MM.yyyy (day first).',
    );
  });

  it('names both orders when the dates are ambiguous', () => {
    expect(describeDateFormatSuggestion(suggest(['1/2/2026', '3/4/2026']))).toBe(
      'The dates in this column read both day-first and month-first (every day is 12 or less); check one date in the spreadsheet and pass M/d/yyyy or d/M/yyyy.',
    );
    expect(describeDateFormatSuggestion(suggest(['01-02-2026']))).toBe(
      'The dates in this column read both day-first and month-first (every day is 12 or less); check one date in the spreadsheet and pass MM-dd-yyyy or dd-MM-yyyy.',
    );
  });

  it('says nothing when no format reads the cells, or for an inconsistent value', () => {
    expect(describeDateFormatSuggestion(suggest(['2/30/2026']))).toBeUndefined();
    expect(
      describeDateFormatSuggestion(suggestion(['M/d/yyyy'], undefined, false, 1)),
    ).toBeUndefined();
  });
});

// Real calendar dates, written with one suggested format.
const year = fc.oneof(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 9999 }));
const realDate = fc
  .record({ year, month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .map(({ year, month, day }) => {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const last = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
    return { year, month, day: Math.min(day, last) };
  });
type CalendarDate = { year: number; month: number; day: number };

function localDate({ year, month, day }: CalendarDate): Date {
  const date = new Date(2000, 0, 1);
  date.setFullYear(year, month - 1, day);
  return date;
}

function calendarOf(date: Date): CalendarDate {
  return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() };
}

describe('suggestDateFormats: properties (F7)', () => {
  it('F7: the format a column was written with is always found, and never changes a date when unambiguous', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SUGGESTED_DATE_FORMATS),
        fc.array(realDate, { minLength: 1, maxLength: 12 }),
        (written, dates) => {
          // The calendar date each cell shows: the date asked for, except in a process time
          // zone that skipped that day (Pacific/Kiritimati skipped 1994-12-31).
          const shown = dates.map((date) => calendarOf(localDate(date)));
          const cells = dates.map((date) => formatDate(localDate(date), written));
          const found = suggest(cells);
          expect(found.formats).toContain(written);
          expect(found.cells).toBe(cells.length);
          expect(found.ambiguous).toBe(found.format === undefined);
          if (found.format !== undefined) expect(found.formats).toContain(found.format);
          for (const format of found.formats) {
            cells.forEach((cell, index) => {
              expect(parserReads(cell, format)).toBe(true);
              if (!found.ambiguous) {
                const read = parseDate(cell, format, new Date(2026, 11, 31));
                expect(calendarOf(read)).toEqual(shown[index]);
              }
            });
          }
          if (found.ambiguous) {
            for (const date of shown) {
              expect(Math.max(date.day, date.month)).toBeLessThanOrEqual(12);
            }
          }
        },
      ),
      { numRuns: 400, seed: 7 },
    );
  });

  it('F7, C4: a format is suggested exactly when the CSV parser reads every cell with it', () => {
    const digits = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const cell = fc.oneof(
      fc
        .tuple(
          digits(1, 3),
          fc.constantFrom('/', '.', '-', ','),
          digits(1, 3),
          fc.constantFrom('/', '.', '-'),
          digits(2, 5),
          fc.constantFrom('', ' ', '\u00a0'),
        )
        .map(([a, s, b, t, y, pad]) => `${pad}${a}${s}${b}${t}${y}${pad}`),
      fc.constantFrom('', ' ', 'Never', '2026-12-31', '2026-02-30', '2026-12-31T17:00:00Z'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 4 }), (cells) => {
        const looked = cells.filter(
          (c) =>
            !/^\s*\d{4}-\d{2}-\d{2}\s*$/.test(c) &&
            !(readExpirationCell(c, 'Expires', plain) instanceof Date) &&
            readExpirationCell(c, 'Expires', plain) !== null &&
            readExpirationCell(c, 'Expires', plain) !== undefined,
        );
        const expected =
          looked.length === 0
            ? []
            : SUGGESTED_DATE_FORMATS.filter((f) => looked.every((c) => parserReads(c, f)));
        expect(suggest(cells).formats).toEqual(expected);
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
});
