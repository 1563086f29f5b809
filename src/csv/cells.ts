import type { StoredStatus } from '../status/types.js';
import { type CsvIssue, quote, rowError } from './issues.js';
import type { ResolvedCsvOptions } from './options.js';
import {
  asciiLower,
  codePointName,
  findControlCharacter,
  isPrintableAscii,
  lookalikeHint,
  trimCell,
} from './text.js';

/** A number in scientific notation, with a decimal point or comma: `1.23457E+11`, `1,2E+11`. */
const MANGLED = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;

/**
 * C2, C9, F6: the identifier, trimmed and otherwise exactly as written (never read as a number or
 * a prefix), or an issue when it is blank, holds a control character, or is a number that a
 * spreadsheet rewrote in scientific notation.
 */
export function readIdCell(raw: string, column: string, unusual: boolean): string | CsvIssue {
  const id = trimCell(raw);
  if (id === '') {
    return rowError(
      'MISSING_ID',
      column,
      raw,
      `Column '${column}' is blank, so the row names no user. Fill it in, or delete the row if it is an empty spreadsheet row.`,
    );
  }
  // F6: only a spreadsheet writes an id this way, after rounding a long number: the real one
  // is lost. The first test keeps the regular expression off emails and names.
  const first = id.charCodeAt(0);
  if (((first >= 48 && first <= 57) || first === 43 || first === 45) && MANGLED.test(id)) {
    return rowError(
      'MANGLED_ID',
      column,
      raw,
      `Column '${column}' has ${quote(id)}, a number the spreadsheet rewrote in scientific notation: the real identifier is lost. Format the column as Text in the spreadsheet, type or paste the identifiers again, and export again.`,
    );
  }
  // `unusual` is false only when the tokenizer saw nothing but printable ASCII in the cell.
  if (unusual && !isPrintableAscii(id)) {
    const control = findControlCharacter(id);
    if (control !== undefined) {
      return rowError(
        'CONTROL_CHARACTER',
        column,
        raw,
        `Column '${column}' contains the control character ${codePointName(control)} in ${quote(id)}, so it cannot match a user exactly. Remove it.`,
      );
    }
  }
  return id;
}

/**
 * C3: `Yes` is active, `No` deactivated (any ASCII case, trimmed), plus the caller's tokens;
 * blank is undefined (unchanged). No truthiness: everything else is an issue, and `Expired`
 * gets its own code because only the expiration date can make a learner expired (R6).
 */
export function readActiveCell(
  raw: string,
  column: string,
  options: ResolvedCsvOptions,
): StoredStatus | undefined | CsvIssue {
  const exact = yesOrNo(raw);
  if (exact !== undefined) return exact;
  const text = trimCell(raw);
  if (text === '') return undefined;
  const trimmed = yesOrNo(text);
  if (trimmed !== undefined) return trimmed;
  if (isPrintableAscii(text)) {
    const token = text.toLowerCase();
    if (options.yes.has(token)) return 'active';
    if (options.no.has(token)) return 'deactivated';
    if (token === 'expired') {
      return rowError(
        'EXPIRED_NOT_SELECTABLE',
        column,
        raw,
        `Column '${column}' says ${quote(text)}, but Expired cannot be chosen: it follows from the expiration date. Write Yes or No here and set the expiration date instead.`,
      );
    }
  } else {
    const control = findControlCharacter(text);
    if (control !== undefined) {
      return rowError(
        'CONTROL_CHARACTER',
        column,
        raw,
        `Column '${column}' contains the control character ${codePointName(control)} in ${quote(text)}. Remove it and write ${options.activeList} or leave it blank.`,
      );
    }
    const hint = lookalikeHint(text, new Set([...options.yes, ...options.no, 'expired']));
    if (hint !== undefined) {
      return rowError(
        'LOOKALIKE_CHARACTER',
        column,
        raw,
        `Column '${column}' has ${quote(text)}: ${hint}. Accepted: ${options.activeList}, or blank.`,
      );
    }
    const lowered = asciiLower(text);
    if (options.yes.has(lowered)) return 'active';
    if (options.no.has(lowered)) return 'deactivated';
  }
  return rowError(
    'INVALID_ACTIVE_VALUE',
    column,
    raw,
    `Column '${column}' must be ${options.activeList}, or blank to keep the status, but it is ${quote(text)}.`,
  );
}

/**
 * The common spellings without allocating: `yes` or `no` in any ASCII case. `c | 32` lowers
 * an ASCII letter, and only 'Y' and 'y' give 'y' (and so on), so the test is exact.
 */
function yesOrNo(text: string): StoredStatus | undefined {
  if (text.length === 3) {
    if (
      (text.charCodeAt(0) | 32) === 121 &&
      (text.charCodeAt(1) | 32) === 101 &&
      (text.charCodeAt(2) | 32) === 115
    )
      return 'active';
  } else if (text.length === 2) {
    if ((text.charCodeAt(0) | 32) === 110 && (text.charCodeAt(1) | 32) === 111)
      return 'deactivated';
  }
  return undefined;
}
