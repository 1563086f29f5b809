import { describe, expect, it } from 'vitest';
import {
  applyBulkUpdate,
  BULK_REPORT_HEADER,
  type BulkInputRow,
  bulkUpdateFromCsv,
  formatBulkReportCsv,
  planBulkUpdate,
} from '../../src/bulk/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import {
  badRow,
  conflictingStore,
  countingStore,
  FUTURE,
  failingStore,
  NOW,
  PAST,
  row,
  user,
} from './helpers.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('planBulkUpdate (S3, C8)', () => {
  it('S3 plans every row exactly once, by line, with outcome, before/after, and writes nothing', async () => {
    const store = createMemoryStore([
      user('a'),
      user('b', 'deactivated'),
      user('c', 'active', PAST),
    ]);
    const rows: BulkInputRow[] = [
      row(5, 'b', { status: 'active' }),
      row(2, 'a', { status: 'deactivated' }),
      row(3, 'a', { status: 'deactivated' }),
      row(4, 'ghost', { status: 'active' }),
      badRow(6),
      row(7, 'c', { status: 'active' }),
      row(8, 'b', { status: 'active' }),
    ];
    const plan = await planBulkUpdate(rows, store, { now: NOW, actor: 'admin-7' });
    expect(plan.rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'changed'],
      [3, 'duplicate'],
      [4, 'not-found'],
      [5, 'changed'],
      [6, 'invalid'],
      [7, 'unchanged'],
      [8, 'duplicate'],
    ]);
    expect(plan.totals).toEqual({
      changed: 2,
      unchanged: 1,
      'not-found': 1,
      invalid: 1,
      duplicate: 2,
    });
    expect(plan.rows[0]).toMatchObject({
      userId: 'a',
      before: { status: 'active', expiresAt: null, effective: 'active' },
      after: { status: 'deactivated', expiresAt: null, effective: 'deactivated' },
    });
    expect(plan.rows[1]!.issues).toEqual([code('DUPLICATE_ROW')]);
    expect(plan.rows[2]!.issues).toEqual([code('USER_NOT_FOUND')]);
    // R8: Yes for an expired user: a warning that they stay expired.
    expect(plan.rows[5]!.issues).toEqual([code('STAYS_EXPIRED')]);
    expect(plan.rows[5]!.after?.effective).toBe('expired');
    expect(store.events()).toEqual([]);
    expect(store.users()).toEqual([user('a'), user('b', 'deactivated'), user('c', 'active', PAST)]);
  });

  it('C8 disagreeing rows for one user: none applied, each invalid naming the other lines', async () => {
    const store = createMemoryStore([user('a'), user('b')]);
    const plan = await planBulkUpdate(
      [
        row(2, 'a', { status: 'deactivated' }),
        row(3, 'b', { expiresAt: FUTURE }),
        row(4, 'a', { status: 'active' }),
        row(9, 'a', { status: 'deactivated', expiresAt: FUTURE }),
      ],
      store,
      { now: NOW },
    );
    const rowsOfA = plan.rows.filter((r) => r.userId === 'a');
    expect(rowsOfA.map((r) => r.outcome)).toEqual(['invalid', 'invalid', 'invalid']);
    expect(rowsOfA[0]!.issues[0]).toMatchObject({ code: 'CONFLICTING_DUPLICATE' });
    expect(rowsOfA[0]!.issues[0]!.message).toContain('lines 4, 9');
    expect(rowsOfA[1]!.issues[0]!.message).toContain('lines 2, 9');
    expect(rowsOfA[0]!.before).toEqual({ status: 'active', expiresAt: null, effective: 'active' });
    expect(plan.totals.changed).toBe(1);
  });

  it('S3 a row that sets both fields yields one event; endSessions over the whole change', async () => {
    const store = createMemoryStore([user('a', 'deactivated')]);
    const plan = await planBulkUpdate([row(2, 'a', { status: 'active', expiresAt: PAST })], store, {
      now: NOW,
      actor: 'admin',
    });
    expect(plan.rows[0]).toMatchObject({
      outcome: 'changed',
      after: { status: 'active', expiresAt: PAST, effective: 'expired' },
      issues: [code('STAYS_EXPIRED')],
    });
    const report = await applyBulkUpdate(plan, store);
    expect(report.totals.changed).toBe(1);
    const [event] = store.events();
    expect(event).toMatchObject({
      userId: 'a',
      line: 2,
      source: 'csv',
      actor: 'admin',
      before: { status: 'deactivated', effective: 'deactivated' },
      after: { status: 'active', effective: 'expired' },
      endSessions: false,
    });
    expect(store.events()).toHaveLength(1);
  });

  it('S3 a row with invalid stored data is invalid with INVALID_USER, the others go on', async () => {
    const store = createMemoryStore([
      { id: 'bad', status: 'Active' as never, expiresAt: null },
      user('ok'),
    ]);
    const plan = await planBulkUpdate(
      [row(2, 'bad', { status: 'deactivated' }), row(3, 'ok', { status: 'deactivated' })],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => r.outcome)).toEqual(['invalid', 'changed']);
    expect(plan.rows[0]!.issues).toEqual([code('INVALID_USER')]);
  });

  it('S3 validates options and input at call time', async () => {
    const store = createMemoryStore();
    await expect(planBulkUpdate([], store, { now: NOW, batchsize: 3 } as never)).rejects.toThrow(
      code('INVALID_OPTION'),
    );
    await expect(planBulkUpdate([], store, { now: new Date('x') })).rejects.toThrow(
      code('INVALID_DATE'),
    );
    await expect(planBulkUpdate([], store, { now: NOW, actor: 7 as never })).rejects.toThrow(
      code('INVALID_OPTION'),
    );
    await expect(planBulkUpdate([], store, { now: NOW, maxChangeRatio: 2 })).rejects.toThrow(
      code('INVALID_OPTION'),
    );
    await expect(planBulkUpdate([], {} as never, { now: NOW })).rejects.toThrow(
      code('INVALID_OPTION'),
    );
    await expect(
      planBulkUpdate([], { ...store, interfaceVersion: 2 as never }, { now: NOW }),
    ).rejects.toThrow(code('INVALID_OPTION'));
    await expect(planBulkUpdate(42 as never, store, { now: NOW })).rejects.toThrow(
      code('INVALID_INPUT'),
    );
    await expect(
      planBulkUpdate([row(2, 'a', {}), row(2, 'b', {})], store, { now: NOW }),
    ).rejects.toThrow(code('INVALID_INPUT'));
    await expect(planBulkUpdate([{ line: 0 } as never], store, { now: NOW })).rejects.toThrow(
      code('INVALID_INPUT'),
    );
  });

  it('S3 a store that fails to read makes the plan throw STORE_FAILED', async () => {
    const store = createMemoryStore([user('a')]);
    const broken = {
      ...store,
      readUsers: async () => {
        throw new Error('down');
      },
    };
    await expect(planBulkUpdate([row(2, 'a', {})], broken, { now: NOW })).rejects.toThrow(
      code('STORE_FAILED'),
    );
    const short = { ...store, readUsers: async () => [] };
    await expect(planBulkUpdate([row(2, 'a', {})], short, { now: NOW })).rejects.toThrow(
      code('STORE_FAILED'),
    );
  });

  it('S3 reads an async iterable in batches of readBatchSize', async () => {
    const users = Array.from({ length: 25 }, (_, i) => user(`u${i}`));
    const counting = countingStore(createMemoryStore(users));
    async function* rows() {
      for (let i = 0; i < 25; i++) yield row(i + 2, `u${i}`, { status: 'deactivated' });
    }
    const plan = await planBulkUpdate(rows(), counting, { now: NOW, readBatchSize: 10 });
    expect(counting.readCalls).toBe(3);
    expect(plan.totals.changed).toBe(25);
  });
});

