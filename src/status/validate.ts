import { dateMs } from '../dates/instant.js';
import { mustBe } from '../errors.js';
import type { AccountStatus } from './types.js';

/**
 * R4 and R12 in one pass: the effective status at `nowMs` of a user whose fields the caller
 * read once (so that a getter answering differently on a second read cannot slip an unchecked
 * value past the check), or a thrown INVALID_USER naming the first invalid field; the fields
 * of a non-object are never used. The caller passes the Dates as epoch milliseconds (NaN for
 * anything but a valid Date; the expiry `Infinity` for never, the revocation any number for
 * none), which it needs for its own decision, so that no Date is converted twice. A valid user costs no allocation: only strings are returned, never a number
 * that V8 would box, and no Date relational operator runs.
 */
export function statusOf(
  user: unknown,
  id: unknown,
  status: unknown,
  expiryMs: number,
  revokedMs: number,
  nowMs: number,
): AccountStatus {
  // Any object, a function with the fields included: what matters is what the fields hold.
  // Not `Object(user) !== user`: for a value that may be null, that is a call the optimising
  // compiler keeps.
  if (typeof user === 'object' ? user === null : typeof user !== 'function') {
    throw mustBe('INVALID_USER', 'user', 'an object');
  }
  if (typeof id !== 'string' || id === '') {
    throw mustBe('INVALID_USER', 'id', 'a non-empty string');
  }
  if (status !== 'active' && status !== 'deactivated') {
    throw mustBe('INVALID_USER', 'status', "'active' or 'deactivated'");
  }
  if (Number.isNaN(revokedMs)) {
    throw mustBe('INVALID_USER', 'accessRevokedAt', 'a valid Date or null');
  }
  if (Number.isNaN(expiryMs)) throw mustBe('INVALID_USER', 'expiresAt', 'a valid Date or null');
  return nowMs >= expiryMs ? 'expired' : status;
}

/** `expiresAt` in epoch ms: `Infinity` for never (null), NaN when it is not a valid Date. */
export function expiryOf(expiresAt: unknown): number {
  return expiresAt === null ? Infinity : dateMs(expiresAt);
}

/**
 * The effective status of `user` at `nowMs`, or a thrown INVALID_USER (R12). Each field is
 * read once; a getter that throws propagates.
 */
export function requireStatusAt(user: unknown, nowMs: number): AccountStatus {
  // `?? {}`: null and undefined have no fields to read; statusOf refuses them first.
  const { id, status, expiresAt, accessRevokedAt } = (user ?? {}) as Record<string, unknown>;
  // Converted here rather than by helpers: every call on this path is an indirection that
  // V8 keeps for a module's functions, and effectiveStatus is a handful of them.
  const expiry = expiresAt === null ? Infinity : dateMs(expiresAt);
  // Only whether it is NaN matters to the status: 0 stands for "none".
  const revoked = accessRevokedAt == null ? 0 : dateMs(accessRevokedAt);
  return statusOf(user, id, status, expiry, revoked, nowMs);
}
