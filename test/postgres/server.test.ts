import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBulkUpdate, type BulkInputRow, planBulkUpdate } from '../../src/bulk/index.js';
import { createPostgresStore, type PostgresStore } from '../../src/postgres/index.js';
import type { StoredStatus, User } from '../../src/status/index.js';
import { runUserStoreConformance } from '../../src/testing/conformance/index.js';
import { type StatusChangeEvent, setExpiration, setStatus } from '../../src/transitions/index.js';
import { withPostgresServer } from '../support/pg-server.js';

// S2, S3 on a real PostgreSQL server.
withPostgresServer('PostgreSQL server tests (S2, S3)', serverTests);

function serverTests(connectionString: string): void {
  // A schema of its own, so that concurrent runs against one server never meet.
  const schema = `ls_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const pool = new pg.Pool({ connectionString, max: 8 });
  let store: PostgresStore;

  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA ${schema}`);
    store = createPostgresStore(pool, { schema });
    await store.migrate();
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
  });

  const reset = async (users: readonly User[]) => {
    await pool.query(`TRUNCATE ${schema}.learner_status_users, ${schema}.learner_status_events`);
    await store.insertUsers(users);
  };

  runUserStoreConformance(
    'PostgreSQL store on a real server',
    {
      create: async (users) => {
        await reset(users);
        return { store, events: () => store.readEvents() };
      },
      numRuns: 15,
      // S1 under concurrency: a store per connection, each its own pg.Client, one database.
      concurrent: {
        create: async (users, connections) => {
          await reset(users);
          const clients = Array.from(
            { length: connections },
            () => new pg.Client({ connectionString }),
          );
          await Promise.all(clients.map((client) => client.connect()));
          return {
            stores: clients.map((client) => createPostgresStore(client, { schema })),
            events: () => store.readEvents(),
            close: async () => {
              await Promise.all(clients.map((client) => client.end()));
            },
          };
        },
        connections: 6,
        rounds: 12,
      },
    },
    { describe, it },
  );

  describe('PostgreSQL server: concurrency (S1, S3)', () => {
    it('S3 race: bulk applies and single-user transitions on overlapping users lose no write', async () => {
      const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
      const initial: User[] = ids.map((id) => ({ id, status: 'active', expiresAt: null }));
      await reset(initial);
      const base = Date.parse('2026-06-01T00:00:00.000Z');
      let seed = 7;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const statusOf = (): StoredStatus => (random() < 0.5 ? 'active' : 'deactivated');
      const dateOf = () =>
        random() < 0.3 ? null : new Date(base + Math.floor(random() * 400) * 86_400_000);

      // Three bulk files over overlapping users, each applied in small batches.
      const bulk = (actor: string, offset: number) => {
        const rows: BulkInputRow[] = ids.slice(offset, offset + 8).map((id, i) => ({
          line: i + 2,
          result: {
            ok: true,
            update:
              random() < 0.5
                ? { userId: id, status: statusOf() }
                : { userId: id, status: statusOf(), expiresAt: dateOf() },
            issues: [],
          },
        }));
        return (async () => {
          const plan = await planBulkUpdate(rows, store, { now: new Date(base), actor });
          const report = await applyBulkUpdate(plan, store, { batchSize: 3, maxAttempts: 10 });
          return { plan, report, actor };
        })();
      };

      // Single-user edits, as an admin screen does: read, transition, conditional write, retry.
      const single = async (k: number) => {
        const id = pick(ids);
        const now = new Date(base + k);
        for (let attempt = 0; attempt < 50; attempt++) {
          const [read] = await store.readUsers([id]);
          const ctx = { now, actor: `admin-${k}`, source: 'admin' as const };
          const result =
            random() < 0.5
              ? setStatus(read!.user, statusOf(), ctx)
              : setExpiration(read!.user, dateOf(), ctx);
          if (!result.changed) return 0;
          const [answer] = await store.writeUsers([
            { user: result.user, expectedVersion: read!.version, event: result.event },
          ]);
          if (answer!.status === 'ok') return 1;
        }
        throw new Error(`single edit ${k} never got through`);
      };

      const results = await Promise.all([
        bulk('bulk-a', 0),
        bulk('bulk-b', 2),
        bulk('bulk-c', 4),
        ...Array.from({ length: 40 }, (_, k) => single(k)),
      ]);
      const reports = results.slice(0, 3) as Awaited<ReturnType<typeof bulk>>[];
      const singles = (results.slice(3) as number[]).reduce((a, b) => a + b, 0);

      const events = await store.readEvents();
      const bulkChanged = reports.reduce((sum, r) => sum + r.report.totals.changed, 0);
      // Every event matches exactly one change that was reported as made.
      expect(events.length).toBe(bulkChanged + singles);
      for (const { report, actor, plan } of reports) {
        expect(report.rows.map((r) => r.line)).toEqual(plan.rows.map((r) => r.line));
        expect(events.filter((e) => e.actor === actor)).toHaveLength(report.totals.changed);
      }

      // The events of each user form one chain from the initial to the final state: a serial
      // order of the changes exists, and no change was built on a state that another overwrote.
      const finals = await store.readUsers(ids);
      const key = (s: { status: string; expiresAt: Date | null }) =>
        `${s.status}@${s.expiresAt?.getTime() ?? 'never'}`;
      ids.forEach((id, index) => {
        const chain = events.filter((e: StatusChangeEvent) => e.userId === id);
        let state = key(initial[index]!);
        for (const event of chain) {
          expect(key(event.before), `${id}: event builds on the previous state`).toBe(state);
          state = key(event.after);
        }
        expect(key(finals[index]!.user), `${id}: final state is the last event's after`).toBe(
          state,
        );
      });
    });

    it('S1 one version, two concurrent writers: exactly one wins', async () => {
      await reset([{ id: 'x', status: 'active', expiresAt: null }]);
      const [read] = await store.readUsers(['x']);
      const now = new Date('2026-06-01T00:00:00.000Z');
      const writers = Array.from({ length: 6 }, (_, k) => {
        const change = setExpiration(read!.user, new Date(now.getTime() + (k + 1) * 86_400_000), {
          now,
          actor: `w${k}`,
        });
        return store.writeUsers([
          { user: change.user, expectedVersion: read!.version, event: change.event },
        ]);
      });
      const answers = (await Promise.all(writers)).map((r) => r[0]!.status);
      expect(answers.filter((s) => s === 'ok')).toHaveLength(1);
      expect(answers.filter((s) => s === 'conflict')).toHaveLength(5);
      expect(await store.readEvents('x')).toHaveLength(1);
    });
  });
}
