import { requireInstant } from '../dates/instant.js';
import { mustBe } from '../errors.js';
import type { StoredStatus, User } from '../status/types.js';
import { applyTransition } from './apply.js';
import type { TransitionContext, TransitionResult } from './types.js';

/**
 * R6: the status an administrator asked for, or a thrown error. `'expired'` in any case is
 * refused with `EXPIRED_NOT_SELECTABLE`; anything else but the two stored statuses with
 * `INVALID_STATUS`.
 */
function requireStoredStatus(status: unknown): StoredStatus {
  if (status === 'active' || status === 'deactivated') return status;
  throw mustBe(
    /^\s*expired\s*$/i.test(String(status)) ? 'EXPIRED_NOT_SELECTABLE' : 'INVALID_STATUS',
    'status',
    "'active' or 'deactivated' (to expire, change the expiration date)",
  );
}

/**
 * R6, R8: sets the stored status. Allowed from every effective status; changes only the
 * stored status. `'expired'` is a type error and, at run time, throws
 * `EXPIRED_NOT_SELECTABLE`. Setting `'active'` on an expired learner keeps them expired and
 * the result's `effective` is `'expired'`.
 *
 * @example
 * ```ts
 * import { setStatus } from 'learner-status';
 *
 * const user = { id: 'u1', status: 'active' as const, expiresAt: null, email: 'ada@example.org' };
 * const { user: updated, event } = setStatus(user, 'deactivated', { now: new Date(), actor: 'admin-7', source: 'admin' });
 * updated.email; // 'ada@example.org': your fields survive
 * event?.endSessions; // true: end the learner's sessions
 * ```
 */
export function setStatus<U extends User>(
  user: U,
  status: StoredStatus,
  ctx: TransitionContext,
): TransitionResult<U> {
  return applyTransition(user, requireStoredStatus(status), undefined, ctx);
}

/**
 * R8: takes login access away by setting the stored status to `deactivated`. Works from every
 * effective status; re-deactivating reports `changed: false` and no event (R9).
 *
 * @example
 * ```ts
 * import { deactivate } from 'learner-status';
 *
 * const result = deactivate({ id: 'u1', status: 'active', expiresAt: null }, { now: new Date(), source: 'admin' });
 * result.user.status; // 'deactivated'
 * result.event?.endSessions; // true
 * ```
 */
export function deactivate<U extends User>(user: U, ctx: TransitionContext): TransitionResult<U> {
  return setStatus(user, 'deactivated', ctx);
}

/**
 * R8: sets the stored status back to `active`. An expired learner stays expired until the
 * date is moved; the result says so: its `effective` is `'expired'`.
 *
 * @example
 * ```ts
 * import { reactivate } from 'learner-status';
 *
 * const now = new Date('2026-06-01T00:00:00Z');
 * const expired = { id: 'u1', status: 'deactivated' as const, expiresAt: new Date('2026-01-01T00:00:00Z') };
 * const result = reactivate(expired, { now });
 * result.event?.after.effective; // 'expired'
 * result.effective; // 'expired': stays expired until the date is moved
 * ```
 */
export function reactivate<U extends User>(user: U, ctx: TransitionContext): TransitionResult<U> {
  return setStatus(user, 'active', ctx);
}

/**
 * R7: sets or clears (`null`) the expiration instant. Moving it after `now` restores the
 * learner's stored status, which may be `deactivated` (then login is still refused and the
 * result's `effective` is `'deactivated'`); moving it to `now` or earlier expires them
 * (the event asks to end their sessions). Throws `INVALID_DATE` for an Invalid Date or a
 * non-Date. For a date-only value, use `expirationInstant('2026-12-31', zone)` (R11).
 *
 * @example
 * ```ts
 * import { setExpiration } from 'learner-status';
 * import { expirationInstant } from 'learner-status/dates';
 *
 * const expired = { id: 'u1', status: 'active' as const, expiresAt: new Date('2026-01-01T00:00:00Z') };
 * const result = setExpiration(expired, expirationInstant('2026-12-31', 'Europe/London'), {
 *   now: new Date('2026-06-01T00:00:00Z'),
 * });
 * result.event?.after.effective; // 'active'
 * ```
 */
export function setExpiration<U extends User>(
  user: U,
  expiresAt: Date | null,
  ctx: TransitionContext,
): TransitionResult<U> {
  const expiryMs = expiresAt === null ? Infinity : requireInstant(expiresAt, 'expiresAt');
  return applyTransition(user, undefined, expiryMs, ctx);
}
