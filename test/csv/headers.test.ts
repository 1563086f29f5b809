import { describe, expect, it } from 'vitest';
import { resolveHeaders } from '../../src/csv/headers.js';
import { parseCsvRow } from '../../src/csv/index.js';
import { resolveCsvOptions } from '../../src/csv/options.js';
import { thrown } from '../support/thrown.js';

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

  it('C9: DUPLICATE_HEADER after normalising, and for two expiration columns', () => {
    expect(refused(['Email', 'Active', ' ACTIVE '])).toMatchObject({ code: 'DUPLICATE_HEADER' });
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

  it('F1: several blank header cells are unnamed columns, not DUPLICATE_HEADER, and never read', () => {
    const layout = resolveHeaders(['', 'Email', ' ', 'Active', '\u00a0', ''], defaults);
    expect(layout).toMatchObject({ idIndex: 1, activeIndex: 3, unnamed: [0, 2, 4, 5] });
  });

  it('F1: a header of blank cells only names no column', () => {
    expect(refused(['', ' '])).toMatchObject({
      code: 'MISSING_ID_COLUMN',
      message: expect.stringContaining('found no named column'),
    });
  });
});

describe('C9: a header that only looks like a known one (LOOKALIKE_HEADER)', () => {
  function lookalike(names: string[], options = defaults) {
    try {
      resolveHeaders(names, options, 3);
    } catch (error) {
      return error as { code: string; line?: number; field?: string; message: string };
    }
    throw new Error('expected a refusal');
  }

  it.each([
    ['a Cyrillic А in Active', '\u0410ctive', 'U+0410'],
    ['a Turkish İ in ACTIVE', 'ACT\u0130VE', 'U+0130'],
    ['a dotless ı in Active', 'Act\u0131ve', 'U+0131'],
    ['a full-width Ａ in Active', '\uff21ctive', 'U+FF21'],
    ['a zero-width space after Active', 'Active\u200b', 'U+200B'],
    ['a soft hyphen inside Expires', 'Ex\u00adpires', 'U+00AD'],
  ])('%s, next to the columns the file needs, refuses the file', (_, header, codePoint) => {
    const error = lookalike(['Email', 'Expiration Date', header]);
    expect(error).toMatchObject({ code: 'LOOKALIKE_HEADER', line: 3, field: header });
    expect(error.message).toContain(`Line 3: the header '${header.trim()}'`);
    expect(error.message).toContain(codePoint);
  });

  it('a look-alike of the idColumn option is refused too, and only when that option is set', () => {
    const names = ['Login', 'L\u043egin', 'Active'];
    expect(lookalike(names, resolveCsvOptions({ idColumn: 'login' }))).toMatchObject({
      code: 'LOOKALIKE_HEADER',
      field: 'L\u043egin',
    });
    const custom = ['Badge', 'B\u0430dge', 'Active'];
    expect(lookalike(custom, resolveCsvOptions({ idColumn: 'badge' }))).toMatchObject({
      code: 'LOOKALIKE_HEADER',
      field: 'B\u0430dge',
    });
    expect(resolveHeaders(['Email', 'B\u0430dge', 'Active'], defaults)).toMatchObject({
      idIndex: 0,
      activeIndex: 2,
    });
  });

  it('known headers with spaces or in another case, and other non-ASCII names, are read', () => {
    expect(
      resolveHeaders(
        [' Email ', 'Prénom', 'Nachname (Straße)', 'ACTIVE', '\u00a0Expires'],
        defaults,
      ),
    ).toMatchObject({ idIndex: 0, activeIndex: 3, expirationIndex: 4 });
    // An invisible character in a header that is not a known name is not this file's concern.
    expect(resolveHeaders(['Email', 'Notes\u200b', 'Active'], defaults)).toMatchObject({
      activeIndex: 2,
    });
  });

  it('without the columns it needs, the file is refused for that, with the look-alike named', () => {
    const error = lookalike(['Email', 'Act\u0131ve']);
    expect(error.code).toBe('MISSING_CHANGE_COLUMN');
    expect(error.message).toContain('U+0131');
  });
});

describe('C9: where the control and invisible characters of an id begin and end', () => {
  it.each([
    [0x1f, false],
    [0x20, true],
    [0x7e, true],
    [0x7f, false],
    [0x9f, false],
    [0xa1, true],
    [0x200a, true],
    [0x200b, false],
    [0x200f, false],
    [0x2010, true],
    [0x2027, true],
    [0x2028, false],
    [0x202e, false],
    [0x202f, true],
    [0x205f, true],
    [0x2060, false],
    [0x206f, false],
    [0x2070, true],
    [0xfeff, false],
    [0xfefe, true],
  ])('code point %i inside an id: accepted %s', (code, accepted) => {
    const id = `ada${String.fromCharCode(code)}x@example.org`;
    const result = parseCsvRow({ Email: id, Active: 'Yes' });
    expect(result.ok ? [] : result.issues.map((issue) => issue.code)).toEqual(
      accepted ? [] : ['CONTROL_CHARACTER'],
    );
  });
});

