import { assertTimeZone } from '../dates/zone.js';
import { LearnerStatusError } from '../errors.js';
import { closestName, isWholeNumber } from '../options.js';
import type { DateFns, NextDay } from './date-fns.js';
import { type CsvEncoding, ENCODING_LABELS } from './encodings.js';
import { checkDateFormat } from './expiration-cell.js';
import { asciiLower, findControlCharacter, normalizeHeader } from './text.js';

/**
 * Options of `parseCsv`, `parseCsvRow` and `formatCsvReport`. Every key is checked when the
 * function is called: an unknown key or a bad value throws `INVALID_OPTION`, never ignored.
 *
 * - `idColumn`: the header of the identifier column, matched like every header (C1). Default:
 *   the one column among `User ID`, `UserId`, `Username`, `Login`, `Email`, `Email Address`.
 * - `timeZone`: IANA zone for date-only expiration dates (R11). Default `'UTC'`. Another zone
 *   loads @date-fns/tz on first use: `parseCsvRow` needs `await loadCsvDates()` first.
 * - `dateFormats`: date-fns patterns for date-only expiration dates accepted in addition to
 *   `YYYY-MM-DD`, such as `'dd/MM/yyyy'`; their letters are checked when the function is
 *   called, their round trip when date-fns is loaded, before the first row (C4). date-fns is
 *   loaded only for them: `parseCsvRow` needs `await loadCsvDates()` first.
 * - `activeValues`: extra tokens for the `Active` column, such as `{ yes: ['TRUE'], no: ['FALSE'] }`.
 * - `maxBytes` (default 256 MiB), `maxRows` (data rows, default 2,000,000),
 *   `maxFieldLength` (characters per cell, default 10,000): limits (C9).
 * - `delimiter` (F4): `','`, `';'`, `'\t'`, `'|'`, or `'auto'` (the default): the first of
 *   those under which the header names a user column and a change column. A first line
 *   `sep=;` (Excel's hint) sets it too.
 * - `encoding` (F5): `'utf-8'` (the default), `'utf-16le'`, `'utf-16be'`, `'windows-1252'`
 *   (also named `'latin1'` and `'iso-8859-1'`), for bytes. A byte order mark wins over it.
 * - `onHeader` (F4, F5): called once with the header, the delimiter and the encoding that
 *   were used, before the first row.
 *
 * @example
 * ```ts
 * import { parseCsv, type CsvOptions } from 'learner-status/csv';
 *
 * const options: CsvOptions = { idColumn: 'Employee Number', timeZone: 'Europe/Berlin', dateFormats: ['dd.MM.yyyy'] };
 * for await (const row of parseCsv('Employee Number,Active\n1042,No\n', options)) console.log(row.result);
 * ```
 */
export interface CsvOptions {
  readonly idColumn?: string | undefined;
  readonly timeZone?: string | undefined;
  readonly dateFormats?: readonly string[] | undefined;
  readonly activeValues?:
    | { readonly yes?: readonly string[] | undefined; readonly no?: readonly string[] | undefined }
    | undefined;
  readonly maxBytes?: number | undefined;
  readonly maxRows?: number | undefined;
  readonly maxFieldLength?: number | undefined;
  readonly delimiter?: CsvDelimiter | 'auto' | undefined;
  readonly encoding?: CsvEncoding | 'latin1' | 'iso-8859-1' | undefined;
  readonly onHeader?: ((header: CsvHeader) => void) | undefined;
}

/**
 * A field delimiter `parseCsv` reads (F4): comma, semicolon (Excel in most of Europe), tab
 * (Excel "Unicode Text", TSV) or `|`.
 *
 * @example
 * ```ts
 * import type { CsvDelimiter } from 'learner-status/csv';
 *
 * const european: CsvDelimiter = ';';
 * ```
 */
export type CsvDelimiter = ',' | ';' | '\t' | '|';

/**
 * What `onHeader` receives (F4, F5): the header's physical line and cells as written, and the
 * delimiter and encoding the file was read with, known before its first row.
 *
 * @example
 * ```ts
 * import { parseCsv, type CsvHeader } from 'learner-status/csv';
 *
 * let header: CsvHeader | undefined;
 * for await (const row of parseCsv('Email;Active\nada@example.org;No\n', { onHeader: (h) => (header = h) })) {
 *   console.log(header?.delimiter, row.line); // ';' 2
 * }
 * ```
 */
export interface CsvHeader {
  readonly line: number;
  readonly columns: readonly string[];
  readonly delimiter: CsvDelimiter;
  readonly encoding: CsvEncoding;
}

/**
 * The default limits (C9): `maxBytes` 256 MiB, `maxRows` 2,000,000, `maxFieldLength` 10,000.
 *
 * @example
 * ```ts
 * import { CSV_LIMITS, parseCsv } from 'learner-status/csv';
 *
 * const upload = 'Email,Active\r\nada@example.org,Yes\r\n';
 * const rows = parseCsv(upload, { maxRows: CSV_LIMITS.maxRows / 20 }); // 100,000 rows at most
 * ```
 */
