import type { User } from '../status/types.js';
import type { StatusChangeEvent } from '../transitions/types.js';

/**
 * The version of the {@link UserStore} contract this release of learner-status speaks. A store
 * states the version it implements in `interfaceVersion`, so that a later, different contract
 * can refuse an adapter written for this one instead of misusing it.
 *
 * @example
 * ```ts
 * import { USER_STORE_INTERFACE_VERSION } from 'learner-status';
 *
 * const store = { interfaceVersion: USER_STORE_INTERFACE_VERSION } as const; // 1
 * ```
 */
export const USER_STORE_INTERFACE_VERSION = 1 as const;

/**
 * A user as a store answers for it (S1): the record, and the opaque version it had when read.
 * The version is whatever the store uses to detect a concurrent change (a counter, a row
 * version, an ETag); the library only hands it back unchanged.
 *
 * @example
 * ```ts
 * import type { VersionedUser } from 'learner-status';
 *
 * const read: VersionedUser = { user: { id: 'u1', status: 'active', expiresAt: null }, version: '7' };
 * ```
 */
export interface VersionedUser<U extends User = User> {
  readonly user: U;
  readonly version: string;
}

/**
 * One conditional write (S1): store `user` only if the record still has `expectedVersion`,
 * and record `event` in the same step. `user` is the complete new record as a transition
 * returned it (status, expiresAt, accessRevokedAt and the caller's own fields).
 *
 * @example
 * ```ts
 * import { deactivate, type UserWrite } from 'learner-status';
 *
 * const before = { id: 'u1', status: 'active' as const, expiresAt: null };
 * const { user, event } = deactivate(before, { now: new Date(), source: 'admin' });
 * const write: UserWrite = { user, expectedVersion: '7', event };
 * ```
 */
export interface UserWrite<U extends User = User> {
  readonly user: U;
  readonly expectedVersion: string;
  /** The audit event of this change (R10); `null` writes the record without an event. */
  readonly event: StatusChangeEvent | null;
}

/**
 * The answer for one {@link UserWrite}, in the order of the writes (S1):
 * - `ok`: stored, and the event recorded; `version` is the record's new version.
 * - `conflict`: the record has another version than expected; nothing was stored.
 * - `not-found`: there is no such user; nothing was stored.
 *
 * @example
 * ```ts
 * import type { WriteResult } from 'learner-status';
 *
 * const results: WriteResult[] = [{ status: 'ok', version: '8' }, { status: 'conflict' }, { status: 'not-found' }];
 * ```
 */
export type WriteResult =
  | { readonly status: 'ok'; readonly version: string }
  | { readonly status: 'conflict' }
  | { readonly status: 'not-found' };

/**
 * What a store can promise beyond the contract, so that callers can state their policy.
 * - `atomicBatches`: a `writeUsers` call either stores all of its `ok` items and their events,
 *   or (when it throws) none of them. Without it, a failed call may have stored some items.
 * - `maxBatchSize`: the largest number of items one call accepts; the bulk apply splits
 *   its batches to fit.
 *
 * `countUsers()` (optional) answers how many users the store holds, so that a bulk update
 * can refuse to change more than a share of them (S4).
 *
 * @example
 * ```ts
 * import type { UserStoreCapabilities } from 'learner-status';
 *
 * const capabilities: UserStoreCapabilities = { atomicBatches: true, maxBatchSize: 1000 };
 * ```
 */
export interface UserStoreCapabilities {
  readonly atomicBatches?: boolean;
  readonly maxBatchSize?: number;
}

/**
 * S1: how learner-status reads and writes your users. Storage stays yours: implement these
 * two batched calls over your own database and the library decides, you persist.
 *
 * - `readUsers(ids)` answers one entry per id, in the same order (`null` for an unknown id).
 *   An id may repeat; each occurrence gets the same answer.
 * - `writeUsers(writes)` stores each item only if its record still has `expectedVersion`
 *   (optimistic concurrency) and records its event in the same step; it answers one
 *   {@link WriteResult} per item, in order. The ids in one call are distinct (the library never
 *   sends a user twice in one call). Items are independent: a conflict on one does not stop
 *   the others. Throw (reject) only when the store itself failed.
 *
 * Run `runUserStoreConformance` from `learner-status/testing` against your implementation.
 *
 * @example
 * ```ts
 * import { USER_STORE_INTERFACE_VERSION, type UserStore } from 'learner-status';
 *
 * declare const db: { get(id: string): Promise<{ user: import('learner-status').User; version: string } | null> };
 * const store: UserStore = {
 *   interfaceVersion: USER_STORE_INTERFACE_VERSION,
 *   readUsers: (ids) => Promise.all(ids.map((id) => db.get(id))),
 *   writeUsers: async (writes) => writes.map(() => ({ status: 'conflict' as const })),
 * };
 * ```
 */
export interface UserStore<U extends User = User> {
  readonly interfaceVersion: typeof USER_STORE_INTERFACE_VERSION;
  readonly capabilities?: UserStoreCapabilities;
  readUsers(ids: readonly string[]): Promise<readonly (VersionedUser<U> | null)[]>;
  writeUsers(writes: readonly UserWrite<U>[]): Promise<readonly WriteResult[]>;
  /** Optional: how many users there are, for the bulk guard `maxChangeRatio` (S4). */
  countUsers?(): Promise<number>;
}