describe('S4 guard', () => {
  const rows = [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { status: 'deactivated' })];

  it('S4 refuses a plan that changes more than maxChanges: apply throws, nothing written', async () => {
    const store = createMemoryStore([user('a'), user('b'), user('c')]);
    const plan = await planBulkUpdate(rows, store, { now: NOW, maxChanges: 1 });
    expect(plan.guard).toMatchObject({ refused: true, changes: 2, limit: 1 });
    await expect(applyBulkUpdate(plan, store)).rejects.toThrow(code('CHANGE_LIMIT_EXCEEDED'));
    expect(store.events()).toEqual([]);
  });

  it('S4 maxChangeRatio uses totalUsers or the store count', async () => {
    const store = createMemoryStore([user('a'), user('b'), user('c'), user('d')]);
    expect(
      (await planBulkUpdate(rows, store, { now: NOW, maxChangeRatio: 0.5 })).guard?.refused,
    ).toBe(false);
    expect(
      (await planBulkUpdate(rows, store, { now: NOW, maxChangeRatio: 0.25 })).guard?.refused,
    ).toBe(true);
    expect(
      (await planBulkUpdate(rows, store, { now: NOW, maxChangeRatio: 0.5, totalUsers: 2 })).guard,
    ).toMatchObject({ refused: true, limit: 1 });
    const noCount = {
      interfaceVersion: 1 as const,
      readUsers: store.readUsers,
      writeUsers: store.writeUsers,
    };
    await expect(planBulkUpdate(rows, noCount, { now: NOW, maxChangeRatio: 0.5 })).rejects.toThrow(
      code('INVALID_OPTION'),
    );
  });
});

