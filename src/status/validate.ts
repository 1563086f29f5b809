import { timeOf } from '../dates/instant.js';
import { type LearnerStatusError, mustBe } from '../errors.js';
import type { AccountStatus, User } from './types.js';

/** What each field of a user must be (R12), for messages. */
const EXPECTED = {
  user: 'an object',
  id: 'a non-empty string',
  status: "'active' or 'deactivated'",
  expiresAt: 'a valid Date or null',
  accessRevokedAt: 'a valid Date or null',
} as const;

/** A field of a user that can be invalid; `user` for the record as a whole. */
export type UserField = keyof typeof EXPECTED;

/**
 * R4 and R12 in one pass: the effective status of `user` at `nowMs`, or the name of the first
 * field that is invalid. It reads each field once and returns only strings, never a number,
 * so that V8 boxes nothing: no allocation, and no Date relational operator, on every login. A
 * getter that throws propagates.
 */
export function statusAt(user: unknown, nowMs: number): AccountStatus | UserField {
  if (typeof user !== 'object' || user === null) return 'user';
  const { id, status, expiresAt, accessRevokedAt } = user as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return 'id';
  if (status !== 'active' && status !== 'deactivated') return 'status';
  if (accessRevokedAt != null && Number.isNaN(timeOf(accessRevokedAt))) return 'accessRevokedAt';
  if (expiresAt === null) return status;
  const expiry = timeOf(expiresAt);
  return Number.isNaN(expiry) ? 'expiresAt' : nowMs >= expiry ? 'expired' : status;
}

/** Whether {@link statusAt} answered a status (the user is valid) rather than a field. */
export function isStatus(value: AccountStatus | UserField): value is AccountStatus {
  return value === 'active' || value === 'deactivated' || value === 'expired';
}

/** The error for an invalid user (R12), naming the field that is wrong. */
export function invalidUser(field: UserField): LearnerStatusError {
  return mustBe('INVALID_USER', field, EXPECTED[field]);
}

/** The expiry of a user that {@link statusAt} found valid: epoch ms, `Infinity` for never. */
export function expiryOf(user: User): number {
  const { expiresAt } = user;
  return expiresAt === null ? Infinity : expiresAt.getTime();
}

/** The effective status of `user` at `nowMs`, or a thrown INVALID_USER (R12). */
export function requireStatusAt(user: unknown, nowMs: number): AccountStatus {
  const answer = statusAt(user, nowMs);
  if (isStatus(answer)) return answer;
  throw invalidUser(answer);
}
