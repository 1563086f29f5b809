import * as fc from 'fast-check';
import type { CsvIssueCode } from '../../csv/issues.js';
import type { LearnerStatusErrorCode } from '../../errors.js';
import { checkKeysSuggesting } from '../../options.js';
import type { StoredStatus } from '../../status/types.js';
import type { UserUpdate } from '../../transitions/types.js';
import { instantMsArb } from './instants.js';

/**
 * What `parseCsvRow` must answer for a generated record (C3-C6, C9, F6): `ok: true` with the
 * `update` and the warning codes (`NO_CHANGE` when every change cell is blank), or `ok: false`
 * with the error codes in column order (identifier, `Active`, expiration). A row of a file
 * (from {@link csvFileArb}) may also end with the warnings `parseCsv` adds after those, in this
 * order: `MISSING_CELLS` (a short row, F3) and `UNNAMED_COLUMN` (a value under a column with a
 * blank header, F1); or be refused with `COLUMN_COUNT` alone (a value past the header, F3).
 *
 * @example
 * ```ts
 * import type { CsvRowExpectation } from 'learner-status/testing';
 *
 * const refused: CsvRowExpectation = { ok: false, codes: ['EXPIRED_NOT_SELECTABLE'] };
 * ```
 */
export type CsvRowExpectation =
  | { readonly ok: true; readonly update: UserUpdate; readonly warnings: readonly CsvIssueCode[] }
  | { readonly ok: false; readonly codes: readonly CsvIssueCode[] };

/**
 * One record from {@link csvValuesArb}: the cells keyed by header as `parseCsvRow` takes them,
 * and the outcome they must have.
 *
 * @example
 * ```ts
 * import type { CsvValuesSample } from 'learner-status/testing';
 *
 * const sample: CsvValuesSample = {
 *   values: { Email: 'ada@example.org', Active: ' YES ' },
 *   expected: { ok: true, update: { userId: 'ada@example.org', status: 'active' }, warnings: [] },
 * };
 * ```
 */
export interface CsvValuesSample {
  readonly values: Readonly<Record<string, string>>;
  readonly expected: CsvRowExpectation;
}

/**
 * Which records {@link csvValuesArb} draws: `valid: true` only records `parseCsvRow` accepts,
 * `false` only records it refuses (at least one invalid cell), absent both.
 *
 * @example
 * ```ts
 * import { csvValuesArb, type CsvValuesArbConstraints } from 'learner-status/testing';
 *
 * const refusedOnly: CsvValuesArbConstraints = { valid: false };
 * const records = csvValuesArb(refusedOnly);
 * ```
 */
export interface CsvValuesArbConstraints {
  readonly valid?: boolean | undefined;
}

/** A generated cell: its raw text, and either the value it stands for or the issue code. */
interface Cell<T> {
  readonly text: string;
  readonly value?: T;
  readonly code?: CsvIssueCode;
}

const ok = <T>(text: string, value: T): Cell<T> => ({ text, value });
const bad = <T>(text: string, code: CsvIssueCode): Cell<T> => ({ text, code });

const PADS = ['', ' ', '  ', '\t', '\u00a0'];
const padArb = fc.constantFrom(...PADS);
const padded = <T>(cell: fc.Arbitrary<Cell<T>>): fc.Arbitrary<Cell<T>> =>
  fc.tuple(padArb, cell, padArb).map(([l, c, r]) => ({ ...c, text: l + c.text + r }));

/** Any ASCII case of one of `words`, chosen letter by letter (no `chain`: shrinks well). */
const anyCaseOf = (words: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...words), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }))
    .map(([word, upper]) => [...word].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''));
const anyCase = (word: string): fc.Arbitrary<string> => anyCaseOf([word]);