export const CSV_LIMITS = Object.freeze({
  maxBytes: 256 * 1024 * 1024,
  maxRows: 2_000_000,
  maxFieldLength: 10_000,
});

/**
 * Options after validation, with lookup tables built once per call. Internal.
 *
 * @example
 * ```ts
 * const resolved: ResolvedCsvOptions = resolveCsvOptions({ timeZone: 'Europe/Berlin' });
 * resolved.yes.has('yes'); // true
 * ```
 */
export interface ResolvedCsvOptions {
  /** The normalised `idColumn`, or undefined for the default candidates. */
  readonly idColumn: string | undefined;
  readonly timeZone: string;
  readonly dateFormats: readonly string[];
  /** ASCII lower-case tokens. */
  readonly yes: ReadonlySet<string>;
  readonly no: ReadonlySet<string>;
  /** The accepted `Active` values, for messages: `Yes, No` and the configured extras. */
  readonly activeList: string;
  readonly maxBytes: number;
  readonly maxRows: number;
  readonly maxFieldLength: number;
  /** The delimiter, or undefined for `'auto'`. */
  readonly delimiter: CsvDelimiter | undefined;
  /** The encoding asked for, or undefined for UTF-8 unless a byte order mark says otherwise. */
  readonly encoding: CsvEncoding | undefined;
  readonly onHeader: ((header: CsvHeader) => void) | undefined;
  /** yyyymmdd to epoch ms: R11 costs a time-zone computation, and files repeat dates. */
  readonly dateCache: Map<number, number>;
  /** date-fns, when there are `dateFormats`: set before the first row (src/csv/date-fns.ts). */
  dateFns: DateFns | undefined;
  /** R11 in `timeZone` when it is not UTC: set before the first row (src/csv/date-fns.ts). */
  nextDay: NextDay | undefined;
}

