// Batched apply vs a naive one-UPDATE-per-row loop on 100k users (issue 4), on PGlite and,
// when LEARNER_STATUS_PG_URL is set (scripts/pg-server.sh start), on a real server. Rows per
// second of each, and their ratio, measured in the same run.
//
//   node --import tsx bench/store/pg-apply.ts
//   LEARNER_STATUS_PG_URL="$(scripts/pg-server.sh start)" node --import tsx bench/store/pg-apply.ts
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { applyBulkUpdate, type BulkInputRow, planBulkUpdate } from '../../src/bulk/index.js';
import { createPostgresStore, type PostgresClient } from '../../src/postgres/index.js';

const USERS = 100_000;
const NAIVE_ROWS = Number(process.env['NAIVE_ROWS'] ?? 10_000);
const BATCH = Number(process.env['BATCH'] ?? 2000);
const now = new Date('2026-06-01T00:00:00Z');

async function bench(name: string, client: PostgresClient, reset: () => Promise<void>) {
  for (let run = 1; run <= 2; run++) {
    await reset();
    const store = createPostgresStore(client, { maxBatchSize: BATCH });
    await store.migrate();
    const ids = Array.from({ length: USERS }, (_, i) => `user${i}@example.org`);
    await store.insertUsers(ids.map((id) => ({ id, status: 'active', expiresAt: null })));

    const rows: BulkInputRow[] = ids.map((userId, i) => ({
      line: i + 2,
      result: { ok: true, update: { userId, status: 'deactivated' }, issues: [] },
    }));
    let start = performance.now();
    const plan = await planBulkUpdate(rows, store, { now, actor: 'bench' });
    const planMs = performance.now() - start;
    start = performance.now();
    const report = await applyBulkUpdate(plan, store, { batchSize: BATCH });
    const applyMs = performance.now() - start;
    if (report.totals.changed !== USERS)
      throw new Error(`expected ${USERS} changes, got ${report.totals.changed}`);

    // Naive loop 1: one conditional UPDATE per row and no event row: less work per row than the
    // store does, so this ratio is the harder one.
    const versions = await client.query(
      'SELECT id, version::text AS v FROM learner_status_users ORDER BY id LIMIT $1',
      [2 * NAIVE_ROWS],
    );
    const targets = versions.rows as { id: string; v: string }[];
    start = performance.now();
    for (const row of targets.slice(0, NAIVE_ROWS)) {
      await client.query(
        "UPDATE learner_status_users SET status = 'active', version = nextval('public.learner_status_users_version_seq') WHERE id = $1 AND version = $2::bigint",
        [row.id, row.v],
      );
    }
    const naiveMs = performance.now() - start;
    // Naive loop 2, the fair one: what an app writes by hand for the same guarantees, the
    // conditional UPDATE and its event in one statement, one statement per row.
    start = performance.now();
    for (const row of targets.slice(NAIVE_ROWS)) {
      await client.query(
        `WITH u AS (UPDATE learner_status_users SET status = 'active', version = nextval('public.learner_status_users_version_seq') WHERE id = $1 AND version = $2::bigint RETURNING id)
         INSERT INTO learner_status_events (user_id, at, actor, source, before_status, before_effective, after_status, after_effective, end_sessions)
         SELECT id, $3::timestamptz, 'bench', 'csv', 'deactivated', 'deactivated', 'active', 'active', false FROM u`,
        [row.id, row.v, now.toISOString()],
      );
    }
    const naiveEventMs = performance.now() - start;
    const batchedRps = USERS / (applyMs / 1000);
    const naiveRps = NAIVE_ROWS / (naiveMs / 1000);
    const naiveEventRps = NAIVE_ROWS / (naiveEventMs / 1000);
    console.log(
      JSON.stringify({
        db: name,
        run,
        users: USERS,
        batchSize: BATCH,
        planMs: Math.round(planMs),
        applyMs: Math.round(applyMs),
        batchedRowsPerSec: Math.round(batchedRps),
        naiveRows: NAIVE_ROWS,
        naiveRowsPerSec: Math.round(naiveRps),
        ratioToBareUpdate: +(batchedRps / naiveRps).toFixed(1),
        naiveWithEventRowsPerSec: Math.round(naiveEventRps),
        ratioToUpdateWithEvent: +(batchedRps / naiveEventRps).toFixed(1),
      }),
    );
  }
}

const lite = new PGlite();
await bench('pglite', lite, async () => {
  await lite.query('DROP TABLE IF EXISTS learner_status_users, learner_status_events CASCADE', []);
});
await lite.close();

const url = process.env['LEARNER_STATUS_PG_URL'];
if (url) {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await bench('postgresql-server', pool, async () => {
    await pool.query('DROP TABLE IF EXISTS learner_status_users, learner_status_events CASCADE');
  });
  await pool.end();
} else {
  console.log(
    'LEARNER_STATUS_PG_URL not set: server benchmark skipped (scripts/pg-server.sh start).',
  );
}
