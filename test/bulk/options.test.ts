import { describe, expect, it } from 'vitest';
import { applyBulkUpdate, type BulkInputRow, planBulkUpdate } from '../../src/bulk/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { rejection } from '../support/thrown.js';
import { FUTURE as FUTURE_DATE, NOW, row, user } from './helpers.js';

// S3, S4: every input and option error of the bulk API, compared whole (code, field, line and
// the exact message an administrator or integrator reads). Nothing is read or written first.

const ROWS = [row(2, 'a', { status: 'deactivated' })];
const APPLY_KEYS = 'batchSize, onProgress, signal, onStoreError, now, maxAttempts';
const PLAN_KEYS =
  'now, actor, source, reason, readBatchSize, maxChanges, maxChangeRatio, totalUsers';

type Expected = { code: string; field?: string; line?: number; message: string };
const error = (code: string, field: string | undefined, message: string, line?: number) => ({
  code,
  field,
  line,
  message,
});

describe('planBulkUpdate refuses bad options and rows, naming them (S3)', () => {
  const cases: [string, unknown, Expected][] = [
    [
      'options that are not an object',
      null,
      {
        code: 'INVALID_OPTION',
        field: 'options',
        message: 'The options of planBulkUpdate must be an object, but they are null.',
      },
    ],
    [
      'options in an array',
      [NOW],
      {
        code: 'INVALID_OPTION',
        field: 'options',
        message: 'The options of planBulkUpdate must be an object, but they are an array.',
      },
    ],
    ['no now', {}, { code: 'INVALID_DATE', field: 'now', message: '`now` must be a valid Date.' }],
    [
      'an Invalid Date as now',
      { now: new Date(Number.NaN) },
      { code: 'INVALID_DATE', field: 'now', message: '`now` must be a valid Date.' },
    ],
    [
      'a misspelled option',
      { now: NOW, maxchanges: 1 },
      {
        code: 'INVALID_OPTION',
        field: 'maxchanges',
        message: `Unknown option "maxchanges" of planBulkUpdate (did you mean \`maxChanges\`?); the options are ${PLAN_KEYS}.`,
      },
    ],
    [
      'an actor that is not text',
      { now: NOW, actor: 7 },
      { code: 'INVALID_OPTION', field: 'actor', message: '`actor` must be a string when given.' },
    ],
    [
      'a source that is not text',
      { now: NOW, source: 7 },
      { code: 'INVALID_OPTION', field: 'source', message: '`source` must be a string when given.' },
    ],
    [
      'a reason that is not text',
      { now: NOW, reason: ['left'] },
      { code: 'INVALID_OPTION', field: 'reason', message: '`reason` must be a string when given.' },
    ],
    [
      'a ratio above 1',
      { now: NOW, maxChangeRatio: 1.5 },
      {
        code: 'INVALID_OPTION',
        field: 'maxChangeRatio',
        message:
          '`maxChangeRatio` must be a share from 0 to 1 (0.1 = 10% of all users), but it is 1.5.',
      },
    ],
    [
      'a ratio below 0',
      { now: NOW, maxChangeRatio: -0.1 },
      {
        code: 'INVALID_OPTION',
        field: 'maxChangeRatio',
        message:
          '`maxChangeRatio` must be a share from 0 to 1 (0.1 = 10% of all users), but it is -0.1.',
      },
    ],
    [
      'a ratio that is NaN',
      { now: NOW, maxChangeRatio: Number.NaN },
      {
        code: 'INVALID_OPTION',
        field: 'maxChangeRatio',
        message:
          '`maxChangeRatio` must be a share from 0 to 1 (0.1 = 10% of all users), but it is NaN.',
      },
    ],
    [
      'a ratio given as text',
      { now: NOW, maxChangeRatio: '0.5' },
      {
        code: 'INVALID_OPTION',
        field: 'maxChangeRatio',
        message:
          '`maxChangeRatio` must be a share from 0 to 1 (0.1 = 10% of all users), but it is 0.5.',
      },
    ],
    [
      'a negative change limit',
      { now: NOW, maxChanges: -1 },
      {
        code: 'INVALID_OPTION',
        field: 'maxChanges',
        message: '`maxChanges` must be a whole number of users, 0 or more, but it is -1.',
      },
    ],
    [
      'a fractional change limit',
      { now: NOW, maxChanges: 2.5 },
      {
        code: 'INVALID_OPTION',
        field: 'maxChanges',
        message: '`maxChanges` must be a whole number of users, 0 or more, but it is 2.5.',
      },
    ],
    [
      'a change limit given as text',
      { now: NOW, maxChanges: '3' },
      {
        code: 'INVALID_OPTION',
        field: 'maxChanges',
        message: '`maxChanges` must be a whole number of users, 0 or more, but it is 3.',
      },
    ],
    [
      'a negative user count',
      { now: NOW, totalUsers: -5 },
      {
        code: 'INVALID_OPTION',
        field: 'totalUsers',
        message: '`totalUsers` must be a whole number, 0 or more, but it is -5.',
      },
    ],
    [
      'a fractional user count',
      { now: NOW, totalUsers: 0.5 },
      {
        code: 'INVALID_OPTION',
        field: 'totalUsers',
        message: '`totalUsers` must be a whole number, 0 or more, but it is 0.5.',
      },
    ],
    [
      'a user count given as text',
      { now: NOW, totalUsers: '10' },
      {
        code: 'INVALID_OPTION',
        field: 'totalUsers',
        message: '`totalUsers` must be a whole number, 0 or more, but it is 10.',
      },
    ],
    [
      'a read batch of 0',
      { now: NOW, readBatchSize: 0 },
      {
        code: 'INVALID_OPTION',
        field: 'readBatchSize',
        message: '`readBatchSize` must be a whole number from 1 to 100000, but it is 0.',
      },
    ],
    [
      'a read batch above the maximum',
      { now: NOW, readBatchSize: 100_001 },
      {
        code: 'INVALID_OPTION',
        field: 'readBatchSize',
        message: '`readBatchSize` must be a whole number from 1 to 100000, but it is 100001.',
      },
    ],
  ];

  it.each(cases)('%s', async (_name, options, expected) => {
    const store = createMemoryStore([user('a')]);
    expect(await rejection(() => planBulkUpdate(ROWS, store, options as { now: Date }))).toEqual(
      error(expected.code, expected.field, expected.message, expected.line),
    );
  });

  it('accepts the edges: a ratio of 0 and of 1, limits and counts of 0, a read batch of 100000', async () => {
    const store = createMemoryStore([user('a')]);
    for (const options of [
      { now: NOW, maxChangeRatio: 0, totalUsers: 0 },
      { now: NOW, maxChangeRatio: 1, totalUsers: 1 },
      { now: NOW, maxChanges: 0 },
      { now: NOW, readBatchSize: 100_000 },
      { now: NOW, readBatchSize: 1 },
    ]) {
      await expect(planBulkUpdate(ROWS, store, options)).resolves.toMatchObject({
        totals: { changed: 1 },
      });
    }
  });

  const rowCases: [string, unknown, Expected][] = [
    [
      'rows that are not iterable',
      { line: 2 },
      {
        code: 'INVALID_INPUT',
        field: 'rows',
        message:
          '`rows` must be an iterable or async iterable of { line, result }, such as parseCsv(file).',
      },
    ],
    [
      'rows that are null',
      null,
      {
        code: 'INVALID_INPUT',
        field: 'rows',
        message:
          '`rows` must be an iterable or async iterable of { line, result }, such as parseCsv(file).',
      },
    ],
    [
      'a row that is null',
      [null],
      {
        code: 'INVALID_INPUT',
        field: 'line',
        message:
          'Every row needs a positive whole `line` number (the CSV line), but one has undefined.',
      },
    ],
    [
      'a row on line "2"',
      [{ line: '2', result: { ok: false, issues: [] } }],
      {
        code: 'INVALID_INPUT',
        field: 'line',
        message: 'Every row needs a positive whole `line` number (the CSV line), but one has 2.',
      },
    ],
    [
      'a row without a line',
      [{ result: { ok: false, issues: [] } }],
      {
        code: 'INVALID_INPUT',
        field: 'line',
        message:
          'Every row needs a positive whole `line` number (the CSV line), but one has undefined.',
      },
    ],
    [
      'a row on line 0',
      [{ line: 0, result: { ok: false, issues: [] } }],
      {
        code: 'INVALID_INPUT',
        field: 'line',
        message: 'Every row needs a positive whole `line` number (the CSV line), but one has 0.',
      },
    ],
    [
      'a row on line 1.5',
      [{ line: 1.5, result: { ok: false, issues: [] } }],
      {
        code: 'INVALID_INPUT',
        field: 'line',
        message: 'Every row needs a positive whole `line` number (the CSV line), but one has 1.5.',
      },
    ],
    [
      'a row without a result',
      [{ line: 4 }],
      {
        code: 'INVALID_INPUT',
        field: 'result',
        line: 4,
        message:
          'Row on line 4: `result` must be { ok: true, update, issues } or { ok: false, issues }, as parseCsv yields.',
      },
    ],
    [
      'a row whose ok is not a boolean',
      [{ line: 4, result: { ok: 'yes', issues: [] } }],
      {
        code: 'INVALID_INPUT',
        field: 'result',
        line: 4,
        message:
          'Row on line 4: `result` must be { ok: true, update, issues } or { ok: false, issues }, as parseCsv yields.',
      },
    ],
    [
      'a row whose result is null',
      [{ line: 4, result: null }],
      {
        code: 'INVALID_INPUT',
        field: 'result',
        line: 4,
        message:
          'Row on line 4: `result` must be { ok: true, update, issues } or { ok: false, issues }, as parseCsv yields.',
      },
    ],
    [
      'a row whose ok is 1, with an update',
      [{ line: 4, result: { ok: 1, issues: [], update: { userId: 'a', status: 'active' } } }],
      {
        code: 'INVALID_INPUT',
        field: 'result',
        line: 4,
        message:
          'Row on line 4: `result` must be { ok: true, update, issues } or { ok: false, issues }, as parseCsv yields.',
      },
    ],
    [
      'an accepted row whose update is text',
      [{ line: 4, result: { ok: true, issues: [], update: 'a' } }],
      {
        code: 'INVALID_INPUT',
        field: 'result',
        line: 4,
        message:
          'Row on line 4: `result` must be { ok: true, update, issues } or { ok: false, issues }, as parseCsv yields.',
      },
    ],
    [
      'a row without its issues',
      [{ line: 4, result: { ok: false } }],
      {
        code: 'INVALID_INPUT',
        field: 'result',
        line: 4,
        message:
          'Row on line 4: `result` must be { ok: true, update, issues } or { ok: false, issues }, as parseCsv yields.',
      },
    ],
    [
      'an accepted row without its update',
      [{ line: 4, result: { ok: true, issues: [], update: null } }],
      {
        code: 'INVALID_INPUT',
        field: 'result',
        line: 4,
        message:
          'Row on line 4: `result` must be { ok: true, update, issues } or { ok: false, issues }, as parseCsv yields.',
      },
    ],
    [
      'two rows on the same line',
      [row(3, 'a', { status: 'active' }), row(3, 'b', { status: 'active' })],
      {
        code: 'INVALID_INPUT',
        field: 'line',
        line: 3,
        message:
          'Two rows have line 3; each row needs its own line number so that the report can name it.',
      },
    ],
  ];

  it.each(rowCases)('%s', async (_name, rows, expected) => {
    const store = createMemoryStore([user('a'), user('b')]);
    expect(
      await rejection(() => planBulkUpdate(rows as Iterable<BulkInputRow>, store, { now: NOW })),
    ).toEqual(error(expected.code, expected.field, expected.message, expected.line));
  });

  it('a refused row without an update is fine; so is an async iterable of rows', async () => {
    const store = createMemoryStore([user('a')]);
    async function* rows() {
      yield { line: 1, result: { ok: false as const, issues: [] } };
      yield* ROWS;
    }
    const plan = await planBulkUpdate(rows(), store, { now: NOW });
    expect(plan.rows.map((r) => r.outcome)).toEqual(['invalid', 'changed']);
  });

  it('a store that is not a UserStore, or speaks another version', async () => {
    const store = createMemoryStore([user('a')]);
    const message =
      'planBulkUpdate: `store` must be a UserStore with readUsers and writeUsers (see createMemoryStore).';
    for (const broken of [null, 'store', { ...store, readUsers: undefined }]) {
      expect(await rejection(() => planBulkUpdate(ROWS, broken as never, { now: NOW }))).toEqual(
        error('INVALID_OPTION', 'store', message),
      );
    }
    expect(
      await rejection(() =>
        planBulkUpdate(ROWS, { ...store, interfaceVersion: 2 } as never, { now: NOW }),
      ),
    ).toEqual(
      error(
        'INVALID_OPTION',
        'store',
        'planBulkUpdate: the store implements UserStore interface version 2, but this release of learner-status speaks version 1. Update the adapter.',
      ),
    );
  });

  it('maxChangeRatio without totalUsers needs a store that counts', async () => {
    const store = createMemoryStore([user('a')]);
    const { countUsers: _, ...noCount } = store;
    expect(
      await rejection(() => planBulkUpdate(ROWS, noCount, { now: NOW, maxChangeRatio: 0.5 })),
    ).toEqual(
      error(
        'INVALID_OPTION',
        'totalUsers',
        '`maxChangeRatio` needs the number of users: pass `totalUsers`, or use a store with countUsers().',
      ),
    );
  });
});

