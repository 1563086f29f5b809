import { describe, expect, it } from 'vitest';
import { type BulkInputRow, planBulkUpdate } from '../../src/bulk/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { rejection } from '../support/thrown.js';
import { badRow, countingStore, FUTURE, NOW, PAST, row, user } from './helpers.js';

// S3, S4, C8: what the plan says about each row and about the whole file, exactly as an
// administrator reads it in the preview and the report.

const deactivate = (line: number, id: string) => row(line, id, { status: 'deactivated' });

describe('S4 the guard says what it decided', () => {
  const users = ['a', 'b', 'c', 'd'].map((id) => user(id));
  const rows = [deactivate(2, 'a'), deactivate(3, 'b'), deactivate(4, 'c')];

  it.each([
    [
      'over maxChanges',
      { maxChanges: 2 },
      {
        refused: true,
        changes: 3,
        limit: 2,
        message:
          'This file would change 3 users, more than the limit of 2. Check that it is the file you meant (a truncated or stale export?), or raise maxChanges/maxChangeRatio.',
      },
    ],
    [
      'at maxChanges',
      { maxChanges: 3 },
      {
        refused: false,
        changes: 3,
        limit: 3,
        message: 'This file changes 3 users, within the limit of 3.',
      },
    ],
    [
      'a ratio of the store count, rounded down',
      { maxChangeRatio: 0.74 },
      { refused: true, changes: 3, limit: 2 },
    ],
    ['a ratio that allows exactly', { maxChangeRatio: 0.75 }, { refused: false, limit: 3 }],
    [
      'the smaller of the two limits',
      { maxChanges: 10, maxChangeRatio: 0.5, totalUsers: 4 },
      { refused: true, limit: 2 },
    ],
    [
      'the smaller of the two limits, the other way',
      { maxChanges: 1, maxChangeRatio: 1, totalUsers: 4 },
      { refused: true, limit: 1 },
    ],
  ])('%s', async (_name, options, guard) => {
    const store = createMemoryStore(users);
    const plan = await planBulkUpdate(rows, store, { now: NOW, ...options });
    expect(plan.guard).toMatchObject(guard);
  });

  it('no limit, no guard', async () => {
    const plan = await planBulkUpdate(rows, createMemoryStore(users), { now: NOW });
    expect(plan.guard).toBeNull();
  });

  it('a count that fails or is not a count: STORE_FAILED, saying so', async () => {
    const store = createMemoryStore(users);
    const cause = new Error('timeout');
    const throwing = {
      ...store,
      countUsers: async () => {
        throw cause;
      },
    };
    await expect(
      planBulkUpdate(rows, throwing, { now: NOW, maxChangeRatio: 0.5 }),
    ).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: 'Counting users failed: timeout.',
      cause,
    });
    for (const [count, said] of [
      [-1, '-1'],
      [1.5, '1.5'],
      ['4', '4'],
      [Number.NaN, 'NaN'],
    ] as const) {
      const liar = { ...store, countUsers: async () => count as number };
      expect(
        await rejection(() => planBulkUpdate(rows, liar, { now: NOW, maxChangeRatio: 0.5 })),
      ).toEqual({
        code: 'STORE_FAILED',
        field: undefined,
        line: undefined,
        message: `countUsers() answered ${said}, not a count.`,
      });
    }
    const empty = { ...store, countUsers: async () => 0 };
    expect(
      (await planBulkUpdate(rows, empty, { now: NOW, maxChangeRatio: 0.5 })).guard,
    ).toMatchObject({ refused: true, limit: 0 });
  });
});

