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
    ['a pattern date-fns refuses', { dateFormats: ['dd/MM/yyyy d'] }, 'dateFormats'],
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