describe('applyBulkUpdate (S3, S4)', () => {
  it('S4 applies, then a re-run of the same rows changes nothing and records no events', async () => {
    const store = createMemoryStore([user('a'), user('b', 'active', PAST), user('c')]);
    const rows = [
      row(2, 'a', { status: 'deactivated' }),
      row(3, 'b', { expiresAt: FUTURE }),
      row(4, 'c', { status: 'active' }),
    ];
    const first = await applyBulkUpdate(await planBulkUpdate(rows, store, { now: NOW }), store);
    expect(first.rows.map((r) => r.outcome)).toEqual(['changed', 'changed', 'unchanged']);
    expect(store.events()).toHaveLength(2);
    const secondPlan = await planBulkUpdate(rows, store, { now: new Date(NOW.getTime() + 60_000) });
    expect(secondPlan.totals.changed).toBe(0);
    const second = await applyBulkUpdate(secondPlan, store);
    expect(second.totals.unchanged).toBe(3);
    expect(store.events()).toHaveLength(2);
  });

  it('S3 conflict: someone else changed a field the row sets; their change stands', async () => {
    const store = createMemoryStore([user('a'), user('b')]);
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { status: 'deactivated' })],
      store,
      { now: NOW },
    );
    // An administrator acts between plan and apply.
    store.put({ ...user('a', 'deactivated'), accessRevokedAt: NOW });
    store.put({ ...user('a', 'active') });
    const report = await applyBulkUpdate(plan, store);
    expect(report.rows.map((r) => r.outcome)).toEqual(['changed', 'changed']);
    // Same status as planned from: nothing this row sets was changed by others, so it applies.
    store.put(user('a', 'active', FUTURE));
    const plan2 = await planBulkUpdate([row(2, 'a', { expiresAt: PAST })], store, { now: NOW });
    store.put(user('a', 'active', new Date('2030-01-01T00:00:00.000Z')));
    const report2 = await applyBulkUpdate(plan2, store);
    expect(report2.rows[0]).toMatchObject({
      outcome: 'conflict',
      // The planned date is past for an active learner: the plan's warning stays on the row.
      issues: [code('EXPIRES_IN_PAST'), code('CONCURRENT_CHANGE')],
    });
    expect(report2.rows[0]!.before?.expiresAt).toEqual(new Date('2030-01-01T00:00:00.000Z'));
    expect(store.users().find((u) => u.id === 'a')!.expiresAt).toEqual(
      new Date('2030-01-01T00:00:00.000Z'),
    );
  });

  it('S3 conflict on another field: re-planned on the fresh record, never a blind overwrite', async () => {
    const store = createMemoryStore([user('a')]);
    const plan = await planBulkUpdate([row(2, 'a', { status: 'deactivated' })], store, {
      now: NOW,
    });
    store.put(user('a', 'active', FUTURE));
    const report = await applyBulkUpdate(plan, store);
    expect(report.rows[0]).toMatchObject({
      outcome: 'changed',
      before: { status: 'active', expiresAt: FUTURE },
      after: { status: 'deactivated', expiresAt: FUTURE },
    });
    expect(store.users()[0]).toMatchObject({ status: 'deactivated', expiresAt: FUTURE });
    expect(store.events()).toHaveLength(1);
  });

  it.each([
    ['no date, then a date', null, FUTURE, true],
    ['a date, then none', FUTURE, null, true],
    ['a date, then another', FUTURE, new Date(FUTURE.getTime() + 1), true],
    ['the same instant, written again', FUTURE, new Date(FUTURE.getTime()), false],
    ['none, written again', null, null, false],
  ] as const)(
    'S3 a row that sets the expiration, when others wrote %s: conflict is %s',
    async (_name, planned, fresh, conflict) => {
      const store = createMemoryStore([user('a', 'active', planned)]);
      const plan = await planBulkUpdate([row(2, 'a', { expiresAt: PAST })], store, { now: NOW });
      // Another write between plan and apply: the version changes even when the value does not.
      store.put(user('a', 'active', fresh));
      const report = await applyBulkUpdate(plan, store);
      expect(report.rows[0]?.outcome).toBe(conflict ? 'conflict' : 'changed');
      expect(store.users()[0]?.expiresAt).toEqual(conflict ? fresh : PAST);
    },
  );

  it('S3 a row that sets the expiration is re-planned, not a conflict, when others changed the status', async () => {
    const store = createMemoryStore([user('a', 'active', FUTURE)]);
    const plan = await planBulkUpdate([row(2, 'a', { expiresAt: PAST })], store, { now: NOW });
    store.put(user('a', 'deactivated', FUTURE));
    const report = await applyBulkUpdate(plan, store);
    expect(report.rows[0]).toMatchObject({
      outcome: 'changed',
      before: { status: 'deactivated', expiresAt: FUTURE },
      after: { status: 'deactivated', expiresAt: PAST },
    });
  });

  it('S3 a user deleted after the plan is not-found; a fresh record that already matches is unchanged', async () => {
    const store = createMemoryStore([user('a'), user('b')]);
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { expiresAt: FUTURE })],
      store,
      { now: NOW },
    );
    store.delete('a');
    store.put({ ...user('b', 'active', FUTURE) });
    const report = await applyBulkUpdate(plan, store);
    expect(report.rows.map((r) => r.outcome)).toEqual(['not-found', 'conflict']);
  });

  it('S4 a store failure marks its batch failed and, by default, stops: the rest cancelled', async () => {
    const users = Array.from({ length: 10 }, (_, i) => user(`u${i}`));
    const rows = users.map((u, i) => row(i + 2, u.id, { status: 'deactivated' }));
    const inner = createMemoryStore(users);
    const store = failingStore(inner, [2]);
    const plan = await planBulkUpdate(rows, store, { now: NOW });
    const report = await applyBulkUpdate(plan, store, { batchSize: 3 });
    expect(report.rows.map((r) => r.outcome)).toEqual([
      'changed',
      'changed',
      'changed',
      'failed',
      'failed',
      'failed',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(report.stoppedByFailure).toBe(true);
    expect(report.rows[3]!.issues).toEqual([code('STORE_FAILED')]);
    expect(report.rows[6]!.issues).toEqual([code('STOPPED_AFTER_FAILURE')]);
    // Running the file again finishes the job: the applied rows are unchanged now.
    const rerun = await applyBulkUpdate(await planBulkUpdate(rows, inner, { now: NOW }), inner);
    expect(rerun.totals).toMatchObject({ changed: 7, unchanged: 3 });
    expect(inner.events()).toHaveLength(10);
  });

  it("S4 onStoreError 'continue' goes on after a failed batch", async () => {
    const users = Array.from({ length: 6 }, (_, i) => user(`u${i}`));
    const store = failingStore(createMemoryStore(users), [1]);
    const plan = await planBulkUpdate(
      users.map((u, i) => row(i + 2, u.id, { status: 'deactivated' })),
      store,
      { now: NOW },
    );
    const report = await applyBulkUpdate(plan, store, { batchSize: 2, onStoreError: 'continue' });
    expect(report.totals).toMatchObject({ failed: 2, changed: 4, cancelled: 0 });
  });

  it('S3 cancellation and progress: checked before each batch, every row reported once', async () => {
    const users = Array.from({ length: 10 }, (_, i) => user(`u${i}`));
    const store = createMemoryStore(users);
    const rows = [badRow(1), ...users.map((u, i) => row(i + 2, u.id, { status: 'deactivated' }))];
    const plan = await planBulkUpdate(rows, store, { now: NOW });
    const signal = { aborted: false };
    const seen: number[] = [];
    const report = await applyBulkUpdate(plan, store, {
      batchSize: 4,
      signal,
      onProgress: (progress) => {
        seen.push(progress.processed);
        expect(progress.total).toBe(11);
        signal.aborted = true;
      },
    });
    expect(seen).toEqual([5, 11]);
    expect(report.cancelled).toBe(true);
    expect(report.totals).toEqual({
      changed: 4,
      unchanged: 0,
      'not-found': 0,
      invalid: 1,
      duplicate: 0,
      conflict: 0,
      failed: 0,
      cancelled: 6,
    });
    expect(report.rows.map((r) => r.line)).toEqual(rows.map((r) => r.line));
    expect(store.events()).toHaveLength(4);
  });

  it('S3 respects the store maxBatchSize and validates options and the plan', async () => {
    const store = createMemoryStore([user('a'), user('b'), user('c')]);
    let calls = 0;
    const capped = {
      ...store,
      capabilities: { maxBatchSize: 1 },
      writeUsers: (w: Parameters<typeof store.writeUsers>[0]) => {
        calls += 1;
        return store.writeUsers(w);
      },
    };
    const plan = await planBulkUpdate(
      ['a', 'b', 'c'].map((id, i) => row(i + 2, id, { status: 'deactivated' })),
      capped,
      { now: NOW },
    );
    await expect(applyBulkUpdate(plan, capped, { batchsize: 1 } as never)).rejects.toThrow(
      code('INVALID_OPTION'),
    );
    await expect(applyBulkUpdate(plan, capped, { onStoreError: 'retry' as never })).rejects.toThrow(
      code('INVALID_OPTION'),
    );
    await expect(applyBulkUpdate(plan, capped, { signal: {} as never })).rejects.toThrow(
      code('INVALID_OPTION'),
    );
    await expect(applyBulkUpdate({ ...plan }, capped)).rejects.toThrow(code('INVALID_INPUT'));
    await applyBulkUpdate(plan, capped, { batchSize: 100 });
    expect(calls).toBe(3);
  });

  it('S4 a store that answers against the contract fails its batch instead of guessing', async () => {
    const store = createMemoryStore([user('a')]);
    const liar = { ...store, writeUsers: async () => [] };
    const plan = await planBulkUpdate([row(2, 'a', { status: 'deactivated' })], liar, { now: NOW });
    const report = await applyBulkUpdate(plan, liar);
    expect(report.rows[0]).toMatchObject({ outcome: 'failed', issues: [code('STORE_FAILED')] });
  });

  it('S3 apply with a later now stamps events and accessRevokedAt with it (L3)', async () => {
    const store = createMemoryStore([user('a')]);
    const plan = await planBulkUpdate([row(2, 'a', { status: 'deactivated' })], store, {
      now: NOW,
    });
    const later = new Date(NOW.getTime() + 3_600_000);
    await applyBulkUpdate(plan, store, { now: later });
    expect(store.events()[0]!.at).toEqual(later);
    expect(store.users()[0]!.accessRevokedAt).toEqual(later);
  });
});

