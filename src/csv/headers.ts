import { LearnerStatusError } from '../errors.js';
import type { ResolvedCsvOptions } from './options.js';
import {
  codePointName,
  findControlCharacter,
  isControlOrInvisible,
  lookalikeHint,
  normalizeHeader,
} from './text.js';

/** C2: the identifier headers accepted when the caller names none (normalised). */
export const DEFAULT_ID_HEADERS: readonly string[] = [
  'user id',
  'userid',
  'username',
  'login',
  'email',
  'email address',
];
const ACTIVE_HEADER = 'active';
const EXPIRATION_HEADERS: readonly string[] = ['expiration date', 'expiry date', 'expires'];
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const KNOWN = new Set([...DEFAULT_ID_HEADERS, ACTIVE_HEADER, ...EXPIRATION_HEADERS]);

/** Where the columns that matter are, by index into the header row; -1 when absent. */
export interface HeaderLayout {
  /** The header names exactly as written in the file: the keys of every row's `values`. */
  readonly names: readonly string[];
  readonly idIndex: number;
  readonly activeIndex: number;
  readonly expirationIndex: number;
  /** F1: the indexes of columns whose header cell is blank, which are never read. */
  readonly unnamed: readonly number[];
}

/**
 * F4: whether `names` has what a header needs, a column that names the user (C2) and a change
 * column (C5): what `'auto'` looks for under each delimiter.
 *
 * @example
 * ```ts
 * headerQualifies(['Email', 'Active'], resolveCsvOptions(undefined)); // true
 * headerQualifies(['Email;Active'], resolveCsvOptions(undefined)); // false
 * ```
 */
export function headerQualifies(names: readonly string[], options: ResolvedCsvOptions): boolean {
  let id = false;
  let change = false;
  for (const name of names) {
    const key = normalizeHeader(name);
    if (
      options.idColumn === undefined ? DEFAULT_ID_HEADERS.includes(key) : key === options.idColumn
    )
      id = true;
    if (key === ACTIVE_HEADER || EXPIRATION_HEADERS.includes(key)) change = true;
  }
  return id && change;
}

function refuse(
  code:
    | 'DUPLICATE_HEADER'
    | 'RESERVED_HEADER'
    | 'MISSING_ID_COLUMN'
    | 'AMBIGUOUS_ID_COLUMN'
    | 'MISSING_CHANGE_COLUMN'
    | 'LOOKALIKE_HEADER',
  message: string,
  line: number | undefined,
  field?: string,
): LearnerStatusError {
  const where = line === undefined ? '' : `Line ${line}: `;
  const details: { line?: number; field?: string } = {};
  if (line !== undefined) details.line = line;
  if (field !== undefined) details.field = field;
  return new LearnerStatusError(code, where + message, details);
}

/**
 * Why `name` only looks like one of `targets`: a look-alike letter, a full-width form or a
 * curly quote, or an invisible character inside it (`Active` + U+200B). Undefined otherwise.
 */
function misleading(name: string, targets: ReadonlySet<string>): string | undefined {
  const trimmed = name.trim();
  const hint = lookalikeHint(trimmed, targets);
  if (hint !== undefined) return hint;
  const hidden = findControlCharacter(trimmed);
  if (hidden === undefined) return undefined;
  let shown = '';
  for (const char of trimmed) if (!isControlOrInvisible(char.charCodeAt(0))) shown += char;
  const visible = normalizeHeader(shown);
  if (!targets.has(visible)) return undefined;
  return `it holds ${codePointName(hidden)}, an invisible character; retype the header`;
}

function lookalikeNote(names: readonly string[], wanted: Iterable<string>): string {
  const targets = new Set(wanted);
  for (const name of names) {
    const why = misleading(name, targets);
    if (why !== undefined) return ` Header '${name.trim()}' looks right but ${why}.`;
  }
  return '';
}

/**
 * C1, C2, C5, C9, F1: finds the identifier and change columns of a header row, or throws the
 * file-level error that says how to fix the header. `line` is the header's physical line.
 * Internal.
 *
 * @example
 * ```ts
 * resolveHeaders(['Email', ' ACTIVE ', ''], resolveCsvOptions(undefined), 1);
 * // { names: ['Email', ' ACTIVE ', ''], idIndex: 0, activeIndex: 1, expirationIndex: -1, unnamed: [2] }
 * ```
 */