describe('applyBulkUpdate refuses bad options, naming them (S3, S4)', () => {
  const cases: [string, unknown, Expected][] = [
    [
      'options that are not an object',
      5,
      {
        code: 'INVALID_OPTION',
        field: 'options',
        message: 'The options of applyBulkUpdate must be an object, but they are a number.',
      },
    ],
    [
      'a misspelled option',
      { batchsize: 1 },
      {
        code: 'INVALID_OPTION',
        field: 'batchsize',
        message: `Unknown option "batchsize" of applyBulkUpdate (did you mean \`batchSize\`?); the options are ${APPLY_KEYS}.`,
      },
    ],
    [
      'a now that is not a Date',
      { now: '2026-06-01' },
      { code: 'INVALID_DATE', field: 'now', message: '`now` must be a valid Date.' },
    ],
    [
      'onProgress that is not a function',
      { onProgress: 'log' },
      { code: 'INVALID_OPTION', field: 'onProgress', message: '`onProgress` must be a function.' },
    ],
    ...[null, 'abort', {}, { aborted: 'no' }].map((signal): [string, unknown, Expected] => [
      `signal ${JSON.stringify(signal)}`,
      { signal },
      {
        code: 'INVALID_OPTION',
        field: 'signal',
        message: '`signal` must be an AbortSignal (or any object with a boolean `aborted`).',
      },
    ]),
    [
      'an unknown failure policy',
      { onStoreError: 'retry' },
      {
        code: 'INVALID_OPTION',
        field: 'onStoreError',
        message: `\`onStoreError\` must be 'stop' or 'continue', but it is "retry".`,
      },
    ],
    [
      'a batch of 0',
      { batchSize: 0 },
      {
        code: 'INVALID_OPTION',
        field: 'batchSize',
        message: '`batchSize` must be a whole number from 1 to 100000, but it is 0.',
      },
    ],
    [
      'a batch above the maximum',
      { batchSize: 100_001 },
      {
        code: 'INVALID_OPTION',
        field: 'batchSize',
        message: '`batchSize` must be a whole number from 1 to 100000, but it is 100001.',
      },
    ],
    [
      'more attempts than the maximum',
      { maxAttempts: 101 },
      {
        code: 'INVALID_OPTION',
        field: 'maxAttempts',
        message: '`maxAttempts` must be a whole number from 1 to 100, but it is 101.',
      },
    ],
    [
      'attempts given as text',
      { maxAttempts: '3' },
      {
        code: 'INVALID_OPTION',
        field: 'maxAttempts',
        message: '`maxAttempts` must be a whole number from 1 to 100, but it is 3.',
      },
    ],
  ];

  it.each(cases)('%s', async (_name, options, expected) => {
    const store = createMemoryStore([user('a')]);
    const plan = await planBulkUpdate(ROWS, store, { now: NOW });
    expect(await rejection(() => applyBulkUpdate(plan, store, options as never))).toEqual(
      error(expected.code, expected.field, expected.message, expected.line),
    );
    expect(store.events()).toEqual([]);
  });

  it('accepts the edges: a batch of 100000, 100 attempts, a signal not aborted', async () => {
    const store = createMemoryStore([user('a')]);
    const plan = await planBulkUpdate(ROWS, store, { now: NOW });
    const report = await applyBulkUpdate(plan, store, {
      batchSize: 100_000,
      maxAttempts: 100,
      signal: { aborted: false },
      onStoreError: 'continue',
      onProgress: undefined,
    });
    expect(report.totals.changed).toBe(1);
  });

  it("ignores a store's maxBatchSize that is not a positive whole number", async () => {
    for (const maxBatchSize of [0, 1.5, Number.NaN, -1]) {
      const inner = createMemoryStore([user('a'), user('b')]);
      let calls = 0;
      const store = {
        ...inner,
        capabilities: { maxBatchSize },
        writeUsers: (writes: Parameters<typeof inner.writeUsers>[0]) => {
          calls += 1;
          return inner.writeUsers(writes);
        },
      };
      const plan = await planBulkUpdate(
        [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { status: 'deactivated' })],
        store,
        { now: NOW },
      );
      await applyBulkUpdate(plan, store);
      expect(calls, String(maxBatchSize)).toBe(1);
    }
  });
});

