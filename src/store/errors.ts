import {
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from '../errors.js';

/**
 * The error codes of the storage and bulk layer:
 * - `STORE_FAILED`: the store threw, or answered against the {@link UserStore} contract.
 * - `CHANGE_LIMIT_EXCEEDED`: a bulk plan would change more users than its guard allows (S4).
 *
 * @example
 * ```ts
 * import { isLearnerStatusError } from 'learner-status';
 *
 * function isGuardRefusal(error: unknown): boolean {
 *   return isLearnerStatusError(error) && error.code === 'CHANGE_LIMIT_EXCEEDED';
 * }
 * ```
 */
export type StoreErrorCode = Extract<
  LearnerStatusErrorCode,
  'STORE_FAILED' | 'CHANGE_LIMIT_EXCEEDED'
>;

/** A LearnerStatusError of the storage layer. */
export function storeError(
  code: LearnerStatusErrorCode,
  message: string,
  details: LearnerStatusErrorDetails = {},
): LearnerStatusError {
  return new LearnerStatusError(code, message, details);
}

/** Says what a caught value was, for messages, without assuming it is an Error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