describe('report CSV and the one-call convenience (S4, C10)', () => {
  it('C10 one line per row, formulas neutralised', async () => {
    const store = createMemoryStore([user('=cmd|calc'), user('b', 'active', PAST)]);
    const plan = await planBulkUpdate(
      [row(2, '=cmd|calc', { status: 'deactivated' }), row(3, 'b', { status: 'active' })],
      store,
      { now: NOW },
    );
    const csv = formatBulkReportCsv(plan);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(BULK_REPORT_HEADER.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      "2,'=cmd|calc,changed,active,never,active,deactivated,never,deactivated,,",
    );
    expect(lines[2]).toContain('2026-01-01T00:00:00.000Z,expired');
    expect(lines[2]).toContain('STAYS_EXPIRED');
    expect(
      formatBulkReportCsv(plan, { outcomes: ['unchanged'] })
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(2);
    expect(() => formatBulkReportCsv(plan, { outcomes: ['nope' as never] })).toThrow(
      code('INVALID_OPTION'),
    );
  });

  it('S3 bulkUpdateFromCsv: dry run writes nothing; the real run applies; a re-run changes nothing', async () => {
    const store = createMemoryStore([
      user('ada@example.org'),
      user('bob@example.org', 'deactivated'),
    ]);
    const csv =
      'Email,Active,Expiration Date\r\nada@example.org,No,\r\nbob@example.org,Yes,2027-01-01\r\nnobody@example.org,Yes,\r\nada@example.org,TRUE,\r\n';
    const dry = await bulkUpdateFromCsv(csv, store, { now: NOW, actor: 'admin', dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.rows.map((r) => r.outcome)).toEqual(['changed', 'changed', 'not-found', 'invalid']);
    expect(store.events()).toEqual([]);
    const real = await bulkUpdateFromCsv(csv, store, { now: NOW, actor: 'admin', batchSize: 1 });
    expect(real.totals).toMatchObject({ changed: 2, 'not-found': 1, invalid: 1 });
    expect(store.events().map((e) => e.line)).toEqual([2, 3]);
    const again = await bulkUpdateFromCsv(csv, store, { now: NOW });
    expect(again.totals.changed).toBe(0);
    expect(store.events()).toHaveLength(2);
    await expect(
      bulkUpdateFromCsv(csv, store, { now: NOW, dryrun: true } as never),
    ).rejects.toThrow(code('INVALID_OPTION'));
    await expect(
      bulkUpdateFromCsv('Email,Active\r\n"ada,No\r\n', store, { now: NOW }),
    ).rejects.toThrow(code('UNCLOSED_QUOTE'));
  });
});

describe('identifiers in the bulk update (C9, C8)', () => {
  it('C9 C8 an email names one user in any ASCII case: repeats are duplicates or conflicts', async () => {
    const store = createMemoryStore([user('ada@example.org'), user('bob@example.org')]);
    const plan = await planBulkUpdate(
      [
        row(2, 'Ada@Example.org', { status: 'deactivated' }),
        row(3, 'ada@example.org', { status: 'deactivated' }),
        row(4, 'bob@example.org', { status: 'deactivated' }),
        row(5, 'BOB@EXAMPLE.ORG', { expiresAt: FUTURE }),
      ],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'ada@example.org', 'changed'],
      [3, 'ada@example.org', 'duplicate'],
      [4, 'bob@example.org', 'invalid'],
      [5, 'bob@example.org', 'invalid'],
    ]);
    expect(plan.rows[2]?.issues).toEqual([code('CONFLICTING_DUPLICATE')]);
    const report = await applyBulkUpdate(plan, store);
    expect(report.totals.changed).toBe(1);
    expect(store.users().map((u) => [u.id, u.status])).toEqual([
      ['ada@example.org', 'deactivated'],
      ['bob@example.org', 'active'],
    ]);
    expect(store.events().map((e) => e.userId)).toEqual(['ada@example.org']);
  });

  it('C9 finds a stored email as written, else in lower case; other ids match exactly', async () => {
    const store = createMemoryStore([
      user('Mixed@Example.org'),
      user('ada@example.org'),
      user('Ada'),
    ]);
    const plan = await planBulkUpdate(
      [
        row(2, 'Mixed@Example.org', { status: 'deactivated' }),
        row(3, 'ADA@EXAMPLE.ORG', { status: 'deactivated' }),
        row(4, 'ada', { status: 'deactivated' }),
        row(5, 'mixed@example.org', { status: 'deactivated' }),
      ],
      store,
      { now: NOW },
    );
    // Line 5 is the same user as line 2 (C8), found as written on line 2.
    expect(plan.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'Mixed@Example.org', 'changed'],
      [3, 'ada@example.org', 'changed'],
      [4, 'ada', 'not-found'],
      [5, 'Mixed@Example.org', 'duplicate'],
    ]);
    await applyBulkUpdate(plan, store);
    expect(store.users().map((u) => [u.id, u.status])).toEqual([
      ['Mixed@Example.org', 'deactivated'],
      ['ada@example.org', 'deactivated'],
      ['Ada', 'active'],
    ]);
  });

  it('C9 an email stored in mixed case is not found from another spelling (stores match exactly, S1)', async () => {
    const store = createMemoryStore([user('Mixed@Example.org')]);
    const plan = await planBulkUpdate(
      [row(2, 'mixed@EXAMPLE.org', { status: 'deactivated' })],
      store,
      {
        now: NOW,
      },
    );
    expect(plan.rows[0]?.outcome).toBe('not-found');
    expect(plan.rows[0]?.userId).toBe('mixed@EXAMPLE.org');
  });
});

