// How fast can any batched write be on this engine? Issue 4 asks for batched apply at 10x the
// rows per second of a naive one-UPDATE-per-row loop. This measures, in the same run and on
// the same 100k-user table, per row:
//
//   - store:   the store's own write statement (version check, update, events), 2,000 a batch;
//   - minimal: the least a batched conditional write can do: one UPDATE of the status from
//              `unnest(ids, versions)`, no event, nothing returned but the new versions;
//   - naive:   one conditional UPDATE per row, one round trip each (no event).
//
// If `minimal` is not 10x `naive`, no batched statement that also records events can be.
//
//   node --import tsx bench/store/pg-floor.ts
//   LEARNER_STATUS_PG_URL="$(scripts/pg-server.sh start)" node --import tsx bench/store/pg-floor.ts
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { UserWrite } from '../../src/index.js';
import { createPostgresStore, type PostgresClient } from '../../src/postgres/index.js';

const USERS = 100_000;
const BATCH = 2000;
const ROUNDS = 15;
const NAIVE_ROWS = 300;
const at = new Date('2026-06-01T00:00:00Z');
const ids = Array.from({ length: USERS }, (_, i) => `user${i}@example.org`);

const MINIMAL = `UPDATE learner_status_users AS u
SET status = 'deactivated', version = nextval('public.learner_status_users_version_seq')
FROM unnest($1::text[], $2::bigint[]) AS i(id, expected)
WHERE u.id = ANY($1::text[]) AND u.id = i.id AND u.version = i.expected
RETURNING u.version::text AS version`;
const NAIVE = `UPDATE learner_status_users SET status = 'deactivated',
  version = nextval('public.learner_status_users_version_seq') WHERE id = $1 AND version = $2::bigint`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

async function versionsOf(client: PostgresClient, batch: readonly string[]) {
  const { rows } = await client.query(
    'SELECT id, version::text AS version FROM learner_status_users WHERE id = ANY($1::text[])',
    [batch],
  );
  const byId = new Map((rows as { id: string; version: string }[]).map((r) => [r.id, r.version]));
  return batch.map((id) => byId.get(id) ?? '-1');
}

async function bench(name: string, client: PostgresClient) {
  await client.query('DROP TABLE IF EXISTS learner_status_users, learner_status_events CASCADE');
  const store = createPostgresStore(client, { maxBatchSize: BATCH });
  await store.migrate();
  await store.insertUsers(ids.map((id) => ({ id, status: 'active', expiresAt: null })));
  await client.query('ANALYZE');

  const times = { store: [] as number[], minimal: [] as number[], naive: [] as number[] };
  let next = 0;
  const take = (n: number) => {
    const start = next % (USERS - n);
    next += n;
    return ids.slice(start, start + n);
  };
  for (let round = 0; round < ROUNDS; round++) {
    // The store's statement, through the store, for a batch of deactivations with events.
    let batch = take(BATCH);
    const read = await store.readUsers(batch);
    const writes: UserWrite[] = read.map((found) => {
      if (found === null) throw new Error('user missing');
      const { user, version } = found;
      const status = user.status === 'active' ? 'deactivated' : 'active';
      const effective = user.status === 'active' ? 'active' : 'deactivated';
      return {
        user: { ...user, status, accessRevokedAt: at },
        expectedVersion: version,
        event: {
          userId: user.id,
          at,
          actor: 'bench',
          source: 'csv',
          line: 2,
          before: { status: user.status, expiresAt: null, effective },
          after: { status, expiresAt: null, effective: status },
          endSessions: status === 'deactivated',
        },
      };
    });
    let start = performance.now();
    const written = await store.writeUsers(writes);
    times.store.push(((performance.now() - start) * 1000) / BATCH);
    if (written.some((result) => result.status !== 'ok')) throw new Error('store write failed');

    batch = take(BATCH);
    let versions = await versionsOf(client, batch);
    start = performance.now();
    const { rows } = await client.query(MINIMAL, [batch, versions]);
    times.minimal.push(((performance.now() - start) * 1000) / BATCH);
    if (rows.length !== BATCH) throw new Error('minimal update missed rows');

    batch = take(NAIVE_ROWS);
    versions = await versionsOf(client, batch);
    start = performance.now();
    for (let k = 0; k < batch.length; k++) await client.query(NAIVE, [batch[k], versions[k]]);
    times.naive.push(((performance.now() - start) * 1000) / NAIVE_ROWS);
  }
  const storeUs = median(times.store);
  const minimalUs = median(times.minimal);
  const naiveUs = median(times.naive);
  console.log(
    JSON.stringify({
      db: name,
      users: USERS,
      rounds: ROUNDS,
      usPerRow: {
        store: +storeUs.toFixed(1),
        minimal: +minimalUs.toFixed(1),
        naive: +naiveUs.toFixed(1),
      },
      naiveOverStore: +(naiveUs / storeUs).toFixed(1),
      naiveOverMinimal: +(naiveUs / minimalUs).toFixed(1),
    }),
  );
}

const lite = new PGlite();
await bench('pglite', lite);
await lite.close();

const url = process.env['LEARNER_STATUS_PG_URL'];
if (url) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await bench('postgresql-server', pool);
  await pool.end();
} else {
  console.log(
    'LEARNER_STATUS_PG_URL not set: server benchmark skipped (scripts/pg-server.sh start).',
  );
}
