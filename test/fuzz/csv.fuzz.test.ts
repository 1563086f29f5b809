// Fuzzing parseCsv (C1-C9, F1-F3, F5, F6): arbitrary bytes and strings, cut into arbitrary
// chunks. The laws: (a) the only thing ever thrown is a LearnerStatusError with a known code;
// (b) no row that reads as valid carries an id with a control or invisible character or in
// scientific notation, or a change cell that is not plain ASCII (look-alikes are never valid);
// (c) no row is lost or invented: every chunking yields the same rows (lines, values, results)
// and the same error, and a well-formed file written by an independent writer reads back record
// for record (cleared rows skipped, unnamed columns left out, short rows padded).
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvInput,
  type CsvIssue,
  type CsvRow,
  parseCsv,
  parseCsvRow,
} from '../../src/csv/index.js';
import { LearnerStatusError } from '../../src/index.js';
import { ERROR_CODES, fuzzParameters, fuzzTimeout } from './runs.js';

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);

// ---------------------------------------------------------------------------------------------
// Running the parser

interface Outcome {
  readonly rows: CsvRow[];
  readonly error: LearnerStatusError | undefined;
}

/** Law (a): reads every row; anything thrown must be a LearnerStatusError with a known code. */
async function read(input: CsvInput): Promise<Outcome> {
  const rows: CsvRow[] = [];
  try {
    for await (const row of parseCsv(input)) rows.push(row);
  } catch (error) {
    if (!(error instanceof LearnerStatusError)) {
      expect.fail(`parseCsv threw something other than a LearnerStatusError: ${String(error)}`);
    }
    expect(typeof error.code).toBe('string');
    expect(ERROR_CODES.has(error.code), `unknown error code ${error.code}`).toBe(true);
    expect(error.name).toBe('LearnerStatusError');
    return { rows, error };
  }
  return { rows, error: undefined };
}

async function* asAsync<T>(pieces: readonly T[]): AsyncGenerator<T> {
  for (const piece of pieces) yield piece;
}

/** Cuts `whole` at `positions` (taken modulo its length + 1); repeated positions give empty pieces. */
function cutAt<T extends string | Uint8Array>(whole: T, positions: readonly number[]): T[] {
  const sorted = positions.map((p) => p % (whole.length + 1)).sort((a, b) => a - b);
  const pieces: T[] = [];
  let start = 0;
  for (const position of sorted) {
    pieces.push(whole.slice(start, position) as T);
    start = position;
  }
  pieces.push(whole.slice(start) as T);
  return pieces;
}

/** One piece per byte or code unit: the finest chunking, which yields rows the earliest. */
function finest<T extends string | Uint8Array>(whole: T): T[] {
  const pieces: T[] = [];
  for (let i = 0; i < whole.length; i++) pieces.push(whole.slice(i, i + 1) as T);
  return pieces;
}

/** A chunking as a stream delivers it: an async iterable, or a plain (sync) iterable. */
const feed = <T extends string | Uint8Array>(pieces: T[], async: boolean): CsvInput =>
  async ? asAsync(pieces) : pieces;

/**
 * The same refusal, with the same code and line. Bytes are decoded ahead of the tokenizer, so a
 * file with bad UTF-8 *and* an earlier structural problem may report either, depending on how
 * far the decoder had read. Where bad UTF-8 is reported is checked by {@link checkEncoding}.
 */
function sameError(actual: Outcome, expected: Outcome, what: string): void {
  const a = actual.error;
  const e = expected.error;
  expect(a === undefined, `${what}: refused in one chunking only`).toBe(e === undefined);
  if (a === undefined || e === undefined) return;
  if (a.code === 'INVALID_ENCODING' || e.code === 'INVALID_ENCODING') return;
  expect({ code: a.code, line: a.line }, `${what}: the error differs`).toEqual({
    code: e.code,
    line: e.line,
  });
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined) return i;
      if (k === 1 ? next < low || next > high : next < 0x80 || next > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The physical line (header is 1; CRLF, CR and LF each end one) of byte `offset`. */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 13 || (bytes[i] === 10 && bytes[i - 1] !== 13)) line++;
  }
  return line;
}

/** F5: whether the bytes start with a UTF-16 byte order mark, and which: 'le', 'be' or undefined. */
function utf16Bom(bytes: Uint8Array): 'le' | 'be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  return undefined;
}

