import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvFileSample,
  type CsvValuesSample,
  csvFileArb,
  csvValuesArb,
} from '../../src/testing/index.js';

// The CSV arbitraries promise variety (C1-C9): every kind of header, cell and file their TSDoc
// lists. A property run only proves that what was drawn had the right expectation; these tests
// prove that each promised kind is drawn at all, from large fixed-seed samples. The expected
// lists are written out here, independently of the generators, so that a kind that silently
// stops being drawn is noticed.

type Column = 'id' | 'active' | 'expiration' | 'extra';

const ID_HEADERS = ['user id', 'userid', 'username', 'login', 'email', 'email address'];
const EXPIRATION_HEADERS = ['expiration date', 'expiry date', 'expires'];
const EXTRA_HEADERS = ['name', 'department', 'notes'];

function columnOf(header: string): Column {
  const name = header.trim().toLowerCase();
  if (ID_HEADERS.includes(name)) return 'id';
  if (name === 'active') return 'active';
  if (EXPIRATION_HEADERS.includes(name)) return 'expiration';
  if (EXTRA_HEADERS.includes(name)) return 'extra';
  throw new Error(`unexpected header ${JSON.stringify(header)}`);
}

interface DrawnCell {
  readonly column: Column;
  readonly header: string;
  readonly text: string;
  /** The record's issue codes, or [] when it is accepted. */
  readonly codes: readonly string[];
}

function cellsOf(samples: readonly CsvValuesSample[]): DrawnCell[] {
  return samples.flatMap(({ values, expected }) =>
    Object.entries(values).map(([header, text]) => ({
      column: columnOf(header),
      header,
      text,
      codes: expected.ok ? [] : expected.codes,
    })),
  );
}

// Drawn inside each test, not when the file loads: mutation testing attributes what a test
// draws to that test.
const drawAll = () =>
  cellsOf([
    ...fc.sample(csvValuesArb(), { numRuns: 3000, seed: 11 }),
    ...fc.sample(csvValuesArb({ valid: false }), { numRuns: 3000, seed: 12 }),
  ]);
const drawValid = () =>
  cellsOf(fc.sample(csvValuesArb({ valid: true }), { numRuns: 2000, seed: 13 }));
const texts = (column: Column, cells: readonly DrawnCell[]) =>
  new Set(cells.filter((c) => c.column === column).map((c) => c.text));
const trimmed = (column: Column, cells: readonly DrawnCell[]) =>
  new Set([...texts(column, cells)].map((t) => t.trim()));

describe('csvValuesArb draws every kind of header it documents (C2, C3, C4)', () => {
  it('every identifier and expiration header, as is, upper and lower case, with and without a space around it', () => {
    const all = drawAll();
    const headers = new Set(all.map((c) => c.header));
    for (const name of ['User ID', 'UserId', 'Username', 'Login', 'Email', 'Email Address']) {
      for (const form of [name, name.toUpperCase(), name.toLowerCase()]) {
        expect(headers.has(form), form).toBe(true);
        expect(headers.has(` ${form} `), ` ${form} `).toBe(true);
      }
    }
    for (const name of ['Expiration Date', 'Expiry Date', 'Expires', 'Active']) {
      for (const form of [name, name.toUpperCase(), name.toLowerCase()]) {
        expect(headers.has(form), form).toBe(true);
      }
    }
    for (const name of ['Name', 'Department', 'Notes']) expect(headers.has(name), name).toBe(true);
  });

  it('records with the Active column only, the expiration column only, and both; with and without an extra column', () => {
    const shapes = new Set(
      fc
        .sample(csvValuesArb(), { numRuns: 500, seed: 14 })
        .map(({ values }) => Object.keys(values).map(columnOf).sort().join('+')),
    );
    expect([...shapes].sort()).toEqual([
      'active+expiration+extra+id',
      'active+expiration+id',
      'active+extra+id',
      'active+id',
      'expiration+extra+id',
      'expiration+id',
    ]);
  });

  it('columns in every order', () => {
    const orders = new Set(
      fc
        .sample(csvValuesArb(), { numRuns: 2000, seed: 15 })
        .map(({ values }) => Object.keys(values).map(columnOf).join('+'))
        .filter((order) => order.split('+').length === 4),
    );
    expect(orders.size).toBe(24);
  });
});

