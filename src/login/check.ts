import { dateMs, MAX_INSTANT_MS, requireInstant } from '../dates/instant.js';
import { mustBe } from '../errors.js';
import type { User } from '../status/types.js';
import { expiryOf, statusOf } from '../status/validate.js';
import {
  ACCESS_REVOKED,
  ALLOWED_UNLIMITED,
  DEACTIVATED,
  EXPIRED,
  type LoginDecision,
  type Refused,
  refusal,
  SESSION_EXPIRED,
  SESSION_REVOKED,
  type SessionDecision,
  UNKNOWN_USER,
} from './decision.js';
import { type LoginOptions, maxSessionOf } from './options.js';

/**
 * The one decision behind checkLogin and checkSession. The session started at `startMs`
 * (`nowMs` for a login: the session it would issue) and may last `maxSessionMs` (Infinity: no
 * maximum); one issued at or before `accessRevokedAt` is refused as `revoked`. So a login
 * allowed at `now` is a session that checkSession allows at `now`. Invalid data of any shape,
 * a throwing getter included, is refused as `invalid`: no path allows a user whose record is
 * broken (R12).
 */
function decide(
  user: unknown,
  nowMs: number,
  startMs: number,
  maxSessionMs: number,
  revoked: Refused<'access-revoked' | 'session-revoked'>,
): SessionDecision {
  if (user === null || user === undefined) return UNKNOWN_USER;
  try {
    // Each field is read once, here: what is checked is what is used and returned, even when
    // a getter answers differently on a second read. statusOf throws INVALID_USER for a
    // broken record, refused below as `invalid` with the message as detail (R12).
    const { id, status: stored, expiresAt, accessRevokedAt } = user as Record<string, unknown>;
    const expiry = expiryOf(expiresAt);
    // No accessRevokedAt: -Infinity, before any session.
    const revokedMs = accessRevokedAt == null ? -Infinity : dateMs(accessRevokedAt);
    const status = statusOf(user, id, stored, expiry, revokedMs, nowMs);
    if (status !== 'active') return status === 'expired' ? EXPIRED : DEACTIVATED;
    // L3, and for a login fail closed: access changed at an instant this clock has not yet
    // passed.
    if (startMs <= revokedMs) return revoked;
    const sessionEnd = startMs + maxSessionMs;
    if (nowMs >= sessionEnd) return SESSION_EXPIRED;
    const end = Math.min(sessionEnd, expiry);
    // Never-expiring, or beyond the Date range: unlimited in every practical sense.
    if (end > MAX_INSTANT_MS) return ALLOWED_UNLIMITED;
    // The account's own expiresAt, not a copy: `new Date()` costs more than the whole check.
    const sessionExpiresAt = end === expiry ? (expiresAt as Date) : new Date(end);
    return { allowed: true, status: 'active', sessionExpiresAt };
  } catch (error) {
    return refusal('invalid', String(error));
  }
}

/**
 * L1: may this learner log in now? Call it after the password (or SSO assertion) was
 * verified. Answers `{ allowed: true, status: 'active', sessionExpiresAt }` where
 * `sessionExpiresAt` is the earlier of `expiresAt` and `now + maxSessionMs` (or `null`), or
 * `{ allowed: false, reason }` with reason `unknown-user` (for `null`/`undefined`),
 * `deactivated`, `expired`, `invalid` (R12, with a `detail` for the log) or `access-revoked`.
 *
 * `access-revoked` (L3, fail closed): `accessRevokedAt` is at or after `now`, so access was
 * taken away or given back at an instant this clock has not reached (a server whose clock is
 * ahead of this one recorded it). That instant comes from a clock trusted as much as this
 * one, and a login at or before it cannot be told apart from one the revocation was meant to
 * stop; {@link checkSession} would refuse the session anyway. So the two agree at every
 * instant: a login allowed at `now` is a session issued at `now` that `checkSession` allows
 * from `now` until just before `sessionExpiresAt`, and refuses from then on.
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
  // 0 (the epoch) takes the slow way and comes back as 0; NaN throws there (INVALID_DATE).
  const nowMs = dateMs(now) || requireInstant(now, 'now');
  // No options, no call: the check stays small enough for V8 to inline where it is called.
  // Stryker disable next-line ConditionalExpression: equivalent when false, maxSessionOf(undefined) is Infinity too.
  const maxSessionMs = options === undefined ? Infinity : maxSessionOf(options);
  return decide(user, nowMs, nowMs, maxSessionMs, ACCESS_REVOKED) as LoginDecision;
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
 * instant login access last changed), even if the learner has access again now, and with
 * `session-expired` a session older than `maxSessionMs` (counted from `issuedAt`). A session
 * whose `issuedAt` is not a valid Date is refused as `invalid`. `checkLogin(user, now)` is
 * exactly this check for a session issued at `now`: it allows a login only when this would
 * allow that session (where this answers `session-revoked`, it answers `access-revoked`).
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
  const nowMs = dateMs(now) || requireInstant(now, 'now');
  const maxSessionMs = maxSessionOf(options);
  const issuedMs = dateMs((session as Partial<SessionInfo> | null | undefined)?.issuedAt);
  return Number.isNaN(issuedMs)
    ? // The error as text, as for every other `invalid` detail; its code is not part of it.
      // Stryker disable next-line StringLiteral: equivalent, the code does not reach the text.
      refusal('invalid', String(mustBe('INVALID_DATE', 'issuedAt', 'a valid Date')))
    : decide(user, nowMs, issuedMs, maxSessionMs, SESSION_REVOKED);
}
