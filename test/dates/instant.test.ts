import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarDateUtc,
  MAX_INSTANT_MS,
  parseIsoInstant,
  requireInstant,
  timeOf,
} from '../../src/dates/instant.js';
import { LearnerStatusError } from '../../src/index.js';
import { thrown } from '../support/thrown.js';

// The instant helpers every rule reads dates through: R3/R4 compare `now` with `expiresAt`
// by these milliseconds, R12 refuses what they cannot read, C5 parses cells with them.

describe('timeOf: the milliseconds of a real Date, NaN for anything else (R12)', () => {
  it('reads a valid Date, the epoch and the ends of the Date range included', () => {
    expect(timeOf(new Date(1_767_225_600_000))).toBe(1_767_225_600_000);
    expect(timeOf(new Date(0))).toBe(0);
    expect(timeOf(new Date(MAX_INSTANT_MS))).toBe(MAX_INSTANT_MS);
    expect(timeOf(new Date(-MAX_INSTANT_MS))).toBe(-MAX_INSTANT_MS);
  });

  it.each([
    ['an Invalid Date', new Date(Number.NaN)],
    ['a number', 0],
    ['an ISO string', '2026-01-01T00:00:00.000Z'],
    ['null', null],
    ['undefined', undefined],
    ['a plain object with getTime', { getTime: () => 0 }],
    ['an object whose prototype is Date.prototype', Object.create(Date.prototype)],
  ])('is NaN for %s', (_, value) => {
    expect(timeOf(value)).toBeNaN();
  });

  it('reads the date a subclass holds, not what its own getTime says', () => {
    class Lying extends Date {
      override getTime(): number {
        return 0;
      }
    }
    expect(timeOf(new Lying(86_400_000))).toBe(86_400_000);
  });

  it('refuses a Date from another realm (fail closed)', () => {
    const foreign: unknown = runInNewContext('new Date(86400000)');
    expect(Date.prototype.getTime.call(foreign as Date)).toBe(86_400_000);
    expect(timeOf(foreign)).toBeNaN();
  });
});

describe('requireInstant: milliseconds or INVALID_DATE naming the field', () => {
  it('passes the milliseconds of a valid Date through', () => {
    expect(requireInstant(new Date(42), 'now')).toBe(42);
  });

  it.each([[new Date(Number.NaN)], ['2026-01-01'], [null]])(
    'throws INVALID_DATE for %s, naming the field and what it must be',
    (value) => {
      expect(() => requireInstant(value, 'lastSentAt')).toThrow(LearnerStatusError);
      expect(thrown(() => requireInstant(value, 'lastSentAt'))).toEqual({
        code: 'INVALID_DATE',
        message: '`lastSentAt` must be a valid Date.',
        field: 'lastSentAt',
        line: undefined,
      });
    },
  );
});

describe('parseIsoInstant: exact ISO-8601 instants with an offset, nothing guessed (C5, R11)', () => {
  it.each([
    ['2026-03-01T12:34:56.789Z', Date.UTC(2026, 2, 1, 12, 34, 56, 789)],
    ['2026-03-01t12:34:56.789z', Date.UTC(2026, 2, 1, 12, 34, 56, 789)],
    ['2026-03-01T12:34Z', Date.UTC(2026, 2, 1, 12, 34)],
    ['2026-03-01T12:34:56Z', Date.UTC(2026, 2, 1, 12, 34, 56)],
    ['2026-03-01T12:34:56.7Z', Date.UTC(2026, 2, 1, 12, 34, 56, 700)],
    ['2026-03-01T12:34:56.123456789Z', Date.UTC(2026, 2, 1, 12, 34, 56, 123)],
    ['2026-03-01T12:00:00+00:59', Date.UTC(2026, 2, 1, 11, 1)],
    ['2026-03-01T12:00:00+23:00', Date.UTC(2026, 2, 0, 13)],
    ['2026-03-01T12:00:00-23:59', Date.UTC(2026, 2, 2, 11, 59)],
    ['2026-03-01T12:00:00+05:30', Date.UTC(2026, 2, 1, 6, 30)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0001-01-01T00:00:00Z', -62_135_596_800_000],
    ['+275760-09-13T00:00:00.000Z', MAX_INSTANT_MS],
    ['-271821-04-20T00:00:00.000Z', -MAX_INSTANT_MS],
  ])('%s', (text, ms) => {
    expect(parseIsoInstant(text)).toBe(ms);
  });

  it.each([
    ['no offset', '2026-03-01T12:00:00'],
    ['text before the instant', 'x2026-03-01T12:00:00Z'],
    ['text after the instant', '2026-03-01T12:00:00Zjunk'],
    ['a line break after it', '2026-03-01T12:00:00Z\n'],
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February of a common year', '2026-02-29T00:00:00Z'],
    ['31 April', '2026-04-31T00:00:00Z'],
    ['month 13', '2026-13-05T00:00:00Z'],
    ['month 00', '2026-00-05T00:00:00Z'],
    ['day 00', '2026-03-00T00:00:00Z'],
    ['24:00', '2026-03-01T24:00:00Z'],
    ['minute 60', '2026-03-01T12:60:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['an offset of 24 hours', '2026-03-01T12:00:00+24:00'],
    ['an offset minute of 60', '2026-03-01T12:00:00+05:60'],
    ['an offset without a colon', '2026-03-01T12:00:00+0530'],
    ['a negative zero year', '-000000-01-01T00:00:00Z'],
    ['beyond the Date range', '+275760-09-13T00:00:00.001Z'],
    ['before the Date range', '-271821-04-19T23:59:59.999Z'],
    ['a date only', '2026-03-01'],
    ['a space for T', '2026-03-01 12:00:00Z'],
  ])('is NaN for %s', (_, text) => {
    expect(parseIsoInstant(text)).toBeNaN();
  });

  it('reads back every instant toISOString writes (round trip)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_INSTANT_MS, max: MAX_INSTANT_MS }), (ms) => {
        expect(parseIsoInstant(new Date(ms).toISOString())).toBe(ms);
      }),
    );
  });
});

describe('calendarDateUtc: a proleptic Gregorian date that exists, or undefined', () => {
  it.each([
    [2026, 1, 1, Date.UTC(2026, 0, 1)],
    [2026, 12, 31, Date.UTC(2026, 11, 31)],
    [2024, 2, 29, Date.UTC(2024, 1, 29)],
    [2000, 2, 29, Date.UTC(2000, 1, 29)],
  ])('%i-%i-%i', (year, month, day, ms) => {
    expect(calendarDateUtc(year, month, day)).toBe(ms);
  });

  it('keeps years 0-99 as they are (Date.UTC would move them to the 1900s)', () => {
    const date = new Date(calendarDateUtc(99, 12, 31) as number);
    expect([date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()]).toEqual([99, 11, 31]);
  });

  it.each([
    ['month 0', 2026, 0, 5],
    ['month 13, whose day would exist in January', 2026, 13, 5],
    ['day 0', 2026, 3, 0],
    ['day 32', 2026, 1, 32],
    ['31 June', 2026, 6, 31],
    ['29 February 1900 (not a leap year)', 1900, 2, 29],
    ['day 366 of a common year, which lands on 1 January again', 2026, 1, 366],
  ])('is undefined for %s', (_, year, month, day) => {
    expect(calendarDateUtc(year, month, day)).toBeUndefined();
  });
});