describe('S4: what apply does with each answer of the store, exactly', () => {
  it.each([
    [
      'a result with an unknown status',
      [{ status: 'bogus' }],
      'the store answered {"status":"bogus"}; each write result must be ok, conflict or not-found',
    ],
    [
      'a result that is no object at all',
      [null],
      'the store answered null; each write result must be ok, conflict or not-found',
    ],
    [
      'no result for the write',
      [],
      'the store answered 0 results for 1 writes; writeUsers must answer one per write',
    ],
    [
      'two results for one write',
      [
        { status: 'ok', version: '1' },
        { status: 'ok', version: '2' },
      ],
      'the store answered 2 results for 1 writes; writeUsers must answer one per write',
    ],
    [
      'no list',
      { status: 'ok' },
      'the store answered no list of results for 1 writes; writeUsers must answer one per write',
    ],
  ])('%s fails the batch, saying what the contract is', async (_, answer, said) => {
    const store = createMemoryStore([user('a')]);
    const liar = { ...store, writeUsers: async () => answer as never };
    const plan = await planBulkUpdate([row(2, 'a', { status: 'deactivated' })], liar, { now: NOW });
    const report = await applyBulkUpdate(plan, liar);
    expect(report.rows[0]?.outcome).toBe('failed');
    expect(report.rows[0]?.issues).toEqual([
      {
        code: 'STORE_FAILED',
        severity: 'error',
        message: `The store failed while writing this batch (${said}); nothing of it was saved. Run the file again: rows already applied will show as unchanged.`,
      },
    ]);
  });

  it('what the store throws while writing is quoted in the issue, whatever it throws', async () => {
    const store = createMemoryStore([user('a')]);
    for (const [thrown, said] of [
      [new TypeError('socket hang up'), 'socket hang up'],
      ['timeout', 'timeout'],
      [42, '42'],
    ] as const) {
      const broken = {
        ...store,
        writeUsers: async () => {
          throw thrown;
        },
      };
      const plan = await planBulkUpdate([row(2, 'a', { status: 'deactivated' })], broken, {
        now: NOW,
      });
      const report = await applyBulkUpdate(plan, broken);
      expect(report.rows[0]?.issues[0]?.message).toContain(`(${said});`);
    }
  });

  it('reads nothing while applying when no write meets a conflict', async () => {
    const counting = countingStore(createMemoryStore([user('a'), user('b')]));
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { expiresAt: FUTURE })],
      counting,
      { now: NOW },
    );
    counting.readCalls = 0;
    const report = await applyBulkUpdate(plan, counting);
    expect(report.totals.changed).toBe(2);
    expect(counting.readCalls).toBe(0);
  });

  it('planning needs a whole store: one without writeUsers is refused before anything is read', async () => {
    const store = createMemoryStore([user('a')]);
    const readOnly = { interfaceVersion: 1, readUsers: store.readUsers.bind(store) };
    await expect(
      planBulkUpdate([row(2, 'a', { status: 'deactivated' })], readOnly as never, { now: NOW }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        field: 'store',
        message:
          'planBulkUpdate: `store` must be a UserStore with readUsers and writeUsers (see createMemoryStore).',
      }),
    );
  });

  it('the CSV report has the documented columns', () => {
    expect(BULK_REPORT_HEADER).toEqual([
      'Line',
      'User',
      'Outcome',
      'Status Before',
      'Expires Before',
      'Effective Before',
      'Status After',
      'Expires After',
      'Effective After',
      'Codes',
      'Messages',
    ]);
  });
});

