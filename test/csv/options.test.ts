import { describe, expect, it } from 'vitest';
import { CSV_LIMITS, resolveCsvOptions } from '../../src/csv/options.js';

function refused(options: unknown): { code: string; field?: string; message: string } {
  try {
    resolveCsvOptions(options);
  } catch (error) {
    return error as { code: string; field?: string; message: string };
  }
  throw new Error('expected INVALID_OPTION');
}

describe('resolveCsvOptions: every option is checked when called', () => {
  it('has documented defaults', () => {
    const resolved = resolveCsvOptions(undefined);
    expect(resolved).toMatchObject({
      idColumn: undefined,
      timeZone: 'UTC',
      dateFormats: [],
      ...CSV_LIMITS,
    });
    expect([...resolved.yes]).toEqual(['yes']);
    expect([...resolved.no]).toEqual(['no']);
    expect(resolved.activeList).toBe('Yes, No');
  });

  it.each([
    ['null', null, 'options'],
    ['an array', [], 'options'],
    ['a misspelled key', { timezone: 'UTC' }, 'timezone'],
    ['a blank idColumn', { idColumn: ' ' }, 'idColumn'],
    ['a non-string idColumn', { idColumn: 7 }, 'idColumn'],
    ['idColumn naming a change column', { idColumn: 'Active' }, 'idColumn'],
    ['idColumn __proto__', { idColumn: '__proto__' }, 'idColumn'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['an offset for a zone', { timeZone: '+05:30' }, 'timeZone'],
    ['dateFormats not an array', { dateFormats: 'dd/MM/yyyy' }, 'dateFormats'],
    ['a time in dateFormats', { dateFormats: ['yyyy-MM-dd HH:mm'] }, 'dateFormats'],
    ['an offset in dateFormats', { dateFormats: ['yyyy-MM-ddXXX'] }, 'dateFormats'],
    ['week years in dateFormats', { dateFormats: ['YYYY-MM-dd'] }, 'dateFormats'],
    ['no day in dateFormats', { dateFormats: ['MM/yyyy'] }, 'dateFormats'],
    ['a blank dateFormat', { dateFormats: [''] }, 'dateFormats'],
    ['activeValues not an object', { activeValues: ['TRUE'] }, 'activeValues'],
    ['an unknown activeValues key', { activeValues: { maybe: ['?'] } }, 'activeValues.maybe'],
    ['activeValues.yes not an array', { activeValues: { yes: 'TRUE' } }, 'activeValues.yes'],
    ['a blank token', { activeValues: { yes: [' '] } }, 'activeValues.yes'],
    ['a token with a control character', { activeValues: { no: ['N\u0000'] } }, 'activeValues.no'],
    ['Expired as a token (R6)', { activeValues: { no: ['EXPIRED'] } }, 'activeValues.no'],
    ['a token meaning yes and no', { activeValues: { yes: ['x'], no: ['X'] } }, 'activeValues'],
    ['No as a yes token', { activeValues: { yes: ['no'] } }, 'activeValues'],
    ['a zero limit', { maxRows: 0 }, 'maxRows'],
    ['a fractional limit', { maxBytes: 1.5 }, 'maxBytes'],
    ['a string limit', { maxFieldLength: '100' }, 'maxFieldLength'],
  ])('INVALID_OPTION for %s', (_name, options, field) => {
    const error = refused(options);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.field).toBe(field);
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('keeps the time zone error as the cause', () => {
    expect(
      (refused({ timeZone: 'Nowhere' }) as unknown as { cause: { code: string } }).cause.code,
    ).toBe('INVALID_TIME_ZONE');
  });

  it('accepts valid values, undefined meaning the default', () => {
    const resolved = resolveCsvOptions({
      idColumn: ' Employee  Number ',
      timeZone: 'Europe/Berlin',
      dateFormats: ['dd.MM.yyyy', 'd MMM yyyy', 'EEE, d MMM yyyy', "'on' dd/MM/yyyy"],
      activeValues: { yes: [' TRUE '], no: ['false'] },
      maxBytes: Number.POSITIVE_INFINITY,
      maxRows: 10,
      maxFieldLength: undefined,
    });
    expect(resolved.idColumn).toBe('employee number');
    expect(resolved.activeList).toBe("Yes, No, 'true', 'false'");
    expect(resolved.maxFieldLength).toBe(CSV_LIMITS.maxFieldLength);
  });
});

describe('resolveCsvOptions: exact limits, names and messages (C3, C4, C9)', () => {
  it('CSV_LIMITS are the documented limits, frozen', () => {
    expect(CSV_LIMITS).toEqual({
      maxBytes: 268_435_456,
      maxRows: 2_000_000,
      maxFieldLength: 10_000,
    });
    expect(Object.isFrozen(CSV_LIMITS)).toBe(true);
  });

  it('names every option in the message for an unknown one, and has no cause', () => {
    const error = refused({ timezone: 'UTC' });
    expect(error.message).toBe(
      'Unknown option `timezone`. Did you mean `timeZone`? The CSV options are: idColumn, timeZone, dateFormats, activeValues, maxBytes, maxRows, maxFieldLength, delimiter, encoding, onHeader.',
    );
    expect('cause' in error).toBe(false);
  });

  it('refuses text where an object is expected, as the object it should be', () => {
    expect(refused('UTC')).toMatchObject({
      field: 'options',
      message: 'The options must be an object such as { timeZone: "UTC" }, or left out.',
    });
    expect(refused({ activeValues: 'TRUE' })).toMatchObject({
      field: 'activeValues',
      message: "Option `activeValues` must be an object such as { yes: ['TRUE'], no: ['FALSE'] }.",
    });
  });

  it.each([
    'Active',
    'Expiration Date',
    'expiry date',
    ' EXPIRES ',
    '__proto__',
    'constructor',
    'prototype',
  ])('refuses idColumn %j: a change column or a reserved name', (header) => {
    expect(refused({ idColumn: header })).toMatchObject({
      code: 'INVALID_OPTION',
      field: 'idColumn',
      message: `Option \`idColumn\` cannot be ${JSON.stringify(header)}: that header is reserved for a change column or is not allowed.`,
    });
  });

  it('accepts a limit of 1 and Infinity; refuses 0, fractions, text and NaN', () => {
    expect(resolveCsvOptions({ maxRows: 1, maxBytes: Number.POSITIVE_INFINITY })).toMatchObject({
      maxRows: 1,
      maxBytes: Number.POSITIVE_INFINITY,
    });
    for (const value of [0, 0.5, '5', Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(refused({ maxRows: value })).toMatchObject({
        field: 'maxRows',
        message: `Option \`maxRows\` must be a positive whole number (or Infinity for no limit), but it is ${String(value)}.`,
      });
    }
  });

  it('refuses tokens that are not text, naming them; trims tokens before checking them', () => {
    expect(refused({ activeValues: { yes: [5] } })).toMatchObject({
      field: 'activeValues.yes',
      message:
        'Option `activeValues.yes` must hold non-blank strings without control characters, but it holds 5.',
    });
    // A tab around a token is white space, trimmed like the cells it is compared with.
    expect([...resolveCsvOptions({ activeValues: { yes: ['\tTRUE\t'] } }).yes]).toEqual([
      'yes',
      'true',
    ]);
  });
});

describe('resolveCsvOptions: the time zone and date format messages (R11, C4)', () => {
  it('keeps the time zone check as the cause, naming the option', () => {
    const error = refused({ timeZone: 'Nowhere' }) as unknown as { cause: unknown };
    expect(error.cause).toMatchObject({ code: 'INVALID_TIME_ZONE', field: 'timeZone' });
  });

  it('says dateFormats must be a list when it is one pattern', () => {
    expect(refused({ dateFormats: 'dd/MM/yyyy' })).toMatchObject({
      field: 'dateFormats',
      message: 'Option `dateFormats` must be an array of date-fns patterns such as ["dd/MM/yyyy"].',
    });
  });
});
