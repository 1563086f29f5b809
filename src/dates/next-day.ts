// R11's zone arithmetic, the one place that needs @date-fns/tz and date-fns/startOfDay. It
// imports nothing of this package, so the CSV reader can load it with a dynamic import() when a
// time zone other than UTC is used, without a bundler having to wrap the modules it shares with
// the login path (src/csv/date-fns.ts).
import { TZDate } from '@date-fns/tz';
import { startOfDay } from 'date-fns/startOfDay';

/**
 * The first instant (epoch ms) of the day after `year-month-day` in `timeZone`. The date and
 * the zone are already checked.
 */
export function startOfNextDay(year: number, month: number, day: number, timeZone: string): number {
  // Noon of the next day always exists, whatever the zone's DST rules; startOfDay then walks
  // back to the first instant of that day in the zone. setFullYear avoids the 0-99 year quirk.
  const nextDayNoon = new TZDate(2000, 0, 1, 12, timeZone);
  nextDayNoon.setFullYear(year, month - 1, day + 1);
  return startOfDay(nextDayNoon).getTime();
}
