import { describe, expect, it } from 'vitest';
import { resolveHeaders } from '../../src/csv/headers.js';
import { resolveCsvOptions } from '../../src/csv/options.js';

const defaults = resolveCsvOptions(undefined);

function refused(
  names: string[],
  options = defaults,
): { code: string; line?: number; message: string } {
  try {
    resolveHeaders(names, options, 3);
  } catch (error) {
    return error as { code: string; line?: number; message: string };
  }
  throw new Error('expected a refusal');
}

describe('resolveHeaders (C1, C2, C5, C9)', () => {
  it('C1: matches headers trimmed (non-breaking spaces too) and ASCII case-insensitively', () => {
    const layout = resolveHeaders(
      ['\u00a0EMAIL ', 'First Name', ' active', 'Expiration  DATE'],
      defaults,
    );
    expect(layout).toMatchObject({ idIndex: 0, activeIndex: 2, expirationIndex: 3 });
  });

  it.each(['User ID', 'UserId', 'Username', 'Login', 'Email', 'Email Address'])(
    'C2: accepts %s as the id column',
    (name) => {
      expect(resolveHeaders([name, 'Active'], defaults).idIndex).toBe(0);
    },
  );

  it.each(['Expiration Date', 'Expiry Date', 'Expires'])(
    'C4: accepts %s as the expiration column',
    (name) => {
      expect(resolveHeaders(['Login', name], defaults)).toMatchObject({
        activeIndex: -1,
        expirationIndex: 1,
      });
    },
  );

  it('C2: the caller names its own id column, and the defaults then do not count', () => {
    const options = resolveCsvOptions({ idColumn: 'employee number' });
    expect(resolveHeaders(['Email', 'Employee Number', 'Active'], options).idIndex).toBe(1);
    expect(refused(['Email', 'Active'], options)).toMatchObject({
      code: 'MISSING_ID_COLUMN',
      line: 3,
    });
  });

  it('C2: MISSING_ID_COLUMN lists what was found and hints at look-alike letters', () => {
    const error = refused(['Nаme', 'Active']);
    expect(error.code).toBe('MISSING_ID_COLUMN');
    expect(error.message).toContain("'Nаme'");
    expect(refused(['Еmail', 'Active']).message).toContain('U+0415');
  });

  it('C2: AMBIGUOUS_ID_COLUMN when two columns could each be the key', () => {
    const error = refused(['Email', 'Username', 'Active']);
    expect(error).toMatchObject({ code: 'AMBIGUOUS_ID_COLUMN', line: 3 });
    expect(error.message).toContain('idColumn');
  });

  it('C5: MISSING_CHANGE_COLUMN when neither Active nor an expiration column is there', () => {
    expect(refused(['Email', 'Name'])).toMatchObject({ code: 'MISSING_CHANGE_COLUMN' });
    expect(refused(['Email', 'Аctive']).message).toContain('U+0410');
  });

  it('C9: DUPLICATE_HEADER after normalising, including blank names and two expiration columns', () => {
    expect(refused(['Email', 'Active', ' ACTIVE '])).toMatchObject({ code: 'DUPLICATE_HEADER' });
    expect(refused(['Email', 'Active', '', ' '])).toMatchObject({ code: 'DUPLICATE_HEADER' });
    expect(refused(['Email', 'Expires', 'Expiry Date'])).toMatchObject({
      code: 'DUPLICATE_HEADER',
    });
  });

  it.each(['__proto__', ' constructor', 'PROTOTYPE'])('C9: RESERVED_HEADER for %s', (name) => {
    expect(refused(['Email', 'Active', name])).toMatchObject({ code: 'RESERVED_HEADER' });
  });

  it('a header row without a line (parseCsvRow) gives messages without a line', () => {
    try {
      resolveHeaders(['Email'], defaults);
    } catch (error) {
      expect((error as { line?: number }).line).toBeUndefined();
      expect((error as Error).message).not.toMatch(/^Line/);
    }
  });

  it('a single blank header column is allowed (a trailing comma)', () => {
    expect(resolveHeaders(['Email', 'Active', ''], defaults).names).toEqual([
      'Email',
      'Active',
      '',
    ]);
  });
});