describe('applyBulkUpdate refuses what it cannot apply (S3, S4)', () => {
  it('a copy of a plan, a store that is not one, a plan the guard refused', async () => {
    const store = createMemoryStore([user('a')]);
    const plan = await planBulkUpdate(ROWS, store, { now: NOW });
    expect(await rejection(() => applyBulkUpdate({ ...plan }, store))).toEqual(
      error(
        'INVALID_INPUT',
        'plan',
        'applyBulkUpdate takes the plan object that planBulkUpdate returned (a copy or a plan rebuilt from JSON cannot be applied; plan again).',
      ),
    );
    expect(await rejection(() => applyBulkUpdate(plan, {} as never))).toEqual(
      error(
        'INVALID_OPTION',
        'store',
        'applyBulkUpdate: `store` must be a UserStore with readUsers and writeUsers (see createMemoryStore).',
      ),
    );
    const refused = await planBulkUpdate(ROWS, store, { now: NOW, maxChanges: 0 });
    expect(await rejection(() => applyBulkUpdate(refused, store))).toEqual(
      error(
        'CHANGE_LIMIT_EXCEEDED',
        'maxChanges',
        `${refused.guard?.message} Nothing was written.`,
      ),
    );
    expect(refused.guard?.message).toMatch(/\S/);
    expect(store.events()).toEqual([]);
  });
});