describe('csvValuesArb draws every kind of cell it documents (C2, C3, C4, C9)', () => {
  it('cells padded with nothing, spaces, a tab and a no-break space, on either side', () => {
    const all = drawAll();
    const valid = drawValid();
    const ids = [...texts('id', valid)];
    for (const pad of [' ', '  ', '\t', '\u00a0']) {
      expect(
        ids.some((t) => t.startsWith(pad) && t.trim() !== ''),
        JSON.stringify(pad),
      ).toBe(true);
      expect(
        ids.some((t) => t.endsWith(pad) && t.trim() !== ''),
        JSON.stringify(pad),
      ).toBe(true);
    }
    expect(ids.some((t) => t === t.trim())).toBe(true);
    expect([...texts('id', all)].filter((t) => t.trim() === '').sort()).toEqual(
      ['', ' ', '  ', '\t', '\u00a0'].sort(),
    );
  });

  it('identifiers use every character of the documented alphabet', () => {
    const valid = drawValid();
    const used = new Set([...trimmed('id', valid)].flatMap((t) => [...t]));
    const alphabet = [
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789@.-_+,"\'=',
      'é',
      'ß',
      '李',
      '😀',
    ];
    expect(alphabet.filter((ch) => !used.has(ch))).toEqual([]);
  });

  it('every control and invisible character, strictly inside a value', () => {
    const all = drawAll();
    const refused = all.filter((c) => c.codes.includes('CONTROL_CHARACTER'));
    const controls = [
      '\u0000',
      '\u0001',
      '\u0007',
      '\t',
      '\n',
      '\r',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u00ad',
      '\u200b',
      '\u200e',
      '\u2028',
      '\u202e',
      '\u2060',
      '\ufeff',
    ];
    // One control character, anywhere strictly inside: in an Active cell, removing it gives
    // back the word it was put into.
    const activeWords = refused
      .filter((c) => c.column === 'active' && [...c.text].some((ch) => controls.includes(ch)))
      .map((c) => c.text.trim());
    const positions = new Set<number>();
    for (const text of activeWords) {
      const at = [...text].findIndex((ch, i) => i > 0 && controls.includes(ch));
      if (at === -1) continue;
      positions.add(at);
      const word = [...text].filter((_, i) => i !== at).join('');
      expect(['yes', 'no', 'Yes', 'No', 'expired']).toContain(word);
    }
    expect([...positions].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const column of ['id', 'active', 'expiration'] as const) {
      const inner = refused
        .filter((c) => c.column === column)
        .map((c) => c.text.trim().slice(1, -1));
      for (const ctl of controls) {
        expect(
          inner.some((t) => t.includes(ctl)),
          `${column} ${JSON.stringify(ctl)}`,
        ).toBe(true);
      }
    }
  });

  it('Yes and No in every ASCII case, blanks, and Never in every case', () => {
    const valid = drawValid();
    const active = trimmed('active', valid);
    for (const word of ['yes', 'YES', 'Yes', 'yEs', 'no', 'NO', 'No', 'nO', '']) {
      expect(active.has(word), word).toBe(true);
    }
    const expiration = trimmed('expiration', valid);
    for (const word of ['never', 'NEVER', 'Never', 'nEVER', '']) {
      expect(expiration.has(word), word).toBe(true);
    }
  });

  it('every bad Active token, random words, and Expired in any case', () => {
    const all = drawAll();
    const bad = trimmed(
      'active',
      all.filter((c) => c.codes.includes('INVALID_ACTIVE_VALUE')),
    );
    for (const token of [
      'true',
      'false',
      'TRUE',
      '0',
      '1',
      'n',
      'y',
      'on',
      'off',
      'Active',
      'Deactivated',
      'Inactive',
      'yes.',
      'no!',
      'n/a',
      'yess',
      'Yes No',
      'ja',
      'sí',
      'x',
    ]) {
      expect(bad.has(token), token).toBe(true);
    }
    expect([...bad].some((t) => /^x[a-z]{3,}$/.test(t))).toBe(true);
    // Random words: x and up to six lower-case ASCII letters, nothing else.
    expect([...bad].filter((t) => t.startsWith('x')).every((t) => /^x[a-z]{0,6}$/.test(t))).toBe(
      true,
    );
    const expired = trimmed('active', all).has('EXPIRED') && trimmed('active', all).has('expired');
    expect(expired).toBe(true);
  });

  it('every look-alike letter, full-width letters and curly quotes, in Active and expiration cells', () => {
    const all = drawAll();
    const disguised = all.filter((c) => c.codes.includes('LOOKALIKE_CHARACTER'));
    const chars = new Set(disguised.flatMap((c) => [...c.text]));
    for (const ch of [
      'у',
      'е',
      'ѕ',
      'о',
      'х',
      'р',
      'і',
      'ԁ',
      'Υ',
      'Е',
      'Ν',
      'О',
      '\u201c',
      '\u201d',
    ]) {
      expect(chars.has(ch), ch).toBe(true);
    }
    // Full-width forms of letters of every word, lower and upper case.
    for (const ch of ['ｙ', 'Ｙ', 'ｎ', 'Ｎ', 'ｘ', 'Ｘ', 'ｖ', 'Ｖ', 'ｒ', 'Ｒ']) {
      expect(chars.has(ch), ch).toBe(true);
    }
    for (const column of ['active', 'expiration'] as const) {
      expect(disguised.some((c) => c.column === column)).toBe(true);
    }
  });

  it('dates: YYYY-MM-DD from year 0 to 9999, ISO instants with Z and with both signs of offset', () => {
    const valid = drawValid();
    const dates = [...trimmed('expiration', valid)];
    const kinds: Record<string, RegExp> = {
      'a year before 1000': /^0\d{3}-\d\d-\d\d$/,
      'a year from 1970 to 2100': /^(19[7-9]\d|20\d\d|2100)-\d\d-\d\d$/,
      'the 31st': /^\d{4}-\d\d-31$/,
      'an instant in UTC': /T.*Z$/,
      'an instant with a positive offset': /T.*\+\d\d:\d\d$/,
      'an instant with a negative offset': /T.*-\d\d:\d\d$/,
      'an offset of 23 hours and more': /T.*[+-]23:\d\d$/,
      'an offset with minutes': /T.*[+-]\d\d:(?!00)\d\d$/,
    };
    for (const [kind, pattern] of Object.entries(kinds)) {
      expect(
        dates.some((t) => pattern.test(t)),
        kind,
      ).toBe(true);
    }
  });

  it('invalid dates of every documented kind', () => {
    const all = drawAll();
    const bad = [
      ...trimmed(
        'expiration',
        all.filter((c) => c.codes.includes('INVALID_DATE')),
      ),
    ];
    const kinds: Record<string, RegExp> = {
      'day past the end of the month': /^\d{4}-(0[1-9]|1[0-2])-(29|3\d|[4-9]\d)$/,
      'month 00': /^\d{4}-00-\d\d$/,
      'month 13 or more': /^\d{4}-(1[3-9]|[2-9]\d)-\d\d$/,
      'day 00': /^\d{4}-\d\d-00$/,
      'Excel serial': /^\d{1,5}$/,
      'Excel serial with a fraction': /^\d{1,5}\.\d{1,2}$/,
      'date-time with T': /^\d{4}-\d\d-\d\dT\d\d:\d\d$/,
      'date-time with a space': /^\d{4}-\d\d-\d\d \d\d:\d\d/,
      'date-time with t and seconds': /^\d{4}-\d\d-\d\dt\d\d:\d\d:\d\d$/,
      'date-time with milliseconds': /T\d\d:\d\d:59\.999$/,
      'day/month order with slashes': /^\d\d\/\d\d\/\d+$/,
      'day.month order with dots': /^\d\d\.\d\d\.\d+$/,
    };
    for (const [kind, pattern] of Object.entries(kinds)) {
      expect(
        bad.some((t) => pattern.test(t)),
        kind,
      ).toBe(true);
    }
    for (const word of [
      'tomorrow',
      'soon',
      'n/a',
      '-',
      'TBD',
      '31 Dec 2026',
      'Dec 31, 2026',
      'never!',
      '2026-12-31T24:00:00Z',
      '2026-02-30T10:00:00Z',
      '2026-12-31T12:60Z',
      '２０２６-１２-３１',
      '\u201c2026-12-31\u201d',
      '2026-1-5',
      '20261231',
    ]) {
      expect(bad.includes(word), word).toBe(true);
    }
    // Excel serials: 1 to 99999, sometimes with a fraction of one or two digits.
    const serials = bad.filter((t) => /^-?\d+(\.\d+)?$/.test(t) && t !== '20261231');
    expect(serials.length).toBeGreaterThan(50);
    expect(serials.filter((t) => !/^[1-9]\d{0,4}(\.[1-9]\d?)?$/.test(t))).toEqual([]);
    // Impossible calendar dates are written as YYYY-MM-DD, two digits for month and day.
    const calendar = bad.filter((t) => /^\d{4}-/.test(t) && !/[T t]/.test(t) && t !== '2026-1-5');
    expect(calendar.length).toBeGreaterThan(50);
    expect(calendar.filter((t) => !/^\d{4}-\d\d-\d\d$/.test(t))).toEqual([]);
  });

  it('without constraints, every column is sometimes valid and sometimes not', () => {
    const samples = fc.sample(csvValuesArb(), { numRuns: 2000, seed: 16 });
    const accepted = samples.filter(({ expected }) => expected.ok).length / samples.length;
    expect(accepted).toBeGreaterThan(0.3);
    expect(accepted).toBeLessThan(0.8);
    const codes = new Set<string>(
      samples.flatMap(({ expected }) => (expected.ok ? [] : expected.codes)),
    );
    for (const code of ['MISSING_ID', 'INVALID_ACTIVE_VALUE', 'INVALID_DATE']) {
      expect(codes.has(code), code).toBe(true);
    }
  });

  it('blank identifiers are MISSING_ID; extra cells any text', () => {
    const all = drawAll();
    const missing = all.filter((c) => c.column === 'id' && c.codes.includes('MISSING_ID'));
    expect(missing.length).toBeGreaterThan(0);
    for (const c of missing) expect(c.text.trim()).toBe('');
    expect(texts('extra', all).size).toBeGreaterThan(100);
    expect([...texts('extra', all)].every((t) => [...t].length <= 8)).toBe(true);
  });
});

