import type { PGlite } from '@electric-sql/pglite';
import * as fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { applyBulkUpdate, planBulkUpdate } from '../../src/bulk/index.js';
import {
  createPostgresStore,
  effectiveStatusSql,
  type PostgresStore,
  postgresSchemaSql,
} from '../../src/postgres/index.js';
import { effectiveStatus } from '../../src/status/index.js';
import {
  runUserStoreConformance,
  userStoreConformanceCases,
} from '../../src/testing/conformance/index.js';
import { recordingWrites, withAliases } from '../support/aliases.js';
import { emptyPglite } from '../support/pglite.js';

let db: PGlite;
let store: PostgresStore;
let setup: Promise<void> | undefined;

// Set up once, awaited before each test: a migration that fails then fails every test by
// name. (A failing beforeAll only skips the tests, which some runners, Stryker's among them,
// do not count as failures.)
beforeEach(
  () =>
    (setup ??= (async () => {
      db = await emptyPglite();
      store = createPostgresStore(db);
      await store.migrate();
      await store.migrate(); // S2: the migration is idempotent
    })()),
  30_000,
);
afterAll(() => (setup === undefined ? undefined : db.close()));

runUserStoreConformance(
  'PostgreSQL store on PGlite',
  {
    create: async (users) => {
      await db.query('TRUNCATE learner_status_users, learner_status_events', []);
      await store.insertUsers(users);
      return { store, events: () => store.readEvents() };
    },
    numRuns: 25,
  },
  { describe, it },
);

const code = (c: string) => expect.objectContaining({ code: c });

describe('PostgreSQL store on PGlite (S2)', () => {
  it('S2 effectiveStatusSql agrees with effectiveStatus, boundary instants included (R4)', async () => {
    const instant = fc.oneof(
      fc.integer({ min: -62_135_596_800_000, max: 8.64e15 }),
      fc.constantFrom(0, -1, 1, 8.64e15, 253_402_300_799_999),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('active' as const, 'deactivated' as const),
        fc.option(instant, { nil: null }),
        instant,
        fc.constantFrom(-1, 0, 1, 1000, null),
        async (status, expiresMs, nowMs, nearExpiry) => {
          // Half of the cases put `now` right at or next to the expiry instant.
          const now = new Date(
            expiresMs !== null && nearExpiry !== null
              ? Math.max(-62_135_596_800_000, Math.min(8.64e15, expiresMs + nearExpiry))
              : nowMs,
          );
          const expiresAt = expiresMs === null ? null : new Date(expiresMs);
          const expected = effectiveStatus({ id: 'x', status, expiresAt }, now);
          const { rows } = await db.query<{ s: string }>(
            `SELECT ${effectiveStatusSql('$3', { status: '$1::text', expiresAt: '$2::timestamptz' })} AS s`,
            [status, expiresAt === null ? null : toText(expiresAt), toText(now)],
          );
          expect(rows[0]?.s).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('S2 the view filters expired users in the database', async () => {
    await db.query('TRUNCATE learner_status_users, learner_status_events', []);
    await store.insertUsers([
      { id: 'gone', status: 'active', expiresAt: new Date('2000-01-01T00:00:00Z') },
      { id: 'here', status: 'active', expiresAt: null },
      { id: 'off', status: 'deactivated', expiresAt: new Date('2999-01-01T00:00:00Z') },
    ]);
    const { rows } = await db.query<{ id: string; effective_status: string }>(
      'SELECT id, effective_status FROM learner_status_users_effective ORDER BY id',
      [],
    );
    expect(rows).toEqual([
      { id: 'gone', effective_status: 'expired' },
      { id: 'here', effective_status: 'active' },
      { id: 'off', effective_status: 'deactivated' },
    ]);
  });

  it('S2 keeps BC and far-future instants to the millisecond; refuses what PostgreSQL cannot hold', async () => {
    await db.query('TRUNCATE learner_status_users, learner_status_events', []);
    const instants = [
      new Date('-004713-11-24T00:00:00.000Z'),
      new Date('0000-06-15T12:30:00.001Z'),
      new Date(8.64e15),
    ];
    await store.insertUsers(
      instants.map((expiresAt, i) => ({ id: `t${i}`, status: 'active' as const, expiresAt })),
    );
    const read = await store.readUsers(['t0', 't1', 't2']);
    expect(read.map((r) => r?.user.expiresAt)).toEqual(instants);
    await expect(
      store.insertUsers([{ id: 'old', status: 'active', expiresAt: new Date(-8.64e15) }]),
    ).rejects.toThrow(code('INVALID_DATE'));
  });

  it('S3 bulk plan and apply on PostgreSQL; a re-run changes nothing (S4)', async () => {
    await db.query('TRUNCATE learner_status_users, learner_status_events', []);
    await store.insertUsers(
      Array.from({ length: 30 }, (_, i) => ({
        id: `u${i}`,
        status: 'active' as const,
        expiresAt: null,
      })),
    );
    const rows = Array.from({ length: 30 }, (_, i) => ({
      line: i + 2,
      result: {
        ok: true as const,
        update: { userId: `u${i}`, status: 'deactivated' as const },
        issues: [],
      },
    }));
    const now = new Date('2026-06-01T00:00:00.000Z');
    const report = await applyBulkUpdate(
      await planBulkUpdate(rows, store, { now, actor: 'pg' }),
      store,
      { batchSize: 7 },
    );
    expect(report.totals.changed).toBe(30);
    expect(await store.readEvents()).toHaveLength(30);
    expect((await store.readEvents('u3'))[0]).toMatchObject({
      userId: 'u3',
      line: 5,
      actor: 'pg',
      source: 'csv',
      endSessions: true,
    });
    const again = await applyBulkUpdate(
      await planBulkUpdate(rows, store, { now, maxChangeRatio: 0.1 }),
      store,
    );
    expect(again.totals.unchanged).toBe(30);
    expect(await store.readEvents()).toHaveLength(30);
    expect(await store.countUsers!()).toBe(30);
  });

  it('S2 validates client and options; client errors become STORE_FAILED', async () => {
    expect(() => createPostgresStore({} as never)).toThrow(code('INVALID_OPTION'));
    expect(() => createPostgresStore(db, { usersTable: 'users; DROP TABLE x' })).toThrow(
      code('INVALID_OPTION'),
    );
    expect(() => createPostgresStore(db, { tables: 'x' } as never)).toThrow(code('INVALID_OPTION'));
    const broken = createPostgresStore({
      query: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    await expect(broken.readUsers(['a'])).rejects.toThrow(code('STORE_FAILED'));
    expect(postgresSchemaSql({ schema: 'lms' })).toContain('"lms"."learner_status_users"');
  });

  it('S1 refuses bad input to reads and writes, naming the field', async () => {
    await expect(store.readUsers('a' as never)).rejects.toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        field: 'ids',
        message: 'readUsers expects an array of string ids.',
      }),
    );
    await store.insertUsers([{ id: 'twice', status: 'active', expiresAt: null }]);
    const [read] = await store.readUsers(['twice']);
    const write = { user: read!.user, expectedVersion: read!.version, event: null };
    await expect(store.writeUsers([write, write])).rejects.toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        field: 'id',
        message:
          'writeUsers: the user "twice" appears twice in one batch; send each user at most once per call.',
      }),
    );
  });
});