/** The UTF-16 code unit at byte `at`. */
const unitAt = (bytes: Uint8Array, at: number, order: 'le' | 'be'): number =>
  order === 'le'
    ? (bytes[at] as number) | ((bytes[at + 1] as number) << 8)
    : ((bytes[at] as number) << 8) | (bytes[at + 1] as number);

/**
 * After the byte order mark: the offset of the first byte of a code unit that is not
 * well-formed UTF-16 (a lone surrogate, or an odd byte at the end), or -1.
 */
function firstInvalidUtf16(bytes: Uint8Array, order: 'le' | 'be'): number {
  let i = 2;
  while (i < bytes.length) {
    if (i + 1 === bytes.length) return i;
    const unit = unitAt(bytes, i, order);
    if (unit >= 0xdc00 && unit <= 0xdfff) return i;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (i + 3 >= bytes.length) return i;
      const low = unitAt(bytes, i + 2, order);
      if (low < 0xdc00 || low > 0xdfff) return i;
      i += 4;
    } else i += 2;
  }
  return -1;
}

/** The physical line of the UTF-16 code unit at byte `offset` (after the byte order mark). */
function lineOfUnit(bytes: Uint8Array, offset: number, order: 'le' | 'be'): number {
  let line = 1;
  let previous = -1;
  for (let i = 2; i < offset; i += 2) {
    const unit = unitAt(bytes, i, order);
    if (unit === 13 || (unit === 10 && previous !== 13)) line++;
    previous = unit;
  }
  return line;
}

/**
 * C9, F5: bytes that are not UTF-8 (or, after a UTF-16 byte order mark, not UTF-16) refuse the
 * file, and `INVALID_ENCODING` names the line of the first bad byte whatever the chunking;
 * another error may come first, from an earlier line.
 */
function checkEncoding(outcome: Outcome, bytes: Uint8Array, what: string): void {
  const order = utf16Bom(bytes);
  const bad = order === undefined ? firstInvalidUtf8(bytes) : firstInvalidUtf16(bytes, order);
  const error = outcome.error;
  if (bad === -1) {
    expect(error?.code, `${what}: valid UTF-8 refused as INVALID_ENCODING`).not.toBe(
      'INVALID_ENCODING',
    );
    return;
  }
  expect(error, `${what}: a file with bad UTF-8 must be refused`).toBeDefined();
  const line = order === undefined ? lineOfByte(bytes, bad) : lineOfUnit(bytes, bad, order);
  if (error?.code === 'INVALID_ENCODING') {
    expect(error.line, `${what}: INVALID_ENCODING names the line of byte ${bad}`).toBe(line);
  } else {
    expect(
      error?.line ?? 0,
      `${what}: ${error?.code} is reported after the bad byte`,
    ).toBeLessThanOrEqual(line);
  }
}

function sameRows(actual: readonly CsvRow[], expected: readonly CsvRow[], what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    expect(actual, `${what}: rows differ from the finest chunking's`).toEqual(expected);
  }
}

/**
 * Law (c): `actual` is the same parse as `reference` (the finest chunking). A file that parses
 * must give exactly the same rows; a refused file the same error, and the rows yielded before
 * it (which belong to the refused file) a prefix of the reference's.
 */
function agrees(actual: Outcome, reference: Outcome, what: string): void {
  sameError(actual, reference, what);
  if (reference.error === undefined) {
    sameRows(actual.rows, reference.rows, what);
  } else {
    expect(actual.rows.length).toBeLessThanOrEqual(reference.rows.length);
    sameRows(actual.rows, reference.rows.slice(0, actual.rows.length), what);
  }
}

// ---------------------------------------------------------------------------------------------
// Independent oracles for a row (laws b and c)

/**
 * C9: characters an id must never carry: every control character (C0, DEL, C1), bidi
 * controls ("direction marks", U+061C included), and the invisible formatting characters the
 * docs name (soft hyphen, zero-width characters, line and paragraph separators, word joiners
 * and invisible operators, the BOM).
 */
