import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvRowResult, loadCsvDates, parseCsvRow } from '../../src/csv/index.js';
import { expirationInstant } from '../../src/dates/expiration.js';
import { thrown } from '../support/thrown.js';

// parseCsvRow with `dateFormats` needs date-fns loaded (C4).
await loadCsvDates();

const row = (
  active: string | undefined,
  expiration?: string,
  options?: Parameters<typeof parseCsvRow>[1],
): CsvRowResult =>
  parseCsvRow({ Email: 'ada@example.org', Active: active, 'Expiration Date': expiration }, options);

function codes(result: CsvRowResult): string[] {
  return result.issues.map((issue) => issue.code);
}

function update(result: CsvRowResult) {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.update;
}

describe('parseCsvRow: the Active column (C3)', () => {
  it.each([
    ['Yes', 'active'],
    ['yes', 'active'],
    ['YES', 'active'],
    ['  yEs\t', 'active'],
    ['\u00a0Yes\u00a0', 'active'],
    ['No', 'deactivated'],
    ['no', 'deactivated'],
    [' NO ', 'deactivated'],
    ['nO', 'deactivated'],
  ])('C3: %j means %s', (value, status) => {
    expect(update(row(value))).toEqual({ userId: 'ada@example.org', status });
  });

  it('C3, C5: blank leaves the status unchanged; a row that changes nothing is ok with NO_CHANGE', () => {
    const result = row('   ', '');
    expect(update(result)).toEqual({ userId: 'ada@example.org' });
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'NO_CHANGE', severity: 'warning' }),
    ]);
    const single = parseCsvRow({ Email: 'a', Active: undefined });
    expect(codes(single)).toEqual(['NO_CHANGE']);
    expect(single.issues[0]?.message).toMatch(/^Column 'Active' is blank/);
  });

  it.each(['Expired', 'expired', ' EXPIRED '])(
    'C3, R6: %j is EXPIRED_NOT_SELECTABLE and says to change the date',
    (value) => {
      const result = row(value);
      expect(result.ok).toBe(false);
      expect(result.issues[0]).toMatchObject({
        code: 'EXPIRED_NOT_SELECTABLE',
        severity: 'error',
        column: 'Active',
        value,
      });
      expect(result.issues[0]?.message).toContain('expiration date');
    },
  );

  it.each([
    'TRUE',
    'true',
    'false',
    '1',
    '0',
    'Y',
    'n',
    'Inactive',
    'Active',
    'yess',
    'N/A',
    '"Yes"',
    "'No'",
  ])('C3: %j is INVALID_ACTIVE_VALUE naming the accepted values (no truthiness)', (value) => {
    const result = row(value);
    expect(codes(result)).toEqual(['INVALID_ACTIVE_VALUE']);
    expect(result.issues[0]?.message).toContain('Yes, No');
  });

  it.each([
    ['Cyrillic е', 'Yеs', 'U+0435'],
    ['Cyrillic о', 'Nо', 'U+043E'],
    ['full-width', 'Ｙｅｓ', 'U+FF39'],
    ['curly quotes', '“Yes”', 'U+201C'],
    ['Greek Ν', 'Νo', 'U+039D'],
    ['Cyrillic in Expired', 'Ехpired', 'U+0415'],
  ])('C9: a look-alike (%s) is LOOKALIKE_CHARACTER with a hint', (_name, value, codePoint) => {
    const result = row(value);
    expect(codes(result)).toEqual(['LOOKALIKE_CHARACTER']);
    expect(result.issues[0]?.message).toContain(codePoint);
  });

  it.each([
    ['NUL', 'Y\u0000es'],
    ['zero-width space', 'Yes\u200b'],
    ['inner tab', 'Y\tes'],
    ['line break', 'Ye\ns'],
    ['BOM inside', 'N\ufeffo'],
  ])('C9: a control character (%s) is CONTROL_CHARACTER, shown escaped', (_name, value) => {
    const result = row(value);
    expect(codes(result)).toEqual(['CONTROL_CHARACTER']);
    expect(result.issues[0]?.message).toMatch(/U\+[0-9A-F]{4}/);
  });

  it('C3: other non-ASCII text is INVALID_ACTIVE_VALUE', () => {
    expect(codes(row('Sí'))).toEqual(['INVALID_ACTIVE_VALUE']);
    expect(codes(row('Ｍａｙｂｅ'))).toEqual(['INVALID_ACTIVE_VALUE']);
  });

  it('C3: extra tokens only when the caller opts in, matched in ASCII case', () => {
    const options = { activeValues: { yes: ['TRUE', 'Ja'], no: ['FALSE', 'Sí'] } };
    expect(update(row(' true ', undefined, options)).status).toBe('active');
    expect(update(row('JA', undefined, options)).status).toBe('active');
    expect(update(row('false', undefined, options)).status).toBe('deactivated');
    expect(update(row('Sí', undefined, options)).status).toBe('deactivated');
    expect(update(row('Yes', undefined, options)).status).toBe('active');
    expect(codes(row('1', undefined, options))).toEqual(['INVALID_ACTIVE_VALUE']);
    expect(row('1', undefined, options).issues[0]?.message).toContain("'true'");
    expect(update(row(' sí ', undefined, { activeValues: { yes: ['Sí'] } })).status).toBe('active');
  });

  it('C3: the Kelvin sign or dotted capital I never lowers into a keyword (no Unicode case folding)', () => {
    expect(codes(row('\u212aes'))).not.toEqual([]);
    expect(row('\u212aes').ok).toBe(false);
    expect(row('İnactive').ok).toBe(false);
  });

  it('C3: property: a value is accepted exactly when it is yes, no or blank in ASCII case after trim', () => {
    const token = fc.oneof(
      fc.constantFrom('yes', 'no', 'Yes', 'NO', 'expired', 'true', 'y', '', 'yés', 'ye s'),
      fc.string({ maxLength: 6 }),
    );
    const pad = fc.constantFrom('', ' ', '\t', '\u00a0', '  ');
    fc.assert(
      fc.property(pad, token, pad, (left, value, right) => {
        const result = row(left + value + right);
        const normal = (left + value + right).trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
        expect(result.ok).toBe(normal === 'yes' || normal === 'no' || normal === '');
        if (result.ok && normal !== '')
          expect(result.update.status).toBe(normal === 'yes' ? 'active' : 'deactivated');
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseCsvRow: the expiration column (C4, R11)', () => {
  it('R11: YYYY-MM-DD is the start of the next day in the configured zone (UTC by default)', () => {
    expect(update(row('', '2026-12-31')).expiresAt).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(update(row('', '2026-12-31', { timeZone: 'America/New_York' })).expiresAt).toEqual(
      new Date('2027-01-01T05:00:00Z'),
    );
    expect(update(row('', '2028-02-29', { timeZone: 'Europe/Berlin' })).expiresAt).toEqual(
      new Date('2028-02-29T23:00:00Z'),
    );
    // DST: 2026-03-29 is 23 hours long in Berlin; access ends at the start of 30 March, CEST.
    expect(update(row('', ' 2026-03-29 ', { timeZone: 'Europe/Berlin' })).expiresAt).toEqual(
      new Date('2026-03-29T22:00:00Z'),
    );
    expect(codes(row('', '2026-02-29', { timeZone: 'Europe/Berlin' }))).toEqual(['INVALID_DATE']);
  });

  it('R11: property: date-only cells in UTC give exactly what expirationInstant gives', () => {
    const text = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(
        ([y, m, d]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      );
    fc.assert(
      fc.property(text, (date) => {
        let expected: Date | undefined;
        try {
          expected = expirationInstant(date, 'UTC');
        } catch {
          expected = undefined;
        }
        const result = row('', date);
        if (expected === undefined) expect(codes(result)).toEqual(['INVALID_DATE']);
        else expect(update(result).expiresAt).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('C4: Never in any ASCII case clears the date', () => {
    for (const value of ['Never', 'never', ' NEVER ', 'nEvEr'])
      expect(update(row('', value)).expiresAt).toBeNull();
  });

  it('C4: an ISO instant with Z or an offset is that instant', () => {
    expect(update(row('', '2026-12-31T17:00:00Z')).expiresAt).toEqual(
      new Date('2026-12-31T17:00:00Z'),
    );
    expect(update(row('', '2026-12-31T17:00:00.250+01:00')).expiresAt).toEqual(
      new Date('2026-12-31T16:00:00.250Z'),
    );
    expect(update(row('', '2026-12-31T17:00Z')).expiresAt).toEqual(
      new Date('2026-12-31T17:00:00Z'),
    );
  });

  it.each([
    ['an impossible date', '2026-02-30', 'not a real calendar date'],
    ['29 February of a common year', '2026-02-29', 'not a real calendar date'],
    ['month 13', '2026-13-01', 'not a real calendar date'],
    ['a date-time without offset', '2026-12-31T17:00:00', 'without a time zone offset'],
    ['a date-time with a space and no offset', '2026-12-31 17:00', 'without a time zone offset'],
    ['T24:00', '2026-12-31T24:00:00Z', 'not a real instant'],
    ['a leap second', '2026-12-31T23:59:60Z', 'not a real instant'],
    ['an Excel serial number', '46085', 'serial number'],
    ['a decimal serial', '46085.5', 'serial number'],
    ['3/4/2026 without a format', '3/4/2026', 'ambiguous'],
    [
      '31.12.2026 without a format',
      '31.12.2026',
      "reads only day first (31 is not a month), as 2026-12-31. Write 2026-12-31, or read this form with `dateFormats: ['dd.MM.yyyy']`",
    ],
    ['a word', 'tomorrow', 'not a date'],
    ['a compact date', '20261231', 'serial number'],
    ['a short year', '26-12-31', 'no four-digit year'],
    ['an RFC 2822 date', 'Thu, 31 Dec 2026 17:00:00 GMT', 'not a date'],
  ])('C4, C9: %s is INVALID_DATE with a fix', (_name, value, hint) => {
    const result = row('', value);
    expect(codes(result)).toEqual(['INVALID_DATE']);
    expect(result.issues[0]).toMatchObject({ column: 'Expiration Date', value });
    expect(result.issues[0]?.message).toContain(hint);
  });

  it('C9: look-alike and control characters in a date cell', () => {
    expect(codes(row('', 'Nеver'))).toEqual(['LOOKALIKE_CHARACTER']);
    expect(codes(row('', '2026-12-31\u200b'))).toEqual(['CONTROL_CHARACTER']);
    expect(codes(row('', '２０２６-12-31'))).toEqual(['INVALID_DATE']);
  });

  it('C4: caller formats are date-only, read by round trip, and follow R11 in the zone', () => {
    const options = { dateFormats: ['dd/MM/yyyy', 'd MMM yyyy'], timeZone: 'Europe/London' };
    expect(update(row('', '31/12/2026', options)).expiresAt).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(update(row('', '30/06/2026', options)).expiresAt).toEqual(
      new Date('2026-06-30T23:00:00Z'),
    );
    expect(update(row('', '5 Jan 2027', options)).expiresAt).toEqual(
      new Date('2027-01-06T00:00:00Z'),
    );
    expect(update(row('', '2026-12-31', options)).expiresAt).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    for (const bad of ['31/02/2026', '1/2/2026', '29/02/2026', '5 jan 2027']) {
      const result = row('', bad, options);
      expect(codes(result)).toEqual(['INVALID_DATE']);
      expect(result.issues[0]?.message).toContain('dd/MM/yyyy');
    }
    expect(update(row('', '01/01/0001', { dateFormats: ['dd/MM/yyyy'] })).expiresAt).toEqual(
      new Date('0001-01-02T00:00:00Z'),
    );
    expect(codes(row('', '01/01/0000', { dateFormats: ['dd/MM/yyyy'] }))).toEqual(['INVALID_DATE']);
  });

  it('C4: a caller format that reads a year past 9999 is refused, not wrapped', () => {
    expect(codes(row('', '10000-12-31', { dateFormats: ['yyyyy-MM-dd'] }))).toEqual([
      'INVALID_DATE',
    ]);
  });

  it('messages cut long values and show invisible characters', () => {
    const message = row('x'.repeat(100)).issues[0]?.message ?? '';
    expect(message).toContain(`'${'x'.repeat(60)}…'`);
    expect(row('Y\u0000es').issues[0]?.message).toContain("'Y\\u0000es'");
  });

  it('the date cache never changes an answer: the same text twice gives equal, separate Dates', () => {
    const values = { Email: 'a', 'Expiration Date': '2026-12-31' };
    const first = update(parseCsvRow(values)).expiresAt;
    const second = update(parseCsvRow(values)).expiresAt;
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
  });
});

describe('parseCsvRow: identifiers and the record (C2, C6, C9)', () => {
  it('C9: the id is trimmed and otherwise kept exactly (not a number, not lowered)', () => {
    expect(update(parseCsvRow({ 'User ID': ' 007 ', Active: 'Yes' })).userId).toBe('007');
    expect(update(parseCsvRow({ Email: 'Ada@Example.ORG', Active: 'Yes' })).userId).toBe(
      'Ada@Example.ORG',
    );
    expect(update(parseCsvRow({ Login: 'zoë', Active: 'Yes' })).userId).toBe('zoë');
  });

  it('C2: a blank id is MISSING_ID, never a user with an empty id', () => {
    const result = parseCsvRow({ Email: '  ', Active: 'Yes' });
    expect(codes(result)).toEqual(['MISSING_ID']);
    expect(codes(parseCsvRow({ Email: undefined, Active: 'Yes' }))).toEqual(['MISSING_ID']);
  });

  it('C9: a control character in the id is CONTROL_CHARACTER', () => {
    expect(codes(parseCsvRow({ Email: 'ada@\u0000example.org', Active: 'Yes' }))).toEqual([
      'CONTROL_CHARACTER',
    ]);
    expect(codes(parseCsvRow({ Email: 'ada\u200b@example.org', Active: 'Yes' }))).toEqual([
      'CONTROL_CHARACTER',
    ]);
    // Every Bidi_Control character, U+061C ARABIC LETTER MARK included (found by the fuzzer).
    for (const mark of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069']) {
      expect(codes(parseCsvRow({ Email: `ada${mark}@example.org`, Active: 'Yes' }))).toEqual([
        'CONTROL_CHARACTER',
      ]);
    }
  });

  it('C6: every problem of a row is reported, not just the first', () => {
    expect(codes(parseCsvRow({ Email: '', Active: 'TRUE', Expires: '2026-02-30' }))).toEqual([
      'MISSING_ID',
      'INVALID_ACTIVE_VALUE',
      'INVALID_DATE',
    ]);
  });

  it('C9: FIELD_TOO_LONG for any cell over maxFieldLength; the value shown is cut', () => {
    const result = parseCsvRow(
      { Email: 'a', Active: 'Yes', Notes: 'x'.repeat(300) },
      { maxFieldLength: 250 },
    );
    expect(codes(result)).toEqual(['FIELD_TOO_LONG']);
    expect(result.issues[0]?.column).toBe('Notes');
    expect(result.issues[0]?.value).toHaveLength(200);
  });

  it('keys match per C1; a header named like an Object.prototype member is just a column', () => {
    expect(
      update(parseCsvRow({ ' e-mail ': 'x', EMAIL: 'a', hasOwnProperty: 'x', ACTIVE: 'no' }))
        .status,
    ).toBe('deactivated');
    const values = Object.create(null) as Record<string, string>;
    values['toString'] = 'x';
    values['Email'] = 'a';
    values['Active'] = 'yes';
    expect(update(parseCsvRow(values)).status).toBe('active');
  });

  it('throws the file-level codes when the keys cannot be a header', () => {
    expect(() => parseCsvRow({ Name: 'a', Active: 'Yes' })).toThrow(
      expect.objectContaining({ code: 'MISSING_ID_COLUMN' }),
    );
    expect(() => parseCsvRow({ Email: 'a' })).toThrow(
      expect.objectContaining({ code: 'MISSING_CHANGE_COLUMN' }),
    );
    expect(() => parseCsvRow({ Email: 'a', Active: 'Yes', ' active': 'No' })).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_HEADER' }),
    );
    const values = Object.create(null) as Record<string, string>;
    Object.defineProperty(values, '__proto__', { value: 'x', enumerable: true });
    values['Email'] = 'a';
    values['Active'] = 'yes';
    expect(() => parseCsvRow(values)).toThrow(expect.objectContaining({ code: 'RESERVED_HEADER' }));
  });

  it('INVALID_INPUT for values that are not an object of strings; INVALID_OPTION for bad options', () => {
    for (const bad of [null, 'Email,Active', ['a'], 5]) {
      expect(() => parseCsvRow(bad as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
    expect(() => parseCsvRow({ Email: 'a', Active: 1 as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', field: 'Active' }),
    );
    expect(() => parseCsvRow({ Email: 'a', Active: 'Yes' }, { timezone: 'UTC' } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('parseCsvRow: exact results and messages (C3, C6, C9)', () => {
  const issue = (result: CsvRowResult) => {
    const [first] = result.issues;
    return first === undefined ? undefined : `${first.code}: ${first.message}`;
  };

  it.each([
    ['yez', 'INVALID_ACTIVE_VALUE'],
    ['yEz', 'INVALID_ACTIVE_VALUE'],
    ['nope', 'INVALID_ACTIVE_VALUE'],
    ['Now', 'INVALID_ACTIVE_VALUE'],
    ['ya', 'INVALID_ACTIVE_VALUE'],
  ])('C3: %j is neither Yes nor No', (active, code) => {
    expect(codes(parseCsvRow({ Email: 'ada@example.org', Active: active }))).toEqual([code]);
  });

  it('C9: checks the id for control characters wherever its column is', () => {
    expect(issue(parseCsvRow({ Active: 'Yes', Note: 'x', Email: 'ada\u200b@example.org' }))).toBe(
      "CONTROL_CHARACTER: Column 'Email' contains the control character U+200B in 'ada\\u200b@example.org', so it cannot match a user exactly. Remove it.",
    );
  });

  it('C2: a blank id says so', () => {
    expect(issue(parseCsvRow({ Email: '  ', Active: 'Yes' }))).toBe(
      "MISSING_ID: Column 'Email' is blank, so the row names no user. Fill it in, or delete the row if it is an empty spreadsheet row.",
    );
  });

  it('C6: NO_CHANGE names the blank change columns, one or two', () => {
    expect(issue(parseCsvRow({ Email: 'a', Expires: '' }))).toBe(
      "NO_CHANGE: Column 'Expires' is blank, so this row changes nothing. Fill it in, or delete the row.",
    );
    expect(issue(parseCsvRow({ Email: 'a', Active: '' }))).toBe(
      "NO_CHANGE: Column 'Active' is blank, so this row changes nothing. Fill it in, or delete the row.",
    );
    expect(issue(parseCsvRow({ Email: 'a', Active: '', Expires: '' }))).toBe(
      "NO_CHANGE: Columns 'Active' and 'Expires' are blank, so this row changes nothing. Fill in what should change, or delete the row.",
    );
  });

  it('an update has exactly the fields the row sets', () => {
    expect(parseCsvRow({ Email: 'a', Active: 'No', Expires: '' })).toStrictEqual({
      ok: true,
      update: { userId: 'a', status: 'deactivated' },
      issues: [],
    });
    expect(Object.keys(update(parseCsvRow({ Email: 'a', Active: '', Expires: 'Never' })))).toEqual([
      'userId',
      'expiresAt',
    ]);
  });

  it('FIELD_TOO_LONG: a cell of exactly maxFieldLength is read, one more is refused and nothing else is read', () => {
    const options = { maxFieldLength: 5 };
    expect(update(parseCsvRow({ Email: 'abcde', Active: 'Yes' }, options)).userId).toBe('abcde');
    const refused = parseCsvRow({ Email: 'abcdef', Active: 'TRUE' }, options);
    expect(refused.ok).toBe(false);
    expect(refused.issues.map((i) => `${i.code}: ${i.message}`)).toEqual([
      "FIELD_TOO_LONG: Column 'Email' is longer than 5 characters (option maxFieldLength). Shorten the value.",
    ]);
  });

  it('refuses values that are not an object of strings, saying what to pass', () => {
    expect(thrown(() => parseCsvRow(['a'] as never))).toEqual({
      code: 'INVALID_INPUT',
      message:
        'parseCsvRow needs an object of cells keyed by header, such as { Email: "ada@example.org", Active: "Yes" }.',
      field: 'values',
      line: undefined,
    });
    expect(thrown(() => parseCsvRow({ Email: 'a', Active: 1 } as never))).toEqual({
      code: 'INVALID_INPUT',
      message:
        "The cell 'Active' must be a string or undefined, but it is a number. Pass the raw text of the cell.",
      field: 'Active',
      line: undefined,
    });
  });
});

describe('parseCsvRow: what an issue holds, exactly (C3, C5)', () => {
  it('an issue about no column has no column or value keys at all', () => {
    const [issue] = row('').issues;
    expect(Object.keys(issue ?? {}).sort()).toEqual(['code', 'message', 'severity']);
  });

  it('quotes a value of up to 60 characters whole in the message, and cuts a longer one', () => {
    const message = (value: string) => row(value).issues[0]?.message ?? '';
    const sixty = 'x'.repeat(60);
    expect(message(sixty)).toContain(`'${sixty}'.`);
    expect(message(`${sixty}y`)).toContain(`'${sixty}…'.`);
  });

  it('keeps up to 200 characters of the value in the issue', () => {
    const long = `${'a'.repeat(199)}bc`;
    expect(row(long).issues[0]?.value).toBe(long.slice(0, 200));
    expect(row(long.slice(0, 200)).issues[0]?.value).toBe(long.slice(0, 200));
  });
});
