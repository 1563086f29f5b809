import { timeOf } from '../dates/instant.js';
import { type LearnerStatusError, mustBe } from '../errors.js';
import type { AccountStatus } from './types.js';

/** What each field of a user must be (R12), for messages. */
const EXPECTED = {
  user: 'an object',
  id: 'a non-empty string',
  status: "'active' or 'deactivated'",
  expiresAt: 'a valid Date or null',
  accessRevokedAt: 'a valid Date or null',
} as const;

/** A field of a user that can be invalid; `user` for the record as a whole. */
type UserField = keyof typeof EXPECTED;

/**
 * R4 and R12 in one pass: the effective status at `nowMs` of a user whose fields the caller
 * read once (so that a getter answering differently on a second read cannot slip an unchecked
 * value past the check), or a thrown INVALID_USER naming the first invalid field; the fields
 * of a non-object are never used. A valid user costs no allocation: only strings are
 * returned, never a number that V8 would box, and no Date relational operator runs.
 */
export function statusOf(
  user: unknown,
  id: unknown,
  status: unknown,
  expiresAt: unknown,
  accessRevokedAt: unknown,
  nowMs: number,
): AccountStatus {
  // Any object, a function with the fields included: what matters is what the fields hold.
  if (Object(user) !== user) throw invalidUser('user');
  if (typeof id !== 'string' || id === '') throw invalidUser('id');
  if (status !== 'active' && status !== 'deactivated') throw invalidUser('status');
  if (accessRevokedAt != null && Number.isNaN(timeOf(accessRevokedAt))) {
    throw invalidUser('accessRevokedAt');
  }
  const expiry = expiryOf(expiresAt as Date | null);
  if (Number.isNaN(expiry)) throw invalidUser('expiresAt');
  return nowMs >= expiry ? 'expired' : status;
}

/** The error for an invalid user (R12), naming the field that is wrong. */
function invalidUser(field: UserField): LearnerStatusError {
  return mustBe('INVALID_USER', field, EXPECTED[field]);
}

/** The expiry of a user that {@link statusOf} found valid: epoch ms, `Infinity` for never. */
export function expiryOf(expiresAt: Date | null): number {
  return expiresAt === null ? Infinity : timeOf(expiresAt);
}

/**
 * The effective status of `user` at `nowMs`, or a thrown INVALID_USER (R12). Each field is
 * read once; a getter that throws propagates.
 */
export function requireStatusAt(user: unknown, nowMs: number): AccountStatus {
  const { id, status, expiresAt, accessRevokedAt } = Object(user) as Record<string, unknown>;
  return statusOf(user, id, status, expiresAt, accessRevokedAt, nowMs);
}
