import { dateMs, requireInstant } from '../dates/instant.js';
import type { AccountStatus, User } from './types.js';
import { expiryOf, requireStatusAt } from './validate.js';

/**
 * R4: the status a learner has at `now`. `'expired'` when `expiresAt` is set and `now` is at
 * or after it (the instant itself is already expired, as with a JWT `exp`); otherwise the
 * stored status. There is no hidden clock: pass `now` in.
 *
 * Throws `INVALID_USER` for an unknown stored status, a missing id, or an `expiresAt` /
 * `accessRevokedAt` that is not a valid Date (R12), and `INVALID_DATE` for a bad `now`.
 *
 * @example
 * ```ts
 * import { effectiveStatus } from 'learner-status';
 *
 * const user = { id: 'u1', status: 'active' as const, expiresAt: new Date('2027-01-01T00:00:00Z') };
 * effectiveStatus(user, new Date('2026-12-31T23:59:59.999Z')); // 'active'
 * effectiveStatus(user, new Date('2027-01-01T00:00:00.000Z')); // 'expired'
 * ```
 */
export function effectiveStatus(user: User, now: Date): AccountStatus {
  // 0 (the epoch) takes the slow way and comes back as 0; NaN throws there (INVALID_DATE).
  return requireStatusAt(user, dateMs(now) || requireInstant(now, 'now'));
}

/**
 * R5: whether the learner can log in at `now`, that is, whether their effective status is
 * `active`. Throws like {@link effectiveStatus}; use `checkLogin` in login code, which never
 * throws for bad data, says why access is refused, and also refuses (`access-revoked`, L3)
 * while `accessRevokedAt` is at or after `now`.
 *
 * @example
 * ```ts
 * import { canLogIn } from 'learner-status';
 *
 * canLogIn({ id: 'u1', status: 'deactivated', expiresAt: null }, new Date()); // false
 * ```
 */
export function canLogIn(user: User, now: Date): boolean {
  return effectiveStatus(user, now) === 'active';
}

/**
 * L2: the next instant at which the learner's effective status changes without anyone acting
 * (their future `expiresAt`), or `null` when nothing is scheduled: never expires, or already
 * expired. Use it to time caches, sessions and reminders.
 *
 * @example
 * ```ts
 * import { nextStatusChangeAt } from 'learner-status';
 *
 * const user = { id: 'u1', status: 'active' as const, expiresAt: new Date('2027-01-01T00:00:00Z') };
 * nextStatusChangeAt(user, new Date('2026-06-01T00:00:00Z')); // 2027-01-01T00:00:00.000Z
 * nextStatusChangeAt(user, new Date('2027-06-01T00:00:00Z')); // null
 * ```
 */
export function nextStatusChangeAt(user: User, now: Date): Date | null {
  const status = requireStatusAt(user, dateMs(now) || requireInstant(now, 'now'));
  return status === 'expired' || user.expiresAt === null
    ? null
    : new Date(expiryOf(user.expiresAt));
}
