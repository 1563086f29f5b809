import { describe, expect, it } from 'vitest';
import { loadCsvDates, loadDateFns, prepareCsvDatesNow } from '../../src/csv/date-fns.js';
import {
  checkDateFormat,
  probeDateFormat,
  readExpirationCell,
} from '../../src/csv/expiration-cell.js';
import { resolveCsvOptions } from '../../src/csv/options.js';

// C4 and R11 cell by cell: what an expiration cell reads as, and for each kind of wrong cell the
// exact advice (C9: say what to write instead).

const utc = resolveCsvOptions(undefined);
// Options in a zone other than UTC, with the zone library loaded as parseCsv does.
function inZone(timeZone: string) {
  const options = resolveCsvOptions({ timeZone });
  prepareCsvDatesNow(options);
  return options;
}
const fns = await loadDateFns();
await loadCsvDates();
const withFormats = { ...resolveCsvOptions({ dateFormats: ['dd/MM/yyyy'] }), dateFns: fns };

function messageOf(raw: string, options = utc): string {
  const read = readExpirationCell(raw, 'Expires', options);
  if (read === null || read === undefined || read instanceof Date) {
    throw new Error(`expected an issue for ${JSON.stringify(raw)}, got ${String(read)}`);
  }
  return `${read.code}: ${read.message}`;
}