describe('PostgreSQL store on PGlite: its documented range of instants (S2, issue 19)', () => {
  it('S2 from 4714 BC (the start of timestamptz) to the largest Date: the ends round-trip, earlier is refused', async () => {
    const cases = userStoreConformanceCases({
      create: async (users) => {
        await db.query('TRUNCATE learner_status_users, learner_status_events', []);
        await store.insertUsers(users);
        return { store, events: () => store.readEvents() };
      },
      instantRange: { min: new Date('-004713-11-24T00:00:00.000Z'), max: new Date(8.64e15) },
    });
    for (const testCase of cases.filter((c) => c.name.startsWith('S2'))) await testCase.run();
  });
});

describe('PostgreSQL store on PGlite: one learner named by email and by id (C8, issue 19)', () => {
  it('C8 S1 the store answers both names with one user: one write, one event, the repeat reported', async () => {
    await db.query('TRUNCATE learner_status_users, learner_status_events', []);
    await db.query(
      'CREATE TABLE IF NOT EXISTS app_email (email text PRIMARY KEY, user_id text NOT NULL)',
      [],
    );
    await db.query('TRUNCATE app_email', []);
    await db.query("INSERT INTO app_email VALUES ('ada@example.org', 'u-1')", []);
    await store.insertUsers([
      { id: 'u-1', status: 'active', expiresAt: null },
      { id: 'u-2', status: 'active', expiresAt: null },
    ]);
    // An adapter over the shipped store that also reads by email (lower case, as kept).
    const byEmail = async (ids: readonly string[]) => {
      const { rows } = await db.query<{ email: string; user_id: string }>(
        'SELECT email, user_id FROM app_email WHERE email = ANY($1::text[])',
        [ids],
      );
      return new Map(rows.map((r) => [r.email, r.user_id]));
    };
    const aliased = recordingWrites(withAliases(store, byEmail));
    const now = new Date('2026-06-01T00:00:00.000Z');
    const change = (line: number, userId: string) => ({
      line,
      result: {
        ok: true as const,
        update: { userId, status: 'deactivated' as const },
        issues: [],
      },
    });
    const plan = await planBulkUpdate(
      [change(2, 'ada@example.org'), change(3, 'u-2'), change(4, 'u-1')],
      aliased,
      { now, actor: 'pg' },
    );
    expect(plan.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'u-1', 'changed'],
      [3, 'u-2', 'changed'],
      [4, 'u-1', 'duplicate'],
    ]);
    expect(plan.rows[2]?.issues.map((i) => i.message)).toEqual([
      'Same change as line 2 for user "u-1"; it is applied once, from line 2.',
    ]);
    // The shipped store refuses a batch naming one user twice: before the fix, this whole
    // batch failed, u-2 included.
    const report = await applyBulkUpdate(plan, aliased);
    expect(aliased.calls).toEqual([['u-1', 'u-2']]);
    expect(report.totals).toMatchObject({ changed: 2, duplicate: 1, failed: 0 });
    expect((await store.readEvents()).map((e) => [e.userId, e.line])).toEqual([
      ['u-1', 2],
      ['u-2', 3],
    ]);
  });
});

function toText(date: Date): string {
  // The same text the store sends: years beyond 9999 and BC years in PostgreSQL's form.
  const year = date.getUTCFullYear();
  const iso = new Date(date.getTime()).toISOString();
  if (year >= 1 && year <= 9999) return iso;
  const bc = year <= 0;
  const body = iso
    .replace(/^[+-]\d{6}/, String(bc ? 1 - year : year).padStart(4, '0'))
    .replace('T', ' ')
    .replace('Z', '+00');
  return bc ? `${body} BC` : body;
}
