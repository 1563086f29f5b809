// Fuzzing parseCsv (C1-C9): arbitrary bytes and strings, cut into arbitrary chunks. The laws:
// (a) the only thing ever thrown is a LearnerStatusError with a known code; (b) no row that
// reads as valid carries an id with a control or invisible character, or a change cell that is
// not plain ASCII (look-alikes are never valid); (c) no row is lost or invented: every chunking
// yields the same rows (lines, values, results) and the same error, and a well-formed file
// written by an independent writer reads back record for record.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvInput, type CsvRow, parseCsv, parseCsvRow } from '../../src/csv/index.js';
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

/**
 * C9: bytes that are not UTF-8 refuse the file, and `INVALID_ENCODING` names the line of the
 * first bad byte whatever the chunking; another error may come first, from an earlier line.
 */
function checkEncoding(outcome: Outcome, bytes: Uint8Array, what: string): void {
  const bad = firstInvalidUtf8(bytes);
  const error = outcome.error;
  if (bad === -1) {
    expect(error?.code, `${what}: valid UTF-8 refused as INVALID_ENCODING`).not.toBe(
      'INVALID_ENCODING',
    );
    return;
  }
  expect(error, `${what}: a file with bad UTF-8 must be refused`).toBeDefined();
  const line = lineOfByte(bytes, bad);
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

/** Laws (b) and the row contract (C3, C4, C6, C9), judged without the parser's own helpers. */
function checkRow(row: CsvRow): void {
  const { result, values } = row;
  expect(Object.getPrototypeOf(values)).toBe(null);
  expect(result.issues.every((issue) => ISSUE_CODES.has(issue.code))).toBe(true);
  const errors = result.issues.filter((issue) => issue.severity === 'error');
  if (!result.ok) {
    expect(errors.length, 'a refused row says why').toBeGreaterThan(0);
    // The row parser on its own agrees (it checks every cell, with no tokenizer hints).
    if (!result.issues.some((issue) => issue.code === 'COLUMN_COUNT')) {
      const alone = parseCsvRow(values);
      if (!isDeepStrictEqual(alone, result)) expect(result).toEqual(alone);
    }
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
    expect(result.issues.map((issue) => issue.code)).toEqual(['NO_CHANGE']);
  }
  // The row parser on its own agrees with the streaming parse (which skips checks by hints).
  const alone = parseCsvRow(values);
  if (!isDeepStrictEqual(alone, result)) expect(result).toEqual(alone);
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

/** Bytes: fully random, CSV-ish with invalid UTF-8 spliced in, or valid CSV-ish text. */
const bytesArb: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }) },
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
    'C7, C9, C6: arbitrary bytes in any chunking: only LearnerStatusErrors, no control characters in valid ids, no row lost or invented',
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
    'C7, C9, C6: arbitrary strings in any chunking (text, bytes or both): the same laws',
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
  const roundTripArb = fc
    .tuple(
      idHeaderArb,
      changeHeadersArb,
      extraHeadersArb,
      fc.nat(),
      fc.array(fc.tuple(fc.array(anyCellArb, { minLength: 16, maxLength: 16 }), eolArb), {
        minLength: 1,
        maxLength: 5,
      }),
      fc.array(fc.constantFrom('', ' ', '\t', ' \t '), { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([idHeader, changeHeaders, extras, rotation, records, blanks, blankAt, bom, finalEol]) => {
      const columns = [idHeader, ...changeHeaders, ...extras];
      const shift = rotation % columns.length;
      const header = [...columns.slice(shift), ...columns.slice(0, shift)];
      return {
        header,
        records: records.map(([cells, eol]) => ({ cells: cells.slice(0, header.length), eol })),
        blanks: blanks.map((blank, i) => ({
          blank,
          before: (blankAt[i] ?? 0) % (records.length + 1),
        })),
        bom,
        finalEol,
      };
    });

  /** Physical line breaks in a quoted field: CRLF, CR and LF each once. */
  const breaksIn = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;
  const quoteAll = (cells: readonly string[]): string =>
    cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',');

  it(
    'C6, C7: a quote-everything file reads back record for record, with its physical lines',
    async () => {
      await fc.assert(
        fc.asyncProperty(roundTripArb, cutsArb, fc.boolean(), async (file, cuts, bytes) => {
          // Bytes cannot carry lone surrogates: write the cells as UTF-8 would give them back.
          const clean = (cell: string) => (bytes ? new TextDecoder().decode(utf8(cell)) : cell);
          const header = file.header.map(clean);
          const records = file.records.map(({ cells, eol }) => ({ cells: cells.map(clean), eol }));
          let text = (file.bom ? '\ufeff' : '') + quoteAll(header);
          let line = 1 + header.reduce((n, cell) => n + breaksIn(cell), 0);
          const expected: { line: number; values: Record<string, string> }[] = [];
          records.forEach(({ cells, eol }, index) => {
            text += eol;
            line++;
            for (const { blank, before } of file.blanks) {
              if (before === index) {
                text += blank + eol;
                line++;
              }
            }
            const values: Record<string, string> = Object.create(null);
            header.forEach((name, column) => {
              values[name] = cells[column] as string;
            });
            expected.push({ line, values });
            text += quoteAll(cells);
            line += cells.reduce((n, cell) => n + breaksIn(cell), 0);
          });
          for (const { blank, before } of file.blanks) {
            if (before === records.length) text += `\n${blank}`;
          }
          if (file.finalEol) text += '\n';

          const whole = bytes ? utf8(text) : text;
          const outcome = await read(feed(cutAt(whole, cuts), true));
          expect(outcome.error).toBeUndefined();
          checkRows(outcome);
          expect(outcome.rows.length, 'one row per record').toBe(records.length);
          const got = outcome.rows.map((row) => ({ line: row.line, values: row.values }));
          if (!isDeepStrictEqual(got, expected)) expect(got).toEqual(expected);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(3),
  );
});
