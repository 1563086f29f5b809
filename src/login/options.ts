import { LearnerStatusError } from '../errors.js';

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
   * The longest a session may last, in milliseconds: a positive, finite number. With
   * `checkLogin` it counts from `now`; with `checkSession` from the session's `issuedAt`
   * (an absolute lifetime, so that activity cannot extend a session forever).
   */
  readonly maxSessionMs?: number | undefined;
}

/** The validated `maxSessionMs`, or NaN when none is set. Throws INVALID_OPTION. */
export function maxSessionOf(options: LoginOptions | undefined): number {
  if (options === undefined) return Number.NaN;
  if (typeof options !== 'object' || options === null) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      'Login options must be an object such as { maxSessionMs: 3600000 }, or left out.',
      { field: 'options' },
    );
  }
  for (const key of Object.keys(options)) {
    if (key !== 'maxSessionMs') {
      throw new LearnerStatusError(
        'INVALID_OPTION',
        `Unknown login option ${JSON.stringify(key)}; the only option is maxSessionMs.`,
        { field: key },
      );
    }
  }
  const max = options.maxSessionMs;
  if (max === undefined) return Number.NaN;
  if (typeof max !== 'number' || !(max > 0) || max === Number.POSITIVE_INFINITY) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `maxSessionMs must be a positive, finite number of milliseconds, but it is ${String(max)}. Leave it out for no limit.`,
      { field: 'maxSessionMs' },
    );
  }
  return max;
}
