import { timeOf } from '../dates/instant.js';
import { LearnerStatusError } from '../errors.js';
import { positiveInteger } from '../options.js';
import type { AccountStatus, StoredStatus, User } from '../status/types.js';
import { describeError, storeError } from '../store/errors.js';
import {
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type UserWrite,
  type VersionedUser,
  type WriteResult,
} from '../store/types.js';
import type { StatusChangeEvent } from '../transitions/types.js';
import {
  type PostgresTables,
  postgresSchemaStatements,
  type TableNames,
  tableNames,
} from './schema.js';

/**
 * Any PostgreSQL client with `query(text, params)` resolving to `{ rows }`: node-postgres
 * `Pool`/`Client`/`PoolClient`, PGlite, and most others fit as they are. Parameters the store
 * sends are strings (JSON and text), so no client-specific type conversion is involved.
 *
 * @example
 * ```ts
 * import type { PostgresClient } from 'learner-status/postgres';
 *
 * declare const pool: PostgresClient; // new pg.Pool({ connectionString }) or new PGlite()
 * const { rows } = await pool.query('SELECT 1 AS one', []);
 * ```
 */
export interface PostgresClient {
  query(text: string, params?: unknown[]): PromiseLike<{ readonly rows: readonly unknown[] }>;
}

/**
 * Options of {@link createPostgresStore}: the table names (see `postgresSchemaStatements`) and
 * `maxBatchSize` (default 1000), the most items one statement carries.
 *
 * @example
 * ```ts
 * import type { PostgresStoreOptions } from 'learner-status/postgres';
 *
 * const options: PostgresStoreOptions = { schema: 'lms', maxBatchSize: 500 };
 * ```
 */
export interface PostgresStoreOptions extends PostgresTables {
  readonly maxBatchSize?: number | undefined;
}

/**
 * The PostgreSQL {@link UserStore} (S2), with a few extras for setup, tests and audit
 * screens: `migrate()` runs the schema, `insertUsers()` adds users (no events),
 * `readEvents()` reads the events table, oldest first.
 *
 * @example
 * ```ts
 * import { createPostgresStore, type PostgresStore } from 'learner-status/postgres';
 *
 * declare const client: import('learner-status/postgres').PostgresClient;
 * const store: PostgresStore = createPostgresStore(client);
 * await store.migrate();
 * await store.insertUsers([{ id: 'ada', status: 'active', expiresAt: null }]);
 * ```
 */
export interface PostgresStore extends UserStore<User> {
  migrate(): Promise<void>;
  insertUsers(users: readonly User[]): Promise<void>;
  readEvents(userId?: string): Promise<StatusChangeEvent[]>;
}

// PostgreSQL's timestamptz starts in 4714 BC; a JavaScript Date goes further back.
const PG_MIN_MS = -210_866_803_200_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * An instant as PostgreSQL timestamptz input text, to the millisecond, for every instant
 * PostgreSQL can hold: years beyond 9999 and BC years included, which `toISOString()`
 * writes in forms PostgreSQL does not read (`+275760-...`, `-000001-...`).
 */
export function toPgInstant(value: Date, field: string): string {
  const ms = timeOf(value);
  if (Number.isNaN(ms) || ms < PG_MIN_MS) {
    throw new LearnerStatusError(
      'INVALID_DATE',
      `\`${field}\` must be a valid Date from 4714 BC on (PostgreSQL's timestamptz range), but it is ${Number.isNaN(ms) ? 'invalid' : new Date(ms).toISOString()}.`,
      { field },
    );
  }
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const bc = year <= 0;
  return `${pad(bc ? 1 - year : year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}+00${bc ? ' BC' : ''}`;
}

/**
 * Epoch milliseconds of a timestamptz column, as text. `ceil`, not `floor`: a value with
 * microseconds (written by other SQL) reads as the next millisecond, so that `now >= expiresAt`
 * in TypeScript agrees with the SQL expression at every whole millisecond.
 */
