import { TZDate } from '@date-fns/tz';
import { startOfDay } from 'date-fns/startOfDay';
import { LearnerStatusError } from '../errors.js';
import { calendarDateUtc } from './instant.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const knownZones = /* @__PURE__ */ new Set<string>(['UTC']);

/**
 * Checks that `timeZone` is an IANA time zone name this runtime knows (`'UTC'`,
 * `'Europe/London'`, `'America/New_York'`), and throws `INVALID_TIME_ZONE` otherwise.
 * Fixed offsets such as `'+05:30'` are refused: a zone, not an offset, knows its DST rules.
 */
export function assertTimeZone(timeZone: unknown, field = 'timeZone'): asserts timeZone is string {
  if (typeof timeZone === 'string' && knownZones.has(timeZone)) return;
  let valid = typeof timeZone === 'string' && /^[A-Za-z]/.test(timeZone);
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timeZone as string });
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    throw new LearnerStatusError(
      'INVALID_TIME_ZONE',
      `\`${field}\` must be an IANA time zone name such as 'UTC' or 'Europe/London', but it is ${JSON.stringify(timeZone)}.`,
      { field },
    );
  }
  knownZones.add(timeZone as string);
}

/**
 * R11: the instant at which access given "through date D" ends, for a date-only expiration
 * date `YYYY-MM-DD` in an explicit IANA time zone: the first instant of the next day in that
 * zone. The learner keeps access for the whole of D wherever the zone's clocks say so, on
 * days with a DST change, on leap days, and on days that have no local midnight (the next
 * day then starts at the first instant that exists, such as 01:00 in Havana).
 *
 * Throws `INVALID_DATE` for anything that is not exactly a real `YYYY-MM-DD` date
 * (`'2026-02-30'`, `'20260105'`, `'2026-1-5'`, a date-time) and `INVALID_TIME_ZONE` for a
 * zone that is not an IANA name.
 *
 * @example
 * ```ts
 * import { expirationInstant } from 'learner-status';
 *
 * expirationInstant('2026-12-31').toISOString(); // '2027-01-01T00:00:00.000Z'
 * expirationInstant('2026-12-31', 'America/New_York').toISOString(); // '2027-01-01T05:00:00.000Z'
 * ```
 */
export function expirationInstant(date: string, timeZone = 'UTC'): Date {
  assertTimeZone(timeZone);
  const match = typeof date === 'string' ? DATE_ONLY.exec(date) : null;
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (match === null || calendarDateUtc(year, month, day) === undefined) {
    throw new LearnerStatusError(
      'INVALID_DATE',
      `The expiration date must be a real calendar date written YYYY-MM-DD (such as '2026-12-31'), but it is ${JSON.stringify(date)}.`,
      { field: 'date' },
    );
  }
  // Noon of the next day always exists, whatever the zone's DST rules; startOfDay then walks
  // back to the first instant of that day in the zone. setFullYear avoids the 0-99 year quirk.
  const nextDayNoon = new TZDate(2000, 0, 1, 12, timeZone);
  nextDayNoon.setFullYear(year, month - 1, day + 1);
  return new Date(startOfDay(nextDayNoon).getTime());
}