/** Control and invisible characters that C9 refuses inside a value. */
const CONTROLS = [
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

/** `text` with a control character inserted strictly inside it (never trimmed away). */
const withControl = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(text, fc.constantFrom(...CONTROLS), fc.nat()).map(([t, ctl, at]) => {
    // Code points, not code units: never split a surrogate pair.
    const chars = [...t];
    const i = 1 + (at % Math.max(1, chars.length - 1));
    return chars.slice(0, i).join('') + ctl + chars.slice(i).join('');
  });

// Look-alikes of the letters of yes, no, expired and never, from Cyrillic and Greek.
const LOOKALIKE: Readonly<Record<string, string>> = {
  y: 'у',
  e: 'е',
  s: 'ѕ',
  o: 'о',
  x: 'х',
  p: 'р',
  i: 'і',
  d: 'ԁ',
  Y: 'Υ',
  E: 'Е',
  N: 'Ν',
  O: 'О',
};

/**
 * A keyword disguised (C9): one letter replaced by a look-alike or a full-width form, or the
 * whole word in curly quotes.
 */
const disguised = (words: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(anyCaseOf(words), fc.nat(), fc.constantFrom('lookalike', 'fullwidth', 'quotes'))
    .map(([word, at, how]) => {
      if (how === 'quotes') return `\u201c${word}\u201d`;
      const chars = [...word];
      const candidates = chars
        .map((ch, i) => (how === 'fullwidth' || LOOKALIKE[ch] !== undefined ? i : -1))
        .filter((i) => i !== -1);
      const i = candidates[at % candidates.length] as number;
      const ch = chars[i] as string;
      chars[i] =
        how === 'fullwidth'
          ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0)
          : (LOOKALIKE[ch] as string);
      return chars.join('');
    });

// ---- identifier cells (C2, C9) ---------------------------------------------------------------

const ID_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789@.-_+,"\'=',
  'é',
  'ß',
  '李',
  '😀',
];
/** F6: a number in scientific notation, as a spreadsheet rewrites a long one (`1.23457E+11`). */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;
const idCoreArb = fc
  .string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 10 })
  // The alphabet can spell `1e5`, which is MANGLED_ID (F6): such a draw gets a letter after it.
  .map((id) => (SCIENTIFIC.test(id) ? `${id}x` : id));

const digitsArb = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
/** F6: ids a spreadsheet rewrote: `1.23457E+11`, `1,2E+11` (a comma locale), `12e5`, `-1E-05`. */
const mangledIdArb: fc.Arbitrary<string> = fc
  .record({
    sign: fc.constantFrom('', '', '+', '-'),
    whole: digitsArb(1, 3),
    point: fc.constantFrom('', '.', ','),
    fraction: digitsArb(1, 5),
    e: fc.constantFrom('E', 'e'),
    exponentSign: fc.constantFrom('+', '', '-'),
    exponent: digitsArb(1, 2),
  })
  .map(
    ({ sign, whole, point, fraction, e, exponentSign, exponent }) =>
      `${sign}${whole}${point === '' ? '' : point + fraction}${e}${exponentSign}${exponent}`,
  );

const validIdArb: fc.Arbitrary<Cell<string>> = padded(idCoreArb.map((id) => ok(id, id)));
const invalidIdArb: fc.Arbitrary<Cell<string>> = fc.oneof(
  padArb.map((pad) => bad<string>(pad, 'MISSING_ID')),
  padded(
    withControl(idCoreArb.map((id) => `${id}x`)).map((t) => bad<string>(t, 'CONTROL_CHARACTER')),
  ),
  padded(mangledIdArb.map((t) => bad<string>(t, 'MANGLED_ID'))),
);

// ---- Active cells (C3, R6, C9) ------------------------------------------------------------

const validActiveArb: fc.Arbitrary<Cell<StoredStatus | undefined>> = fc.oneof(
  padded(anyCase('yes').map((t) => ok<StoredStatus | undefined>(t, 'active'))),
  padded(anyCase('no').map((t) => ok<StoredStatus | undefined>(t, 'deactivated'))),
  padArb.map((pad) => ok<StoredStatus | undefined>(pad, undefined)),
);
const BAD_TOKENS = [
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
];
const invalidActiveArb: fc.Arbitrary<Cell<StoredStatus | undefined>> = fc.oneof(
  padded(
    fc
      .oneof(
        fc.constantFrom(...BAD_TOKENS),
        fc
          .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), maxLength: 6 })
          .map((s) => `x${s}`),
      )
      .map((t) => bad<StoredStatus | undefined>(t, 'INVALID_ACTIVE_VALUE')),
  ),
  padded(anyCase('expired').map((t) => bad<StoredStatus | undefined>(t, 'EXPIRED_NOT_SELECTABLE'))),
  padded(
    disguised(['yes', 'no', 'expired']).map((t) =>
      bad<StoredStatus | undefined>(t, 'LOOKALIKE_CHARACTER'),
    ),
  ),
  padded(
    withControl(fc.constantFrom('yes', 'no', 'Yes', 'No', 'expired')).map((t) =>
      bad<StoredStatus | undefined>(t, 'CONTROL_CHARACTER'),
    ),
  ),
);

// ---- expiration cells (C4, R11, C9) --------------------------------------------------------

type Expiry = number | null | undefined;
const DAY_MS = 86_400_000;
const pad2 = (n: number): string => String(n).padStart(2, '0');
const daysIn = (year: number, month: number): number => {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
};
/** Midnight UTC of a real date, years 0-9999 included. */
const utcMidnight = (year: number, month: number, day: number): number => {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
};

