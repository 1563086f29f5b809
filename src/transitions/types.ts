import type { AccountStatus, StoredStatus, User } from '../status/types.js';

/**
 * Where a change came from (R10): an administrator's screen, a CSV file, an API call, or a
 * name of your own.
 *
 * @example
 * ```ts
 * import type { ChangeSource } from 'learner-status';
 *
 * const source: ChangeSource = 'csv';
 * const custom: ChangeSource = 'hr-sync';
 * ```
 */
export type ChangeSource = 'admin' | 'csv' | 'api' | (string & {});

/**
 * What every transition needs: `now` (no hidden clock, R9) and, for the audit event (R10),
 * who acted, from where, why, and the CSV line when the change came from a file.
 *
 * @example
 * ```ts
 * import type { TransitionContext } from 'learner-status';
 *
 * const ctx: TransitionContext = { now: new Date(), actor: 'admin-7', source: 'admin', reason: 'left the company' };
 * ```
 */
export interface TransitionContext {
  readonly now: Date;
  readonly actor?: string | undefined;
  readonly source?: ChangeSource | undefined;
  readonly reason?: string | undefined;
  /** The physical CSV line of the row that asked for the change (header is line 1). */
  readonly line?: number | undefined;
}

/**
 * A learner's state on one side of a change.
 *
 * @example
 * ```ts
 * import type { StatusSnapshot } from 'learner-status';
 *
 * const before: StatusSnapshot = { status: 'active', expiresAt: null, effective: 'active' };
 * ```
 */
export interface StatusSnapshot {
  readonly status: StoredStatus;
  readonly expiresAt: Date | null;
  readonly effective: AccountStatus;
}

/**
 * R10: the audit record of one change, as data for your log or events table. `at` is the
 * `now` of the transition. `endSessions` is true when the change took login access away:
 * end the learner's sessions (their `accessRevokedAt` is then `at`, so `checkSession`
 * refuses older sessions anyway, L3).
 *
 * @example
 * ```ts
 * import { deactivate, type StatusChangeEvent } from 'learner-status';
 *
 * const { event } = deactivate({ id: 'u1', status: 'active', expiresAt: null }, { now: new Date(), source: 'admin' });
 * const recorded: StatusChangeEvent | null = event;
 * recorded?.endSessions; // true
 * ```
 */
export interface StatusChangeEvent {
  readonly userId: string;
  readonly at: Date;
  readonly actor?: string;
  readonly source?: ChangeSource;
  readonly reason?: string;
  readonly line?: number;
  readonly before: StatusSnapshot;
  readonly after: StatusSnapshot;
  readonly endSessions: boolean;
}

/**
 * What a transition returns: the new user (a copy; the input is never mutated, and your
 * extra fields survive), whether anything changed, the audit event (`null` when nothing
 * changed, R9), and the learner's effective status afterwards, which says when a change did
 * not give access back (R7, R8): `'expired'` after a reactivation means the learner stays
 * expired until the expiration date is moved; `'deactivated'` after a new date means login is
 * still refused until they are reactivated.
 *
 * @example
 * ```ts
 * import { reactivate, type TransitionResult, type User } from 'learner-status';
 *
 * const expired: User = { id: 'u1', status: 'deactivated', expiresAt: new Date('2020-01-01T00:00:00Z') };
 * const result: TransitionResult<User> = reactivate(expired, { now: new Date() });
 * result.changed; // true: the stored status is active again
 * result.effective; // 'expired': stays expired until the expiration date is moved
 * ```
 */
export interface TransitionResult<U extends User> {
  /** The learner after the change; `accessRevokedAt` is now when access was lost or given back (L3). */
  readonly user: U & Pick<User, 'accessRevokedAt'>;
  readonly changed: boolean;
  readonly event: StatusChangeEvent | null;
  /** The effective status after the transition, at `ctx.now`. */
  readonly effective: AccountStatus;
}

/**
 * A change asked for one learner, as a CSV row or an API call states it: a field that is
 * absent is left unchanged; `expiresAt: null` clears the expiration (never expires).
 *
 * @example
 * ```ts
 * import type { UserUpdate } from 'learner-status';
 *
 * const fromRow: UserUpdate = { userId: 'ada@example.org', status: 'deactivated' };
 * const moveDate: UserUpdate = { userId: 'u-42', expiresAt: new Date('2027-01-01T00:00:00Z') };
 * ```
 */
export interface UserUpdate {
  readonly userId: string;
  readonly status?: StoredStatus;
  readonly expiresAt?: Date | null;
}