describe('S3, C8 each row is reported with what it is', () => {
  it('rows come back in line order, whatever order they were given in', async () => {
    const store = createMemoryStore([user('a'), user('b'), user('c')]);
    const plan = await planBulkUpdate(
      [deactivate(7, 'c'), deactivate(2, 'a'), badRow(5), deactivate(3, 'b')],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => [r.line, r.userId])).toEqual([
      [2, 'a'],
      [3, 'b'],
      [5, null],
      [7, 'c'],
    ]);
  });

  it('a refused row keeps the user id the reader found; a row naming no user says so', async () => {
    const store = createMemoryStore([user('a')]);
    const refused: BulkInputRow = { ...badRow(2), userId: 'a' };
    const nameless: BulkInputRow = {
      line: 3,
      result: { ok: true, update: { userId: '' }, issues: [] },
    };
    const idless: BulkInputRow = {
      line: 4,
      result: { ok: true, update: { status: 'active' } as never, issues: [] },
    };
    const plan = await planBulkUpdate([refused, nameless, idless], store, { now: NOW });
    expect(plan.rows[2]).toMatchObject({ userId: null, outcome: 'invalid' });
    expect(plan.rows[2]?.issues[0]?.code).toBe('MISSING_ID');
    expect(plan.rows[0]).toMatchObject({ userId: 'a', outcome: 'invalid' });
    expect(plan.rows[1]).toEqual({
      line: 3,
      userId: null,
      outcome: 'invalid',
      before: null,
      after: null,
      issues: [
        {
          code: 'MISSING_ID',
          severity: 'error',
          message: 'The row names no user: fill in the identifier column.',
        },
      ],
    });
    expect(plan.totals).toMatchObject({ invalid: 3, changed: 0 });
  });

  it('an unknown user: not-found, naming the id and how ids match', async () => {
    const plan = await planBulkUpdate([deactivate(2, 'ghost')], createMemoryStore(), {
      now: NOW,
    });
    expect(plan.rows[0]).toEqual({
      line: 2,
      userId: 'ghost',
      outcome: 'not-found',
      before: null,
      after: null,
      issues: [
        {
          code: 'USER_NOT_FOUND',
          severity: 'error',
          message:
            'No user has the id "ghost"; check the identifier column (ids match exactly after trimming; an email is also looked up in lower case).',
        },
      ],
    });
  });

  it('C8 rows that disagree name each other, line or lines; before is the stored state', async () => {
    const store = createMemoryStore([user('a', 'active', FUTURE)]);
    const plan = await planBulkUpdate(
      [deactivate(2, 'a'), row(3, 'a', { status: 'active' }), row(4, 'a', { expiresAt: PAST })],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => r.issues.map((i) => i.message))).toEqual([
      [
        'User "a" is also on lines 3, 4 with a different change; none of these rows is applied. Keep one row per user.',
      ],
      [
        'User "a" is also on lines 2, 4 with a different change; none of these rows is applied. Keep one row per user.',
      ],
      [
        'User "a" is also on lines 2, 3 with a different change; none of these rows is applied. Keep one row per user.',
      ],
    ]);
    expect(
      plan.rows.every(
        (r) => r.issues[0]?.code === 'CONFLICTING_DUPLICATE' && r.issues[0]?.severity === 'error',
      ),
    ).toBe(true);
    expect(plan.rows[0]?.before).toEqual({
      status: 'active',
      expiresAt: FUTURE,
      effective: 'active',
    });
    const two = await planBulkUpdate(
      [deactivate(2, 'a'), row(3, 'a', { status: 'active' })],
      store,
      { now: NOW },
    );
    expect(two.rows[0]?.issues[0]?.message).toBe(
      'User "a" is also on line 3 with a different change; none of these rows is applied. Keep one row per user.',
    );
    expect(two.totals).toMatchObject({ invalid: 2, changed: 0 });
  });

  it('C8 rows that disagree about a broken record are reported without a before', async () => {
    const store = createMemoryStore([{ id: 'a', status: 'bogus', expiresAt: null } as never]);
    const plan = await planBulkUpdate(
      [deactivate(2, 'a'), row(3, 'a', { status: 'active' })],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => [r.outcome, r.before])).toEqual([
      ['invalid', null],
      ['invalid', null],
    ]);
  });

  it('C8 repeats of a valid row are duplicates, applied once; repeats of a refused row are refused alike', async () => {
    const store = createMemoryStore([
      user('a'),
      { id: 'b', status: 'bogus', expiresAt: null } as never,
    ]);
    const plan = await planBulkUpdate(
      [deactivate(2, 'a'), deactivate(3, 'a'), deactivate(4, 'b'), deactivate(5, 'b')],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => r.outcome)).toEqual(['changed', 'duplicate', 'invalid', 'invalid']);
    expect(plan.rows[1]).toMatchObject({
      before: plan.rows[0]?.before,
      after: plan.rows[0]?.after,
      issues: [
        {
          code: 'DUPLICATE_ROW',
          severity: 'warning',
          message: 'Same change as line 2 for user "a"; it is applied once, from line 2.',
        },
      ],
    });
    const refusedIssue = plan.rows[2]?.issues[0];
    expect(refusedIssue?.code).toBe('INVALID_USER');
    expect(plan.rows[3]?.issues).toEqual([
      refusedIssue,
      {
        code: 'DUPLICATE_ROW',
        severity: 'warning',
        message: 'Same change as line 4 for user "b", which is refused.',
      },
    ]);
    expect(plan.totals).toMatchObject({ changed: 1, duplicate: 1, invalid: 2 });
  });

  it('a row that asks for what the user has is unchanged, with no issue', async () => {
    const plan = await planBulkUpdate(
      [deactivate(2, 'a')],
      createMemoryStore([user('a', 'deactivated')]),
      { now: NOW },
    );
    expect(plan.rows[0]).toMatchObject({ outcome: 'unchanged', issues: [] });
    expect(plan.totals).toMatchObject({ unchanged: 1, changed: 0 });
  });
});

