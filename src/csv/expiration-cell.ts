import { calendarDateUtc, parseIsoInstant } from '../dates/instant.js';
import type { DateFns, NextDay } from './date-fns.js';
import { type DateReading, dateReadings } from './date-order.js';
import { type CsvIssue, quote, rowError } from './issues.js';
import type { ResolvedCsvOptions } from './options.js';
import {
  asciiLower,
  codePointName,
  findControlCharacter,
  isPrintableAscii,
  lookalikeHint,
  trimCell,
} from './text.js';

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const SERIAL = /^\d+(\.\d+)?$/;
const SLASHED = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/;
const NEVER = new Set(['never']);
const DATE_CACHE_LIMIT = 4096;
const DAY_MS = 86_400_000;
// Letters that name date-only fields in date-fns patterns. Time, offset and week-year tokens
// are refused: a date-time without an offset is refused by C9, and instants have ISO 8601.
const DATE_LETTERS = /^[yuMLdEo]$/;
const FORMAT_PROBE = new Date(2026, 11, 31);

/**
 * Why a `dateFormats` entry cannot be used, or undefined when it is a date-only date-fns
 * pattern with year, month and day. Checked when the option is given, without date-fns; the
 * round trip ({@link probeDateFormat}) follows when date-fns is loaded, before the first row.
 */
export function checkDateFormat(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || pattern.trim() === '') {
    return `each entry must be a date-fns pattern such as 'dd/MM/yyyy', but one is ${JSON.stringify(pattern)}.`;
  }
  const letters = pattern.replace(/'[^']*'/g, '').replace(/[^A-Za-z]/g, '');
  for (const letter of letters) {
    if (!DATE_LETTERS.test(letter)) {
      return `${JSON.stringify(pattern)} uses '${letter}'. Only date-only patterns are accepted (y, M, d, and E for week days); write instants as ISO 8601 with an offset, which is always accepted.`;
    }
  }
  if (!/[yu]/.test(letters) || !/[ML]/.test(letters) || !/d/.test(letters)) {
    return `${JSON.stringify(pattern)} must name a year (yyyy), a month (MM) and a day (dd).`;
  }
  return undefined;
}

/**
 * Why date-fns cannot use a pattern that {@link checkDateFormat} accepts, or undefined when it
 * reads back what it writes.
 */
export function probeDateFormat(pattern: string, { parse, format }: DateFns): string | undefined {
  try {
    const written = format(FORMAT_PROBE, pattern);
    // A safety net: no accepted date-only pattern is known to fail it.
    /* v8 ignore next 3 */
    if (parse(written, pattern, FORMAT_PROBE).getTime() !== FORMAT_PROBE.getTime()) {
      return `${JSON.stringify(pattern)} does not read back the date it writes (${written}).`;
    }
  } catch (error) {
    return `${JSON.stringify(pattern)} is not a valid date-fns pattern (${(error as Error).message}).`;
  }
  return undefined;
}

/**
 * `yyyy * 10000 + mm * 100 + dd` when `text` is exactly `YYYY-MM-DD` in ASCII digits, else -1.
 * A number key keeps the cache lookup cheap: this runs for most rows of a large file.
 */
function dateKey(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1;
  let key = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    key = key * 10 + digit;
  }
  return key;
}

function dateOnly(key: number, options: ResolvedCsvOptions): number {
  const cache = options.dateCache;
  let ms = cache.get(key);
  if (ms === undefined) {
    if (options.timeZone === 'UTC') {
      // R11 in UTC needs no zone rules: the next day starts 24 hours after this one did.
      // A test checks this against expirationInstant; it saves a zone computation per date.
      const day = calendarDateUtc(Math.floor(key / 10000), Math.floor(key / 100) % 100, key % 100);
      ms = day === undefined ? Number.NaN : day + DAY_MS;
    } else {
      const year = Math.floor(key / 10000);
      const month = Math.floor(key / 100) % 100;
      const day = key % 100;
      try {
        // Loaded before the first row whenever the zone is not UTC (prepareCsvDates).
        ms =
          calendarDateUtc(year, month, day) === undefined
            ? Number.NaN
            : (options.nextDay as NextDay)(year, month, day, options.timeZone);
      } catch {
        ms = Number.NaN;
      }
    }
    if (cache.size >= DATE_CACHE_LIMIT) cache.clear();
    cache.set(key, ms);
  }
  return ms;
}

/** The R11 instant of `text` read with the caller's date-only patterns, or NaN. */
function withFormats(text: string, options: ResolvedCsvOptions): number {
  // Loaded before the first row whenever there are date formats (prepareCsvDates).
  const { parse, format } = options.dateFns as DateFns;
  for (const pattern of options.dateFormats) {
    const parsed = parse(text, pattern, FORMAT_PROBE);
    // Round trip (C9): date-fns would otherwise accept '31/02/2026' or '1/2/2026' for 'dd/MM/yyyy'.
    if (Number.isNaN(parsed.getTime()) || format(parsed, pattern) !== text) continue;
    const year = parsed.getFullYear();
    if (year < 0 || year > 9999) continue;
    const iso = `${String(year).padStart(4, '0')}-${String(parsed.getMonth() + 1).padStart(2, '0')}-${String(parsed.getDate()).padStart(2, '0')}`;
    return dateOnly(dateKey(iso), options);
  }
  return Number.NaN;
}

function invalidDate(column: string, raw: string, why: string): CsvIssue {
  return rowError(
    'INVALID_DATE',
    column,
    raw,
    `Column '${column}' has ${quote(trimCell(raw))}, ${why}`,
  );
}

