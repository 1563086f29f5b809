import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBulkUpdate, type BulkInputRow, planBulkUpdate } from '../../src/bulk/index.js';
import type { User } from '../../src/status/index.js';
import {
  createMemoryStore,
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type UserWrite,
  type VersionedUser,
  type WriteResult,
} from '../../src/store/index.js';
import type { StatusChangeEvent } from '../../src/transitions/index.js';
import { recordingWrites, repeatedIds, withAliases } from '../support/aliases.js';
import { badRow, FUTURE, NOW, PAST, row } from './helpers.js';

// C8 (issue 19): the same user is the user the store answered, not the text of the cell. A
// file may name one learner by email on a line and by id on another; a store that resolves
// both to that learner must never receive it twice in one writeUsers call.

interface Learner extends User {
  readonly email: string;
}

const ada: Learner = { id: 'u-1', email: 'ada@example.org', status: 'active', expiresAt: null };
const bob: Learner = { id: 'u-2', email: 'bob@example.org', status: 'active', expiresAt: null };

/** The memory store, with reads by email answered by the user of that email (lower case). */
function emailStore(users: readonly Learner[] = [ada, bob]) {
  const memory = createMemoryStore<Learner>(users);
  const byEmail = async (ids: readonly string[]) => {
    const known = new Map(memory.users().map((u) => [u.email, u.id]));
    return new Map(ids.flatMap((id) => (known.has(id) ? [[id, known.get(id)!] as const] : [])));
  };
  const store = recordingWrites(withAliases(memory, byEmail));
  return { memory, store };
}

const off = (line: number, id: string) => row(line, id, { status: 'deactivated' });
const on = (line: number, id: string) => row(line, id, { status: 'active' });
const issues = (plan: { rows: readonly { issues: readonly unknown[] }[] }, at: number) =>
  plan.rows[at]!.issues;

describe('C8 one learner named by email and by id (memory store)', () => {
  it('C8 S1 rows that agree: applied once, from the first line; the other is a duplicate naming it', async () => {
    const { memory, store } = emailStore();
    const plan = await planBulkUpdate([off(2, 'ada@example.org'), off(3, 'u-1')], store, {
      now: NOW,
    });
    expect(plan.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'u-1', 'changed'],
      [3, 'u-1', 'duplicate'],
    ]);
    expect(issues(plan, 1)).toEqual([
      {
        code: 'DUPLICATE_ROW',
        severity: 'warning',
        message: 'Same change as line 2 for user "u-1"; it is applied once, from line 2.',
      },
    ]);
    const report = await applyBulkUpdate(plan, store);
    expect(store.calls).toEqual([['u-1']]);
    expect(report.totals).toMatchObject({ changed: 1, duplicate: 1, failed: 0, conflict: 0 });
    expect(memory.events().map((e) => [e.userId, e.line])).toEqual([['u-1', 2]]);
    expect(memory.users()[0]).toEqual({ ...ada, status: 'deactivated', accessRevokedAt: NOW });
  });

  it('C8 the id first and the email after: the same, the other way round', async () => {
    const { store } = emailStore();
    const plan = await planBulkUpdate([off(2, 'u-1'), off(3, 'Ada@Example.org')], store, {
      now: NOW,
    });
    expect(plan.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'u-1', 'changed'],
      [3, 'u-1', 'duplicate'],
    ]);
    await applyBulkUpdate(plan, store);
    expect(store.calls).toEqual([['u-1']]);
  });

  it('C8 rows that disagree: none applied, each CONFLICTING_DUPLICATE naming the other line', async () => {
    const { memory, store } = emailStore();
    const plan = await planBulkUpdate(
      [off(2, 'ada@example.org'), off(3, 'u-2'), on(4, 'u-1')],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'u-1', 'invalid'],
      [3, 'u-2', 'changed'],
      [4, 'u-1', 'invalid'],
    ]);
    expect(issues(plan, 0)).toEqual([
      {
        code: 'CONFLICTING_DUPLICATE',
        severity: 'error',
        message:
          'User "u-1" is also on line 4 with a different change; none of these rows is applied. Keep one row per user.',
      },
    ]);
    expect(issues(plan, 2)).toEqual([
      {
        code: 'CONFLICTING_DUPLICATE',
        severity: 'error',
        message:
          'User "u-1" is also on line 2 with a different change; none of these rows is applied. Keep one row per user.',
      },
    ]);
    expect(plan.rows[0]!.before).toEqual({
      status: 'active',
      expiresAt: null,
      effective: 'active',
    });
    await applyBulkUpdate(plan, store);
    expect(store.calls).toEqual([['u-2']]);
    expect(memory.events().map((e) => e.userId)).toEqual(['u-2']);
  });

  it('C8 S3 across read batches: a change planned for the first name is withdrawn when a later name disagrees', async () => {
    const { store } = emailStore();
    const plan = await planBulkUpdate(
      [off(2, 'u-1'), off(3, 'u-2'), row(4, 'ada@example.org', { expiresAt: FUTURE })],
      store,
      { now: NOW, readBatchSize: 1 },
    );
    expect(plan.totals).toMatchObject({ changed: 1, invalid: 2 });
    expect(plan.rows.map((r) => r.outcome)).toEqual(['invalid', 'changed', 'invalid']);
    const report = await applyBulkUpdate(plan, store, { batchSize: 1 });
    expect(store.calls).toEqual([['u-2']]);
    expect(report.totals).toMatchObject({ changed: 1, invalid: 2 });
  });

  it('C8 S3 across read batches: three spellings of one user apply once; writes stay in line order', async () => {
    const { memory, store } = emailStore();
    const plan = await planBulkUpdate(
      [
        off(2, 'u-1'),
        row(3, 'u-2', { expiresAt: PAST }),
        off(4, 'ADA@example.org'),
        off(5, 'ada@example.org'),
        badRow(6),
      ],
      store,
      { now: NOW, readBatchSize: 1 },
    );
    expect(plan.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'u-1', 'changed'],
      [3, 'u-2', 'changed'],
      [4, 'u-1', 'duplicate'],
      [5, 'u-1', 'duplicate'],
      [6, null, 'invalid'],
    ]);
    expect(issues(plan, 3)).toEqual([
      {
        code: 'DUPLICATE_ROW',
        severity: 'warning',
        message: 'Same change as line 2 for user "u-1"; it is applied once, from line 2.',
      },
    ]);
    const report = await applyBulkUpdate(plan, store);
    expect(store.calls).toEqual([['u-1', 'u-2']]);
    expect(report.totals.changed).toBe(2);
    expect(memory.events().map((e) => [e.userId, e.line])).toEqual([
      ['u-1', 2],
      ['u-2', 3],
    ]);
  });

  it('C8 S4 a re-run of the file changes nothing', async () => {
    const { memory, store } = emailStore();
    const rows = [off(2, 'ada@example.org'), off(3, 'u-1')];
    await applyBulkUpdate(await planBulkUpdate(rows, store, { now: NOW }), store);
    const again = await planBulkUpdate(rows, store, { now: NOW });
    expect(again.rows.map((r) => r.outcome)).toEqual(['unchanged', 'duplicate']);
    await applyBulkUpdate(again, store);
    expect(memory.events()).toHaveLength(1);
  });
});

