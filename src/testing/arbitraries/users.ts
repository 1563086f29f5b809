import * as fc from 'fast-check';
import { MAX_INSTANT_MS } from '../../dates/instant.js';
import { checkKeysSuggesting } from '../../options.js';
import type { AccountStatus, StoredStatus, User } from '../../status/types.js';
import { dstTransitionsMs, type InstantArbConstraints, instantArb } from './instants.js';

/**
 * R2: the statuses an administrator stores, `'active'` and `'deactivated'`. Shrinks to
 * `'active'`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { deactivate } from 'learner-status';
 * import { storedStatusArb } from 'learner-status/testing';
 *
 * const now = new Date('2026-06-01T00:00:00Z');
 * fc.assert(
 *   fc.property(storedStatusArb(), (status) => {
 *     const { user } = deactivate({ id: 'u1', status, expiresAt: null }, { now });
 *     return user.status === 'deactivated';
 *   }),
 * );
 * ```
 *
 * @example
 * ```ts
 * import { test } from '@fast-check/vitest';
 * import { expect } from 'vitest';
 * import { setStatus } from 'learner-status';
 * import { storedStatusArb } from 'learner-status/testing';
 *
 * const now = new Date('2026-06-01T00:00:00Z');
 * test.prop([storedStatusArb(), storedStatusArb()])('setStatus stores what it is given', (from, to) => {
 *   expect(setStatus({ id: 'u1', status: from, expiresAt: null }, to, { now }).user.status).toBe(to);
 * });
 * ```
 */
export function storedStatusArb(): fc.Arbitrary<StoredStatus> {
  return fc.constantFrom<StoredStatus>('active', 'deactivated');
}

/**
 * R1: the three statuses a learner can have, `'active'`, `'deactivated'` and `'expired'`.
 * Shrinks to `'active'`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { STATUS_INFO } from 'learner-status';
 * import { accountStatusArb } from 'learner-status/testing';
 *
 * fc.assert(
 *   fc.property(accountStatusArb(), (status) => STATUS_INFO[status].canLogIn === (status === 'active')),
 * );
 * ```
 *
 * @example
 * ```ts
 * import { test } from '@fast-check/vitest';
 * import { expect } from 'vitest';
 * import { STATUS_INFO } from 'learner-status';
 * import { accountStatusArb } from 'learner-status/testing';
 *
 * test.prop([accountStatusArb()])('every status has a label', (status) => {
 *   expect(STATUS_INFO[status].label).not.toBe('');
 * });
 * ```
 */
export function accountStatusArb(): fc.Arbitrary<AccountStatus> {
  return fc.constantFrom<AccountStatus>('active', 'deactivated', 'expired');
}

/**
 * What {@link userArb} generates. Every field is optional; without constraints every valid
 * shape of user is drawn.
 *
 * @example
 * ```ts
 * import { userArb, type UserArbConstraints } from 'learner-status/testing';
 *
 * const expiringActive: UserArbConstraints = { status: 'active', withExpiresAt: true };
 * const users = userArb(expiringActive);
 * ```
 */
export interface UserArbConstraints {
  /** Only users with this stored status (default: both). */
  readonly status?: StoredStatus | undefined;
  /** `true`: `expiresAt` is always a Date; `false`: always `null`; default: both. */
  readonly withExpiresAt?: boolean | undefined;
  /**
   * `true`: `accessRevokedAt` is always a Date; `false`: never a Date (missing, `undefined` or
   * `null`); default: all four.
   */
  readonly withAccessRevokedAt?: boolean | undefined;
  /** The range of `expiresAt` and `accessRevokedAt` (default: the whole Date range). */
  readonly instants?: InstantArbConstraints | undefined;
}

const ID_CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789@.-_+ ', 'é', '李', '😀'];

/**
 * Any valid {@link User} (R2, R3, L3): a non-empty `id`; a stored status; `expiresAt` a valid
 * Date (biased like `instantArb`) or `null`; `accessRevokedAt` missing, present as
 * `undefined`, `null`, or a valid Date. Built from fast-check combinators only, so it shrinks
 * to the simplest user: `{ id: 'a', status: 'active', expiresAt: null }`. Throws
 * `INVALID_OPTION` for an unknown constraint.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { checkLogin, effectiveStatus } from 'learner-status';
 * import { instantArb, userArb } from 'learner-status/testing';
 *
 * // Plain fast-check: with no accessRevokedAt (L3), checkLogin agrees with effectiveStatus (R5).
 * fc.assert(
 *   fc.property(userArb({ withAccessRevokedAt: false }), instantArb(), (user, now) =>
 *     checkLogin(user, now).allowed === (effectiveStatus(user, now) === 'active'),
 *   ),
 * );
 * ```
 *
 * @example
 * ```ts
 * import { test } from '@fast-check/vitest';
 * import { expect } from 'vitest';
 * import { effectiveStatus } from 'learner-status';
 * import { instantArb, userArb } from 'learner-status/testing';
 *
 * test.prop([userArb({ status: 'deactivated' }), instantArb()])(
 *   'a deactivated user never reads as active',
 *   (user, now) => {
 *     expect(effectiveStatus(user, now)).not.toBe('active');
 *   },
 * );
 * ```
 */
