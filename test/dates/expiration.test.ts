import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expirationInstant } from '../../src/dates/index.js';
import { parseIsoInstant } from '../../src/dates/instant.js';
import { instantArb } from '../../src/testing/index.js';
import { codeOf } from '../support/arbitraries.js';
import { thrown } from '../support/thrown.js';

const iso = (date: string, zone?: string) => expirationInstant(date, zone).toISOString();

describe('R11: a date-only expiration date means access through the whole day in an explicit zone', () => {
  it.each([
    ['2026-12-31', 'UTC', '2027-01-01T00:00:00.000Z'],
    ['2026-12-31', 'America/New_York', '2027-01-01T05:00:00.000Z'],
    ['2026-06-30', 'America/New_York', '2026-07-01T04:00:00.000Z'],
    ['2026-06-30', 'Asia/Kolkata', '2026-06-30T18:30:00.000Z'],
    ['2026-06-30', 'Pacific/Kiritimati', '2026-06-30T10:00:00.000Z'],
    // DST days: the day of the change is 23 or 25 hours long, and the end is still local midnight.
    ['2026-03-07', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    ['2026-10-24', 'Europe/London', '2026-10-24T23:00:00.000Z'],
    ['2026-10-25', 'Europe/London', '2026-10-26T00:00:00.000Z'],
    ['2026-03-28', 'Europe/London', '2026-03-29T00:00:00.000Z'],
    ['2026-03-29', 'Europe/London', '2026-03-29T23:00:00.000Z'],
    // Lord Howe moves its clocks by half an hour.
    ['2026-10-03', 'Australia/Lord_Howe', '2026-10-03T13:30:00.000Z'],
    ['2026-10-04', 'Australia/Lord_Howe', '2026-10-04T13:00:00.000Z'],
    ['2026-04-04', 'Australia/Lord_Howe', '2026-04-04T13:00:00.000Z'],
    // Days without a local midnight: the next day starts at 01:00.
    ['2026-03-07', 'America/Havana', '2026-03-08T05:00:00.000Z'],
    ['2026-09-05', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
    // Leap days and year ends.
    ['2024-02-28', 'UTC', '2024-02-29T00:00:00.000Z'],
    ['2024-02-29', 'UTC', '2024-03-01T00:00:00.000Z'],
    ['2000-02-29', 'UTC', '2000-03-01T00:00:00.000Z'],
    ['9999-12-31', 'UTC', '+010000-01-01T00:00:00.000Z'],
    ['0001-01-01', 'UTC', '0001-01-02T00:00:00.000Z'],
    ['0099-12-31', 'UTC', '0100-01-01T00:00:00.000Z'],
  ])('R11: %s in %s ends at %s', (date, zone, expected) => {
    expect(iso(date, zone)).toBe(expected);
  });

  it('R11: the zone defaults to UTC', () => {
    expect(iso('2026-12-31')).toBe('2027-01-01T00:00:00.000Z');
  });

  it.each([
    '2026-02-30',
    '2026-02-29',
    '2100-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '',
    '20260105',
    '2026-1-5',
    '2026-01-05 ',
    ' 2026-01-05',
    'tomorrow',
    '2026-01-05T00:00:00Z',
    '2026/01/05',
    '+002026-01-05',
    '２０２６-01-05',
  ])('R11/C4: %j throws INVALID_DATE', (date) => {
    expect(codeOf(() => expirationInstant(date))).toBe('INVALID_DATE');
  });

  it('R11: a non-string date throws INVALID_DATE', () => {
    expect(codeOf(() => expirationInstant(20260105 as unknown as string))).toBe('INVALID_DATE');
  });

  it.each(['Mars/Olympus', '+05:30', 'GMT+5', '', 'Europe/', 'utc/../etc'])(
    'R11: %j is not an IANA zone: INVALID_TIME_ZONE',
    (zone) => {
      expect(codeOf(() => expirationInstant('2026-01-01', zone))).toBe('INVALID_TIME_ZONE');
    },
  );

  it('R11: a non-string zone throws INVALID_TIME_ZONE', () => {
    expect(codeOf(() => expirationInstant('2026-01-01', 5 as unknown as string))).toBe(
      'INVALID_TIME_ZONE',
    );
  });

  it('R11 property: the end is a local midnight-or-first-instant, 22 to 26 hours after the day began', () => {
    const zones = [
      'UTC',
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'America/Havana',
      'Asia/Kolkata',
    ];
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1971-01-01T00:00:00Z'),
          max: new Date('2199-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...zones),
        (day, zone) => {
          const date = day.toISOString().slice(0, 10);
          const previous = new Date(day.getTime() - 86_400_000).toISOString().slice(0, 10);
          const length =
            expirationInstant(date, zone).getTime() - expirationInstant(previous, zone).getTime();
          expect(length).toBeGreaterThanOrEqual(22 * 3_600_000);
          expect(length).toBeLessThanOrEqual(26 * 3_600_000);
          const local = new Intl.DateTimeFormat('en-CA', {
            timeZone: zone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
          }).format(new Date(expirationInstant(date, zone).getTime() - 1));
          expect(local).toBe(date);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ISO instants (used by parseUser and CSV cells)', () => {
  it('accepts every string toISOString produces, expanded years included', () => {
    fc.assert(
      fc.property(instantArb(), (date) => {
        expect(parseIsoInstant(date.toISOString())).toBe(date.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['2026-12-31T17:00:00Z', '2026-12-31T17:00:00.000Z'],
    ['2026-12-31T17:00Z', '2026-12-31T17:00:00.000Z'],
    ['2026-12-31T17:00:00+05:30', '2026-12-31T11:30:00.000Z'],
    ['2026-12-31T17:00:00-08:00', '2027-01-01T01:00:00.000Z'],
    ['2026-12-31t17:00:00z', '2026-12-31T17:00:00.000Z'],
    ['2026-12-31T17:00:00.1234567Z', '2026-12-31T17:00:00.123Z'],
    ['0050-01-01T00:00:00Z', '0050-01-01T00:00:00.000Z'],
    ['-271821-04-20T00:00:00.000Z', '-271821-04-20T00:00:00.000Z'],
  ])('%s is %s', (text, expected) => {
    expect(new Date(parseIsoInstant(text)).toISOString()).toBe(expected);
  });

  it.each([
    '2026-12-31T17:00:00',
    '2026-12-31',
    '2026-02-30T00:00:00Z',
    '2026-12-31T24:00:00Z',
    '2026-12-31T23:59:60Z',
    '2026-12-31T23:60:00Z',
    '2026-12-31T17:00:00+24:00',
    '2026-12-31T17:00:00+05:60',
    '2026-12-31T17:00:00+0530',
    '2026-12-31 17:00:00Z',
    '-000000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '-271821-04-19T23:59:59.999Z',
    '46085',
    'Tue, 01 Dec 2026 00:00:00 GMT',
  ])('%j is refused', (text) => {
    expect(Number.isNaN(parseIsoInstant(text))).toBe(true);
  });
});

describe('expirationInstant refuses what is not a date and a zone, saying which (R11)', () => {
  it.each([
    ['an offset', '+05:30', '"+05:30"'],
    ['an unknown zone', 'Mars/Olympus', '"Mars/Olympus"'],
    ['a zone in a list', ['UTC'], '["UTC"]'],
    ['a number', 5, '5'],
  ])('INVALID_TIME_ZONE for %s', (_name, zone, shown) => {
    expect(thrown(() => expirationInstant('2026-12-31', zone as never))).toEqual({
      code: 'INVALID_TIME_ZONE',
      field: 'timeZone',
      line: undefined,
      message: `\`timeZone\` must be an IANA time zone name such as 'UTC' or 'Europe/London', but it is ${shown}.`,
    });
  });

  it.each([
    ['a day that does not exist', '2026-02-30', '"2026-02-30"'],
    ['a date in a list', ['2026-12-31'], '["2026-12-31"]'],
    ['a number', 20261231, '20261231'],
  ])('INVALID_DATE for %s', (_name, date, shown) => {
    expect(thrown(() => expirationInstant(date as never))).toEqual({
      code: 'INVALID_DATE',
      field: 'date',
      line: undefined,
      message: `The expiration date must be a real calendar date written YYYY-MM-DD (such as '2026-12-31'), but it is ${shown}.`,
    });
  });
});
