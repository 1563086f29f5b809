import { LearnerStatusError } from '../errors.js';
import type { User } from '../status/types.js';
import type { StatusChangeEvent } from '../transitions/types.js';
import { copyData } from './copy.js';
import { storeError } from './errors.js';
import {
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type UserWrite,
  type VersionedUser,
  type WriteResult,
} from './types.js';

/**
 * The reference {@link UserStore} (S2), kept in memory: for tests, demos and small tools. It
 * hands out and takes in copies, so nothing you hold aliases its state; each write batch is
 * applied in one step (no other call sees half of it). Beyond the contract it lets you look
 * inside: every user and every recorded event, and put or delete a user directly (as another
 * part of your application would, without an event).
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'learner-status';
 *
 * const store = createMemoryStore([{ id: 'u1', status: 'active', expiresAt: null }]);
 * const [read] = await store.readUsers(['u1']);
 * store.users(); // [{ id: 'u1', status: 'active', expiresAt: null }]
 * store.events(); // []
 * ```
 */
export interface MemoryStore<U extends User = User> extends UserStore<U> {
  /** Copies of all users, in the order they were first stored. */
  users(): U[];
  /** Copies of all recorded events, oldest first. */
  events(): StatusChangeEvent[];
  /** Inserts or replaces a user without an event; returns the new version. */
  put(user: U): string;
  /** Removes a user; returns whether there was one. */
  delete(id: string): boolean;
}

interface Entry<U> {
  user: U;
  version: string;
}

function requireId(user: unknown, where: string): string {
  const id = typeof user === 'object' && user !== null ? (user as { id?: unknown }).id : undefined;
  if (typeof id !== 'string' || id.length === 0) {
    throw new LearnerStatusError(
      'INVALID_USER',
      `${where}: every user needs a non-empty string \`id\`.`,
      { field: 'id' },
    );
  }
  return id;
}

/**
 * S2: creates the reference in-memory {@link MemoryStore}, optionally seeded with users
 * (copied; a repeated id is `INVALID_INPUT`). Versions are opaque strings that never repeat
 * within one store, even after a delete and re-insert.
 *
 * @example
 * ```ts
 * import { createMemoryStore, planBulkUpdate, applyBulkUpdate } from 'learner-status';
 *
 * const store = createMemoryStore([{ id: 'ada', status: 'active', expiresAt: null }]);
 * const rows = [{ line: 2, result: { ok: true as const, update: { userId: 'ada', status: 'deactivated' as const }, issues: [] } }];
 * const plan = await planBulkUpdate(rows, store, { now: new Date(), actor: 'admin-7' });
 * await applyBulkUpdate(plan, store);
 * store.events().length; // 1
 * ```
 */
export function createMemoryStore<U extends User = User>(users: Iterable<U> = []): MemoryStore<U> {
  const entries = new Map<string, Entry<U>>();
  const events: StatusChangeEvent[] = [];
  let counter = 0;
  const nextVersion = (): string => String(++counter);

  for (const user of users) {
    const id = requireId(user, 'createMemoryStore');
    if (entries.has(id)) {
      throw new LearnerStatusError(
        'INVALID_INPUT',
        `createMemoryStore: the user ${JSON.stringify(id)} is given twice; ids must be unique.`,
        { field: 'id' },
      );
    }
    entries.set(id, { user: copyData(user), version: nextVersion() });
  }

  return {
    interfaceVersion: USER_STORE_INTERFACE_VERSION,
    capabilities: { atomicBatches: true },

    async readUsers(ids: readonly string[]): Promise<(VersionedUser<U> | null)[]> {
      if (!Array.isArray(ids)) {
        throw new LearnerStatusError('INVALID_INPUT', 'readUsers expects an array of ids.', {
          field: 'ids',
        });
      }
      return ids.map((id) => {
        // Keys are strings: an id of another type is simply not found.
        const entry = entries.get(id);
        return entry === undefined ? null : { user: copyData(entry.user), version: entry.version };
      });
    },

    async writeUsers(writes: readonly UserWrite<U>[]): Promise<WriteResult[]> {
      if (!Array.isArray(writes)) {
        throw new LearnerStatusError('INVALID_INPUT', 'writeUsers expects an array of writes.', {
          field: 'writes',
        });
      }
      // Decide every item before changing anything, so that a refused batch leaves no trace.
      const seen = new Set<string>();
      for (const write of writes) {
        const id = requireId(write?.user, 'writeUsers');
        if (seen.has(id)) {
          throw storeError(
            'INVALID_INPUT',
            `writeUsers: the user ${JSON.stringify(id)} appears twice in one batch; send each user at most once per call.`,
            { field: 'id' },
          );
        }
        seen.add(id);
      }
      return writes.map((write) => {
        const entry = entries.get(write.user.id);
        if (entry === undefined) return { status: 'not-found' as const };
        if (entry.version !== write.expectedVersion) return { status: 'conflict' as const };
        entry.user = copyData(write.user);
        entry.version = nextVersion();
        if (write.event !== null) events.push(copyData(write.event));
        return { status: 'ok' as const, version: entry.version };
      });
    },

    countUsers: async () => entries.size,
    users: () => Array.from(entries.values(), (entry) => copyData(entry.user)),
    events: () => events.map(copyData),
    put(user: U): string {
      const id = requireId(user, 'put');
      const version = nextVersion();
      entries.set(id, { user: copyData(user), version });
      return version;
    },
    delete: (id: string): boolean => entries.delete(id),
  };
}