const FORBIDDEN_IN_ID =
  /[\p{Cc}\p{Bidi_Control}\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u;

const asciiLower = (text: string): string =>
  text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
const normalizeHeader = (name: string): string => asciiLower(name.trim().replace(/\s+/g, ' '));

const ID_HEADERS = new Set(['user id', 'userid', 'username', 'login', 'email', 'email address']);
const EXPIRATION_HEADERS = new Set(['expiration date', 'expiry date', 'expires']);
const ISSUE_CODES = new Set([
  'MISSING_ID',
  'MANGLED_ID',
  'MISSING_CELLS',
  'UNNAMED_COLUMN',
  'INVALID_ACTIVE_VALUE',
  'EXPIRED_NOT_SELECTABLE',
  'INVALID_DATE',
  'CONTROL_CHARACTER',
  'LOOKALIKE_CHARACTER',
  'COLUMN_COUNT',
  'FIELD_TOO_LONG',
  'NO_CHANGE',
]);
const PRINTABLE_ASCII = /^[ -~]*$/;
/** F6: a number in scientific notation, as a spreadsheet rewrites a long one. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;
/** F3, F1: the warnings the file reader appends after the row's own issues, in this order. */
const READER_WARNINGS = ['MISSING_CELLS', 'UNNAMED_COLUMN'];
const ISO_INSTANT_WITH_OFFSET =
  /^([+-]\d{6}|\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** R11 with timeZone 'UTC': the start of the next day, or undefined for an impossible date. */
function endOfDayUtc(text: string): number | undefined {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day + 1);
  return date.getTime();
}

function cellOf(values: Readonly<Record<string, string>>, wanted: (key: string) => boolean) {
  const keys = Object.keys(values).filter((name) => wanted(normalizeHeader(name)));
  expect(keys.length, 'one column per role').toBeLessThanOrEqual(1);
  return keys[0] === undefined ? undefined : (values[keys[0]] as string);
}

/**
 * F1, F3: the issues of a row split into its own (what `parseCsvRow` says about its values) and
 * the reader's warnings after them (`MISSING_CELLS`, then `UNNAMED_COLUMN`, each at most once).
 */
function readerWarnings(row: CsvRow): { own: CsvIssue[]; reader: CsvIssue[] } {
  const issues = row.result.issues;
  let end = issues.length;
  for (const code of [...READER_WARNINGS].reverse()) {
    if (issues[end - 1]?.code === code) end--;
  }
  const own = issues.slice(0, end);
  const reader = issues.slice(end);
  expect(
    own.filter((issue) => READER_WARNINGS.includes(issue.code)),
    'MISSING_CELLS and UNNAMED_COLUMN come last, once each, in this order',
  ).toEqual([]);
  for (const issue of reader) {
    expect(issue.severity).toBe('warning');
    expect(issue.column).toBeUndefined();
    if (issue.code === 'MISSING_CELLS') {
      expect(issue.value).toBeUndefined();
      // F3: fewer cells than the header, and the missing named ones read as blank.
      const counts = /^The row has (\d+) cells? but the header has (\d+); /.exec(issue.message);
      expect(counts, issue.message).not.toBeNull();
      const [cells, width] = (counts as RegExpExecArray).slice(1).map(Number) as [number, number];
      expect(cells).toBeLessThan(width);
      expect(Object.keys(row.values).length).toBeLessThanOrEqual(width);
      expect(Object.values(row.values)).toContain('');
    } else {
      // F1: a value under an unnamed column is not blank, and is in no named column.
      expect(issue.value?.trim() ?? '', 'UNNAMED_COLUMN names a value').not.toBe('');
      expect(issue.message).toMatch(/^Column [A-Z]+ has no header, so its value is not read\./);
    }
  }
  return { own, reader };
}

/** Laws (b) and the row contract (C3, C4, C6, C9, F1, F3), judged without the parser's own helpers. */
function checkRow(row: CsvRow): void {
  const { result, values } = row;
  expect(Object.getPrototypeOf(values)).toBe(null);
  // F1: an unnamed column (blank header) is never a key of the values.
  for (const name of Object.keys(values)) expect(name.trim(), 'a named column').not.toBe('');
  expect(result.issues.every((issue) => ISSUE_CODES.has(issue.code))).toBe(true);
  const errors = result.issues.filter((issue) => issue.severity === 'error');
  const columnCount = result.issues.find((issue) => issue.code === 'COLUMN_COUNT');
  if (columnCount !== undefined) {
    // F3: a field past the header holds a value; that is the row's only issue.
    expect(result.ok).toBe(false);
    expect(result.issues).toHaveLength(1);
    const counts =
      /^The row has (\d+) fields but the header has (\d+), and field (\d+) \(column [A-Z]+\) holds a value\./.exec(
        columnCount.message,
      );
    expect(counts, columnCount.message).not.toBeNull();
    const [fields, width, first] = (counts as RegExpExecArray).slice(1).map(Number) as [
      number,
      number,
      number,
    ];
    expect(first).toBeGreaterThan(width);
    expect(first).toBeLessThanOrEqual(fields);
    expect(Object.keys(values).length).toBeLessThanOrEqual(width);
    expect(columnCount.value?.trim() ?? '').not.toBe('');
    return;
  }
  const { own } = readerWarnings(row);
  // The row parser on its own agrees with the streaming parse (it checks every cell, with no
  // tokenizer hints), up to the reader's warnings.
  const alone = parseCsvRow(values);
  const mine = result.ok
    ? { ok: true, update: result.update, issues: own }
    : { ok: false, issues: own };
  if (!isDeepStrictEqual(alone, mine)) expect(mine).toEqual(alone);
  if (!result.ok) {
    expect(errors.length, 'a refused row says why').toBeGreaterThan(0);
    return;
  }
  expect(errors, 'a valid row has no errors').toEqual([]);
  const { userId } = result.update;
  // (b) an id that reads as valid never hides a control or invisible character.
  expect(
    FORBIDDEN_IN_ID.test(userId),
    `id ${JSON.stringify(userId)} holds a control character`,
  ).toBe(false);
  expect(userId).not.toBe('');
  expect(userId).toBe(userId.trim());
  // (b) F6: an id in scientific notation was rewritten by a spreadsheet; it is never valid.
  expect(SCIENTIFIC.test(userId), `id ${JSON.stringify(userId)} is a mangled number`).toBe(false);
  expect(cellOf(values, (key) => ID_HEADERS.has(key))?.trim()).toBe(userId);

  // (b) C3: a status is read only from exactly Yes or No (ASCII, any case, trimmed).
  const active = cellOf(values, (key) => key === 'active');
  const activeText = active?.trim() ?? '';
  if (result.update.status === undefined) {
    expect(activeText, 'a blank Active cell leaves the status').toBe('');
  } else {
    expect(PRINTABLE_ASCII.test(activeText), `Active ${JSON.stringify(active)}`).toBe(true);
    expect(asciiLower(activeText)).toBe(result.update.status === 'active' ? 'yes' : 'no');
  }

  // (b) C4: an expiration is read only from plain ASCII: Never, YYYY-MM-DD or an ISO instant.
  const expiration = cellOf(values, (key) => EXPIRATION_HEADERS.has(key));
  const expirationText = expiration?.trim() ?? '';
  const expiresAt = result.update.expiresAt;
  if (expiresAt === undefined) {
    expect(expirationText, 'a blank expiration cell leaves the date').toBe('');
  } else {
    expect(PRINTABLE_ASCII.test(expirationText), `expiration ${JSON.stringify(expiration)}`).toBe(
      true,
    );
    if (expiresAt === null) {
      expect(asciiLower(expirationText)).toBe('never');
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(expirationText)) {
      expect(expiresAt.getTime()).toBe(endOfDayUtc(expirationText));
    } else {
      expect(expirationText).toMatch(ISO_INSTANT_WITH_OFFSET);
      expect(Math.abs(expiresAt.getTime())).toBeLessThanOrEqual(8.64e15);
    }
  }
  if (result.update.status === undefined && expiresAt === undefined) {
    expect(own.map((issue) => issue.code)).toEqual(['NO_CHANGE']);
  }
}

function checkRows(outcome: Outcome): void {
  let previous = 1;
  for (const row of outcome.rows) {
    expect(Number.isSafeInteger(row.line)).toBe(true);
    expect(row.line, 'lines increase, after the header').toBeGreaterThan(previous);
    previous = row.line;
    checkRow(row);
  }
  if (outcome.error?.line !== undefined) {
    expect(Number.isSafeInteger(outcome.error.line) && outcome.error.line >= 1).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------
// Generators

const HEADER_LINES = [
  'User ID,Active,Expiration Date',
  'Email,Active',
  'email,active',
  ' EMAIL ADDRESS , Active ',
  'Username,Expires',
  'Login,Active,Expiry Date,Notes',
  'UserId,Notes,Active',
  '"Email","Active","Expiration Date"',
  '"User\r\nID",Active',
  '\ufeffEmail,Active',
  'Email,Username,Active',
  'Email,Active,ACTIVE',
  'Email,Active,,',
  '__proto__,Email,Active',
  'Email,constructor,Active',
  'Email,Notes',
  'Еmail,Active',
  'Email,Аctive',
  'Email,hasOwnProperty,1,Active',
  `${Array.from({ length: 33 }, (_, i) => `c${i}`).join(',')},Email,Active,Expires`,
];

const TEXT_TOKENS = [
  '"',
  '""',
  ',',
  ',,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  '\r',
  '\n',
  '\r\n',
  ' ',
  '\t',
  'Yes',
  'No',
  'yes',
  'NO',
  ' yes ',
  'Expired',
  'TRUE',
  'Never',
  ' NEVER ',
  '2026-12-31',
  '2026-02-30',
  '2024-02-29',
  '0000-01-01',
  '2026-12-31T17:00:00Z',
  '2026-12-31T17:00:00+01:00',
  '+275760-09-13T00:00:00.000Z',
  '2026-12-31T17:00:00',
  '46085',
  'ada@example.org',
  'u1',
  'é',
  '€',
  '𝄞',
  '李',
  'Yеs',
  'Ｙｅｓ',
  '“Yes”',
  'Nеver',
  '\u212a',
  'İ',
  '\u00a0',
  '\u00ad',
  '\u061c',
  '\u200b',
  '\u200e',
  '\u202e',
  '\u2028',
  '\u2066',
  '\ufeff',
  '\u0000',
  '\u0001',
  '\u000b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udfff',
];

const INVALID_UTF8 = [
  [0xef, 0xbb, 0xbf], // a BOM (valid, but only dropped at the start)
  [0xff],
  [0xfe],
  [0x80],
  [0xc3],
  [0xc0, 0x80],
  [0xe2, 0x82],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x9f],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
].map((bytes) => Uint8Array.from(bytes));

const eolArb = fc.constantFrom('\n', '\r\n', '\r');

/** A short piece of CSV-ish text. */
const textTokenArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TEXT_TOKENS) },
  { weight: 1, arbitrary: fc.constantFrom(...HEADER_LINES) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 6 }) },
);