// A store written here, keyed by an internal id and also answering reads by employee number
// (`E0042`): nothing to do with emails. It refuses a batch that names a user twice, as the
// contract allows, so the bug of issue 19 would fail the whole batch.
interface Employee extends User {
  readonly employeeNo: string;
}

function employeeStore(seed: readonly Employee[]): UserStore<Employee> & {
  readonly events: StatusChangeEvent[];
  get(id: string): Employee | undefined;
} {
  const rows = new Map(seed.map((e) => [e.id, { user: { ...e }, version: 1 }]));
  const events: StatusChangeEvent[] = [];
  const find = (key: string) =>
    rows.get(key) ?? [...rows.values()].find((r) => r.user.employeeNo === key);
  return {
    interfaceVersion: USER_STORE_INTERFACE_VERSION,
    events,
    get: (id) => rows.get(id)?.user,
    async readUsers(ids): Promise<(VersionedUser<Employee> | null)[]> {
      return ids.map((key) => {
        const hit = find(key);
        return hit === undefined ? null : { user: { ...hit.user }, version: `v${hit.version}` };
      });
    },
    async writeUsers(writes: readonly UserWrite<Employee>[]): Promise<WriteResult[]> {
      const ids = writes.map((w) => w.user.id);
      if (new Set(ids).size !== ids.length) throw new Error('one employee twice in one batch');
      return writes.map(({ user, expectedVersion, event }) => {
        const stored = rows.get(user.id);
        if (stored === undefined) return { status: 'not-found' };
        if (`v${stored.version}` !== expectedVersion) return { status: 'conflict' };
        stored.user = { ...user };
        stored.version += 1;
        if (event !== null) events.push(event);
        return { status: 'ok', version: `v${stored.version}` };
      });
    },
  };
}

