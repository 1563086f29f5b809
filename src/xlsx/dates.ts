// Workbook dates: a number of days since the workbook's epoch (1900 or 1904 system) shown as a
// date by its number format, or, rarely, an ISO text in a cell of type `d`. Calendar arithmetic
// on day numbers (no Date objects): exact, and nothing allocated per cell but the result.
import type { SheetDate } from './sheet.js';

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date `days` after 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** 1899-12-30: day 0 of the 1900 system from 1900-03-01 on (after Lotus's phantom leap day). */
const EPOCH_1900 = daysFromCivil(1899, 12, 30);
/** 1904-01-01: day 0 of the 1904 system (old Excel for Mac). */
const EPOCH_1904 = daysFromCivil(1904, 1, 1);
/** The last day a workbook can show: 9999-12-31. */
const LAST_DAY = daysFromCivil(9999, 12, 31);

/**
 * The calendar date of a date cell's serial number, or undefined when the serial is no date
 * Excel can show (negative, past 9999-12-31, not finite): the caller then keeps the number.
 * In the 1900 system, serial 60 is 1900-02-29, a day that never was: Lotus 1-2-3 counted 1900
 * as a leap year and Excel kept the bug for compatibility, so it is returned as Excel shows it
 * and left to date validation to refuse.
 *
 * @example
 * ```ts
 * serialToDate(46387, false); // { kind: 'date', year: 2026, month: 12, day: 31, hasTime: false, serial: 46387 }
 * serialToDate(46387.5, false)?.hasTime; // true
 * serialToDate(44926, true); // 2027-01-01 in the 1904 system
 * ```
 */
export function serialToDate(serial: number, date1904: boolean): SheetDate | undefined {
  if (!Number.isFinite(serial) || serial < 0) return undefined;
  const whole = Math.floor(serial);
  let year: number;
  let month: number;
  let day: number;
  if (!date1904 && whole === 60) {
    [year, month, day] = [1900, 2, 29];
  } else {
    // Before the phantom day, Excel's days are one later than a real calendar would make them.
    const days = date1904
      ? EPOCH_1904 + whole
      : whole < 60
        ? EPOCH_1900 + whole + 1
        : EPOCH_1900 + whole;
    if (days > LAST_DAY) return undefined;
    [year, month, day] = civilFromDays(days);
  }
  return { kind: 'date', year, month, day, hasTime: serial !== whole, serial };
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The date of a cell of type `d` (an ISO 8601 text, written by some libraries rather than
 * Excel), or undefined when the text is no valid date. A workbook has no time zone, so an
 * offset, when present, is ignored and the fields are read as written.
 *
 * @example
 * ```ts
 * isoToDate('2026-12-31', false); // { kind: 'date', year: 2026, month: 12, day: 31, hasTime: false, serial: 46387 }
 * isoToDate('2026-12-31T09:30:00', false)?.hasTime; // true
 * isoToDate('2026-02-30', false); // undefined
 * ```
 */
export function isoToDate(text: string, date1904: boolean): SheetDate | undefined {
  const match = ISO.exec(text.trim());
  if (match === null) return undefined;
  const [year, month, day, hours, minutes, seconds] = match
    .slice(1, 7)
    .map((field) => (field === undefined ? 0 : Number(field))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = Number(`0.${match[7] ?? '0'}`);
  if (month < 1 || month > 12 || day < 1 || hours > 23 || minutes > 59 || seconds > 59) {
    return undefined;
  }
  const days = daysFromCivil(year, month, day);
  const [y, m, d] = civilFromDays(days);
  if (y !== year || m !== month || d !== day) return undefined;
  const time = (hours * 3600 + minutes * 60 + seconds + fraction) / 86400;
  const epoch = date1904 ? EPOCH_1904 : days < EPOCH_1900 + 61 ? EPOCH_1900 + 1 : EPOCH_1900;
  return { kind: 'date', year, month, day, hasTime: time !== 0, serial: days - epoch + time };
}