function msOf(column: string): string {
  return `ceil(extract(epoch from ${column}) * 1000)::text`;
}

function instantOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(Number(value));
}

function nullable(value: Date | null | undefined, field: string): string | null {
  return value === null || value === undefined ? null : toPgInstant(value, field);
}

const VERSION = /^[1-9][0-9]{0,17}$/;

interface Statements {
  readonly read: string;
  readonly write: string;
  readonly count: string;
  readonly insert: string;
  readonly events: string;
}

function statements(names: TableNames): Statements {
  const snapshotColumns = (prefix: string) =>
    `${prefix}_status text, ${prefix}_expires_at timestamptz, ${prefix}_effective text`;
  return {
    read: `SELECT id, status, ${msOf('expires_at')} AS expires_ms, ${msOf('access_revoked_at')} AS revoked_ms, version::text AS version FROM ${names.users} WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    // One statement: the version check, the update and the events, atomically (S1).
    write: `WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(
    ord integer, id text, expected bigint, status text, expires_at timestamptz, access_revoked_at timestamptz,
    ev boolean, at timestamptz, actor text, source text, reason text, line integer,
    ${snapshotColumns('b')}, ${snapshotColumns('a')}, end_sessions boolean)
), updated AS (
  UPDATE ${names.users} AS u
  SET status = i.status, expires_at = i.expires_at, access_revoked_at = i.access_revoked_at,
      version = nextval('${names.versions.replaceAll('"', '')}')
  FROM input AS i
  WHERE u.id = i.id AND u.version = i.expected
  RETURNING u.id, u.version
), recorded AS (
  INSERT INTO ${names.events} (user_id, at, actor, source, reason, line,
    before_status, before_expires_at, before_effective, after_status, after_expires_at, after_effective, end_sessions)
  SELECT i.id, i.at, i.actor, i.source, i.reason, i.line,
    i.b_status, i.b_expires_at, i.b_effective, i.a_status, i.a_expires_at, i.a_effective, i.end_sessions
  FROM input AS i JOIN updated AS d ON d.id = i.id
  WHERE i.ev
  ORDER BY i.ord
)
SELECT i.ord, d.version::text AS version,
  (d.id IS NOT NULL OR EXISTS (SELECT 1 FROM ${names.users} AS x WHERE x.id = i.id)) AS found
FROM input AS i LEFT JOIN updated AS d ON d.id = i.id
ORDER BY i.ord`,
    count: `SELECT count(*)::text AS n FROM ${names.users}`,
    insert: `INSERT INTO ${names.users} (id, status, expires_at, access_revoked_at)
SELECT id, status, expires_at, access_revoked_at
FROM jsonb_to_recordset($1::jsonb) AS i(id text, status text, expires_at timestamptz, access_revoked_at timestamptz)`,
    events: `SELECT user_id, ${msOf('at')} AS at_ms, actor, source, reason, line,
  before_status, ${msOf('before_expires_at')} AS before_ms, before_effective,
  after_status, ${msOf('after_expires_at')} AS after_ms, after_effective, end_sessions
FROM ${names.events} WHERE ($1::text IS NULL OR user_id = $1::text) ORDER BY seq`,
  };
}

function requireClient(client: unknown): PostgresClient {
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof (client as PostgresClient).query !== 'function'
  ) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      'createPostgresStore needs a client with query(text, params), such as a node-postgres Pool or a PGlite instance.',
      { field: 'client' },
    );
  }
  return client as PostgresClient;
}

async function run(
  client: PostgresClient,
  text: string,
  params: unknown[],
  what: string,
): Promise<Record<string, unknown>[]> {
  let result: { readonly rows: readonly unknown[] };
  try {
    result = await client.query(text, params);
  } catch (error) {
    throw storeError('STORE_FAILED', `PostgreSQL failed to ${what}: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (typeof result !== 'object' || result === null || !Array.isArray(result.rows)) {
    throw storeError(
      'STORE_FAILED',
      `The PostgreSQL client answered no { rows } when asked to ${what}.`,
    );
  }
  return result.rows as Record<string, unknown>[];
}

function rowToUser(row: Record<string, unknown>): User {
  return {
    id: row['id'] as string,
    // Whatever the database holds is passed on as is: a bad status is refused by
    // effectiveStatus (R12) rather than silently repaired here.
    status: row['status'] as StoredStatus,
    expiresAt: instantOrNull(row['expires_ms']),
    accessRevokedAt: instantOrNull(row['revoked_ms']),
  };
}

function requireUser(value: unknown, where: string): User {
  const user = value as User | null;
  if (
    typeof user !== 'object' ||
    user === null ||
    typeof user.id !== 'string' ||
    user.id.length === 0
  ) {
    throw new LearnerStatusError(
      'INVALID_USER',
      `${where}: every user needs a non-empty string id.`,
      { field: 'id' },
    );
  }
  if (user.status !== 'active' && user.status !== 'deactivated') {
    throw new LearnerStatusError(
      'INVALID_USER',
      `${where}: user ${JSON.stringify(user.id)} has status ${JSON.stringify(user.status)}; it must be 'active' or 'deactivated'.`,
      { field: 'status' },
    );
  }
  return user;
}

/**
 * S2: the PostgreSQL {@link UserStore}, over any client with `query(text, params)` (no
 * runtime dependency). Each `readUsers` and `writeUsers` call is one statement and one round
 * trip; a write checks the version and records its events in that same statement, so a batch
 * is atomic and a concurrent writer can never be overwritten. Instants keep their
 * milliseconds across PostgreSQL's whole timestamptz range; `NULL` means never expires.
 * Run `migrate()` (or `postgresSchemaStatements`) first.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { planBulkUpdate } from 'learner-status';
 * import { createPostgresStore } from 'learner-status/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = createPostgresStore(pool);
 * await store.migrate();
 * const plan = await planBulkUpdate([], store, { now: new Date() });
 * ```
 */
export function createPostgresStore(
  client: PostgresClient,
  options?: PostgresStoreOptions,
): PostgresStore {
  const checked = requireClient(client);
  const names = tableNames(options, 'createPostgresStore', ['maxBatchSize']);
  const maxBatchSize = positiveInteger(options?.maxBatchSize, 'maxBatchSize', 1000, 50_000);
  const sql = statements(names);
  const schema = postgresSchemaStatements({
    ...(options?.schema === undefined ? {} : { schema: options.schema }),
    ...(options?.usersTable === undefined ? {} : { usersTable: options.usersTable }),
    ...(options?.eventsTable === undefined ? {} : { eventsTable: options.eventsTable }),
  });

  return {
    interfaceVersion: USER_STORE_INTERFACE_VERSION,
    capabilities: { atomicBatches: true, maxBatchSize },

    async readUsers(ids: readonly string[]): Promise<(VersionedUser | null)[]> {
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
        throw new LearnerStatusError('INVALID_INPUT', 'readUsers expects an array of string ids.', {
          field: 'ids',
        });
      }
      if (ids.length === 0) return [];
      const rows = await run(checked, sql.read, [JSON.stringify(ids)], `read ${ids.length} users`);
      const found = new Map<string, VersionedUser>();
      for (const row of rows)
        found.set(row['id'] as string, { user: rowToUser(row), version: row['version'] as string });
      // A fresh object per answer, so that repeated ids do not alias each other.
      return ids.map((id) => {
        const hit = found.get(id);
        return hit === undefined ? null : { user: { ...hit.user }, version: hit.version };
      });
    },

    async writeUsers(writes: readonly UserWrite[]): Promise<WriteResult[]> {
      if (!Array.isArray(writes)) {
        throw new LearnerStatusError('INVALID_INPUT', 'writeUsers expects an array of writes.', {
          field: 'writes',
        });
      }
      if (writes.length === 0) return [];
      const seen = new Set<string>();
      const items = writes.map((write, ord) => {
        const user = requireUser(write?.user, 'writeUsers');
        if (seen.has(user.id)) {
          throw new LearnerStatusError(
            'INVALID_INPUT',
            `writeUsers: the user ${JSON.stringify(user.id)} appears twice in one batch; send each user at most once per call.`,
            { field: 'id' },
          );
        }
        seen.add(user.id);
        const event = write.event;
        return {
          ord,
          id: user.id,
          // A version this store never gave cannot match: -1 makes it a conflict (or not-found).
          expected:
            typeof write.expectedVersion === 'string' && VERSION.test(write.expectedVersion)
              ? write.expectedVersion
              : '-1',
          status: user.status,
          expires_at: nullable(user.expiresAt, 'expiresAt'),
          access_revoked_at: nullable(user.accessRevokedAt, 'accessRevokedAt'),
          ev: event !== null,
          ...(event === null ? {} : eventColumns(event)),
        };
      });
      const rows = await run(
        checked,
        sql.write,
        [JSON.stringify(items)],
        `write ${writes.length} users`,
      );
      if (rows.length !== writes.length) {
        throw storeError(
          'STORE_FAILED',
          `PostgreSQL answered ${rows.length} rows for ${writes.length} writes.`,
        );
      }
      return rows.map((row) => {
        const version = row['version'];
        if (typeof version === 'string') return { status: 'ok' as const, version };
        return row['found'] === true
          ? { status: 'conflict' as const }
          : { status: 'not-found' as const };
      });
    },

    async countUsers(): Promise<number> {
      const [row] = await run(checked, sql.count, [], 'count users');
      return Number(row?.['n']);
    },

    async migrate(): Promise<void> {
      for (const statement of schema) await run(checked, statement, [], 'migrate the schema');
    },

    async insertUsers(users: readonly User[]): Promise<void> {
      for (let start = 0; start < users.length; start += maxBatchSize) {
        const items = users.slice(start, start + maxBatchSize).map((value) => {
          const user = requireUser(value, 'insertUsers');
          return {
            id: user.id,
            status: user.status,
            expires_at: nullable(user.expiresAt, 'expiresAt'),
            access_revoked_at: nullable(user.accessRevokedAt, 'accessRevokedAt'),
          };
        });
        await run(checked, sql.insert, [JSON.stringify(items)], `insert ${items.length} users`);
      }
    },

    async readEvents(userId?: string): Promise<StatusChangeEvent[]> {
      const rows = await run(checked, sql.events, [userId ?? null], 'read events');
      return rows.map(rowToEvent);
    },
  };
}