/** A cell: a token, quoted or not, so that many rows get as far as the row parser. */
const cellArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TEXT_TOKENS.filter((t) => !/[",\r\n]/.test(t))) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'Yes', 'No', 'ada@example.org') },
  {
    weight: 2,
    arbitrary: fc
      .array(textTokenArb, { maxLength: 3 })
      .map((parts) => `"${parts.join('').replaceAll('"', '""')}"`),
  },
  { weight: 1, arbitrary: fc.array(textTokenArb, { maxLength: 2 }).map((parts) => parts.join('')) },
);

/** A file that is mostly well-formed: a header line, then rows of cells, with some noise. */
const csvishTextArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '', '\ufeff'),
    fc.oneof(
      fc.constantFrom(...HEADER_LINES),
      fc.array(cellArb, { maxLength: 4 }).map((c) => c.join(',')),
    ),
    fc.array(fc.tuple(fc.array(cellArb, { minLength: 1, maxLength: 5 }), eolArb, fc.boolean()), {
      maxLength: 6,
    }),
    eolArb,
    fc.boolean(),
  )
  .map(([bom, header, rows, eol, finalEol]) => {
    let text = bom + header;
    for (const [cells, rowEol, blankBefore] of rows) {
      text += (blankBefore ? rowEol + ' ' : '') + rowEol + cells.join(',');
    }
    return finalEol ? text + eol : text;
  });