describe('applyBulkUpdate leaves the plan as it was, and shares its rows (S3)', () => {
  it('rows applied as planned are the plan row objects; others are new, and the plan is untouched', async () => {
    const store = createMemoryStore([user('a'), user('b'), user('c')]);
    const rows = [
      row(2, 'a', { status: 'deactivated' }),
      row(3, 'b', { status: 'deactivated' }),
      row(4, 'c', { status: 'active' }),
    ];
    const plan = await planBulkUpdate(rows, store, { now: NOW });
    const planned = plan.rows.map((r) => ({ ...r }));
    store.put(user('b', 'deactivated'));
    const report = await applyBulkUpdate(plan, store);
    expect(report.rows.map((r) => r.outcome)).toEqual(['changed', 'conflict', 'unchanged']);
    expect(report.rows[0]).toBe(plan.rows[0]);
    expect(report.rows[1]).not.toBe(plan.rows[1]);
    expect(report.rows[2]).toBe(plan.rows[2]);
    expect(plan.rows).toEqual(planned);
    expect(plan.rows.map((r) => r.outcome)).toEqual(['changed', 'changed', 'unchanged']);
  });

  it('a row re-decided on a record whose expiration moved gets the fresh before and after', async () => {
    const first = new Date(NOW.getTime() + 86_400_000);
    const moved = new Date(first.getTime() + 1);
    const store = createMemoryStore([user('a', 'active', first)]);
    const plan = await planBulkUpdate(ROWS, store, { now: NOW });
    store.put(user('a', 'active', moved));
    const report = await applyBulkUpdate(plan, store);
    expect(report.rows[0]).toMatchObject({
      outcome: 'changed',
      before: { expiresAt: moved },
      after: { status: 'deactivated', expiresAt: moved },
    });
    const again = createMemoryStore([user('a', 'active', first)]);
    const samePlan = await planBulkUpdate(ROWS, again, { now: NOW });
    again.put(user('a', 'active', new Date(first.getTime())));
    expect((await applyBulkUpdate(samePlan, again)).rows[0]).toBe(samePlan.rows[0]);
  });

  it('a row re-decided on a fresh record gets the fresh before and after', async () => {
    const store = createMemoryStore([user('a')]);
    const plan = await planBulkUpdate(ROWS, store, { now: NOW });
    const later = new Date(NOW.getTime() + 86_400_000);
    store.put(user('a', 'active', later));
    const report = await applyBulkUpdate(plan, store);
    expect(report.rows[0]).not.toBe(plan.rows[0]);
    expect(report.rows[0]).toMatchObject({
      outcome: 'changed',
      before: { status: 'active', expiresAt: later, effective: 'active' },
      after: { status: 'deactivated', expiresAt: later, effective: 'deactivated' },
    });
  });
});