export function resolveHeaders(
  names: readonly string[],
  options: ResolvedCsvOptions,
  line?: number,
): HeaderLayout {
  const seen = new Map<string, string>();
  const idCandidates: number[] = [];
  let activeIndex = -1;
  let expirationIndex = -1;
  const unnamed: number[] = [];
  const list = names
    .filter((name) => name.trim() !== '')
    .map((name) => `'${name.trim().replaceAll('\u0000', '')}'`)
    .join(', ');
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string;
    const key = normalizeHeader(name);
    // F1: a blank header cell (padding a spreadsheet left) names no column.
    if (key === '') {
      unnamed.push(index);
      continue;
    }
    if (RESERVED.has(key)) {
      throw refuse(
        'RESERVED_HEADER',
        `the header '${name.trim()}' is not allowed (it could tamper with objects built from the rows). Rename the column.`,
        line,
        name,
      );
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw refuse(
        'DUPLICATE_HEADER',
        `the headers '${earlier.trim()}' and '${name.trim()}' name the same column. Keep one of them.`,
        line,
        name,
      );
    }
    seen.set(key, name);
    if (
      options.idColumn === undefined ? DEFAULT_ID_HEADERS.includes(key) : key === options.idColumn
    )
      idCandidates.push(index);
    if (key === ACTIVE_HEADER) activeIndex = index;
    if (EXPIRATION_HEADERS.includes(key)) {
      if (expirationIndex !== -1) {
        throw refuse(
          'DUPLICATE_HEADER',
          `the headers '${(names[expirationIndex] as string).trim()}' and '${name.trim()}' both name the expiration date. Keep one of them.`,
          line,
          name,
        );
      }
      expirationIndex = index;
    }
  }
  if (idCandidates.length === 0) {
    // UTF-16 read as UTF-8 puts a NUL beside every ASCII letter: say what the file probably is.
    const utf16 = names.some((name) => name.includes('\u0000'))
      ? " The header holds NUL characters between its letters: the file is probably UTF-16 without a byte order mark. Pass its encoding (option encoding, 'utf-16le' or 'utf-16be'), or save it as CSV UTF-8."
      : '';
    const wanted =
      options.idColumn === undefined
        ? 'one of User ID, UserId, Username, Login, Email, Email Address'
        : `'${options.idColumn}' (option idColumn)`;
    throw refuse(
      'MISSING_ID_COLUMN',
      `no column names the user: expected ${wanted}, found ${list || 'no named column'}.${lookalikeNote(names, options.idColumn === undefined ? DEFAULT_ID_HEADERS : [options.idColumn])} Rename the column or set the option idColumn.${utf16}`,
      line,
    );
  }
  if (idCandidates.length > 1) {
    const found = idCandidates.map((index) => `'${(names[index] as string).trim()}'`).join(' and ');
    throw refuse(
      'AMBIGUOUS_ID_COLUMN',
      `the columns ${found} could each name the user. Set the option idColumn to the one that identifies users, or remove the others.`,
      line,
    );
  }
  if (activeIndex === -1 && expirationIndex === -1) {
    throw refuse(
      'MISSING_CHANGE_COLUMN',
      `the file changes nothing: it needs a column 'Active' (Yes/No) or 'Expiration Date' (also 'Expiry Date', 'Expires'), found ${list || 'no named column'}.${lookalikeNote(names, KNOWN)}`,
      line,
    );
  }
  // C9: in a file that has the columns it needs, a header that only looks like a known one
  // (`Аctive` with a Cyrillic А, `Active` with a zero-width space) would be an ignored extra
  // column, its cells silently unread. (Without them, the errors above name it in a hint.)
  const targets = options.idColumn === undefined ? KNOWN : new Set([...KNOWN, options.idColumn]);
  for (const name of names) {
    if (targets.has(normalizeHeader(name))) continue;
    const why = misleading(name, targets);
    if (why !== undefined) {
      throw refuse(
        'LOOKALIKE_HEADER',
        `the header '${name.trim()}' looks like a column this file can use, but ${why}.`,
        line,
        name,
      );
    }
  }
  return { names, idIndex: idCandidates[0] as number, activeIndex, expirationIndex, unnamed };
}