describe('csvFileArb draws every kind of file it documents (C1-C9, F1-F3)', () => {
  const drawFiles = (): CsvFileSample[] => fc.sample(csvFileArb(), { numRuns: 2000, seed: 21 });
  const textOf = (file: CsvFileSample) => file.text;

  it('LF, CRLF and CR line ends; a BOM or none; a final line end or none', () => {
    const files = drawFiles();
    const body = files.map(textOf);
    expect(body.some((t) => t.includes('\r\n'))).toBe(true);
    expect(body.some((t) => /\r(?!\n)/.test(t) && !t.includes('\n'))).toBe(true);
    expect(body.some((t) => t.includes('\n') && !t.includes('\r'))).toBe(true);
    expect(body.some((t) => t.startsWith('\ufeff'))).toBe(true);
    expect(body.some((t) => !t.startsWith('\ufeff'))).toBe(true);
    expect(body.some((t) => /[\r\n]$/.test(t))).toBe(true);
    expect(body.some((t) => /[^\r\n]$/.test(t))).toBe(true);
  });

  it('blank and white-space-only lines between rows and at the end', () => {
    const files = drawFiles();
    const body = files.map(textOf);
    expect(body.some((t) => /\n\n[^\n]/.test(t))).toBe(true);
    expect(body.some((t) => /\n \n/.test(t) || /\r\n \r\n/.test(t))).toBe(true);
    expect(body.some((t) => /\n\t\n/.test(t) || /\r\n\t\r\n/.test(t))).toBe(true);
  });

  it('quoted headers and fields, quoted only when needed, and always', () => {
    const files = drawFiles();
    const body = files.map(textOf);
    expect(body.some((t) => /^\ufeff?"/.test(t))).toBe(true);
    expect(body.some((t) => /^\ufeff?[^"]/.test(t))).toBe(true);
    expect(body.some((t) => t.includes('""'))).toBe(true);
  });

  it('one to six data rows; rows with fields too many (blank or not) or too few', () => {
    const files = drawFiles();
    const counts = new Set(files.flatMap((f) => (f.expected.ok ? [f.expected.rows.length] : [])));
    expect([...counts].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const rowsOf = (f: CsvFileSample) => (f.expected.ok ? f.expected.rows : []);
    const all = files.flatMap(rowsOf);
    const codesOf = (r: (typeof all)[number]) =>
      r.expected.ok ? r.expected.warnings : r.expected.codes;
    // F3: a short row, on accepted and on refused rows, its missing cells read as blank.
    const short = all.filter((r) => codesOf(r).includes('MISSING_CELLS'));
    expect(short.some((r) => r.expected.ok)).toBe(true);
    expect(short.some((r) => !r.expected.ok)).toBe(true);
    for (const r of short) expect(Object.values(r.values)).toContain('');
    // Rows short down to their first field.
    const lines = files.flatMap((f) => f.text.split(/\r\n|\r|\n/));
    expect(lines.some((l) => /^[^",]+$/.test(l) && l.trim() !== '')).toBe(true);
    // F3: extra fields with a value (COLUMN_COUNT), one to three of them; or blank extra fields.
    expect(lines.some((l) => /[^,],extra$/.test(l))).toBe(true);
    expect(lines.some((l) => /, ?,extra$/.test(l))).toBe(true);
    expect(lines.some((l) => /, ,,extra$/.test(l))).toBe(true);
    expect(all.some((r) => !r.expected.ok && r.expected.codes.join() === 'COLUMN_COUNT')).toBe(
      true,
    );
    expect(lines.some((l) => /[^, \t],, ,\t$/.test(l))).toBe(true);
  });

  it('columns with a blank header (F1): left out of the values, a value under one is UNNAMED_COLUMN', () => {
    const files = drawFiles();
    const headers = files.map((f) => f.text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/));
    expect(
      headers.some((h) => h.some((l) => /(^|,)(""|)(,|$)/.test(l) && /Active|Expir/i.test(l))),
    ).toBe(true);
    expect(
      headers.some((h) => h.some((l) => /(^|,)(" "| )(,|$)/.test(l) && /Active|Expir/i.test(l))),
    ).toBe(true);
    const rows = files.flatMap((f) => (f.expected.ok ? f.expected.rows : []));
    for (const r of rows) {
      for (const name of Object.keys(r.values)) expect(name.trim()).not.toBe('');
    }
    const unnamed = rows.filter((r) =>
      (r.expected.ok ? r.expected.warnings : r.expected.codes).includes('UNNAMED_COLUMN'),
    );
    expect(unnamed.some((r) => r.expected.ok)).toBe(true);
    expect(unnamed.some((r) => !r.expected.ok)).toBe(true);
    // The warning comes last, after MISSING_CELLS when both apply.
    for (const r of unnamed) {
      const codes = r.expected.ok ? r.expected.warnings : r.expected.codes;
      expect(codes.at(-1)).toBe('UNNAMED_COLUMN');
    }
    expect(
      unnamed.some((r) =>
        (r.expected.ok ? r.expected.warnings : r.expected.codes).includes('MISSING_CELLS'),
      ),
    ).toBe(true);
  });

  it('cleared rows (F2): lines of delimiters and white space, before the header and between rows; rows of blank cells', () => {
    const files = drawFiles();
    const body = files.map(textOf);
    expect(body.some((t) => /^\ufeff?,+(\r\n|\r|\n)/.test(t))).toBe(true);
    expect(body.some((t) => /(\r\n|\r|\n) , ,\t(\r\n|\r|\n)/.test(t))).toBe(true);
    expect(body.some((t) => /(\r\n|\r|\n),,(\r\n|\r|\n)/.test(t))).toBe(true);
    // Quoted blank cells keep a row a record: MISSING_ID on a row of blank values only.
    expect(
      body.some((t) => /(\r\n|\r|\n)"[ \t\u00a0]*"(,"[ \t\u00a0]*")+(\r\n|\r|\n|$)/.test(t)),
    ).toBe(true);
    const blankRows = files.flatMap((f) =>
      f.expected.ok
        ? f.expected.rows.filter((r) => Object.values(r.values).every((v) => v.trim() === ''))
        : [],
    );
    expect(blankRows.length).toBeGreaterThan(0);
    for (const r of blankRows) expect(r.expected.ok).toBe(false);
  });

  it('identifiers a spreadsheet rewrote in scientific notation (F6), with a decimal point, a comma or none', () => {
    const refused = drawAll().filter((c) => c.column === 'id' && c.codes.includes('MANGLED_ID'));
    const ids = refused.map((c) => c.text.trim());
    for (const c of ids) expect(c).toMatch(/^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/);
    for (const kind of [
      /\.\d+E/i,
      /,\d+E/i,
      /^\d+[eE]/,
      /^-/,
      /^\+/,
      /e/,
      /E/,
      /[eE]\+/,
      /[eE]-/,
      /[eE]\d/,
    ]) {
      expect(
        ids.some((t) => kind.test(t)),
        String(kind),
      ).toBe(true);
    }
    const valid = [...trimmed('id', drawValid())];
    expect(valid.filter((t) => /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/.test(t))).toEqual([]);
  });

  it('each malformed file in each documented form', () => {
    const files = drawFiles();
    const failing = (code: string) =>
      files.filter((f) => !f.expected.ok && f.expected.code === code).map(textOf);
    for (const name of ['__proto__', 'constructor', 'Prototype']) {
      expect(
        failing('RESERVED_HEADER').some((t) => t.includes(name)),
        name,
      ).toBe(true);
    }
    for (const name of ['E-mail', 'Mail', 'ID', 'Emial', '\u0415mail']) {
      expect(
        failing('MISSING_ID_COLUMN').some((t) => new RegExp(`(^|,|")${name}(,|"|\\r|\\n)`).test(t)),
        name,
      ).toBe(true);
    }
    expect(
      failing('INVALID_QUOTE').every((t) => t.includes('ab"c,Yes')),
      'INVALID_QUOTE',
    ).toBe(true);
    expect(
      failing('UNCLOSED_QUOTE').every((t) => t.includes('"never closed,Yes')),
      'UNCLOSED',
    ).toBe(true);
    const empty = failing('EMPTY_FILE').map((t) => t.replace('\ufeff', ''));
    expect(
      empty.some((t) => t.trim() === ''),
      'a file of blank lines only',
    ).toBe(true);
    expect(
      empty.some((t) => t.trim() !== ''),
      'a header without rows',
    ).toBe(true);
    const broken = files.filter((f) => !f.expected.ok && f.expected.code === 'INVALID_ENCODING');
    for (const f of broken) {
      expect(f.chunks.every((c) => c instanceof Uint8Array)).toBe(true);
      expect(f.chunks.some((c) => (c as Uint8Array).includes(0xff))).toBe(true);
    }
    expect(failing('MISSING_CHANGE_COLUMN').length).toBeGreaterThan(0);
    expect(failing('DUPLICATE_HEADER').length).toBeGreaterThan(0);
    expect(failing('AMBIGUOUS_ID_COLUMN').length).toBeGreaterThan(0);
  });

  it('chunks of text and of bytes that put the file back together', () => {
    const files = drawFiles();
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    for (const f of files) {
      if (!f.expected.ok && f.expected.code === 'INVALID_ENCODING') continue;
      const whole = f.chunks.every((c) => typeof c === 'string')
        ? f.chunks.join('')
        : decoder.decode(Uint8Array.from(f.chunks.flatMap((c) => [...(c as Uint8Array)])));
      expect(whole).toBe(f.text);
    }
    expect(files.some((f) => f.chunks.length >= 4)).toBe(true);
  });
});
