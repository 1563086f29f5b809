import type { UserUpdate } from '../transitions/types.js';
import { findControlCharacter } from './text.js';

/**
 * Why a CSV row was refused (`severity: 'error'`) or what an administrator should know about
 * it (`'warning'`). Codes are stable: match on them, not on messages.
 *
 * - `MISSING_ID`: the identifier cell is blank (C2).
 * - `INVALID_ACTIVE_VALUE`: the `Active` cell is not `Yes`, `No`, blank or a configured token (C3).
 * - `EXPIRED_NOT_SELECTABLE`: the `Active` cell says `Expired`, which only the clock sets (R6, C3).
 * - `INVALID_DATE`: the expiration cell is not an accepted, real date or instant (C4, C9, R11).
 * - `CONTROL_CHARACTER`: a control or invisible character inside a value that is read (C9).
 * - `LOOKALIKE_CHARACTER`: a look-alike letter, full-width form or curly quote in a keyword (C9).
 * - `COLUMN_COUNT`: the row has more fields than the header, and an extra one holds a value (C7, F3).
 * - `FIELD_TOO_LONG`: a cell is longer than `maxFieldLength` (C9).
 * - `NO_CHANGE` (warning): every change cell is blank, so the row changes nothing (C5).
 * - `MANGLED_ID`: the identifier is a number in scientific notation (`1.23457E+11`): a
 *   spreadsheet rewrote it and the real identifier is lost (F6).
 * - `UNNAMED_COLUMN` (warning): a cell under a column with a blank header holds a value, which
 *   is not read (F1).
 * - `MISSING_CELLS` (warning): the row has fewer cells than the header; the missing ones are
 *   read as blank (F3).
 *
 * @example
 * ```ts
 * import type { CsvIssueCode } from 'learner-status/csv';
 *
 * const code: CsvIssueCode = 'INVALID_ACTIVE_VALUE';
 * ```
 */
export type CsvIssueCode =
  | 'MISSING_ID'
  | 'INVALID_ACTIVE_VALUE'
  | 'EXPIRED_NOT_SELECTABLE'
  | 'INVALID_DATE'
  | 'CONTROL_CHARACTER'
  | 'LOOKALIKE_CHARACTER'
  | 'COLUMN_COUNT'
  | 'FIELD_TOO_LONG'
  | 'NO_CHANGE'
  | 'MANGLED_ID'
  | 'UNNAMED_COLUMN'
  | 'MISSING_CELLS';

/**
 * One finding about a row (C6): `column` is the header as written in the file, `value` the raw
 * cell (cut to 200 characters), `message` says what is wrong and what to write instead.
 *
 * @example
 * ```ts
 * import type { CsvIssue } from 'learner-status/csv';
 *
 * const issue: CsvIssue = {
 *   code: 'INVALID_ACTIVE_VALUE',
 *   severity: 'error',
 *   column: 'Active',
 *   value: 'TRUE',
 *   message: "Column 'Active' must be Yes, No or blank, but it is 'TRUE'.",
 * };
 * ```
 */
export interface CsvIssue {
  readonly code: CsvIssueCode;
  readonly severity: 'error' | 'warning';
  readonly column?: string;
  readonly value?: string;
  readonly message: string;
}

/**
 * What one row asks for: `ok: true` with the `update` (a field is absent when the file leaves
 * it unchanged) and warnings, or `ok: false` with at least one error.
 *
 * @example
 * ```ts
 * import { parseCsvRow, type CsvRowResult } from 'learner-status/csv';
 *
 * const result: CsvRowResult = parseCsvRow({ Email: 'ada@example.org', Active: 'No' });
 * if (result.ok) result.update.status; // 'deactivated'
 * ```
 */
export type CsvRowResult =
  | { readonly ok: true; readonly update: UserUpdate; readonly issues: readonly CsvIssue[] }
  | { readonly ok: false; readonly issues: readonly CsvIssue[] };

const VALUE_DISPLAY_LIMIT = 200;

/** Builds an error issue; the value is cut so a huge cell cannot bloat a report. */
export function rowError(
  code: CsvIssueCode,
  column: string | undefined,
  value: string | undefined,
  message: string,
): CsvIssue {
  return makeIssue(code, 'error', column, value, message);
}

export function makeIssue(
  code: CsvIssueCode,
  severity: 'error' | 'warning',
  column: string | undefined,
  value: string | undefined,
  message: string,
): CsvIssue {
  const issue: {
    code: CsvIssueCode;
    severity: 'error' | 'warning';
    column?: string;
    value?: string;
    message: string;
  } = {
    code,
    severity,
    message,
  };
  if (column !== undefined) issue.column = column;
  if (value !== undefined) issue.value = value.slice(0, VALUE_DISPLAY_LIMIT);
  return issue;
}

/**
 * A value quoted for a message: shortened, with control and invisible characters written as
 * `\uXXXX` so that the message shows what is really in the cell.
 */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  let out = '';
  for (const char of shown) {
    out +=
      findControlCharacter(char) === undefined
        ? char
        : `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`;
  }
  return `'${out}'`;
}