describe('S4: the issues apply adds, exactly as documented', () => {
  const issue = (code: string, message: string) => ({ code, severity: 'error', message });

  it('cancelled, stopped after a failure, deleted meanwhile, changed by others, kept changing', async () => {
    const rows = [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { status: 'deactivated' })];

    const store = createMemoryStore([user('a'), user('b')]);
    const cancelled = await applyBulkUpdate(
      await planBulkUpdate(rows, store, { now: NOW }),
      store,
      {
        signal: { aborted: true },
      },
    );
    expect(cancelled.rows[0]?.issues).toEqual([
      issue(
        'CANCELLED',
        'Cancelled before this row was written; nothing changed. Run the file again to apply it.',
      ),
    ]);

    const failing = failingStore(createMemoryStore([user('a'), user('b')]), [1]);
    const stopped = await applyBulkUpdate(
      await planBulkUpdate(rows, failing, { now: NOW }),
      failing,
      { batchSize: 1 },
    );
    expect(stopped.rows[0]?.issues).toEqual([
      issue(
        'STORE_FAILED',
        'The store failed while writing this batch (connection reset); nothing of it was saved. Run the file again: rows already applied will show as unchanged.',
      ),
    ]);
    const notAtomic = failingStore({ ...createMemoryStore([user('a')]), capabilities: {} }, [1]);
    const partly = await applyBulkUpdate(
      await planBulkUpdate([rows[0]!], notAtomic, { now: NOW }),
      notAtomic,
    );
    expect(partly.rows[0]?.issues[0]?.message).toBe(
      'The store failed while writing this batch (connection reset); some rows of it may have been saved. Run the file again: rows already applied will show as unchanged.',
    );
    expect(stopped.rows[1]?.issues).toEqual([
      issue(
        'STOPPED_AFTER_FAILURE',
        'Not attempted: an earlier batch failed in the store and the run stopped. Run the file again once the store is back; rows already applied will show as unchanged.',
      ),
    ]);

    const changing = createMemoryStore([user('a'), user('b')]);
    const plan = await planBulkUpdate(rows, changing, { now: NOW });
    changing.delete('a');
    changing.put(user('b', 'deactivated'));
    const meanwhile = await applyBulkUpdate(plan, changing);
    expect(meanwhile.rows.map((r) => r.issues)).toEqual([
      [
        issue(
          'USER_NOT_FOUND',
          'The user was deleted after the plan was made; nothing was written.',
        ),
      ],
      [
        issue(
          'CONCURRENT_CHANGE',
          'Someone else changed this user after the plan was made, in a field this row sets; their change stands. Check the user and run the row again if it is still wanted.',
        ),
      ],
    ]);

    const stubborn = conflictingStore(createMemoryStore([user('a')]));
    const retried = await applyBulkUpdate(
      await planBulkUpdate([rows[0]!], stubborn, { now: NOW }),
      stubborn,
      { maxAttempts: 2 },
    );
    expect(retried.rows[0]?.issues).toEqual([
      issue(
        'CONCURRENT_CHANGE',
        'The user kept changing while this row was being written; it was not written. Run the row again.',
      ),
    ]);
  });
});