describe('applyBulkUpdate shares equal snapshots across rows (S3, memory of large reports)', () => {
  it('rows re-decided on equal fresh records share one before and one after object', async () => {
    const store = createMemoryStore([user('a'), user('b')]);
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { status: 'deactivated' })],
      store,
      { now: NOW },
    );
    const later = new Date(NOW.getTime() + 86_400_000);
    store.put(user('a', 'active', later));
    store.put(user('b', 'active', new Date(later.getTime())));
    const report = await applyBulkUpdate(plan, store);
    expect(report.rows.map((r) => r.outcome)).toEqual(['changed', 'changed']);
    expect(report.rows[0]?.before).toEqual(report.rows[1]?.before);
    expect(report.rows[0]?.before).toBe(report.rows[1]?.before);
    expect(report.rows[0]?.after).toBe(report.rows[1]?.after);
  });
});

describe('applyBulkUpdate reports how the run ended (S3, S4)', () => {
  it('a run that ends normally is neither cancelled nor stopped', async () => {
    const store = createMemoryStore([user('a')]);
    const report = await applyBulkUpdate(await planBulkUpdate(ROWS, store, { now: NOW }), store);
    expect(report).toMatchObject({ cancelled: false, stoppedByFailure: false });
  });

  it('the progress reported on cancelling carries the totals so far', async () => {
    const store = createMemoryStore([user('a'), user('b')]);
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { status: 'deactivated' })],
      store,
      { now: NOW },
    );
    const signal = { aborted: false };
    const seen: unknown[] = [];
    await applyBulkUpdate(plan, store, {
      batchSize: 1,
      signal,
      onProgress: (progress) => {
        seen.push(progress);
        signal.aborted = true;
      },
    });
    expect(seen).toEqual([
      {
        processed: 1,
        total: 2,
        totals: expect.objectContaining({ changed: 1, cancelled: 0 }),
      },
      {
        processed: 2,
        total: 2,
        totals: expect.objectContaining({ changed: 1, cancelled: 1 }),
      },
    ]);
  });

  it('a store that states no capabilities may have saved part of a failed batch', async () => {
    const inner = createMemoryStore([user('a')]);
    const bare = {
      interfaceVersion: inner.interfaceVersion,
      readUsers: inner.readUsers,
      writeUsers: async () => {
        throw new Error('connection reset');
      },
    };
    const report = await applyBulkUpdate(await planBulkUpdate(ROWS, bare, { now: NOW }), bare);
    expect(report.rows[0]?.issues[0]?.message).toBe(
      'The store failed while writing this batch (connection reset); some rows of it may have been saved. Run the file again: rows already applied will show as unchanged.',
    );
    expect(report.stoppedByFailure).toBe(true);
  });
});