const yearArb = fc.oneof(fc.integer({ min: 1970, max: 2100 }), fc.integer({ min: 0, max: 9999 }));
const realDateArb = fc
  .tuple(yearArb, fc.integer({ min: 1, max: 12 }), fc.nat({ max: 30 }))
  .map(([y, m, k]) => ({ y, m, d: 1 + (k % daysIn(y, m)) }));
const ymd = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;

const isoInstantArb: fc.Arbitrary<Cell<Expiry>> = fc
  .tuple(instantMsArb(), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), fc.boolean())
  .map(([ms, offsetMin, useOffset]) => {
    const local = ms + offsetMin * 60_000;
    if (!useOffset || Math.abs(local) > 8.64e15) return ok<Expiry>(new Date(ms).toISOString(), ms);
    const sign = offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(offsetMin);
    const text = new Date(local)
      .toISOString()
      .replace('Z', `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`);
    return ok<Expiry>(text, ms);
  });

const validExpirationArb: fc.Arbitrary<Cell<Expiry>> = fc.oneof(
  padArb.map((pad) => ok<Expiry>(pad, undefined)),
  padded(anyCase('never').map((t) => ok<Expiry>(t, null))),
  padded(realDateArb.map(({ y, m, d }) => ok<Expiry>(ymd(y, m, d), utcMidnight(y, m, d) + DAY_MS))),
  padded(isoInstantArb),
);

const impossibleDateArb = fc.oneof(
  // a day past the end of its month ('2026-02-30', '2025-02-29', '2026-04-31', '2026-01-45')
  fc
    .tuple(yearArb, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 68 }))
    .map(([y, m, k]) => ymd(y, m, Math.min(99, daysIn(y, m) + k))),
  // month 00 or 13-99, day 00
  fc
    .tuple(
      yearArb,
      fc.oneof(fc.constant(0), fc.integer({ min: 13, max: 99 })),
      fc.integer({ min: 1, max: 28 }),
    )
    .map(([y, m, d]) => ymd(y, m, d)),
  realDateArb.map(({ y, m }) => ymd(y, m, 0)),
);
const NOT_DATES = [
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
];
const invalidExpirationArb: fc.Arbitrary<Cell<Expiry>> = fc.oneof(
  padded(impossibleDateArb.map((t) => bad<Expiry>(t, 'INVALID_DATE'))),
  // Excel serial numbers
  padded(
    fc
      .tuple(fc.integer({ min: 1, max: 99_999 }), fc.option(fc.integer({ min: 1, max: 99 })))
      .map(([n, f]) => bad<Expiry>(f === null ? String(n) : `${n}.${f}`, 'INVALID_DATE')),
  ),
  // date-times without an offset
  padded(
    fc
      .tuple(
        realDateArb,
        fc.constantFrom('T', ' ', 't'),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom('', ':00', ':59.999'),
      )
      .map(([{ y, m, d }, sep, h, min, rest]) =>
        bad<Expiry>(`${ymd(y, m, d)}${sep}${pad2(h)}:${pad2(min)}${rest}`, 'INVALID_DATE'),
      ),
  ),
  // day/month order that would have to be guessed
  padded(
    fc
      .tuple(realDateArb, fc.constantFrom('/', '.'))
      .map(([{ y, m, d }, sep]) =>
        bad<Expiry>(`${pad2(d)}${sep}${pad2(m)}${sep}${y}`, 'INVALID_DATE'),
      ),
  ),
  padded(fc.constantFrom(...NOT_DATES).map((t) => bad<Expiry>(t, 'INVALID_DATE'))),
  padded(disguised(['never']).map((t) => bad<Expiry>(t, 'LOOKALIKE_CHARACTER'))),
  padded(
    withControl(
      fc.oneof(
        fc.constant('Never'),
        realDateArb.map(({ y, m, d }) => ymd(y, m, d)),
      ),
    ).map((t) => bad<Expiry>(t, 'CONTROL_CHARACTER')),
  ),
);

// ---- headers and records ---------------------------------------------------------------

const ID_HEADERS = ['User ID', 'UserId', 'Username', 'Login', 'Email', 'Email Address'];
const EXPIRATION_HEADERS = ['Expiration Date', 'Expiry Date', 'Expires'];
const EXTRA_HEADERS = ['Name', 'Department', 'Notes'];

const headerCase = (names: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...names),
      fc.constantFrom('as-is', 'upper', 'lower'),
      fc.constantFrom('', ' '),
    )
    .map(
      ([name, how, pad]) =>
        pad +
        (how === 'upper' ? name.toUpperCase() : how === 'lower' ? name.toLowerCase() : name) +
        pad,
    );

type Column = 'id' | 'active' | 'expiration' | 'extra';