describe("S3 issue lists: parse issues first, then the plan's; shared where equal (memory)", () => {
  const warning = { code: 'NO_CHANGE', severity: 'warning' as const, message: 'nothing to do' };

  it("keeps the reader's issues and adds the plan's after them", async () => {
    const store = createMemoryStore([user('a', 'deactivated', PAST), user('b')]);
    const parseIssues = [warning];
    const rows: BulkInputRow[] = [
      {
        line: 2,
        result: { ok: true, update: { userId: 'a', status: 'active' }, issues: parseIssues },
      },
      {
        line: 3,
        result: { ok: true, update: { userId: 'b', status: 'deactivated' }, issues: parseIssues },
      },
    ];
    const plan = await planBulkUpdate(rows, store, { now: NOW });
    expect(plan.rows[0]?.issues.map((i) => i.code)).toEqual(['NO_CHANGE', 'STAYS_EXPIRED']);
    expect(plan.rows[1]?.issues).toBe(parseIssues);
  });

  it('rows without issues share one frozen empty list; rows with the same warning share it', async () => {
    const store = createMemoryStore([
      user('a'),
      user('b'),
      user('c', 'deactivated', PAST),
      user('d', 'deactivated', PAST),
    ]);
    const plan = await planBulkUpdate(
      [
        deactivate(2, 'a'),
        deactivate(3, 'b'),
        row(4, 'c', { status: 'active' }),
        row(5, 'd', { status: 'active' }),
      ],
      store,
      { now: NOW },
    );
    expect(plan.rows[0]?.issues).toEqual([]);
    expect(plan.rows[0]?.issues).toBe(plan.rows[1]?.issues);
    expect(Object.isFrozen(plan.rows[0]?.issues)).toBe(true);
    expect(plan.rows[2]?.issues).toHaveLength(1);
    expect(plan.rows[2]?.issues).toBe(plan.rows[3]?.issues);
  });
});

describe('S3 what counts as rows', () => {
  it('text is refused even though it is iterable; a function that is iterable is read', async () => {
    const store = createMemoryStore([user('a')]);
    expect(
      await rejection(() => planBulkUpdate('rows' as never, store, { now: NOW })),
    ).toMatchObject({ code: 'INVALID_INPUT', field: 'rows' });
    const iterableFunction = Object.assign(() => undefined, {
      *[Symbol.iterator]() {
        yield deactivate(2, 'a');
      },
    });
    const plan = await planBulkUpdate(iterableFunction as never, store, { now: NOW });
    expect(plan.totals.changed).toBe(1);
    expect(
      await rejection(() => planBulkUpdate({ next() {} } as never, store, { now: NOW })),
    ).toMatchObject({ code: 'INVALID_INPUT', field: 'rows' });
  });
});

describe('S3 reads in batches of readBatchSize', () => {
  it('each user once, in batches of the size asked, in line order', async () => {
    const store = countingStore(createMemoryStore(['a', 'b', 'c', 'd', 'e'].map((id) => user(id))));
    const plan = await planBulkUpdate(
      ['a', 'b', 'c', 'd', 'e'].map((id, i) => deactivate(i + 2, id)),
      store,
      { now: NOW, readBatchSize: 2 },
    );
    expect(store.reads).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(plan.totals.changed).toBe(5);
  });
});

describe('C9 ids without an @ match exactly', () => {
  it('ids that differ only in case are two users; an unknown one is read once', async () => {
    const store = countingStore(createMemoryStore([user('ABC'), user('abc')]));
    const plan = await planBulkUpdate(
      [deactivate(2, 'ABC'), row(3, 'abc', { status: 'active' }), deactivate(4, 'Abc')],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => [r.userId, r.outcome])).toEqual([
      ['ABC', 'changed'],
      ['abc', 'unchanged'],
      ['Abc', 'not-found'],
    ]);
    expect(store.reads).toEqual([['ABC', 'abc', 'Abc']]);
  });
});

describe("S3 what is a row's problem and what is a bug", () => {
  it("invalid stored data is the row's issue; a record that throws on reading is the store's bug, thrown as it is", async () => {
    const broken = {
      id: 'a',
      get status(): string {
        throw new Error('boom');
      },
      expiresAt: null,
    };
    const store = {
      interfaceVersion: 1 as const,
      readUsers: async () => [{ user: broken, version: '1' }],
      writeUsers: async () => [],
    };
    await expect(
      planBulkUpdate([deactivate(2, 'a')], store as never, { now: NOW }),
    ).rejects.toThrow(new Error('boom'));
    const invalid = createMemoryStore([{ id: 'a', status: 'bogus', expiresAt: null } as never]);
    const plan = await planBulkUpdate([deactivate(2, 'a')], invalid, { now: NOW });
    expect(plan.rows[0]).toMatchObject({
      outcome: 'invalid',
      issues: [{ code: 'INVALID_USER', severity: 'error' }],
    });
  });
});

describe('C8 a repeat of a row with a warning', () => {
  it('is a duplicate with only its own warning; the warning stays on the row applied', async () => {
    const store = createMemoryStore([user('a', 'deactivated', PAST)]);
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'active' }), row(3, 'a', { status: 'active' })],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => r.issues.map((i) => i.code))).toEqual([
      ['STAYS_EXPIRED'],
      ['DUPLICATE_ROW'],
    ]);
  });
});