/** Free-form token soup, with a header in front most of the time. */
const tokenSoupArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.constantFrom(...HEADER_LINES), { freq: 4 }),
    eolArb,
    fc.array(textTokenArb, { maxLength: 30 }),
  )
  .map(([header, eol, tokens]) => (header === null ? '' : header + eol) + tokens.join(''));

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const byteTokenArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 5, arbitrary: textTokenArb.map(utf8) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_UTF8) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }) },
);

/**
 * F5: CSV-ish text as UTF-16 in either byte order after its byte order mark, sometimes with a
 * lone surrogate spliced in or an odd byte at the end (the text may hold lone surrogates too).
 */
const utf16Arb: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.oneof(csvishTextArb, tokenSoupArb),
    fc.boolean(),
    fc.option(fc.tuple(fc.nat(), fc.constantFrom(0xd800, 0xdbff, 0xdc00, 0xdfff, -1)), {
      freq: 3,
    }),
  )
  .map(([text, bigEndian, splice]) => {
    const units = [0xfeff];
    for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
    if (splice !== null && splice[1] !== -1) {
      units.splice(1 + (splice[0] % units.length), 0, splice[1]);
    }
    const bytes = units.flatMap((unit) =>
      bigEndian ? [unit >> 8, unit & 0xff] : [unit & 0xff, unit >> 8],
    );
    if (splice !== null && splice[1] === -1) bytes.push(splice[0] & 0xff);
    return Uint8Array.from(bytes);
  });

