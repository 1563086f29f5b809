import { mustBe } from '../errors.js';

/** The largest distance from the epoch that a JavaScript Date can hold, in milliseconds. */
export const MAX_INSTANT_MS = 8.64e15;

/**
 * The epoch milliseconds of a valid Date, or NaN for anything else: a non-Date, an Invalid
 * Date, or an object that only pretends to be one (its prototype is Date.prototype but it has
 * no date value). A subclass whose own getTime lies is read by the real one. Never throws.
 * Dates from another realm (an iframe, a vm context) are not `instanceof Date` and are
 * refused: fail closed.
 */
export function timeOf(value: unknown): number {
  try {
    // Date.prototype.getTime itself, not the value's own: it reads the date that the object
    // holds, and throws for anything that holds none, whatever its prototype or methods say.
    if (value instanceof Date) return Date.prototype.getTime.call(value);
  } catch {
    // Not a date after all: NaN below.
  }
  return NaN;
}

/**
 * {@link timeOf} for the login path and for values that are never null: the same answers,
 * found faster. The epoch milliseconds of a valid Date, NaN for anything else (a non-Date, an
 * Invalid Date, a Date of another realm, an object that only has Date.prototype); a subclass
 * whose own getTime lies is read by the real one.
 *
 * Why the value's own `getTime` is read first: `Date.prototype.getTime.call(value)` is a call
 * the optimising compiler keeps (three of them cost as much as the rest of a login check),
 * because it cannot tell that the value is a Date. For a Date, reading its `getTime` checks
 * the Date's shape, and the real getTime is then inlined. The property is read once and only
 * the real function is called, so a getter that answers differently on a second read changes
 * nothing. null and undefined throw on that read and take the slow way, through timeOf.
 * Kept this small on purpose: a larger body is no longer inlined where it is called.
 */
export function dateMs(value: unknown): number {
  // Stryker disable next-line BlockStatement: equivalent, timeOf gives the same answers, slower.
  try {
    const getTime = (value as Date).getTime;
    // Stryker disable next-line ConditionalExpression: equivalent when false; lying getTimes pin the rest.
    if (getTime === Date.prototype.getTime && value instanceof Date) return getTime.call(value);
  } catch {
    // null, undefined, a throwing getter, or an object that only looks like a Date.
  }
  return timeOf(value);
}

/** The epoch milliseconds of `value`, or a thrown INVALID_DATE naming `field`. */
export function requireInstant(value: unknown, field: string): number {
  const ms = dateMs(value);
  if (Number.isNaN(ms)) throw mustBe('INVALID_DATE', field, 'a valid Date');
  return ms;
}

const ISO_INSTANT =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Parses an ISO-8601 / RFC 3339 instant that names its offset (`Z` or `±HH:MM`), such as
 * every string `Date.prototype.toISOString()` produces (expanded years included). Returns
 * epoch milliseconds, or NaN when the text is not exactly such an instant: no offset, an
 * impossible calendar date (`2026-02-30`), `24:00`, a leap second `:60`, or outside the Date
 * range. Digits after the milliseconds are truncated. Never guesses, never calls
 * `new Date(string)`.
 */
export function parseIsoInstant(text: string): number {
  const match = ISO_INSTANT.exec(text);
  if (match === null) return NaN;
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, offset] =
    match as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
      string | undefined,
      string | undefined,
      string,
    ];
  if (yearText === '-000000') return NaN; // ECMA-262 forbids negative zero years
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = secondText === undefined ? 0 : Number(secondText);
  const millisecond = fraction === undefined ? 0 : Number(`${fraction}00`.slice(0, 3));
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  // A date that does not exist is NaN, and so is every sum with it: refused below.
  const date = calendarDateUtc(year, month, day) ?? Number.NaN;
  // `Z` has no digits: its hours and minutes read as 0.
  const offsetHours = Number(offset.slice(1, 3));
  const offsetMinutes = Number(offset.slice(4, 6));
  if (offsetHours > 23 || offsetMinutes > 59) return NaN;
  const offsetMs = (offset[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const ms = date + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond - offsetMs;
  return Math.abs(ms) <= MAX_INSTANT_MS ? ms : NaN;
}

/**
 * Midnight UTC of a proleptic Gregorian calendar date in epoch milliseconds, or undefined when
 * the date does not exist (month 13, 30 February, 29 February of a common year). Works for
 * years 0-99 too, which `Date.UTC` would move to the 1900s.
 */
export function calendarDateUtc(year: number, month: number, day: number): number | undefined {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A month or day that does not exist moves the date (month 13 to January, 30 February to
  // 2 March, day 0 to the month before), so reading both back is the whole range check.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime();
}