/** The header of a generated file or record: columns in file order with their names. */
interface Layout {
  readonly columns: readonly Column[];
  readonly names: Readonly<Record<Column, string>>;
}

const layoutArb: fc.Arbitrary<Layout> = fc
  .record({
    id: headerCase(ID_HEADERS),
    active: headerCase(['Active']),
    expiration: headerCase(EXPIRATION_HEADERS),
    extra: fc.constantFrom(...EXTRA_HEADERS),
    change: fc.constantFrom('active', 'expiration', 'both'),
    withExtra: fc.boolean(),
    order: fc.array(fc.nat({ max: 99 }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ id, active, expiration, extra, change, withExtra, order }): Layout => {
    const present: Column[] = ['id'];
    if (change !== 'expiration') present.push('active');
    if (change !== 'active') present.push('expiration');
    if (withExtra) present.push('extra');
    const rank = (column: Column): number =>
      order[['id', 'active', 'expiration', 'extra'].indexOf(column)] ?? 0;
    const columns = [...present].sort((a, b) => rank(a) - rank(b));
    return { columns, names: { id, active, expiration, extra } };
  });

interface Cells {
  readonly id: Cell<string>;
  readonly active: Cell<StoredStatus | undefined>;
  readonly expiration: Cell<Expiry>;
  readonly extra: string;
}

const extraArb = fc.string({ maxLength: 8 });

/** Cells for every column: all valid, or each valid or invalid (3 to 1). */
const cellsArb = (validOnly: boolean): fc.Arbitrary<Cells> =>
  fc.record({
    id: validOnly
      ? validIdArb
      : fc.oneof({ arbitrary: validIdArb, weight: 3 }, { arbitrary: invalidIdArb, weight: 1 }),
    active: validOnly
      ? validActiveArb
      : fc.oneof(
          { arbitrary: validActiveArb, weight: 3 },
          { arbitrary: invalidActiveArb, weight: 1 },
        ),
    expiration: validOnly
      ? validExpirationArb
      : fc.oneof(
          { arbitrary: validExpirationArb, weight: 3 },
          { arbitrary: invalidExpirationArb, weight: 1 },
        ),
    extra: extraArb,
  });

/** Cells of which at least one present column is invalid. */
const invalidCellsArb = (layout: Layout, cells: Cells, forced: Cells, pick: number): Cells => {
  const readable = layout.columns.filter((c) => c !== 'extra');
  const column = readable[pick % readable.length] as Exclude<Column, 'extra'>;
  return { ...cells, [column]: forced[column] };
};

const forcedArb: fc.Arbitrary<Cells> = fc.record({
  id: invalidIdArb,
  active: invalidActiveArb,
  expiration: invalidExpirationArb,
  extra: fc.constant(''),
});

function textOf(column: Column, cells: Cells): string {
  return column === 'extra' ? cells.extra : cells[column].text;
}

/** The outcome of a record with these cells under this header. */
function expectRecord(layout: Layout, cells: Cells): CsvRowExpectation {
  const has = (column: Column): boolean => layout.columns.includes(column);
  const codes: CsvIssueCode[] = [];
  for (const column of ['id', 'active', 'expiration'] as const) {
    const code = cells[column].code;
    if (has(column) && code !== undefined) codes.push(code);
  }
  if (codes.length > 0) return { ok: false, codes };
  const update: { userId: string; status?: StoredStatus; expiresAt?: Date | null } = {
    userId: cells.id.value as string,
  };
  const status = has('active') ? cells.active.value : undefined;
  const expiry = has('expiration') ? cells.expiration.value : undefined;
  if (status !== undefined) update.status = status;
  if (expiry !== undefined) update.expiresAt = expiry === null ? null : new Date(expiry);
  const warnings: CsvIssueCode[] =
    status === undefined && expiry === undefined ? ['NO_CHANGE'] : [];
  return { ok: true, update, warnings };
}

interface Record_ {
  readonly layout: Layout;
  readonly cells: Cells;
}

const recordArb = (valid: boolean | undefined): fc.Arbitrary<Record_> => {
  if (valid !== false) {
    return fc
      .tuple(layoutArb, cellsArb(valid === true))
      .map(([layout, cells]) => ({ layout, cells }));
  }
  return fc
    .tuple(layoutArb, cellsArb(false), forcedArb, fc.nat())
    .map(([layout, cells, forced, pick]) => ({
      layout,
      cells: invalidCellsArb(layout, cells, forced, pick),
    }));
};

/**
 * Single CSV records for `parseCsvRow`, each with the outcome it must have: cells keyed by
 * header names (any accepted identifier header, `Active` and/or an expiration header, any ASCII
 * case, padded, sometimes an extra column), and valid or invalid cells of every class in C3,
 * C4 and C9: `Yes`/`No` in any case, blank, `Never`, `YYYY-MM-DD` (R11, UTC), ISO instants with
 * `Z` or an offset; and bad `Active` tokens (`TRUE`, `0`, `n`), `Expired` (`EXPIRED_NOT_SELECTABLE`),
 * look-alike letters, full-width forms and curly quotes (`LOOKALIKE_CHARACTER`), control
 * characters (`CONTROL_CHARACTER`), impossible dates, Excel serials, date-times without an
 * offset, day/month-order dates (`INVALID_DATE`), blank identifiers (`MISSING_ID`), and
 * identifiers a spreadsheet rewrote in scientific notation, such as `1.23457E+11` or `1,2E+11`
 * (`MANGLED_ID`, F6). Expectations assume the default options (`timeZone: 'UTC'`, no extra
 * tokens or formats).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { parseCsvRow } from 'learner-status/csv';
 * import { csvValuesArb } from 'learner-status/testing';
 *
 * fc.assert(
 *   fc.property(csvValuesArb({ valid: false }), ({ values, expected }) => {
 *     const result = parseCsvRow(values);
 *     return !result.ok && !expected.ok &&
 *       result.issues.map((issue) => issue.code).join() === expected.codes.join();
 *   }),
 * );
 * ```
 *
 * @example
 * ```ts
 * import { test } from '@fast-check/vitest';
 * import { expect } from 'vitest';
 * import { parseCsvRow } from 'learner-status/csv';
 * import { csvValuesArb } from 'learner-status/testing';
 *
 * test.prop([csvValuesArb({ valid: true })])('valid records are accepted', ({ values, expected }) => {
 *   const result = parseCsvRow(values);
 *   expect(result.ok && expected.ok && result.update).toEqual(expected.ok && expected.update);
 * });
 * ```
 */
export function csvValuesArb(constraints?: CsvValuesArbConstraints): fc.Arbitrary<CsvValuesSample> {
  const c: CsvValuesArbConstraints = constraints ?? {};
  checkKeysSuggesting('constraints', c, /^valid$/);
  return recordArb(c.valid).map(({ layout, cells }) => {
    const values: Record<string, string> = {};
    for (const column of layout.columns) values[layout.names[column]] = textOf(column, cells);
    return { values, expected: expectRecord(layout, cells) };
  });
}

// ---- whole files ---------------------------------------------------------------------------

/**
 * One data row of a file from {@link csvFileArb}: the physical line where it starts (header is
 * line 1, quoted line breaks, blank lines and cleared rows counted), its raw cells keyed by
 * header as written (columns with a blank header left out, missing cells of a short row as
 * `''`), and its outcome (`COLUMN_COUNT` for a row with a value past the header; the warnings
 * `MISSING_CELLS` and `UNNAMED_COLUMN` after the row's own codes).
 *
 * @example
 * ```ts
 * import type { CsvFileRowExpectation } from 'learner-status/testing';
 *
 * const row: CsvFileRowExpectation = {
 *   line: 2,
 *   values: { Email: 'ada@example.org', Active: 'No' },
 *   expected: { ok: true, update: { userId: 'ada@example.org', status: 'deactivated' }, warnings: [] },
 * };
 * ```
 */
export interface CsvFileRowExpectation {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
  readonly expected: CsvRowExpectation;
}

/**
 * What reading a whole generated file must give: every data row in order, or the code of the
 * `LearnerStatusError` that refuses the file (C9: `UNCLOSED_QUOTE`, `INVALID_QUOTE`,
 * `DUPLICATE_HEADER`, `RESERVED_HEADER`, `MISSING_ID_COLUMN`, `AMBIGUOUS_ID_COLUMN`,
 * `MISSING_CHANGE_COLUMN`, `EMPTY_FILE`, `INVALID_ENCODING`). A refused file may yield some
 * rows before the error: apply nothing until the iteration ends.
 *
 * @example
 * ```ts
 * import type { CsvFileExpectation } from 'learner-status/testing';
 *
 * const refused: CsvFileExpectation = { ok: false, code: 'UNCLOSED_QUOTE' };
 * ```
 */
export type CsvFileExpectation =
  | { readonly ok: true; readonly rows: readonly CsvFileRowExpectation[] }
  | { readonly ok: false; readonly code: LearnerStatusErrorCode };

/**
 * A whole CSV file from {@link csvFileArb}: `text` as written, `chunks` the same file cut at
 * random places (strings, or UTF-8 bytes that may split a character) to pass to `parseCsv`,
 * and the `expected` outcome. For `INVALID_ENCODING`, `chunks` holds bytes that `text` cannot
 * show.
 *
 * @example
 * ```ts
 * import type { CsvFileSample } from 'learner-status/testing';
 *
 * const sample: CsvFileSample = {
 *   text: 'Email,Active\r\nada@example.org,No\r\n',
 *   chunks: ['Email,Act', 'ive\r', '\nada@example.org,No\r\n'],
 *   expected: {
 *     ok: true,
 *     rows: [{
 *       line: 2,
 *       values: { Email: 'ada@example.org', Active: 'No' },
 *       expected: { ok: true, update: { userId: 'ada@example.org', status: 'deactivated' }, warnings: [] },
 *     }],
 *   },
 * };
 * ```
 */
export interface CsvFileSample {
  readonly text: string;
  readonly chunks: readonly (string | Uint8Array)[];
  readonly expected: CsvFileExpectation;
}

/**
 * How a row is written against its header: all its fields; one to three extra fields, blank
 * (trailing delimiters: fine, F3) or with a value (`COLUMN_COUNT`); or one or two fields short
 * (`MISSING_CELLS` when a named column is among them, F3).
 */
type Shape = 'normal' | 'extra-field' | 'blank-extra' | 'missing-field';
interface RowPlan {
  readonly cells: Cells;
  readonly shape: Shape;
  /** How many fields are extra or missing (shapes other than `normal`), 1 to 3. */
  readonly by: number;
  readonly quoteAll: boolean;
  readonly blankBefore: readonly string[];
  /** The cells under the unnamed columns of the header (F1), blank or not. */
  readonly unnamed: readonly string[];
}

type FileError =
  | 'none'
  | 'EMPTY_FILE'
  | 'UNCLOSED_QUOTE'
  | 'INVALID_QUOTE'
  | 'DUPLICATE_HEADER'
  | 'RESERVED_HEADER'
  | 'MISSING_ID_COLUMN'
  | 'AMBIGUOUS_ID_COLUMN'
  | 'MISSING_CHANGE_COLUMN'
  | 'INVALID_ENCODING';

/**
 * Lines that read as no record: empty or white space only (C7), and the cleared rows a
 * spreadsheet writes, delimiters and white space only (F2).
 */
const BLANK_LINES = ['', ' ', '\t', ',', ',,', ' , ,\t'];
const blankLineArb = fc.constantFrom(...BLANK_LINES);

/** A cell under an unnamed column: mostly blank, else a value (`UNNAMED_COLUMN`, F1). */
const unnamedCellArb = fc.oneof(
  { arbitrary: fc.constantFrom('', ' '), weight: 2 },
  { arbitrary: fc.constantFrom('x', 'note', ' 42 ', 'Yes'), weight: 1 },
);

const rowPlanArb: fc.Arbitrary<RowPlan> = fc.record({
  cells: cellsArb(false),
  // Cross-shrinking: a failing file shrinks to rows of the normal shape where it can.
  shape: fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant<Shape>('normal'), weight: 8 },
    {
      arbitrary: fc.constantFrom<Shape>('missing-field', 'blank-extra', 'extra-field'),
      weight: 2,
    },
  ),
  by: fc.integer({ min: 1, max: 3 }),
  quoteAll: fc.boolean(),
  blankBefore: fc.array(blankLineArb, { maxLength: 2 }),
  unnamed: fc.array(unnamedCellArb, { minLength: 2, maxLength: 2 }),
});