/** Bytes: fully random, CSV-ish with invalid UTF-8 spliced in, valid CSV-ish text, or UTF-16. */
const bytesArb: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 1, arbitrary: utf16Arb },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.option(fc.constantFrom(...HEADER_LINES), { freq: 4 }),
          eolArb,
          fc.array(byteTokenArb, { maxLength: 30 }),
        )
        .map(([header, eol, tokens]) =>
          concat([utf8(header === null ? '' : header + eol), ...tokens]),
        ),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          csvishTextArb,
          fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVALID_UTF8)), {
            maxLength: 1,
          }),
        )
        .map(([text, splices]) => {
          const bytes = utf8(text);
          const splice = splices[0];
          if (splice === undefined) return bytes;
          const at = splice[0] % (bytes.length + 1);
          return concat([bytes.subarray(0, at), splice[1], bytes.subarray(at)]);
        }),
    },
  )
  .map((bytes) => (bytes.length > 300 ? bytes.slice(0, 300) : bytes));

/** Strings: any code units (lone surrogates included), any code points, or CSV-ish text. */
const textArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
    { weight: 3, arbitrary: tokenSoupArb },
    { weight: 4, arbitrary: csvishTextArb },
  )
  .map((text) => (text.length > 300 ? text.slice(0, 300) : text));

const cutsArb = fc.array(fc.nat(), { maxLength: 8 });

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A chunking of text as a mixed stream: pieces cut between code points, some of them given as
 * UTF-8 bytes (only pieces without lone surrogates: those have no UTF-8 form).
 */
function mixedPieces(text: string, cuts: readonly number[], asBytes: readonly boolean[]) {
  const positions = cuts.map((p) => {
    const at = p % (text.length + 1);
    const high = text.charCodeAt(at - 1);
    const low = text.charCodeAt(at);
    return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? at + 1 : at;
  });
  return cutAt(text, positions).map((piece, index) =>
    asBytes[index % Math.max(1, asBytes.length)] === true && !LONE_SURROGATE.test(piece)
      ? utf8(piece)
      : piece,
  );
}

// ---------------------------------------------------------------------------------------------
// The properties