function eventColumns(event: StatusChangeEvent) {
  return {
    at: toPgInstant(event.at, 'event.at'),
    actor: event.actor ?? null,
    source: event.source ?? null,
    reason: event.reason ?? null,
    line: event.line ?? null,
    b_status: event.before.status,
    b_expires_at: nullable(event.before.expiresAt, 'event.before.expiresAt'),
    b_effective: event.before.effective,
    a_status: event.after.status,
    a_expires_at: nullable(event.after.expiresAt, 'event.after.expiresAt'),
    a_effective: event.after.effective,
    end_sessions: event.endSessions,
  };
}

function rowToEvent(row: Record<string, unknown>): StatusChangeEvent {
  const optional = (key: 'actor' | 'source' | 'reason') =>
    row[key] === null || row[key] === undefined ? {} : { [key]: row[key] as string };
  return {
    userId: row['user_id'] as string,
    at: new Date(Number(row['at_ms'])),
    ...optional('actor'),
    ...optional('source'),
    ...optional('reason'),
    ...(row['line'] === null || row['line'] === undefined ? {} : { line: Number(row['line']) }),
    before: {
      status: row['before_status'] as StoredStatus,
      expiresAt: instantOrNull(row['before_ms']),
      effective: row['before_effective'] as AccountStatus,
    },
    after: {
      status: row['after_status'] as StoredStatus,
      expiresAt: instantOrNull(row['after_ms']),
      effective: row['after_effective'] as AccountStatus,
    },
    endSessions: row['end_sessions'] === true,
  };
}