describe('S3: a user deleted between a conflicting write and its re-read', () => {
  it('is not-found, with the deletion named', async () => {
    const inner = createMemoryStore([user('a')]);
    const racing = {
      ...inner,
      writeUsers: async () => {
        inner.delete('a');
        return [{ status: 'conflict' as const }];
      },
    };
    const plan = await planBulkUpdate([row(2, 'a', { status: 'deactivated' })], racing, {
      now: NOW,
    });
    const report = await applyBulkUpdate(plan, racing);
    expect(report.rows[0]).toMatchObject({
      outcome: 'not-found',
      before: null,
      after: null,
      issues: [
        {
          code: 'USER_NOT_FOUND',
          severity: 'error',
          message: 'The user was deleted after the plan was made; nothing was written.',
        },
      ],
    });
    expect(report.totals['not-found']).toBe(1);
  });
});

describe('S3, R12: a re-read that finds invalid data', () => {
  it('is a conflict naming the invalid field; nothing is written over it', async () => {
    const inner = createMemoryStore([user('a')]);
    let writes = 0;
    const racing = {
      ...inner,
      writeUsers: async () => {
        writes += 1;
        inner.put({ id: 'a', status: 'bogus', expiresAt: null } as never);
        return [{ status: 'conflict' as const }];
      },
    };
    const plan = await planBulkUpdate([row(2, 'a', { status: 'deactivated' })], racing, {
      now: NOW,
    });
    const report = await applyBulkUpdate(plan, racing);
    expect(report.rows[0]).toMatchObject({ outcome: 'conflict', before: null, after: null });
    expect(report.rows[0]?.issues).toEqual([
      expect.objectContaining({ code: 'INVALID_USER', severity: 'error' }),
    ]);
    expect(report.rows[0]?.issues[0]?.message).toMatch(/status/);
    expect(writes).toBe(1);
  });
});