/** The `dateFormats` option that reads a cell as `reading` says, as a message writes it. */
const optionFor = (reading: DateReading): string => `\`dateFormats: ['${reading.pattern}']\``;

/**
 * Issue 17: why a date of the shape `31/12/2026`, `2026/12/31` or `3/4/2026` was refused: the
 * order that reads it and the exact `dateFormats` for it, "ambiguous" only when day first and
 * month first both give a real date, and which these are.
 */
function orderWhy(text: string, formats: readonly string[]): string {
  const configured =
    formats.length > 0 ? ` and matches none of the configured formats (${formats.join(', ')})` : '';
  const found = dateReadings(text);
  if (found?.shape === 'year-first') {
    const ymd = found.yearFirst;
    if (ymd === undefined)
      return `which is not a real calendar date read as year, month, day${configured}. Write an existing date as YYYY-MM-DD.`;
    return `which is not YYYY-MM-DD${configured}; it reads year first, as ${ymd.iso}. Write ${ymd.iso}, or read this form with ${optionFor(ymd)}.`;
  }
  if (found?.shape === 'day-month') {
    const { dayFirst, monthFirst } = found;
    if (dayFirst !== undefined && monthFirst !== undefined) {
      if (dayFirst.iso === monthFirst.iso)
        return `which is not YYYY-MM-DD${configured}; it is ${dayFirst.iso} in either order of day and month. Write ${dayFirst.iso}, or name the order the file uses: ${optionFor(dayFirst)} (day first) or ${optionFor(monthFirst)} (month first).`;
      return `which is ambiguous: day first it is ${dayFirst.iso}, month first ${monthFirst.iso} (the order differs between countries)${configured}. Write YYYY-MM-DD, or name the order the file uses: ${optionFor(dayFirst)} (day first) or ${optionFor(monthFirst)} (month first).`;
    }
    const only = dayFirst ?? monthFirst;
    if (only === undefined)
      return `which is not a real calendar date in either order of day and month${configured}. Write an existing date as YYYY-MM-DD.`;
    // One order gives a real date and the other none: then the other's month is over 12.
    const parts = text.split(/[/.-]/);
    const noMonth = dayFirst === undefined ? parts[1] : parts[0];
    return `which is not YYYY-MM-DD${configured}; it reads only ${dayFirst === undefined ? 'month' : 'day'} first (${noMonth} is not a month), as ${only.iso}. Write ${only.iso}, or read this form with ${optionFor(only)}.`;
  }
  const what = text.split(/[/.-]/).some((part) => part.length === 4)
    ? 'which does not say which part is the year, the month and the day'
    : 'which has no four-digit year, so it does not say which part is the year, the month and the day';
  return `${what}${configured}. Write YYYY-MM-DD (e.g. 2026-12-31), or configure the format in \`dateFormats\`.`;
}

/**
 * C4, R11: reads an expiration cell. Blank: undefined (unchanged). `Never`: null (clears).
 * `YYYY-MM-DD` and the caller's date-only patterns: the start of the next day in the zone.
 * An ISO 8601 instant with `Z` or an offset: that instant. Anything else: an issue that says
 * what to write instead. Never `new Date(string)`.
 */
export function readExpirationCell(
  raw: string,
  column: string,
  options: ResolvedCsvOptions,
): Date | null | undefined | CsvIssue {
  const text = trimCell(raw);
  if (text === '') return undefined;
  const key = dateKey(text);
  if (key !== -1) {
    const ms = dateOnly(key, options);
    if (!Number.isNaN(ms)) return new Date(ms);
    return invalidDate(
      column,
      raw,
      'which is not a real calendar date (check the day and the month, e.g. 30 February does not exist). Write an existing date as YYYY-MM-DD.',
    );
  }
  if (!isPrintableAscii(text)) {
    const control = findControlCharacter(text);
    if (control !== undefined) {
      return rowError(
        'CONTROL_CHARACTER',
        column,
        raw,
        `Column '${column}' contains the control character ${codePointName(control)} in ${quote(text)}. Remove it and write the date as YYYY-MM-DD.`,
      );
    }
    const hint = lookalikeHint(text, NEVER);
    if (hint !== undefined)
      return rowError(
        'LOOKALIKE_CHARACTER',
        column,
        raw,
        `Column '${column}' has ${quote(text)}: ${hint} (Never).`,
      );
  }
  if (asciiLower(text) === 'never') return null;
  const instant = parseIsoInstant(text);
  if (!Number.isNaN(instant)) return new Date(instant);
  if (options.dateFormats.length > 0) {
    const ms = withFormats(text, options);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  let why: string;
  if (LOCAL_DATE_TIME.test(text)) {
    why =
      'a date and time without a time zone offset, which could mean any instant. Add Z or an offset (2026-12-31T17:00:00Z, 2026-12-31T17:00:00+01:00), or give only the date.';
  } else if (/[Tt]\d{2}:\d{2}/.test(text)) {
    why =
      'which is not a real instant (hours run 00-23, minutes and seconds 00-59, the date must exist). Write e.g. 2026-12-31T17:00:00Z.';
  } else if (SERIAL.test(text)) {
    why =
      'which looks like a spreadsheet serial number, not a date. Format the column as text and write the date as YYYY-MM-DD.';
  } else if (SLASHED.test(text)) {
    why = orderWhy(text, options.dateFormats);
  } else {
    why = `which is not a date. Write YYYY-MM-DD (e.g. 2026-12-31)${options.dateFormats.length > 0 ? `, a date in one of the configured formats (${options.dateFormats.join(', ')})` : ''}, an instant with an offset (2026-12-31T17:00:00Z), Never, or leave it blank to keep the current date.`;
  }
  return invalidDate(column, raw, why);
}
