import { LearnerStatusError } from '../errors.js';
import { calendarDateUtc } from './instant.js';
import { startOfNextDay } from './next-day.js';
import { assertTimeZone } from './zone.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
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
 * import { expirationInstant } from 'learner-status/dates';
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
  return new Date(startOfNextDay(year, month, day, timeZone));
}
