import { requireInstant, timeOf } from '../dates/instant.js';
import type { User } from '../status/types.js';
import { describeInvalidUser, expiryOf } from '../status/validate.js';
import {
  ALLOWED_UNLIMITED,
  type LoginAllowed,
  type LoginDecision,
  REFUSED_DEACTIVATED,
  REFUSED_EXPIRED,
  REFUSED_REVOKED,
  REFUSED_SESSION_EXPIRED,
  REFUSED_UNKNOWN,
  type Refused,
  refusal,
  type SessionDecision,
} from './decision.js';
import { type LoginOptions, maxSessionOf } from './options.js';

/**
 * The decision for a learner at `nowMs`, with the session measured from `startMs`.
 * Invalid data of any shape gives `invalid`; no path allows a user whose record is broken.
 */
function decide(
  user: unknown,
  nowMs: number,
  startMs: number,
  maxSessionMs: number,
): LoginDecision {
  if (user === null || user === undefined) return REFUSED_UNKNOWN;
  let expiry: number;
  let status: unknown;
  try {
    expiry = expiryOf(user);
    status = (user as { status?: unknown }).status;
  } catch (error) {
    return refusal('invalid', `Reading the user failed: ${String(error)}`);
  }
  if (Number.isNaN(expiry)) return refusal('invalid', describeInvalidUser(user).message);
  if (nowMs >= expiry) return REFUSED_EXPIRED;
  if (status !== 'active') return REFUSED_DEACTIVATED;
  const sessionEnd = startMs + maxSessionMs; // NaN when there is no maximum
  if (sessionEnd < expiry) return allowedUntil(sessionEnd);
  return expiry === Number.POSITIVE_INFINITY ? ALLOWED_UNLIMITED : allowedUntil(expiry);
}

function allowedUntil(ms: number): LoginAllowed {
  // Beyond the Date range a session is unlimited in every practical sense.
  return { allowed: true, status: 'active', sessionExpiresAt: ms > 8.64e15 ? null : new Date(ms) };
}

/**
 * L1: may this learner log in now? Call it after the password (or SSO assertion) was
 * verified. Answers `{ allowed: true, status: 'active', sessionExpiresAt }` where
 * `sessionExpiresAt` is the earlier of `expiresAt` and `now + maxSessionMs` (or `null`), or
 * `{ allowed: false, reason, message }` with reason `unknown-user` (for `null`/`undefined`),
 * `deactivated`, `expired` or `invalid` (R12).
 *
 * It never throws for bad user data: broken records are refused as `invalid`. It throws
 * `INVALID_DATE` for a bad `now` and `INVALID_OPTION` for bad options, which are bugs in the
 * calling code, not data.
 *
 * @example
 * ```ts
 * import { checkLogin } from 'learner-status';
 *
 * const now = new Date('2026-06-01T09:00:00Z');
 * const user = { id: 'u1', status: 'active' as const, expiresAt: new Date('2026-06-01T17:00:00Z') };
 * const decision = checkLogin(user, now, { maxSessionMs: 12 * 3600_000 });
 * if (decision.allowed) {
 *   decision.sessionExpiresAt; // 2026-06-01T17:00:00.000Z: the account expires first
 * } else {
 *   console.warn('login refused', decision.reason); // show the person a generic message
 * }
 * ```
 */
export function checkLogin<U extends User>(
  user: U | null | undefined,
  now: Date,
  options?: LoginOptions,
): LoginDecision {
  const nowMs = requireInstant(now, 'now');
  return decide(user, nowMs, nowMs, maxSessionOf(options));
}

/**
 * Identifies the session being checked: when it was issued (at login).
 *
 * @example
 * ```ts
 * import type { SessionInfo } from 'learner-status';
 *
 * const session: SessionInfo = { issuedAt: new Date('2026-06-01T09:00:00Z') };
 * ```
 */
export interface SessionInfo {
  readonly issuedAt: Date;
}

/**
 * L1 and L3 for every request of an existing session: like {@link checkLogin}, and also
 * refuses with `session-revoked` a session issued at or before `user.accessRevokedAt` (the
 * instant the learner last lost access), even if they have access again now, and with
 * `session-expired` a session older than `maxSessionMs` (counted from `issuedAt`). A session
 * whose `issuedAt` is not a valid Date is refused as `invalid`.
 *
 * @example
 * ```ts
 * import { checkSession } from 'learner-status';
 *
 * const user = {
 *   id: 'u1',
 *   status: 'active' as const,
 *   expiresAt: null,
 *   accessRevokedAt: new Date('2026-06-01T10:00:00Z'), // deactivated then, reactivated since
 * };
 * const decision = checkSession(user, { issuedAt: new Date('2026-06-01T09:00:00Z') }, new Date('2026-06-02T00:00:00Z'));
 * decision.allowed; // false: the session predates the deactivation
 * ```
 */
export function checkSession<U extends User>(
  user: U | null | undefined,
  session: SessionInfo,
  now: Date,
  options?: LoginOptions,
): SessionDecision {
  const nowMs = requireInstant(now, 'now');
  const maxSessionMs = maxSessionOf(options);
  let issuedMs: number;
  try {
    issuedMs = timeOf((session as { issuedAt?: unknown } | null | undefined)?.issuedAt);
  } catch (error) {
    return refusal('invalid', `Reading the session failed: ${String(error)}`);
  }
  if (Number.isNaN(issuedMs)) {
    return refusal(
      'invalid',
      'The session has no valid issuedAt Date; the user must log in again.',
    );
  }
  const decision = decide(user, nowMs, issuedMs, maxSessionMs);
  if (!decision.allowed) return decision;
  if (nowMs >= issuedMs + maxSessionMs) return REFUSED_SESSION_EXPIRED;
  if (issuedMs <= revokedAtOf(user)) return REFUSED_REVOKED;
  return decision;
}

/** `accessRevokedAt` in epoch milliseconds; NaN (never revoked) when absent or null. */
function revokedAtOf(user: unknown): number {
  try {
    return timeOf((user as User).accessRevokedAt);
  } catch {
    // A getter that worked a moment ago and now throws: refuse rather than allow.
    return Number.POSITIVE_INFINITY;
  }
}

export type { Refused };
