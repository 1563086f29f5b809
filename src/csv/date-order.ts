// Issue 17: what a refused date cell of the shape `31/12/2026` would be read as, in each order
// of its parts, so that INVALID_DATE says why (no month 31) and what reads it (the exact
// `dateFormats`), and calls a date ambiguous only when both orders give a real date. Pure and
// synchronous: the row reader cannot load date-fns, so the calendar check is calendarDateUtc,
// and the patterns are those that write the cell back exactly as it is (a one-digit part is
// `d`/`M`, a two-digit one `dd`/`MM`), which is what the parser's round trip asks of a pattern.
import { calendarDateUtc } from '../dates/instant.js';

/** One reading of a date cell: the `dateFormats` pattern that reads it, and the date, ISO. */
export interface DateReading {
  readonly pattern: string;
  readonly iso: string;
}

/**
 * The readings of a cell `P S P S YYYY` (day/month parts of one or two ASCII digits, one
 * separator `/`, `.` or `-`, a four-digit year from 0001) or `YYYY S P S P` (year first), or
 * undefined for any other shape. `dayFirst` and `monthFirst` are set for the first shape, when
 * that order gives a real calendar date; `yearFirst` for the second, when year, month, day is
 * a real date. A shape with no reading at all answers `{ shape: ... }` alone.
 *
 * @example
 * ```ts
 * dateReadings('31/12/2026'); // { shape: 'day-month', dayFirst: { pattern: 'dd/MM/yyyy', iso: '2026-12-31' } }
 * dateReadings('3/4/2026'); // dayFirst 2026-04-03 (d/M/yyyy) and monthFirst 2026-03-04 (M/d/yyyy)
 * ```
 */
export interface DateReadings {
  readonly shape: 'day-month' | 'year-first';
  readonly dayFirst?: DateReading;
  readonly monthFirst?: DateReading;
  readonly yearFirst?: DateReading;
}

const DAY_MONTH = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const YEAR_FIRST = /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})$/;

const two = (n: number): string => String(n).padStart(2, '0');

function reading(
  year: string,
  month: string,
  day: string,
  pattern: string,
): DateReading | undefined {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  // date-fns reads no year 0 with `yyyy`, so neither does a suggested pattern.
  if (y < 1 || calendarDateUtc(y, m, d) === undefined) return undefined;
  return { pattern, iso: `${year}-${two(m)}-${two(d)}` };
}

/** `d` or `dd` (`M` or `MM`): the token that writes `part` back as it is written. */
const token = (letter: string, part: string): string =>
  part.length === 2 ? letter + letter : letter;

/**
 * The readings of a date cell in the shapes spreadsheet programs write (see {@link DateReadings}), or
 * undefined when the trimmed text has neither shape. Internal.
 *
 * @example
 * ```ts
 * dateReadings('2026/12/31')?.yearFirst; // { pattern: 'yyyy/MM/dd', iso: '2026-12-31' }
 * ```
 */
export function dateReadings(text: string): DateReadings | undefined {
  const dm = DAY_MONTH.exec(text);
  if (dm !== null) {
    const [, first, s, second, year] = dm as unknown as [string, string, string, string, string];
    const dayFirst = reading(
      year,
      second,
      first,
      `${token('d', first)}${s}${token('M', second)}${s}yyyy`,
    );
    const monthFirst = reading(
      year,
      first,
      second,
      `${token('M', first)}${s}${token('d', second)}${s}yyyy`,
    );
    return {
      shape: 'day-month',
      ...(dayFirst === undefined ? {} : { dayFirst }),
      ...(monthFirst === undefined ? {} : { monthFirst }),
    };
  }
  const yf = YEAR_FIRST.exec(text);
  if (yf !== null) {
    const [, year, s, month, day] = yf as unknown as [string, string, string, string, string];
    const yearFirst = reading(
      year,
      month,
      day,
      `yyyy${s}${token('M', month)}${s}${token('d', day)}`,
    );
    return { shape: 'year-first', ...(yearFirst === undefined ? {} : { yearFirst }) };
  }
  return undefined;
}