describe('planBulkUpdate shares equal snapshots between rows, up to 65,536 distinct ones (memory)', () => {
  it('equal snapshots are one frozen object; past the limit, snapshots are kept as made', async () => {
    const count = 65_540;
    const users = Array.from({ length: count }, (_, i) => user(`u${i}`));
    const store = createMemoryStore(users);
    const base = NOW.getTime() + 86_400_000;
    const rows = users.map((u, i) => row(i + 2, u.id, { expiresAt: new Date(base + i) }));
    const plan = await planBulkUpdate(rows, store, { now: NOW });
    const befores = new Set(plan.rows.map((r) => r.before));
    expect(befores.size).toBe(1);
    expect(Object.isFrozen(plan.rows[0]?.before)).toBe(true);
    const afters = plan.rows.map((r) => r.after);
    expect(new Set(afters).size).toBe(count);
    // One pooled before and 65,535 pooled afters fill the pool of 65,536.
    expect(afters.filter((a) => Object.isFrozen(a))).toHaveLength(65_535);
    expect(afters.every((a, i) => a?.expiresAt?.getTime() === base + i)).toBe(true);
  });

  it('a date and no date never share a snapshot', async () => {
    const store = createMemoryStore([user('a', 'active', FUTURE_DATE), user('b')]);
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'active' }), row(3, 'b', { status: 'active' })],
      store,
      { now: NOW },
    );
    expect(plan.rows.map((r) => r.before?.expiresAt)).toEqual([FUTURE_DATE, null]);
  });
});

