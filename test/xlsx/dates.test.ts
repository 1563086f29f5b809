// F8: workbook dates: serial numbers in the 1900 system (with Lotus's leap-year bug) and the
// 1904 system, ISO texts of cells of type `d`, and which number formats are dates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoToDate, serialToDate } from '../../src/xlsx/dates.js';
import { isDateFormat } from '../../src/xlsx/styles.js';
import { decodeEscapes } from '../../src/xlsx/xml.js';

const ymd = (date: ReturnType<typeof serialToDate>) =>
  date === undefined ? undefined : [date.year, date.month, date.day];

describe('F8: serial numbers to calendar dates', () => {
  it.each([
    [1, [1900, 1, 1]],
    [59, [1900, 2, 28]],
    [60, [1900, 2, 29]], // the day that never was, shown by Excel
    [61, [1900, 3, 1]],
    [0, [1899, 12, 31]],
    [25569, [1970, 1, 1]],
    [46387, [2026, 12, 31]],
    [2958465, [9999, 12, 31]],
  ])('1900 system: %d is %j', (serial, date) => {
    expect(ymd(serialToDate(serial, false))).toEqual(date);
  });

  it('1904 system: 0 is 1904-01-01, 44926 is 2027-01-01; no phantom day', () => {
    expect(ymd(serialToDate(0, true))).toEqual([1904, 1, 1]);
    expect(ymd(serialToDate(44926, true))).toEqual([2027, 1, 1]);
    expect(ymd(serialToDate(60, true))).toEqual([1904, 3, 1]);
  });

  it('a fractional part is a time of day: hasTime, the date is the day it falls on', () => {
    expect(serialToDate(46387.999, false)).toEqual({
      kind: 'date',
      year: 2026,
      month: 12,
      day: 31,
      hasTime: true,
      serial: 46387.999,
    });
    expect(serialToDate(46387, false)?.hasTime).toBe(false);
    expect(serialToDate(0.5, false)?.hasTime).toBe(true);
  });

  it('no date for serials Excel cannot show: negative, past 9999-12-31, not finite', () => {
    for (const serial of [-1, -0.5, 2958466, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(serialToDate(serial, false)).toBeUndefined();
    }
    expect(serialToDate(2957003, true)).toMatchObject({ year: 9999, month: 12, day: 31 });
    expect(serialToDate(2957004, true)).toBeUndefined();
  });

  it('agrees with Date arithmetic from 1900-03-01 to 9999-12-31 (1900) and from 1904 (1904)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 2958465 }), fc.boolean(), (serial, date1904) => {
        const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
        const expected = new Date(epoch + serial * 86_400_000);
        const date = serialToDate(serial, date1904);
        if (date1904 && serial > 2957003) expect(date).toBeUndefined();
        else
          expect(ymd(date)).toEqual([
            expected.getUTCFullYear(),
            expected.getUTCMonth() + 1,
            expected.getUTCDate(),
          ]);
      }),
    );
  });
});

describe('F8: ISO dates of cells of type d', () => {
  it('reads a date with or without a time; an offset is ignored (a workbook has no zone)', () => {
    expect(isoToDate('2026-12-31', false)).toEqual({
      kind: 'date',
      year: 2026,
      month: 12,
      day: 31,
      hasTime: false,
      serial: 46387,
    });
    expect(isoToDate('2026-12-31T00:00:00.000Z', false)?.hasTime).toBe(false);
    expect(isoToDate('2026-12-31T23:00:00-05:00', false)).toMatchObject({ day: 31, hasTime: true });
    expect(isoToDate('2026-12-31 12:00', true)).toMatchObject({ hasTime: true, serial: 44925.5 });
    expect(isoToDate('1900-01-01', false)?.serial).toBe(1);
    expect(isoToDate('1900-03-01', false)?.serial).toBe(61);
  });

  it('refuses what is no valid date', () => {
    for (const text of [
      '2026-02-30',
      '2026-13-01',
      '2026-12-31T24:00',
      '31/12/2026',
      '2026-1-1',
      '',
    ]) {
      expect(isoToDate(text, false)).toBeUndefined();
    }
  });

  it('the serial of a date reads back as the same date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-03-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        fc.boolean(),
        (when, date1904) => {
          const text = when.toISOString().slice(0, 10);
          const date = isoToDate(text, date1904);
          if (date === undefined) throw new Error(`no date for ${text}`);
          if (date1904 && date.serial < 0) return;
          expect(serialToDate(date.serial, date1904)).toEqual(date);
        },
      ),
    );
  });
});

describe('F8: date number formats', () => {
  it.each([
    'dd/mm/yyyy',
    'm/d/yy',
    'yyyy\\-mm\\-dd',
    '[$-409]mmmm d, yyyy;@',
    '[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy',
    'h:mm AM/PM',
    '[h]:mm:ss',
    'DD.MM.YYYY',
    '"Due "yyyy',
  ])('%s is a date format', (code) => {
    expect(isDateFormat(code)).toBe(true);
  });

  it.each([
    'General',
    '0.00',
    '#,##0;[Red]-#,##0',
    '0.00 "days"',
    '"yyyy"0',
    '[Red][<=100]0;[Blue]0',
    '\\d0',
    '_(* #,##0_);_(* (#,##0);_(* "-"??_);_(@_)',
    '0.00E+00',
    '@',
  ])('%s is not a date format', (code) => {
    expect(isDateFormat(code)).toBe(false);
  });
});

describe('F8: _xHHHH_ escapes', () => {
  it('decodes every escape, keeps what only looks like one', () => {
    expect(decodeEscapes('a_x000D__x000A_b')).toBe('a\r\nb');
    expect(decodeEscapes('_x005F_x000D_')).toBe('_x000D_');
    expect(decodeEscapes('_xD83D__xDE00_')).toBe('\u{1F600}');
    expect(decodeEscapes('_x00zz_ _x12_ x000D_')).toBe('_x00zz_ _x12_ x000D_');
  });
});
