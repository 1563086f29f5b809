/**
 * R2: the statuses an administrator stores. `expired` is never stored; it comes from the clock.
 *
 * @example
 * ```ts
 * import type { StoredStatus } from 'learner-status';
 *
 * const chosenByAdmin: StoredStatus = 'deactivated';
 * ```
 */
export type StoredStatus = 'active' | 'deactivated';

/**
 * R1: the three statuses a learner can have, as shown in User Management.
 *
 * @example
 * ```ts
 * import { effectiveStatus, type AccountStatus } from 'learner-status';
 *
 * const shown: AccountStatus = effectiveStatus({ id: 'u1', status: 'active', expiresAt: null }, new Date());
 * ```
 */
export type AccountStatus = StoredStatus | 'expired';

/**
 * A learner as learner-status needs to see them (R2, R3, L3). Your own user type may carry
 * any other fields: every function is generic over it and keeps them.
 *
 * - `status`: what an administrator chose.
 * - `expiresAt`: the instant access ends (R4: that instant is already expired), or `null`
 *   for never.
 * - `accessRevokedAt`: the instant login access was last taken away; sessions issued at or
 *   before it are refused (L3). The transitions maintain it.
 *
 * @example
 * ```ts
 * import type { User } from 'learner-status';
 *
 * const learner: User & { email: string } = {
 *   id: 'u-42',
 *   email: 'ada@example.org',
 *   status: 'active',
 *   expiresAt: new Date('2027-01-01T00:00:00Z'),
 * };
 * ```
 */
export interface User {
  readonly id: string;
  readonly status: StoredStatus;
  readonly expiresAt: Date | null;
  readonly accessRevokedAt?: Date | null | undefined;
}
