import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePGlite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppDb, createAppSchema } from '../../../examples/adapters/drizzle/schema.js';
import { drizzleLearnerStore, type Learner } from '../../../examples/adapters/drizzle/store.js';
import { PG_INSTANT_RANGE } from '../../../examples/adapters/pg-instants.js';
import { planBulkUpdate } from '../../../src/bulk/index.js';
import { type ConformanceUser, runUserStoreConformance } from '../../../src/testing/index.js';
import { withPostgresServer } from '../../support/pg-server.js';

// The worked Drizzle ORM adapter (issue 19) against the conformance suite: on PGlite
// (drizzle-orm/pglite), and on a real server (drizzle-orm/node-postgres) with writers on
// several connections.

const learnerOf = (base: ConformanceUser): Learner => ({
  id: base.id,
  status: base.status,
  expiresAt: base.expiresAt,
  ...(base.accessRevokedAt === undefined ? {} : { accessRevokedAt: base.accessRevokedAt }),
  email: `${base.id}@example.org`,
  fullName: base.profile.name,
});

async function reset(db: AppDb, learners: readonly Learner[]): Promise<void> {
  await db.execute(sql`TRUNCATE app_learner, app_learner_event`);
  await drizzleLearnerStore(db).insertLearners(learners);
}

describe('Drizzle adapter on PGlite', () => {
  const pglite = new PGlite();
  const db = drizzlePGlite({ client: pglite });
  const store = drizzleLearnerStore(db);
  beforeAll(() => createAppSchema(db));
  afterAll(() => pglite.close());

  runUserStoreConformance(
    'Drizzle adapter (app_learner) on PGlite',
    {
      user: learnerOf,
      create: async (learners) => {
        await reset(db, learners);
        return { store, events: () => store.readEvents() };
      },
      instantRange: PG_INSTANT_RANGE,
      numRuns: 15,
    },
    { describe, it },
  );

  it('answers a lookup by email with the learner, own id and all, and plans one change', async () => {
    await reset(db, [
      { id: 'u-1', email: 'ada@example.org', fullName: 'Ada', status: 'active', expiresAt: null },
      {
        id: 'ada@example.org',
        email: 'other@example.org',
        fullName: 'Other',
        status: 'active',
        expiresAt: null,
      },
    ]);
    const [byEmail, byId, clash, none] = await store.readUsers([
      'other@example.org',
      'u-1',
      'ada@example.org',
      'nobody@example.org',
    ]);
    expect(byEmail?.user.id).toBe('ada@example.org');
    expect(byId?.user.email).toBe('ada@example.org');
    // An id is looked at before any alias.
    expect(clash?.user.id).toBe('ada@example.org');
    expect(none).toBeNull();
    const row = (line: number, userId: string) => ({
      line,
      result: { ok: true as const, update: { userId, status: 'deactivated' as const }, issues: [] },
    });
    const plan = await planBulkUpdate(
      [row(2, 'other@example.org'), row(3, 'ada@example.org')],
      store,
      { now: new Date('2026-06-01T00:00:00Z') },
    );
    expect(plan.rows.map((r) => [r.userId, r.outcome])).toEqual([
      ['ada@example.org', 'changed'],
      ['ada@example.org', 'duplicate'],
    ]);
  });

  it('keeps email and full name as stored, counts learners, refuses a learner twice', async () => {
    await reset(db, [{ id: 'k', email: 'k@x', fullName: 'K', status: 'active', expiresAt: null }]);
    const [read] = await store.readUsers(['k']);
    const [result] = await store.writeUsers([
      {
        user: { ...read!.user, status: 'deactivated' },
        expectedVersion: read!.version,
        event: null,
      },
    ]);
    expect(result).toEqual({ status: 'ok', version: '2' });
    const [after] = await store.readUsers(['k']);
    expect(after?.user).toMatchObject({ email: 'k@x', fullName: 'K', status: 'deactivated' });
    expect(await store.countUsers?.()).toBe(1);
    await expect(
      store.writeUsers([
        { user: read!.user, expectedVersion: '2', event: null },
        { user: read!.user, expectedVersion: '2', event: null },
      ]),
    ).rejects.toThrow(/twice/);
  });
});

withPostgresServer('Drizzle adapter on a PostgreSQL server', (connectionString) => {
  // A schema of its own, so that runs against one server never meet.
  const schema = `ls_drizzle_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const options = `-c search_path=${schema}`;
  const pool = new pg.Pool({ connectionString, options, max: 4 });
  const db = drizzlePg({ client: pool });
  const store = drizzleLearnerStore(db);
  beforeAll(async () => {
    await db.execute(sql`CREATE SCHEMA ${sql.identifier(schema)}`);
    await createAppSchema(db);
  });
  afterAll(async () => {
    await db.execute(sql`DROP SCHEMA ${sql.identifier(schema)} CASCADE`);
    await pool.end();
  });

  runUserStoreConformance(
    'Drizzle adapter (app_learner) on a PostgreSQL server',
    {
      user: learnerOf,
      create: async (learners) => {
        await reset(db, learners);
        return { store, events: () => store.readEvents() };
      },
      instantRange: PG_INSTANT_RANGE,
      numRuns: 10,
      // Writers on several connections: a Drizzle over a pool of one connection each.
      concurrent: {
        create: async (learners, connections) => {
          await reset(db, learners);
          const pools = Array.from(
            { length: connections },
            () => new pg.Pool({ connectionString, options, max: 1 }),
          );
          return {
            stores: pools.map((one) => drizzleLearnerStore(drizzlePg({ client: one }))),
            events: () => store.readEvents(),
            close: async () => {
              await Promise.all(pools.map((one) => one.end()));
            },
          };
        },
        connections: 6,
        rounds: 12,
      },
    },
    { describe, it },
  );
});
