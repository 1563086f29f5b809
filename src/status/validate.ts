import { timeOf } from '../dates/instant.js';
import { type LearnerStatusError, mustBe } from '../errors.js';
import type { User } from './types.js';

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
 * R12: the first field of `user` that is invalid, or undefined for a well-formed user. It
 * returns only strings, never a number, so that V8 boxes nothing: no allocation, and no Date
 * relational operator, on every login. A getter that throws propagates.
 */
export function invalidField(user: unknown): UserField | undefined {
  if (typeof user !== 'object' || user === null) return 'user';
  const { id, status, expiresAt, accessRevokedAt } = user as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return 'id';
  if (status !== 'active' && status !== 'deactivated') return 'status';
  if (expiresAt !== null && Number.isNaN(timeOf(expiresAt))) return 'expiresAt';
  if (accessRevokedAt != null && Number.isNaN(timeOf(accessRevokedAt))) return 'accessRevokedAt';
  return undefined;
}

/** The error for an invalid user (R12), naming the field that is wrong. */
export function invalidUser(field: UserField): LearnerStatusError {
  return mustBe('INVALID_USER', field, EXPECTED[field]);
}

/** The expiry of a user that passed {@link invalidField}: epoch ms, `Infinity` for never. */
export function expiryOf(user: User): number {
  const { expiresAt } = user;
  return expiresAt === null ? Infinity : expiresAt.getTime();
}

/** The expiry of `user` in epoch milliseconds (`Infinity` for never), or a thrown INVALID_USER. */
export function requireExpiry(user: unknown): number {
  const field = invalidField(user);
  if (field !== undefined) throw invalidUser(field);
  return expiryOf(user as User);
}
