/**
 * Every error code that learner-status throws. Codes are stable: match on `error.code`,
 * never on the message, and never with `instanceof` (which breaks across duplicated
 * installs and realms).
 *
 * @example
 * ```ts
 * import { effectiveStatus, isLearnerStatusError } from 'learner-status';
 *
 * try {
 *   effectiveStatus({ id: 'u1', status: 'active', expiresAt: new Date(NaN) }, new Date());
 * } catch (error) {
 *   if (isLearnerStatusError(error) && error.code === 'INVALID_USER') {
 *     console.log(error.message); // names the field and says what to fix
 *   }
 * }
 * ```
 */
export type LearnerStatusErrorCode =
  // Records and arguments (R6, R11, R12)
  | 'INVALID_USER'
  | 'INVALID_DATE'
  | 'INVALID_TIME_ZONE'
  | 'INVALID_STATUS'
  | 'EXPIRED_NOT_SELECTABLE'
  | 'INVALID_OPTION'
  // CSV files refused whole (C1, C2, C5, C9)
  | 'UNCLOSED_QUOTE'
  | 'INVALID_QUOTE'
  | 'DUPLICATE_HEADER'
  | 'RESERVED_HEADER'
  | 'MISSING_ID_COLUMN'
  | 'AMBIGUOUS_ID_COLUMN'
  | 'MISSING_CHANGE_COLUMN'
  | 'LOOKALIKE_HEADER'
  | 'EMPTY_FILE'
  | 'INVALID_ENCODING'
  | 'TOO_LARGE'
  | 'INVALID_INPUT'
  // Workbooks (F8), refused whole; `TOO_LARGE` (unzipped data over `maxBytes`) and
  // `INVALID_INPUT` apply to them too.
  /** Not an .xlsx: not a zip, or a zip without `xl/workbook.xml` (a .docx, a renamed CSV, ...). */
  | 'NOT_A_WORKBOOK'
  /** A password-protected workbook: its data can be read only after the password is removed. */
  | 'ENCRYPTED_WORKBOOK'
  /** An Excel 97-2003 `.xls` file: to be saved again as `.xlsx` or CSV UTF-8. */
  | 'LEGACY_XLS'
  /** The workbook has no worksheet of the requested name (`field` is `'sheet'`). */
  | 'SHEET_NOT_FOUND'
  // Stores and bulk updates (S1-S4)
  | 'STORE_FAILED'
  | 'CHANGE_LIMIT_EXCEEDED';

/**
 * Extra facts an error carries, for logs and reports.
 *
 * @example
 * ```ts
 * import { LearnerStatusError, type LearnerStatusErrorDetails } from 'learner-status';
 *
 * const details: LearnerStatusErrorDetails = { field: 'Active', line: 12 };
 * throw new LearnerStatusError('INVALID_INPUT', 'Line 12: the file ends inside a field.', details);
 * ```
 */
export interface LearnerStatusErrorDetails {
  /** The field, option or column the error is about. */
  readonly field?: string;
  /** The physical line of a CSV file where the problem was found (header is line 1). */
  readonly line?: number;
  /** The underlying error, when one was caught and translated. */
  readonly cause?: unknown;
}

/**
 * The one error type of learner-status. `code` is stable; `message` says what is wrong and
 * what to do about it; `field` and `line` locate the problem when that is known.
 *
 * @example
 * ```ts
 * import { LearnerStatusError } from 'learner-status';
 *
 * const error = new LearnerStatusError('INVALID_DATE', '`now` must be a valid Date.', { field: 'now' });
 * console.log(error.code, error.field); // INVALID_DATE now
 * ```
 */
export class LearnerStatusError extends Error {
  /** The stable, machine-readable code. */
  declare readonly code: LearnerStatusErrorCode;
  /** The field, option or column the error is about, when known. */
  declare readonly field: string | undefined;
  /** The physical CSV line (header is line 1), when the error is about a file. */
  declare readonly line: number | undefined;

  constructor(
    code: LearnerStatusErrorCode,
    message: string,
    details: LearnerStatusErrorDetails = {},
  ) {
    // `details` doubles as the ErrorOptions: Error reads only its `cause`.
    super(message, details);
    // `line` always: JavaScriptCore (Bun, Safari) gives every Error an own `line`, the source
    // line that created it, and an error about no CSV line must not read as one about that.
    Object.assign(this, details, { name: 'LearnerStatusError', code, line: details.line });
  }
}

/**
 * Tells whether a caught value is a {@link LearnerStatusError}, by shape rather than by
 * `instanceof`, so that errors from a second copy of the package are recognised too.
 *
 * @example
 * ```ts
 * import { isLearnerStatusError, setExpiration } from 'learner-status';
 *
 * try {
 *   setExpiration({ id: 'u1', status: 'active', expiresAt: null }, null, { now: new Date('nope') });
 * } catch (error) {
 *   console.log(isLearnerStatusError(error) ? error.code : 'unexpected'); // INVALID_DATE
 * }
 * ```
 */
export function isLearnerStatusError(value: unknown): value is LearnerStatusError {
  return (
    value instanceof Error &&
    value.name === 'LearnerStatusError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** Describes a value for an error message, briefly, without dumping it whole. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  // Objects may have no prototype (CSV rows) or a throwing toString: never call it.
  if (typeof value === 'object' && value !== null) {
    return value instanceof Date ? 'an Invalid Date' : 'an object';
  }
  return String(value).slice(0, 40);
}

/**
 * The one shape of an argument or data error: "`field` must be <expectation>." The offending
 * value is left out on purpose: messages end up in logs, and values are often personal data.
 * One template also keeps messages consistent, and small on the login path.
 */
export function mustBe(
  code: LearnerStatusErrorCode,
  field: string,
  expectation: string,
): LearnerStatusError {
  return new LearnerStatusError(code, `\`${field}\` must be ${expectation}.`, { field });
}