describe('fuzz: parseCsv', () => {
  it(
    'C7, C9, C6, F1-F3, F5, F6: arbitrary bytes in any chunking: only LearnerStatusErrors, no control characters in valid ids, no row lost or invented',
    async () => {
      await fc.assert(
        fc.asyncProperty(bytesArb, cutsArb, fc.boolean(), async (bytes, cuts, async) => {
          const reference = await read(feed(finest(bytes), true));
          checkRows(reference);
          checkEncoding(reference, bytes, 'one byte per chunk');
          const whole = await read(bytes);
          agrees(whole, reference, 'one Uint8Array');
          checkEncoding(whole, bytes, 'one Uint8Array');
          const chunked = await read(feed(cutAt(bytes, cuts), async));
          agrees(chunked, reference, `chunks at ${cuts}`);
          checkEncoding(chunked, bytes, `chunks at ${cuts}`);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(3),
  );

  it(
    'C7, C9, C6, F1-F3, F6: arbitrary strings in any chunking (text, bytes or both): the same laws',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          textArb,
          cutsArb,
          fc.array(fc.boolean(), { maxLength: 4 }),
          fc.boolean(),
          async (text, cuts, asBytes, async) => {
            const reference = await read(feed(finest(text), true));
            checkRows(reference);
            agrees(await read(text), reference, 'one string');
            agrees(await read(feed(cutAt(text, cuts), async)), reference, `chunks at ${cuts}`);
            if (!LONE_SURROGATE.test(text)) {
              agrees(await read(utf8(text)), reference, 'its UTF-8 bytes');
            }
            const mixed = mixedPieces(text, cuts, asBytes);
            agrees(await read(feed(mixed, async)), reference, 'text and byte chunks');
          },
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeout(3),
  );

  // ---- round trip: an independent writer, an independent count of records and lines ----

  const idHeaderArb = fc
    .tuple(
      fc.constantFrom('User ID', 'UserId', 'Username', 'Login', 'Email', 'Email Address'),
      fc.constantFrom(
        (s: string) => s,
        (s: string) => s.toUpperCase(),
        (s: string) => ` ${s}\u00a0`,
      ),
    )
    .map(([name, style]) => style(name));
  const changeHeadersArb = fc.oneof(
    fc.constant(['Active']),
    fc.constantFrom(['Expiration Date'], ['Expiry Date'], ['expires']),
    fc.constantFrom(['Active', 'Expiration Date'], ['ACTIVE ', 'Expires']),
  );
  const extraHeadersArb = fc.subarray([
    'Notes',
    'First Name',
    'Last Name',
    '',
    ' ',
    '\u00a0\t',
    'hasOwnProperty',
    'toString',
    '1',
    'Comment, with comma',
    'Line\nbreak',
    'Quote "q"',
  ]);
  // Any text at all in a cell (the writer quotes everything), biased to CSV's special characters.
  const anyCellArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.array(textTokenArb, { maxLength: 4 }).map((parts) => parts.join('')),
    fc.constantFrom('', 'Yes', 'No', 'Never', '2026-12-31'),
  );
  /** F3: how many fields a record has against the header's: mostly as many, else fewer or more. */
  const widthArb = fc.oneof(
    { weight: 5, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.integer({ min: -4, max: 3 }) },
  );
  /** F2: lines skipped like blank ones: empty, white space only, or unquoted blank fields only. */
  const blankLineArb = fc.constantFrom('', ' ', '\t', ' \t ', ',', ' , ,\t', ',,,\u00a0');
  const roundTripArb = fc
    .tuple(
      idHeaderArb,
      changeHeadersArb,
      extraHeadersArb,
      fc.nat(),
      fc.array(
        fc.tuple(
          fc.array(anyCellArb, { minLength: 16, maxLength: 16 }),
          eolArb,
          widthArb,
          fc.boolean(),
        ),
        { minLength: 1, maxLength: 5 },
      ),
      fc.array(blankLineArb, { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.array(blankLineArb, { maxLength: 2 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(
      ([
        idHeader,
        changeHeaders,
        extras,
        rotation,
        records,
        blanks,
        blankAt,
        leading,
        bom,
        finalEol,
      ]) => {
        const columns = [idHeader, ...changeHeaders, ...extras];
        const shift = rotation % columns.length;
        const header = [...columns.slice(shift), ...columns.slice(0, shift)];
        return {
          header,
          records: records.map(([cells, eol, delta, blankExtras]) => {
            const count = Math.min(16, Math.max(1, header.length + delta));
            const fields = cells.slice(0, count);
            // Extra fields past the header: blank ones are fine, a value is COLUMN_COUNT (F3).
            for (let i = header.length; i < count && blankExtras; i++) {
              fields[i] = ['', ' ', '\t'][i % 3] as string;
            }
            return { cells: fields, eol };
          }),
          blanks: blanks.map((blank, i) => ({
            blank,
            before: (blankAt[i] ?? 0) % (records.length + 1),
          })),
          leading,
          bom,
          finalEol,
        };
      },
    );

  /** Physical line breaks in a quoted field: CRLF, CR and LF each once. */
  const breaksIn = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;
  const quoteAll = (cells: readonly string[]): string =>
    cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',');
  /** Spreadsheet column letters of a zero-based index, written out: 0 is A, 25 Z, 26 AA. */
  const letters = (index: number): string =>
    index < 26
      ? String.fromCharCode(65 + index)
      : letters(Math.floor(index / 26) - 1) + String.fromCharCode(65 + (index % 26));
  const blank = (text: string | undefined): boolean => (text ?? '').trim() === '';
  /** An issue's value as reported: its first 200 code units. */
  const shown = (value: string): string => value.slice(0, 200);

  /**
   * The issues the file reader gives a record of `cells` under `header`, besides what the row
   * parser says about its values: COLUMN_COUNT alone (F3), or MISSING_CELLS (F3) then
   * UNNAMED_COLUMN (F1) after the row's own issues.
   */
  function readerIssuesOf(header: readonly string[], cells: readonly string[]) {
    const width = header.length;
    const count = cells.length;
    const first = cells.findIndex((cell, i) => i >= width && !blank(cell));
    if (first !== -1) {
      return {
        columnCount: true,
        issues: [
          {
            code: 'COLUMN_COUNT',
            value: shown(cells.slice(width).join(',')),
            message: `The row has ${count} fields but the header has ${width}, and field ${first + 1} (column ${letters(first)}) holds a value. Put values that contain the delimiter in double quotes, or remove the extra cells.`,
          },
        ],
      };
    }
    const issues: { code: string; value: string | undefined; message: string }[] = [];
    const missing = header
      .slice(count)
      .filter((name) => !blank(name))
      .map((name) => `'${name}'`);
    if (missing.length > 0) {
      issues.push({
        code: 'MISSING_CELLS',
        value: undefined,
        message: `The row has ${count} ${count === 1 ? 'cell' : 'cells'} but the header has ${width}; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} read as blank. Check that no cell was left out.`,
      });
    }
    const unnamed = header.findIndex((name, i) => blank(name) && i < count && !blank(cells[i]));
    if (unnamed !== -1) {
      issues.push({
        code: 'UNNAMED_COLUMN',
        value: shown(cells[unnamed] as string),
        message: `Column ${letters(unnamed)} has no header, so its value is not read. Give the column a header it should have, or clear the cell.`,
      });
    }
    return { columnCount: false, issues };
  }

  /** The reader's issues of a parsed row (see readerIssuesOf), as it reports them. */
  function readerIssuesIn(row: CsvRow) {
    const issues = row.result.issues;
    const columnCount = issues[0]?.code === 'COLUMN_COUNT';
    const reader = columnCount
      ? issues
      : issues.filter((issue) => issue.code === 'MISSING_CELLS' || issue.code === 'UNNAMED_COLUMN');
    return {
      columnCount,
      issues: reader.map(({ code, value, message }) => ({ code, value, message })),
    };
  }

  it(
    'C6, C7, F1-F3: a quote-everything file reads back record for record, with its physical lines',
    async () => {
      await fc.assert(
        fc.asyncProperty(roundTripArb, cutsArb, fc.boolean(), async (file, cuts, bytes) => {
          // Bytes cannot carry lone surrogates: write the cells as UTF-8 would give them back.
          const clean = (cell: string) => (bytes ? new TextDecoder().decode(utf8(cell)) : cell);
          const header = file.header.map(clean);
          const records = file.records.map(({ cells, eol }) => ({ cells: cells.map(clean), eol }));
          // F2: cleared rows and blank lines before the header too.
          let text = file.bom ? '\ufeff' : '';
          for (const blankLine of file.leading) text += `${blankLine}\n`;
          text += quoteAll(header);
          let line = 1 + file.leading.length + header.reduce((n, cell) => n + breaksIn(cell), 0);
          const expected: {
            line: number;
            values: Record<string, string>;
            reader: ReturnType<typeof readerIssuesOf>;
          }[] = [];
          records.forEach(({ cells, eol }, index) => {
            text += eol;
            line++;
            for (const { blank: blankLine, before } of file.blanks) {
              if (before === index) {
                text += blankLine + eol;
                line++;
              }
            }
            // F1: unnamed columns are left out; F3: missing named cells read as blank.
            const values: Record<string, string> = Object.create(null);
            header.forEach((name, column) => {
              if (!blank(name)) values[name] = cells[column] ?? '';
            });
            expected.push({ line, values, reader: readerIssuesOf(header, cells) });
            text += quoteAll(cells);
            line += cells.reduce((n, cell) => n + breaksIn(cell), 0);
          });
          for (const { blank: blankLine, before } of file.blanks) {
            if (before === records.length) text += `\n${blankLine}`;
          }
          if (file.finalEol) text += '\n';

          const whole = bytes ? utf8(text) : text;
          const outcome = await read(feed(cutAt(whole, cuts), true));
          expect(outcome.error).toBeUndefined();
          checkRows(outcome);
          expect(outcome.rows.length, 'one row per record').toBe(records.length);
          const got = outcome.rows.map((row) => ({
            line: row.line,
            values: row.values,
            reader: readerIssuesIn(row),
          }));
          if (!isDeepStrictEqual(got, expected)) expect(got).toEqual(expected);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(3),
  );
});