const KEYS = new Set([
  'idColumn',
  'timeZone',
  'dateFormats',
  'activeValues',
  'maxBytes',
  'maxRows',
  'maxFieldLength',
  'delimiter',
  'encoding',
  'onHeader',
]);
const DELIMITERS: ReadonlyMap<unknown, CsvDelimiter | undefined> = new Map([
  [',', ','],
  [';', ';'],
  ['\t', '\t'],
  ['|', '|'],
  ['auto', undefined],
]);
const CHANGE_HEADERS = new Set(['active', 'expiration date', 'expiry date', 'expires']);
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function invalid(field: string, message: string, cause?: unknown): LearnerStatusError {
  return new LearnerStatusError(
    'INVALID_OPTION',
    message,
    cause === undefined ? { field } : { field, cause },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function limit(options: Record<string, unknown>, key: keyof typeof CSV_LIMITS): number {
  const value = options[key];
  if (value === undefined) return CSV_LIMITS[key];
  if (!(isWholeNumber(value, 1) || value === Number.POSITIVE_INFINITY)) {
    throw invalid(
      key,
      `Option \`${key}\` must be a positive whole number (or Infinity for no limit), but it is ${String(value)}.`,
    );
  }
  return value as number;
}

function tokens(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw invalid(field, `Option \`${field}\` must be an array of strings such as ['TRUE'].`);
  return value.map((token: unknown) => {
    if (
      typeof token !== 'string' ||
      token.trim() === '' ||
      findControlCharacter(token.trim()) !== undefined
    ) {
      throw invalid(
        field,
        `Option \`${field}\` must hold non-blank strings without control characters, but it holds ${JSON.stringify(token)}.`,
      );
    }
    const lowered = asciiLower(token.trim());
    if (lowered === 'expired') {
      throw invalid(
        field,
        `Option \`${field}\` cannot hold 'Expired': expired is never chosen, it follows from the expiration date (R6).`,
      );
    }
    return lowered;
  });
}

function delimiterOption(value: unknown): CsvDelimiter | undefined {
  if (value === undefined || DELIMITERS.has(value)) return DELIMITERS.get(value);
  throw invalid(
    'delimiter',
    `Option \`delimiter\` must be ',', ';', '\\t' (tab), '|' or 'auto', but it is ${JSON.stringify(value)}.`,
  );
}

function encodingOption(value: unknown): CsvEncoding | undefined {
  if (value === undefined) return undefined;
  const encoding =
    typeof value === 'string' ? ENCODING_LABELS.get(asciiLower(value.trim())) : undefined;
  if (encoding !== undefined) return encoding;
  throw invalid(
    'encoding',
    `Option \`encoding\` must be 'utf-8', 'utf-16le', 'utf-16be' or 'windows-1252' (also 'latin1', 'iso-8859-1'), but it is ${JSON.stringify(value)}. Excel's "CSV (Comma delimited)" is 'windows-1252'.`,
  );
}

function onHeaderOption(value: unknown): ((header: CsvHeader) => void) | undefined {
  if (value === undefined || typeof value === 'function') {
    return value as ((header: CsvHeader) => void) | undefined;
  }
  throw invalid(
    'onHeader',
    'Option `onHeader` must be a function, such as (header) => console.log(header.delimiter).',
  );
}

/**
 * Checks `options` (C3, C4, C9) and prepares what the parsers look up per row. Throws
 * `INVALID_OPTION` naming the option and what to write instead. Internal.
 *
 * @example
 * ```ts
 * resolveCsvOptions({ activeValues: { yes: ['TRUE'] } }).activeList; // "Yes, No, 'true'"
 * resolveCsvOptions({ timezone: 'UTC' }); // throws INVALID_OPTION: unknown option `timezone`
 * ```
 */
export function resolveCsvOptions(options: unknown): ResolvedCsvOptions {
  if (options === undefined) options = {};
  if (!isRecord(options))
    throw invalid(
      'options',
      'The options must be an object such as { timeZone: "UTC" }, or left out.',
    );
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) {
      throw invalid(
        key,
        `Unknown option \`${key}\`.${suggestion(key, [...KEYS])} The CSV options are: ${[...KEYS].join(', ')}.`,
      );
    }
  }
  let idColumn: string | undefined;
  if (options['idColumn'] !== undefined) {
    const raw = options['idColumn'];
    if (typeof raw !== 'string' || raw.trim() === '') {
      throw invalid(
        'idColumn',
        'Option `idColumn` must be the non-blank header of the identifier column, such as "Employee Number".',
      );
    }
    idColumn = normalizeHeader(raw);
    if (CHANGE_HEADERS.has(idColumn) || RESERVED.has(idColumn)) {
      throw invalid(
        'idColumn',
        `Option \`idColumn\` cannot be ${JSON.stringify(raw)}: that header is reserved for a change column or is not allowed.`,
      );
    }
  }
  const timeZone = options['timeZone'] ?? 'UTC';
  try {
    assertTimeZone(timeZone, 'timeZone');
  } catch (error) {
    throw invalid(
      'timeZone',
      `Option \`timeZone\` must be an IANA time zone name such as 'UTC' or 'Europe/London', but it is ${JSON.stringify(timeZone)}.`,
      error,
    );
  }
  const dateFormats = options['dateFormats'] ?? [];
  if (!Array.isArray(dateFormats))
    throw invalid(
      'dateFormats',
      'Option `dateFormats` must be an array of date-fns patterns such as ["dd/MM/yyyy"].',
    );
  for (const format of dateFormats as unknown[]) {
    const problem = checkDateFormat(format);
    if (problem !== undefined) throw invalid('dateFormats', `Option \`dateFormats\`: ${problem}`);
  }
  const activeValues = options['activeValues'];
  if (activeValues !== undefined && !isRecord(activeValues)) {
    throw invalid(
      'activeValues',
      "Option `activeValues` must be an object such as { yes: ['TRUE'], no: ['FALSE'] }.",
    );
  }
  for (const key of Object.keys(activeValues ?? {})) {
    if (key !== 'yes' && key !== 'no')
      throw invalid(
        `activeValues.${key}`,
        `Unknown key \`activeValues.${key}\`: use \`yes\` and \`no\`.`,
      );
  }
  const yes = new Set(['yes', ...tokens(activeValues?.['yes'], 'activeValues.yes')]);
  const no = new Set(['no', ...tokens(activeValues?.['no'], 'activeValues.no')]);
  for (const token of yes) {
    if (no.has(token))
      throw invalid(
        'activeValues',
        `Option \`activeValues\`: ${JSON.stringify(token)} cannot mean both Yes and No.`,
      );
  }
  const extras = [...yes, ...no].filter((token) => token !== 'yes' && token !== 'no');
  return {
    idColumn,
    timeZone,
    dateFormats: [...(dateFormats as string[])],
    yes,
    no,
    activeList: ['Yes', 'No', ...extras.map((token) => `'${token}'`)].join(', '),
    maxBytes: limit(options, 'maxBytes'),
    maxRows: limit(options, 'maxRows'),
    maxFieldLength: limit(options, 'maxFieldLength'),
    delimiter: delimiterOption(options['delimiter']),
    encoding: encodingOption(options['encoding']),
    onHeader: onHeaderOption(options['onHeader']),
    dateCache: new Map(),
    dateFns: undefined,
    nextDay: undefined,
  };
}

/** " Did you mean `timeZone`?" for a misspelt option, or nothing. */
function suggestion(key: string, known: readonly string[]): string {
  const near = closestName(key, known);
  return near === undefined ? '' : ` Did you mean \`${near}\`?`;
}