describe('planBulkUpdate says what a failing store did (S3)', () => {
  it('a read that throws: STORE_FAILED with the cause, nothing written', async () => {
    const store = createMemoryStore([user('a')]);
    const cause = new Error('connection refused');
    const failing = {
      ...store,
      readUsers: async () => {
        throw cause;
      },
    };
    const error = await planBulkUpdate(ROWS, failing, { now: NOW }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'STORE_FAILED',
      message:
        'Reading 1 users from the store failed: connection refused. Nothing was written; try again when the store is back.',
      cause,
    });
  });

  it.each([
    ['too few entries', [], 'The store answered 0 entries for 1 ids'],
    ['no list', { a: null }, 'The store answered no list entries for 1 ids'],
  ])('a read that answers %s', async (_name, answer, said) => {
    const store = createMemoryStore([user('a')]);
    const liar = { ...store, readUsers: async () => answer as never };
    expect(await rejection(() => planBulkUpdate(ROWS, liar, { now: NOW }))).toEqual({
      code: 'STORE_FAILED',
      field: undefined,
      line: undefined,
      message: `${said}; readUsers must answer one entry per id, in order (null when unknown).`,
    });
  });
});

describe('applyBulkUpdate: a store that fails while retrying a conflict (S3, S4)', () => {
  it('rows settled before the failure keep their outcome; only the others fail', async () => {
    const inner = createMemoryStore([user('a'), user('b')]);
    let calls = 0;
    const flaky = {
      ...inner,
      writeUsers: async (writes: Parameters<typeof inner.writeUsers>[0]) => {
        calls += 1;
        if (calls === 1) {
          const [first] = await inner.writeUsers([writes[0]!]);
          return [first!, { status: 'conflict' as const }];
        }
        throw new Error('connection reset');
      },
    };
    const plan = await planBulkUpdate(
      [row(2, 'a', { status: 'deactivated' }), row(3, 'b', { status: 'deactivated' })],
      flaky,
      { now: NOW },
    );
    const report = await applyBulkUpdate(plan, flaky);
    expect(report.rows.map((r) => r.outcome)).toEqual(['changed', 'failed']);
    expect(report.totals).toMatchObject({ changed: 1, failed: 1, cancelled: 0 });
    expect(report.rows[0]?.issues).toEqual([]);
    expect(calls).toBe(2);
  });
});
