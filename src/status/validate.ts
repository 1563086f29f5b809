import { describeNonDate, timeOf } from '../dates/instant.js';
import { LearnerStatusError } from '../errors.js';

/**
 * R12 on the hot path: the expiry of a well-formed user in epoch milliseconds (`Infinity`
 * for never), or NaN when anything about the user is invalid. Never throws for data; a
 * getter that throws is the caller's own code and propagates. No allocation, no Date
 * relational operator.
 */
export function expiryOf(user: unknown): number {
  if (typeof user !== 'object' || user === null) return Number.NaN;
  const { id, status, expiresAt, accessRevokedAt } = user as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0) return Number.NaN;
  if (status !== 'active' && status !== 'deactivated') return Number.NaN;
  if (accessRevokedAt !== undefined && accessRevokedAt !== null) {
    const revoked = timeOf(accessRevokedAt);
    if (Number.isNaN(revoked)) return Number.NaN;
  }
  return expiresAt === null ? Number.POSITIVE_INFINITY : timeOf(expiresAt);
}

/**
 * Says what is wrong with an invalid user, for messages and `checkLogin`'s log reason. Runs
 * only after {@link expiryOf} gave NaN, so the hot path never builds strings.
 */
export function describeInvalidUser(user: unknown): { field: string; message: string } {
  if (typeof user !== 'object' || user === null) {
    return {
      field: 'user',
      message: `The user must be an object with id, status and expiresAt, but it is ${user === null ? 'null' : `a ${typeof user}`}.`,
    };
  }
  const { id, status, expiresAt } = user as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0) {
    return { field: 'id', message: 'The user has no id: `id` must be a non-empty string.' };
  }
  if (status !== 'active' && status !== 'deactivated') {
    return {
      field: 'status',
      message: `User ${JSON.stringify(id)} has status ${JSON.stringify(status)}; the stored status must be 'active' or 'deactivated' ('expired' is derived from expiresAt, never stored).`,
    };
  }
  if (expiresAt !== null && Number.isNaN(timeOf(expiresAt))) {
    return {
      field: 'expiresAt',
      message: `User ${JSON.stringify(id)} has expiresAt ${describeNonDate(expiresAt)}; it must be a valid Date, or null for never.`,
    };
  }
  return {
    field: 'accessRevokedAt',
    message: `User ${JSON.stringify(id)} has accessRevokedAt ${describeNonDate((user as Record<string, unknown>)['accessRevokedAt'])}; it must be a valid Date, null or absent.`,
  };
}

/** The error thrown for an invalid user (R12). */
export function invalidUserError(user: unknown): LearnerStatusError {
  const { field, message } = describeInvalidUser(user);
  return new LearnerStatusError('INVALID_USER', message, { field });
}

/** The expiry of `user` in epoch milliseconds (`Infinity` for never), or a thrown INVALID_USER. */
export function requireExpiry(user: unknown): number {
  const expiry = expiryOf(user);
  if (Number.isNaN(expiry)) throw invalidUserError(user);
  return expiry;
}