export function userArb(constraints?: UserArbConstraints): fc.Arbitrary<User> {
  const c: UserArbConstraints = constraints ?? {};
  checkKeysSuggesting('constraints', c, /^(status|withExpiresAt|withAccessRevokedAt|instants)$/);
  const instant = instantArb(c.instants);
  const expiresAt: fc.Arbitrary<Date | null> =
    c.withExpiresAt === true
      ? instant
      : c.withExpiresAt === false
        ? fc.constant(null)
        : fc.option(instant, { nil: null });
  const absent = fc.constantFrom<'missing' | undefined | null>('missing', undefined, null);
  const revoked: fc.Arbitrary<'missing' | Date | null | undefined> =
    c.withAccessRevokedAt === true
      ? instant
      : c.withAccessRevokedAt === false
        ? absent
        : fc.oneof(absent, instant);
  return fc
    .record({
      id: fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 12 }),
      status: c.status === undefined ? storedStatusArb() : fc.constant(c.status),
      expiresAt,
      revoked,
    })
    .map(
      ({ id, status, expiresAt, revoked }): User =>
        revoked === 'missing'
          ? { id, status, expiresAt }
          : { id, status, expiresAt, accessRevokedAt: revoked },
    );
}

/**
 * A user and the instant to judge them at, from {@link userAndNowArb}.
 *
 * @example
 * ```ts
 * import { effectiveStatus } from 'learner-status';
 * import type { UserAndNow } from 'learner-status/testing';
 *
 * const sample: UserAndNow = {
 *   user: { id: 'u1', status: 'active', expiresAt: new Date('2027-01-01T00:00:00Z') },
 *   now: new Date('2027-01-01T00:00:00Z'),
 * };
 * effectiveStatus(sample.user, sample.now); // 'expired': the instant itself is expired (R4)
 * ```
 */
export interface UserAndNow {
  readonly user: User;
  readonly now: Date;
}

const clamp = (ms: number): number => Math.max(-MAX_INSTANT_MS, Math.min(MAX_INSTANT_MS, ms));

/**
 * `{ user, now }` pairs biased to the R4 boundary: about a quarter of the samples have `now`
 * exactly equal to `expiresAt` (at least 5% is guaranteed and tested), a quarter one
 * millisecond before or after it, some a DST transition instant (±1 ms) in New York, London
 * or Lord Howe, and the rest any user at any instant. Shrinks like {@link userArb}.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { checkLogin, effectiveStatus } from 'learner-status';
 * import { userAndNowArb } from 'learner-status/testing';
 *
 * // Plain fast-check: at or after the expiry, login is refused (R4, R5).
 * fc.assert(
 *   fc.property(userAndNowArb(), ({ user, now }) => {
 *     const expired = user.expiresAt !== null && now.getTime() >= user.expiresAt.getTime();
 *     return expired === (effectiveStatus(user, now) === 'expired') &&
 *       (!expired || !checkLogin(user, now).allowed);
 *   }),
 * );
 * ```
 *
 * @example
 * ```ts
 * import { test } from '@fast-check/vitest';
 * import { expect } from 'vitest';
 * import { nextStatusChangeAt } from 'learner-status';
 * import { userAndNowArb } from 'learner-status/testing';
 *
 * test.prop([userAndNowArb()])('the next change is in the future', ({ user, now }) => {
 *   const next = nextStatusChangeAt(user, now);
 *   if (next !== null) expect(next.getTime()).toBeGreaterThan(now.getTime());
 * });
 * ```
 */
export function userAndNowArb(): fc.Arbitrary<UserAndNow> {
  const expiring = userArb({ withExpiresAt: true });
  const expiryOf = (user: User): number => (user.expiresAt as Date).getTime();
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(userArb(), instantArb())
        .map(([user, now]): UserAndNow => ({ user, now })),
    },
    {
      weight: 3,
      arbitrary: expiring.map((user): UserAndNow => ({ user, now: new Date(expiryOf(user)) })),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(expiring, fc.constantFrom(-1, 1)).map(
        ([user, nudge]): UserAndNow => ({
          user,
          now: new Date(clamp(expiryOf(user) + nudge)),
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(userArb(), fc.constantFrom(...dstTransitionsMs()), fc.constantFrom(0, -1, 1))
        .map(([user, ms, nudge]): UserAndNow => ({ user, now: new Date(ms + nudge) })),
    },
  );
}
