import { mustBe } from '../errors.js';
import { checkKeys } from '../options.js';

/**
 * Options of `checkLogin` and `checkSession`.
 *
 * @example
 * ```ts
 * import { checkLogin, type LoginOptions } from 'learner-status';
 *
 * const options: LoginOptions = { maxSessionMs: 8 * 60 * 60 * 1000 }; // a working day
 * checkLogin({ id: 'u1', status: 'active', expiresAt: null }, new Date(), options);
 * ```
 */
export interface LoginOptions {
  /**
   * The longest a session may last, in milliseconds: a positive whole number (a fraction of a
   * millisecond would end a session at the instant it starts). With `checkLogin` it counts
   * from `now`; with `checkSession` from the session's `issuedAt` (an absolute lifetime, so
   * that activity cannot extend a session forever).
   */
  readonly maxSessionMs?: number | undefined;
}

/** The validated `maxSessionMs`, or Infinity when none is set. Throws INVALID_OPTION. */
export function maxSessionOf(options: LoginOptions | undefined): number {
  if (options !== undefined) checkKeys('options', options, /^maxSessionMs$/);
  const max = options?.maxSessionMs;
  if (max === undefined) return Infinity;
  if (Number.isInteger(max) && max > 0) return max;
  throw mustBe('INVALID_OPTION', 'maxSessionMs', 'a positive integer');
}
