import { MAX_INSTANT_MS, requireInstant, timeOf } from '../dates/instant.js';
import type { User } from '../status/types.js';
import { expiryOf, statusOf } from '../status/validate.js';
import {
  ALLOWED_UNLIMITED,
  type LoginDecision,
  refusal,
  refused,
  type SessionDecision,
} from './decision.js';
import { type LoginOptions, maxSessionOf } from './options.js';

/**
 * The one decision behind checkLogin and checkSession. The session started at `startMs`
 * (NaN for a login: no session yet) and may last `maxSessionMs` (Infinity: no maximum).
 * Invalid data of any shape, a throwing getter included, is refused as `invalid`: no path
 * allows a user whose record is broken (R12).
 */
function decide(
  user: unknown,
  nowMs: number,
  startMs: number,
  maxSessionMs: number,
): SessionDecision {
  if (user === null || user === undefined) return refused('unknown-user');
  try {
    // Each field is read once, here: what is checked is what is used and returned, even when
    // a getter answers differently on a second read. statusOf throws INVALID_USER for a
    // broken record, refused below as `invalid` with the message as detail (R12).
    const { id, status: stored, expiresAt, accessRevokedAt } = user as Record<string, unknown>;
    const status = statusOf(user, id, stored, expiresAt, accessRevokedAt, nowMs);
    if (status !== 'active') return refused(status);
    // L3: comparisons with NaN are false, so a login (no startMs) is never revoked.
    if (startMs <= timeOf(accessRevokedAt)) return refused('session-revoked');
    const sessionEnd = (Number.isNaN(startMs) ? nowMs : startMs) + maxSessionMs;
    if (nowMs >= sessionEnd) return refused('session-expired');
    const expiry = expiryOf(expiresAt as Date | null);
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
 * `deactivated`, `expired` or `invalid` (R12, with a `detail` for the log).
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
  return decide(user, requireInstant(now, 'now'), NaN, maxSessionOf(options)) as LoginDecision;
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
  const issuedMs = timeOf((session as Partial<SessionInfo> | null | undefined)?.issuedAt);
  return Number.isNaN(issuedMs)
    ? refusal('invalid', '`issuedAt` must be a valid Date.')
    : decide(user, nowMs, issuedMs, maxSessionMs);
}