describe('R7, R8: rows that do not give access back say so', () => {
  const STAYS_EXPIRED = {
    code: 'STAYS_EXPIRED',
    severity: 'warning',
    message:
      'Set to active, but the learner stays expired until the expiration date is moved to a later date or cleared.',
  };
  const STAYS_DEACTIVATED = {
    code: 'STAYS_DEACTIVATED',
    severity: 'warning',
    message:
      'The expiration date no longer blocks this learner, but they are deactivated: login is still refused until they are reactivated.',
  };

  it.each([
    [
      'reactivating an expired learner',
      user('a', 'deactivated', PAST),
      { status: 'active' },
      [STAYS_EXPIRED],
    ],
    [
      'Yes for an active but expired learner',
      user('a', 'active', PAST),
      { status: 'active' },
      [STAYS_EXPIRED],
    ],
    [
      'Yes with a date still past',
      user('a', 'deactivated', null),
      { status: 'active', expiresAt: PAST },
      [STAYS_EXPIRED],
    ],
    [
      'Yes with a new date',
      user('a', 'deactivated', PAST),
      { status: 'active', expiresAt: FUTURE },
      [],
    ],
    [
      'a new date for a deactivated learner',
      user('a', 'deactivated', PAST),
      { expiresAt: FUTURE },
      [STAYS_DEACTIVATED],
    ],
    [
      'clearing the date of a deactivated learner',
      user('a', 'deactivated', PAST),
      { expiresAt: null },
      [STAYS_DEACTIVATED],
    ],
    [
      'a new date and No',
      user('a', 'deactivated', PAST),
      { status: 'deactivated', expiresAt: FUTURE },
      [],
    ],
    ['a new date for an active learner', user('a', 'active', PAST), { expiresAt: FUTURE }, []],
    ['No for an active learner', user('a'), { status: 'deactivated' }, []],
    ['no change at all, for a deactivated learner', user('a', 'deactivated'), {}, []],
  ] as const)('%s', async (_name, stored, change, warnings) => {
    const store = createMemoryStore([stored]);
    const plan = await planBulkUpdate([row(2, 'a', change)], store, { now: NOW });
    expect(plan.rows[0]?.issues).toEqual(warnings);
  });
});

describe('S3, L3: a row that changes both fields records one event, ending sessions when access is lost', () => {
  it.each([
    [
      'No and a new date, for an active learner',
      user('a', 'active', FUTURE),
      { status: 'deactivated', expiresAt: PAST },
      true,
    ],
    [
      'No and no date, for an active learner',
      user('a', 'active', FUTURE),
      { status: 'deactivated', expiresAt: null },
      true,
    ],
    [
      'Yes and a new date, for a deactivated learner',
      user('a', 'deactivated', PAST),
      { status: 'active', expiresAt: FUTURE },
      false,
    ],
    [
      'Yes and a past date, for a deactivated learner',
      user('a', 'deactivated', null),
      { status: 'active', expiresAt: PAST },
      false,
    ],
    [
      'No and a new date, for an expired learner',
      user('a', 'active', PAST),
      { status: 'deactivated', expiresAt: FUTURE },
      false,
    ],
  ] as const)('%s', async (_name, stored, change, endSessions) => {
    const store = createMemoryStore([stored]);
    const report = await applyBulkUpdate(
      await planBulkUpdate([row(2, 'a', change)], store, { now: NOW }),
      store,
    );
    expect(report.rows[0]?.outcome).toBe('changed');
    expect(store.events()).toHaveLength(1);
    expect(store.events()[0]).toMatchObject({
      before: { status: stored.status, expiresAt: stored.expiresAt },
      after: { status: change.status, expiresAt: change.expiresAt },
      endSessions,
    });
  });
});

describe('C8: two rows for one user agree exactly when they ask for the same fields and values', () => {
  const LATER = new Date(FUTURE.getTime() + 1);
  it.each([
    ['the same status', { status: 'deactivated' }, { status: 'deactivated' }, true],
    ['another status', { status: 'deactivated' }, { status: 'active' }, false],
    [
      'the same date, as two Date objects',
      { expiresAt: FUTURE },
      { expiresAt: new Date(FUTURE.getTime()) },
      true,
    ],
    ['dates a millisecond apart', { expiresAt: FUTURE }, { expiresAt: LATER }, false],
    ['no date both', { expiresAt: null }, { expiresAt: null }, true],
    ['no date and a date', { expiresAt: null }, { expiresAt: FUTURE }, false],
    ['a date and no date', { expiresAt: FUTURE }, { expiresAt: null }, false],
    [
      'a date and no expiration column',
      { status: 'active', expiresAt: FUTURE },
      { status: 'active' },
      false,
    ],
    [
      'no expiration column and a date',
      { status: 'active' },
      { status: 'active', expiresAt: FUTURE },
      false,
    ],
    [
      'both fields alike',
      { status: 'active', expiresAt: FUTURE },
      { status: 'active', expiresAt: FUTURE },
      true,
    ],
    [
      'a status and no status',
      { status: 'active', expiresAt: FUTURE },
      { expiresAt: FUTURE },
      false,
    ],
  ] as const)('%s', async (_name, first, second, agree) => {
    const store = createMemoryStore([user('a', 'active', PAST)]);
    const plan = await planBulkUpdate([row(2, 'a', first), row(3, 'a', second)], store, {
      now: NOW,
    });
    const outcomes = plan.rows.map((r) => r.outcome);
    if (agree) {
      expect(outcomes[1]).toBe('duplicate');
      expect(outcomes[0]).not.toBe('invalid');
    } else {
      expect(outcomes).toEqual(['invalid', 'invalid']);
    }
  });
});