describe('header errors say exactly what is wrong, with the header as written (trimmed)', () => {
  const error = (names: string[], options = defaults, line: number | 'none' = 3) =>
    thrown(() => resolveHeaders(names, options, line === 'none' ? undefined : line));

  it.each([
    [
      'RESERVED_HEADER',
      ['Email', ' __proto__ ', 'Active'],
      "Line 3: the header '__proto__' is not allowed (it could tamper with objects built from the rows). Rename the column.",
      ' __proto__ ',
    ],
    [
      'DUPLICATE_HEADER',
      ['Email', ' Active', 'ACTIVE ', 'x'],
      "Line 3: the headers 'Active' and 'ACTIVE' name the same column. Keep one of them.",
      'ACTIVE ',
    ],
    [
      'DUPLICATE_HEADER',
      ['Email', ' Expires', 'Expiry Date '],
      "Line 3: the headers 'Expires' and 'Expiry Date' both name the expiration date. Keep one of them.",
      'Expiry Date ',
    ],
    [
      'MISSING_ID_COLUMN',
      [' Name ', 'Active'],
      "Line 3: no column names the user: expected one of User ID, UserId, Username, Login, Email, Email Address, found 'Name', 'Active'. Rename the column or set the option idColumn.",
      undefined,
    ],
    [
      'MISSING_ID_COLUMN',
      [' \u0415mail ', 'Active'],
      "Line 3: no column names the user: expected one of User ID, UserId, Username, Login, Email, Email Address, found '\u0415mail', 'Active'. Header '\u0415mail' looks right but '\u0415' (U+0415) is a character that only looks like a Latin letter; retype the value in plain ASCII. Rename the column or set the option idColumn.",
      undefined,
    ],
    [
      'AMBIGUOUS_ID_COLUMN',
      [' Email ', 'Login ', 'Active'],
      "Line 3: the columns 'Email' and 'Login' could each name the user. Set the option idColumn to the one that identifies users, or remove the others.",
      undefined,
    ],
    [
      'MISSING_CHANGE_COLUMN',
      ['Email', ' Activ\u200be '],
      "Line 3: the file changes nothing: it needs a column 'Active' (Yes/No) or 'Expiration Date' (also 'Expiry Date', 'Expires'), found 'Email', 'Activ\u200be'. Header 'Activ\u200be' looks right but it holds U+200B, an invisible character; retype the header.",
      undefined,
    ],
    [
      'LOOKALIKE_HEADER',
      ['Email', 'Active', ' Expir\u0430tion Date '],
      "Line 3: the header 'Expir\u0430tion Date' looks like a column this file can use, but '\u0430' (U+0430) is a character that only looks like a Latin letter; retype the value in plain ASCII.",
      ' Expir\u0430tion Date ',
    ],
  ])('%s: %j', (code, names, message, field) => {
    const expected: Record<string, unknown> = { code, message, line: 3, field };
    expect(error(names)).toEqual(expected);
  });

  it('names the idColumn option in MISSING_ID_COLUMN when it is set', () => {
    const options = resolveCsvOptions({ idColumn: 'member' });
    expect(error(['Email', 'Active'], options).message).toBe(
      "Line 3: no column names the user: expected 'member' (option idColumn), found 'Email', 'Active'. Rename the column or set the option idColumn.",
    );
    expect(error(['m\u0435mber', 'Active'], options).message).toContain(
      "Header 'm\u0435mber' looks right but '\u0435' (U+0435)",
    );
  });

  it('without a line, the message has no "Line" prefix and the error no line', () => {
    expect(error(['Name', 'Active'], defaults, 'none')).toMatchObject({
      message: expect.stringMatching(/^no column names the user/),
      line: undefined,
      field: undefined,
    });
  });

  it('an invisible character in a header that reads as no known one is just an extra column', () => {
    expect(resolveHeaders(['Email', 'Active', 'Note\u200b'], defaults)).toMatchObject({
      idIndex: 0,
      activeIndex: 1,
    });
    expect(resolveHeaders(['Email', 'Active', '\u0421ity'], defaults).activeIndex).toBe(1);
  });

  it('a header spelled exactly like a known one is read, even next to its look-alike', () => {
    // The known header itself is skipped by the look-alike check; its look-alike is refused.
    expect(error(['Email', 'Active', '\u0410ctive']).code).toBe('LOOKALIKE_HEADER');
    expect(resolveHeaders(['Email', 'Active', 'Expires'], defaults).expirationIndex).toBe(2);
  });
});