const NEEDS_QUOTES = /[",\r\n]/;
const field = (text: string, quoteAll: boolean): string =>
  quoteAll || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;

const lineBreaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/** Blank after trimming, as C1 and F1-F3 see it. */
const isBlank = (text: string): boolean => text.trim() === '';

interface Encoder {
  encode(text: string): Uint8Array;
}
const encode = (text: string): Uint8Array =>
  new (globalThis as unknown as { TextEncoder: new () => Encoder }).TextEncoder().encode(text);

function cutAt<T extends string | Uint8Array>(whole: T, cuts: readonly number[]): T[] {
  const positions = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
  const pieces: T[] = [];
  let start = 0;
  for (const p of positions) {
    if (p <= start) continue;
    pieces.push(whole.slice(start, p) as T);
    start = p;
  }
  pieces.push(whole.slice(start) as T);
  return pieces;
}

/** `expected` with the reader's warnings (F1, F3) after the row's own codes. */
function withWarnings(
  expected: CsvRowExpectation,
  extra: readonly CsvIssueCode[],
): CsvRowExpectation {
  if (extra.length === 0) return expected;
  return expected.ok
    ? { ok: true, update: expected.update, warnings: [...expected.warnings, ...extra] }
    : { ok: false, codes: [...expected.codes, ...extra] };
}

/** A column of a generated file: one the layout names, or one with a blank header (F1). */
type FileColumn = Column | 'unnamed';

/** `cells` with the cell of `column` read as blank: a field missing from a short row (F3). */
function withBlank(cells: Cells, column: Column): Cells {
  switch (column) {
    case 'id':
      return { ...cells, id: bad<string>('', 'MISSING_ID') };
    case 'active':
      return { ...cells, active: ok<StoredStatus | undefined>('', undefined) };
    case 'expiration':
      return { ...cells, expiration: ok<Expiry>('', undefined) };
    default:
      return { ...cells, extra: '' };
  }
}

/**
 * Whole CSV files for `parseCsv`, each with its expected outcome and a random chunking: 1-6
 * data rows of {@link csvValuesArb}'s cells under a random header, LF, CRLF or CR line ends,
 * an optional BOM, blank and white-space-only lines and cleared rows (`,,`: F2) anywhere, before
 * the header too, fields quoted when needed or always (with quotes, commas and line breaks
 * inside), columns with a blank header (F1: left out of `values`; a value under one is the
 * warning `UNNAMED_COLUMN`), rows of blank cells only (skipped unless a field is quoted), rows a
 * field or more short (F3: read as blank, warning `MISSING_CELLS`), rows with blank extra fields
 * (fine) or a value past the header (`COLUMN_COUNT`), and about one file in four malformed with
 * the file-level error code it must be refused with. Expectations assume the default options.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { parseCsv } from 'learner-status/csv';
 * import { csvFileArb } from 'learner-status/testing';
 *
 * await fc.assert(
 *   fc.asyncProperty(csvFileArb(), async ({ chunks, expected }) => {
 *     const lines: number[] = [];
 *     try {
 *       for await (const row of parseCsv(chunks)) lines.push(row.line);
 *     } catch (error) {
 *       return !expected.ok && (error as { code?: string }).code === expected.code;
 *     }
 *     return expected.ok && lines.join() === expected.rows.map((row) => row.line).join();
 *   }),
 *   { numRuns: 50 },
 * );
 * ```
 */
export function csvFileArb(): fc.Arbitrary<CsvFileSample> {
  return fc
    .record({
      layout: layoutArb,
      rows: fc.array(rowPlanArb, { minLength: 1, maxLength: 6 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      bom: fc.boolean(),
      finalEol: fc.boolean(),
      leadingBlank: fc.array(blankLineArb, { maxLength: 2 }),
      trailingBlank: fc.array(blankLineArb, { maxLength: 2 }),
      quoteHeader: fc.boolean(),
      /** Where columns with a blank header go (F1), and their header text: in one file in 4. */
      unnamed: fc.oneof(
        { arbitrary: fc.constant([]), weight: 3 },
        {
          arbitrary: fc.array(fc.tuple(fc.nat(), fc.constantFrom('', ' ')), {
            minLength: 1,
            maxLength: 2,
          }),
          weight: 1,
        },
      ),
      error: fc.oneof(
        { arbitrary: fc.constant<FileError>('none'), weight: 9 },
        {
          arbitrary: fc.constantFrom<FileError>(
            'EMPTY_FILE',
            'UNCLOSED_QUOTE',
            'INVALID_QUOTE',
            'DUPLICATE_HEADER',
            'RESERVED_HEADER',
            'MISSING_ID_COLUMN',
            'AMBIGUOUS_ID_COLUMN',
            'MISSING_CHANGE_COLUMN',
            'INVALID_ENCODING',
          ),
          weight: 3,
        },
      ),
      errorPick: fc.nat(),
      bytes: fc.boolean(),
      cuts: fc.array(fc.nat(), { maxLength: 6 }),
    })
    .map((plan): CsvFileSample => {
      const { layout, eol, error, errorPick } = plan;
      let headerNames = layout.columns.map((column) => layout.names[column]);
      let named: readonly Column[] = layout.columns;
      if (error === 'DUPLICATE_HEADER') {
        const twin = headerNames[errorPick % headerNames.length] as string;
        headerNames = [...headerNames, ` ${twin.trim().toUpperCase()}`];
      } else if (error === 'RESERVED_HEADER') {
        headerNames = [
          ...headerNames,
          ['__proto__', 'constructor', 'Prototype'][errorPick % 3] as string,
        ];
      } else if (error === 'MISSING_ID_COLUMN') {
        const i = layout.columns.indexOf('id');
        headerNames = headerNames.map((name, j) =>
          j === i
            ? (['E-mail', 'Mail', 'ID', 'Emial', '\u0415mail'][errorPick % 5] as string)
            : name,
        );
      } else if (error === 'AMBIGUOUS_ID_COLUMN') {
        const mine = ID_HEADERS.findIndex(
          (h) => h.toLowerCase() === layout.names.id.trim().toLowerCase(),
        );
        headerNames = [...headerNames, ID_HEADERS[(mine + 1 + (errorPick % 5)) % 6] as string];
      } else if (error === 'MISSING_CHANGE_COLUMN') {
        named = layout.columns.filter((c) => c === 'id' || c === 'extra');
        headerNames = named.map((column) => layout.names[column]);
      }
      // F1: columns with a blank header, anywhere among the named ones.
      const dataColumns: FileColumn[] = [...named];
      for (const [at, name] of plan.unnamed) {
        const i = at % (headerNames.length + 1);
        headerNames = [...headerNames.slice(0, i), name, ...headerNames.slice(i)];
        if (i <= dataColumns.length) dataColumns.splice(i, 0, 'unnamed');
      }
      const width = dataColumns.length;
      let text = plan.bom ? '\ufeff' : '';
      for (const blank of plan.leadingBlank) text += blank + eol;
      text += headerNames.map((name) => field(name, plan.quoteHeader)).join(',');
      const rows: CsvFileRowExpectation[] = [];
      const planned = error === 'EMPTY_FILE' && errorPick % 2 === 0 ? [] : plan.rows;
      const body = error === 'EMPTY_FILE' && errorPick % 2 === 1;
      if (body) text = plan.bom ? '\ufeff' : '';
      planned.forEach((row, index) => {
        for (const blank of row.blankBefore) text += eol + blank;
        if (body) return;
        text += eol;
        if (error === 'INVALID_QUOTE' && index === errorPick % planned.length) {
          text += `ab"c,Yes${eol}`;
        }
        const line = 1 + lineBreaks(text);
        let unnamedSeen = 0;
        const full = dataColumns.map((column) =>
          column === 'unnamed' ? (row.unnamed[unnamedSeen++] ?? '') : textOf(column, row.cells),
        );
        let cells = full;
        // Extra fields: the last one holds a value (1 to 3 of them), or all are blank.
        if (row.shape === 'extra-field') cells = [...full, ...[' ', '', 'extra'].slice(3 - row.by)];
        if (row.shape === 'blank-extra') cells = [...full, ...['', ' ', '\t'].slice(0, row.by)];
        if (row.shape === 'missing-field') cells = full.slice(0, Math.max(1, width - row.by));
        text += cells.map((cell) => field(cell, row.quoteAll)).join(',');
        // F2: unquoted blank fields only: a cleared row, no record.
        if (!row.quoteAll && cells.every((cell) => isBlank(cell) && !NEEDS_QUOTES.test(cell))) {
          return;
        }
        // F1: unnamed columns are not in the values; F3: a missing cell reads as blank.
        const values: Record<string, string> = {};
        let read = row.cells;
        dataColumns.forEach((column, i) => {
          if (column === 'unnamed') return;
          values[layout.names[column]] = cells[i] ?? '';
          if (i >= cells.length) read = withBlank(read, column);
        });
        let expected: CsvRowExpectation;
        if (cells.length > width && cells.slice(width).some((cell) => !isBlank(cell))) {
          expected = { ok: false, codes: ['COLUMN_COUNT'] };
        } else {
          const warnings: CsvIssueCode[] = [];
          if (dataColumns.some((column, i) => i >= cells.length && column !== 'unnamed')) {
            warnings.push('MISSING_CELLS');
          }
          if (dataColumns.some((c, i) => c === 'unnamed' && !isBlank(cells[i] ?? ''))) {
            warnings.push('UNNAMED_COLUMN');
          }
          expected = withWarnings(expectRecord(layout, read), warnings);
        }
        rows.push({ line, values, expected });
      });
      for (const blank of plan.trailingBlank) text += eol + blank;
      if (plan.finalEol) text += eol;
      if (error === 'UNCLOSED_QUOTE') text += `${eol}"never closed,Yes${eol}`;
      const bytes = plan.bytes || error === 'INVALID_ENCODING';
      let chunks: (string | Uint8Array)[];
      if (bytes) {
        let data = encode(text);
        if (error === 'INVALID_ENCODING') {
          const at = errorPick % (data.length + 1);
          const broken = new Uint8Array(data.length + 1);
          broken.set(data.subarray(0, at), 0);
          broken[at] = 0xff;
          broken.set(data.subarray(at), at + 1);
          data = broken;
        }
        chunks = cutAt(data, plan.cuts);
      } else {
        chunks = cutAt(text, plan.cuts);
      }
      let expected: CsvFileExpectation;
      if (error !== 'none') expected = { ok: false, code: error };
      // F2: a file whose rows were all cleared has a header but no rows.
      else if (rows.length === 0) expected = { ok: false, code: 'EMPTY_FILE' };
      else expected = { ok: true, rows };
      return { text, chunks, expected };
    });
}
