import { timeOf } from '../dates/instant.js';
import { type LearnerStatusError, mustBe } from '../errors.js';

/** What each field of a user must be (R12), for messages. */
const EXPECTED = {
  user: 'an object',
  id: 'a non-empty string',
  status: "'active' or 'deactivated'",
  expiresAt: 'a valid Date or null',
  accessRevokedAt: 'a valid Date, null or absent',
} as const;

/** A field of a user that can be invalid; `user` for the record as a whole. */
export type UserField = keyof typeof EXPECTED;

/**
 * R12 in one pass: the expiry of a well-formed user in epoch milliseconds (`Infinity` for
 * never), or the name of the first field that is invalid. No allocation, no Date relational
 * operator: it runs on every login. A getter that throws propagates.
 */
export function checkUser(user: unknown): number | UserField {
  if (typeof user !== 'object' || user === null) return 'user';
  const { id, status, expiresAt, accessRevokedAt } = user as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return 'id';
  if (status !== 'active' && status !== 'deactivated') return 'status';
  if (accessRevokedAt != null && Number.isNaN(timeOf(accessRevokedAt))) return 'accessRevokedAt';
  const expiry = expiresAt === null ? Infinity : timeOf(expiresAt);
  return Number.isNaN(expiry) ? 'expiresAt' : expiry;
}

/** The error for an invalid user (R12), naming the field that is wrong. */
export function invalidUser(field: UserField): LearnerStatusError {
  return mustBe('INVALID_USER', field, EXPECTED[field]);
}

/** The expiry of `user` in epoch milliseconds (`Infinity` for never), or a thrown INVALID_USER. */
export function requireExpiry(user: unknown): number {
  const checked = checkUser(user);
  if (typeof checked === 'string') throw invalidUser(checked);
  return checked;
}