describe('C8 one employee named by employee number and by id (a store of its own)', () => {
  const staff: Employee[] = [
    { id: 'u-17', employeeNo: 'E0042', status: 'active', expiresAt: null },
    { id: 'u-18', employeeNo: 'E0043', status: 'active', expiresAt: null },
  ];

  it('C8 S1 an employee number and the id are one user: written once, the repeat reported', async () => {
    const store = employeeStore(staff);
    const recorded = recordingWrites(store);
    const plan = await planBulkUpdate(
      [off(2, 'E0042'), off(3, 'E0043'), off(4, 'u-17')],
      recorded,
      { now: NOW, actor: 'hr' },
    );
    expect(plan.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'u-17', 'changed'],
      [3, 'u-18', 'changed'],
      [4, 'u-17', 'duplicate'],
    ]);
    expect(issues(plan, 2)).toEqual([
      {
        code: 'DUPLICATE_ROW',
        severity: 'warning',
        message: 'Same change as line 2 for user "u-17"; it is applied once, from line 2.',
      },
    ]);
    const report = await applyBulkUpdate(plan, recorded);
    expect(report.totals).toMatchObject({ changed: 2, duplicate: 1, failed: 0 });
    expect(recorded.calls).toEqual([['u-17', 'u-18']]);
    expect(store.events.map((e) => [e.userId, e.line])).toEqual([
      ['u-17', 2],
      ['u-18', 3],
    ]);
    expect(store.get('u-17')).toMatchObject({ employeeNo: 'E0042', status: 'deactivated' });
  });

  it('C8 disagreeing rows under the two names: both refused, nothing written for that employee', async () => {
    const store = recordingWrites(employeeStore(staff));
    const plan = await planBulkUpdate(
      [off(2, 'u-17'), row(3, 'E0042', { expiresAt: FUTURE })],
      store,
      { now: NOW, readBatchSize: 1 },
    );
    expect(plan.rows.map((r) => r.issues.map((i) => i.message))).toEqual([
      [
        'User "u-17" is also on line 3 with a different change; none of these rows is applied. Keep one row per user.',
      ],
      [
        'User "u-17" is also on line 2 with a different change; none of these rows is applied. Keep one row per user.',
      ],
    ]);
    await applyBulkUpdate(plan, store);
    expect(store.calls).toEqual([]);
  });
});

// The property: whatever the file and however the store resolves aliases, no writeUsers call
// holds one user twice, and each user is changed by one row at most.
const USER_IDS = ['u0', 'u1', 'u2', 'u3'];
const ALIASES = ['a0', 'a1', 'a2', 'a3', 'a4', 'x@example.org', 'X@Example.org'];
const aliasMapArb = fc.dictionary(fc.constantFrom(...ALIASES), fc.constantFrom(...USER_IDS), {
  maxKeys: ALIASES.length,
});
const rowsArb = fc
  .array(
    fc.tuple(
      fc.constantFrom(...USER_IDS, ...ALIASES, 'ghost'),
      fc.record(
        {
          status: fc.constantFrom('active' as const, 'deactivated' as const),
          expiresAt: fc.constantFrom<Date | null>(null, PAST, FUTURE),
        },
        { requiredKeys: [] },
      ),
    ),
    { maxLength: 12 },
  )
  .map((specs) => specs.map(([id, change], i): BulkInputRow => row(i + 2, id, change)));

describe('C8 property: an aliasing store never sees one user twice in a call', () => {
  it('C8 S1 for any file and any aliasing store, no writeUsers call holds the same user id twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        aliasMapArb,
        rowsArb,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        async (aliases, rows, readBatchSize, batchSize) => {
          const memory = createMemoryStore(
            USER_IDS.map((id): User => ({ id, status: 'active', expiresAt: null })),
          );
          const resolve = async (ids: readonly string[]) =>
            new Map(ids.flatMap((id) => (id in aliases ? [[id, aliases[id]!] as const] : [])));
          const store = recordingWrites(withAliases(memory, resolve));
          const plan = await planBulkUpdate(rows, store, { now: NOW, readBatchSize });
          const changed = plan.rows.filter((r) => r.outcome === 'changed').map((r) => r.userId);
          expect(new Set(changed).size).toBe(changed.length);
          const report = await applyBulkUpdate(plan, store, { batchSize });
          expect(repeatedIds(store.calls)).toEqual([]);
          expect(report.totals.failed).toBe(0);
          expect(report.totals.changed).toBe(plan.totals.changed);
          expect(memory.events()).toHaveLength(plan.totals.changed);
          // Writes go in line order, each user once over the whole run.
          const lines = memory.events().map((e) => e.line!);
          expect(lines).toEqual([...lines].sort((a, b) => a - b));
          expect(new Set(store.calls.flat()).size).toBe(store.calls.flat().length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
