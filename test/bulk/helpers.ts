import type { BulkInputRow } from '../../src/bulk/index.js';
import type { StoredStatus, User } from '../../src/status/index.js';
import type { UserStore } from '../../src/store/index.js';

export const NOW = new Date('2026-06-01T12:00:00.000Z');
export const PAST = new Date('2026-01-01T00:00:00.000Z');
export const FUTURE = new Date('2027-01-01T00:00:00.000Z');

export function user(
  id: string,
  status: StoredStatus = 'active',
  expiresAt: Date | null = null,
): User {
  return { id, status, expiresAt };
}

export function row(
  line: number,
  userId: string,
  change: { status?: StoredStatus; expiresAt?: Date | null },
): BulkInputRow {
  return { line, result: { ok: true, update: { userId, ...change }, issues: [] } };
}

export function badRow(line: number, code = 'INVALID_ACTIVE_VALUE'): BulkInputRow {
  return {
    line,
    result: {
      ok: false,
      issues: [
        { code, severity: 'error', column: 'Active', value: 'TRUE', message: 'Use Yes or No.' },
      ],
    },
  };
}

/** Wraps a store so that chosen write calls (1-based) throw, and counts calls. */
export function failingStore<U extends User>(
  inner: UserStore<U>,
  failOnWriteCalls: readonly number[],
): UserStore<U> & { writeCalls: number } {
  const wrapper = {
    interfaceVersion: inner.interfaceVersion,
    capabilities: inner.capabilities ?? {},
    writeCalls: 0,
    readUsers: (ids: readonly string[]) => inner.readUsers(ids),
    async writeUsers(writes: Parameters<UserStore<U>['writeUsers']>[0]) {
      wrapper.writeCalls += 1;
      if (failOnWriteCalls.includes(wrapper.writeCalls)) throw new Error('connection reset');
      return inner.writeUsers(writes);
    },
  };
  return wrapper;
}

/**
 * Wraps a store so that its readUsers calls are counted (`readCalls`, resettable) and the ids
 * of each call recorded (`reads`).
 */
export function countingStore<U extends User>(
  inner: UserStore<U>,
): UserStore<U> & { readCalls: number; reads: string[][] } {
  const wrapper = {
    ...inner,
    readCalls: 0,
    reads: [] as string[][],
    readUsers(ids: readonly string[]) {
      wrapper.readCalls += 1;
      wrapper.reads.push([...ids]);
      return inner.readUsers(ids);
    },
  };
  return wrapper;
}

/** Wraps a store so that every write answers conflict (nothing is written); counts the calls. */
export function conflictingStore<U extends User>(
  inner: UserStore<U>,
): UserStore<U> & { writeCalls: number } {
  const wrapper = {
    ...inner,
    writeCalls: 0,
    async writeUsers(writes: Parameters<UserStore<U>['writeUsers']>[0]) {
      wrapper.writeCalls += 1;
      return writes.map(() => ({ status: 'conflict' as const }));
    },
  };
  return wrapper;
}