describe('readExpirationCell: what a cell reads as (C4, R11)', () => {
  it.each([
    ['2026-12-31', '2027-01-01T00:00:00.000Z'],
    [' 2026-12-31 ', '2027-01-01T00:00:00.000Z'],
    ['2024-02-29', '2024-03-01T00:00:00.000Z'],
    ['2026-12-31T17:00:00Z', '2026-12-31T17:00:00.000Z'],
    ['2026-12-31T17:00:00+01:00', '2026-12-31T16:00:00.000Z'],
  ])('%j is %s', (raw, iso) => {
    expect((readExpirationCell(raw, 'Expires', utc) as Date).toISOString()).toBe(iso);
  });

  it('reads blank as unchanged and Never (any ASCII case) as never expires', () => {
    expect(readExpirationCell('  ', 'Expires', utc)).toBeUndefined();
    expect(readExpirationCell(' NeVeR ', 'Expires', utc)).toBeNull();
  });

  it('reads a configured date-only format as the end of that day', () => {
    expect((readExpirationCell('31/12/2026', 'Expires', withFormats) as Date).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });

  it('reads YYYY-MM-DD in another zone as the end of the day there (R11)', () => {
    const ny = inZone('America/New_York');
    expect((readExpirationCell('2026-12-31', 'Expires', ny) as Date).toISOString()).toBe(
      '2027-01-01T05:00:00.000Z',
    );
    expect(messageOf('2026-02-30', ny)).toMatch(/^INVALID_DATE: .*not a real calendar date/);
  });

  it('gives the same answer for a date read again (the cache), in UTC and in a zone', () => {
    const ny = inZone('America/New_York');
    for (const options of [utc, ny]) {
      const first = readExpirationCell('2031-07-04', 'Expires', options) as Date;
      const again = readExpirationCell('2031-07-04', 'Expires', options) as Date;
      expect(again.getTime()).toBe(first.getTime());
    }
  });

  it('keeps answering correctly past the cache limit of 4,096 dates', () => {
    const options = resolveCsvOptions(undefined);
    for (let day = 0; day < 5000; day++) {
      const date = new Date(Date.UTC(2000, 0, 1) + day * 86_400_000);
      const text = date.toISOString().slice(0, 10);
      const read = readExpirationCell(text, 'Expires', options) as Date;
      expect(read.getTime()).toBe(date.getTime() + 86_400_000);
    }
  });
});

describe('readExpirationCell: each wrong cell says what to write instead (C9)', () => {
  it.each([
    [
      '2026-02-30',
      "INVALID_DATE: Column 'Expires' has '2026-02-30', which is not a real calendar date (check the day and the month, e.g. 30 February does not exist). Write an existing date as YYYY-MM-DD.",
    ],
    [
      '2026-12-31T17:00',
      "INVALID_DATE: Column 'Expires' has '2026-12-31T17:00', a date and time without a time zone offset, which could mean any instant. Add Z or an offset (2026-12-31T17:00:00Z, 2026-12-31T17:00:00+01:00), or give only the date.",
    ],
    [
      '2026-12-31 17:00:00.5',
      "INVALID_DATE: Column 'Expires' has '2026-12-31 17:00:00.5', a date and time without a time zone offset, which could mean any instant. Add Z or an offset (2026-12-31T17:00:00Z, 2026-12-31T17:00:00+01:00), or give only the date.",
    ],
    [
      '2026-12-31T24:00:00Z',
      "INVALID_DATE: Column 'Expires' has '2026-12-31T24:00:00Z', which is not a real instant (hours run 00-23, minutes and seconds 00-59, the date must exist). Write e.g. 2026-12-31T17:00:00Z.",
    ],
    [
      '46387',
      "INVALID_DATE: Column 'Expires' has '46387', which looks like a spreadsheet serial number, not a date. Format the column as text and write the date as YYYY-MM-DD.",
    ],
    [
      '46387.25',
      "INVALID_DATE: Column 'Expires' has '46387.25', which looks like a spreadsheet serial number, not a date. Format the column as text and write the date as YYYY-MM-DD.",
    ],
    [
      '12/31/2026',
      "INVALID_DATE: Column 'Expires' has '12/31/2026', which is not YYYY-MM-DD; it reads only month first (31 is not a month), as 2026-12-31. Write 2026-12-31, or read this form with `dateFormats: ['MM/dd/yyyy']`.",
    ],
    [
      'tomorrow',
      "INVALID_DATE: Column 'Expires' has 'tomorrow', which is not a date. Write YYYY-MM-DD (e.g. 2026-12-31), an instant with an offset (2026-12-31T17:00:00Z), Never, or leave it blank to keep the current date.",
    ],
    [
      'N\u0435ver',
      "LOOKALIKE_CHARACTER: Column 'Expires' has 'N\u0435ver': '\u0435' (U+0435) is a character that only looks like a Latin letter; retype the value in plain ASCII (Never).",
    ],
    [
      '2026-12-31\u200b',
      "CONTROL_CHARACTER: Column 'Expires' contains the control character U+200B in '2026-12-31\\u200b'. Remove it and write the date as YYYY-MM-DD.",
    ],
  ])('%j', (raw, message) => {
    expect(messageOf(raw)).toBe(message);
  });

  it('names the configured formats when a cell matches none of them', () => {
    expect(messageOf('2026/31/12', withFormats)).toBe(
      "INVALID_DATE: Column 'Expires' has '2026/31/12', which is not a real calendar date read as year, month, day and matches none of the configured formats (dd/MM/yyyy). Write an existing date as YYYY-MM-DD.",
    );
    expect(messageOf('1/2/2026', withFormats)).toBe(
      "INVALID_DATE: Column 'Expires' has '1/2/2026', which is ambiguous: day first it is 2026-02-01, month first 2026-01-02 (the order differs between countries) and matches none of the configured formats (dd/MM/yyyy). Write YYYY-MM-DD, or name the order the file uses: `dateFormats: ['d/M/yyyy']` (day first) or `dateFormats: ['M/d/yyyy']` (month first).",
    );
    expect(messageOf('soon', withFormats)).toBe(
      "INVALID_DATE: Column 'Expires' has 'soon', which is not a date. Write YYYY-MM-DD (e.g. 2026-12-31), a date in one of the configured formats (dd/MM/yyyy), an instant with an offset (2026-12-31T17:00:00Z), Never, or leave it blank to keep the current date.",
    );
  });

  it.each([
    // Each pattern is anchored at both ends: a near miss with extra text is "not a date".
    ['x46387'],
    ['46387x'],
    ['x12/31/2026'],
    ['12/31/2026x'],
    ['2026x12-31'],
    ['2026-12x31'],
    ['2026-1a-31'],
  ])('%j is "not a date", not a near kind', (raw) => {
    expect(messageOf(raw)).toMatch(/which is not a date\. Write YYYY-MM-DD/);
  });

  it.each([['x2026-12-31T17:00'], ['2026-12-31T17:00x'], ['2026-12-31T17:00:0']])(
    '%j is not a local date-time (anchored), only something with a time in it',
    (raw) => {
      expect(messageOf(raw)).toMatch(/which is not a real instant/);
    },
  );

  it('tells a time with more than two digits of hour or minute from a real instant', () => {
    expect(messageOf('2026-12-31T1:00Z')).toMatch(/which is not a date\./);
    expect(messageOf('T12:3')).toMatch(/which is not a date\./);
    expect(messageOf('T12:30')).toMatch(/which is not a real instant/);
  });

  it('refuses a configured format whose year is beyond 9999 or before 1', () => {
    const fiveDigits = { ...resolveCsvOptions({ dateFormats: ['dd/MM/yyyyy'] }), dateFns: fns };
    expect(messageOf('31/12/10000', fiveDigits)).toMatch(/^INVALID_DATE/);
    expect(messageOf('31/12/00000', fiveDigits)).toMatch(/^INVALID_DATE/);
    expect((readExpirationCell('31/12/09999', 'Expires', fiveDigits) as Date).toISOString()).toBe(
      '+010000-01-01T00:00:00.000Z',
    );
  });
});

describe('checkDateFormat: only date-only patterns with a year, a month and a day (C4)', () => {
  it.each([
    ['dd/MM/yyyy'],
    ['d MMM yyyy'],
    ['EEE, d MMM yyyy'],
    ["'on' dd/MM/yyyy"],
    ['uuuu-LL-dd'],
  ])('%j is accepted', (pattern) => {
    expect(checkDateFormat(pattern)).toBeUndefined();
    expect(probeDateFormat(pattern, fns)).toBeUndefined();
  });

  it.each([
    ['', 'each entry must be a date-fns pattern such as \'dd/MM/yyyy\', but one is "".'],
    ['  ', 'each entry must be a date-fns pattern such as \'dd/MM/yyyy\', but one is "  ".'],
    [7, "each entry must be a date-fns pattern such as 'dd/MM/yyyy', but one is 7."],
    [
      'dd/MM/yyyy HH',
      '"dd/MM/yyyy HH" uses \'H\'. Only date-only patterns are accepted (y, M, d, and E for week days); write instants as ISO 8601 with an offset, which is always accepted.',
    ],
    ['MM/yyyy', '"MM/yyyy" must name a year (yyyy), a month (MM) and a day (dd).'],
    ['dd/yyyy', '"dd/yyyy" must name a year (yyyy), a month (MM) and a day (dd).'],
    ['dd/MM', '"dd/MM" must name a year (yyyy), a month (MM) and a day (dd).'],
  ])('%j is refused with its reason', (pattern, reason) => {
    expect(checkDateFormat(pattern)).toBe(reason);
  });

  it('a pattern date-fns cannot use is refused with date-fns own reason, once it is loaded', () => {
    expect(checkDateFormat('dd/MM/yyyy d')).toBeUndefined();
    expect(probeDateFormat('dd/MM/yyyy d', fns)).toMatch(
      /^"dd\/MM\/yyyy d" is not a valid date-fns pattern \(.+\)\.$/,
    );
  });
});
