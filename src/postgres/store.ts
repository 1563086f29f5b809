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
// 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z.
const ISO_MIN_MS = -62_135_596_800_000;
const ISO_END_MS = 253_402_300_800_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * An instant as PostgreSQL timestamptz input text, to the millisecond, for every instant
 * PostgreSQL can hold: years beyond 9999 and BC years included, which `toISOString()`
 * writes in forms PostgreSQL does not read (`+275760-...`, `-000001-...`).
 */
function toPgInstant(value: Date, field: string): string {
  const ms = timeOf(value);
  if (Number.isNaN(ms) || ms < PG_MIN_MS) {
    throw new LearnerStatusError(
      'INVALID_DATE',
      `\`${field}\` must be a valid Date from 4714 BC on (PostgreSQL's timestamptz range), but it is ${Number.isNaN(ms) ? 'invalid' : new Date(ms).toISOString()}.`,
      { field },
    );
  }
  // Years 1 to 9999: the ISO form, which PostgreSQL reads as it is (and which is much faster).
  if (ms >= ISO_MIN_MS && ms < ISO_END_MS) return new Date(ms).toISOString();
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
  return {
    read: `SELECT id, status, ${msOf('expires_at')} AS expires_ms, ${msOf('access_revoked_at')} AS revoked_ms, version::text AS version FROM ${names.users} WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    // One statement: the version check, the update and the events, atomically (S1). The
    // items come as one array per column (array literals, see `arrayLiteral`), unnested
    // together: no per-row JSON object to build in JavaScript or to parse in PostgreSQL.
    write: `WITH input AS (
  -- A column whose items all agree comes as a one-element array (cardinality 1).
  SELECT r.ord, r.id, r.expected,
    CASE WHEN cardinality($3::text[]) = 1 THEN ($3::text[])[1] ELSE r.status END AS status,
    CASE WHEN cardinality($4::timestamptz[]) = 1 THEN ($4::timestamptz[])[1] ELSE r.expires_at END AS expires_at,
    CASE WHEN cardinality($5::timestamptz[]) = 1 THEN ($5::timestamptz[])[1] ELSE r.access_revoked_at END AS access_revoked_at,
    CASE WHEN cardinality($6::boolean[]) = 1 THEN ($6::boolean[])[1] ELSE r.ev END AS ev,
    CASE WHEN cardinality($7::timestamptz[]) = 1 THEN ($7::timestamptz[])[1] ELSE r.at END AS at,
    CASE WHEN cardinality($8::text[]) = 1 THEN ($8::text[])[1] ELSE r.actor END AS actor,
    CASE WHEN cardinality($9::text[]) = 1 THEN ($9::text[])[1] ELSE r.source END AS source,
    CASE WHEN cardinality($10::text[]) = 1 THEN ($10::text[])[1] ELSE r.reason END AS reason,
    CASE WHEN cardinality($11::integer[]) = 1 THEN ($11::integer[])[1] ELSE r.line END AS line,
    CASE WHEN cardinality($12::text[]) = 1 THEN ($12::text[])[1] ELSE r.b_status END AS b_status,
    CASE WHEN cardinality($13::timestamptz[]) = 1 THEN ($13::timestamptz[])[1] ELSE r.b_expires_at END AS b_expires_at,
    CASE WHEN cardinality($14::text[]) = 1 THEN ($14::text[])[1] ELSE r.b_effective END AS b_effective,
    CASE WHEN cardinality($15::text[]) = 1 THEN ($15::text[])[1] ELSE r.a_status END AS a_status,
    CASE WHEN cardinality($16::timestamptz[]) = 1 THEN ($16::timestamptz[])[1] ELSE r.a_expires_at END AS a_expires_at,
    CASE WHEN cardinality($17::text[]) = 1 THEN ($17::text[])[1] ELSE r.a_effective END AS a_effective,
    CASE WHEN cardinality($18::boolean[]) = 1 THEN ($18::boolean[])[1] ELSE r.end_sessions END AS end_sessions
  FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::boolean[], $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::integer[], $12::text[], $13::timestamptz[], $14::text[], $15::text[], $16::timestamptz[], $17::text[], $18::boolean[])
    WITH ORDINALITY AS r(id, expected, status, expires_at, access_revoked_at, ev, at, actor, source, reason, line, b_status, b_expires_at, b_effective, a_status, a_expires_at, a_effective, end_sessions, ord)
), updated AS (
  UPDATE ${names.users} AS u
  SET status = i.status, expires_at = i.expires_at, access_revoked_at = i.access_revoked_at,
      version = nextval('${names.versions.replaceAll('"', '')}')
  FROM input AS i
  -- \`u.id = ANY($1)\` lets PostgreSQL probe the primary key for the batch's ids instead of
  -- hashing the whole table (which it prefers for a join on a large unnest).
  WHERE u.id = ANY($1::text[]) AND u.id = i.id AND u.version = i.expected
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
SELECT d.version::text AS version,
  CASE WHEN d.id IS NOT NULL THEN true
    ELSE EXISTS (SELECT 1 FROM ${names.users} AS x WHERE x.id = i.id) END AS found
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
      const columns = new WriteColumns();
      for (const write of writes) {
        const user = requireUser(write?.user, 'writeUsers');
        if (seen.has(user.id)) {
          throw new LearnerStatusError(
            'INVALID_INPUT',
            `writeUsers: the user ${JSON.stringify(user.id)} appears twice in one batch; send each user at most once per call.`,
            { field: 'id' },
          );
        }
        seen.add(user.id);
        columns.add(user, write.expectedVersion, write.event);
      }
      const rows = await run(checked, sql.write, columns.params(), `write ${writes.length} users`);
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

const QUOTE_OR_BACKSLASH = /["\\]/g;

/** One element of a PostgreSQL array literal: `NULL`, or the text double-quoted and escaped. */
function element(value: string | null): string {
  if (value === null) return 'NULL';
  return value.includes('"') || value.includes('\\')
    ? `"${value.replace(QUOTE_OR_BACKSLASH, '\\$&')}"`
    : `"${value}"`;
}

/** `toPgInstant` for an optional instant, remembering the last answer (batches share dates). */
class InstantColumn {
  private lastMs = Number.NaN;
  private lastText = '';
  text(value: Date | null | undefined, field: string): string {
    if (value === null || value === undefined) return 'NULL';
    const ms = timeOf(value);
    if (ms !== this.lastMs) {
      this.lastText = `"${toPgInstant(value, field)}"`;
      this.lastMs = ms;
    }
    return this.lastText;
  }
}

const COLUMNS = 18;
const KEY_COLUMNS = 2;

/**
 * The items of one write statement as one PostgreSQL array literal per column (sent as text,
 * so any client passes them unchanged). Columns are appended to as strings, without a
 * per-item object.
 */
class WriteColumns {
  private readonly cols: string[] = new Array<string>(COLUMNS).fill('');
  // Per column, whether every item so far has the same value as the first (sent once).
  private readonly firsts: string[] = new Array<string>(COLUMNS).fill('');
  private readonly constant: boolean[] = new Array<boolean>(COLUMNS).fill(true);
  private readonly instants = [
    new InstantColumn(),
    new InstantColumn(),
    new InstantColumn(),
    new InstantColumn(),
    new InstantColumn(),
  ] as const;
  private count = 0;

  add(user: User, expectedVersion: unknown, event: StatusChangeEvent | null): void {
    const [expires, revoked, at, beforeExpires, afterExpires] = this.instants;
    // A version this store never gave cannot match: -1 makes it a conflict (or not-found).
    const expected =
      typeof expectedVersion === 'string' && VERSION.test(expectedVersion) ? expectedVersion : '-1';
    const values: string[] = [
      element(user.id),
      expected,
      user.status,
      expires.text(user.expiresAt, 'expiresAt'),
      revoked.text(user.accessRevokedAt, 'accessRevokedAt'),
    ];
    if (event === null) {
      values.push('f', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL');
      values.push('NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL');
    } else {
      values.push(
        't',
        at.text(event.at, 'event.at'),
        element(event.actor ?? null),
        element(event.source ?? null),
        element(event.reason ?? null),
        typeof event.line === 'number' && Number.isSafeInteger(event.line)
          ? String(event.line)
          : 'NULL',
        element(event.before.status),
        beforeExpires.text(event.before.expiresAt, 'event.before.expiresAt'),
        element(event.before.effective),
        element(event.after.status),
        afterExpires.text(event.after.expiresAt, 'event.after.expiresAt'),
        element(event.after.effective),
        event.endSessions ? 't' : 'f',
      );
    }
    const separator = this.count === 0 ? '' : ',';
    for (let k = 0; k < COLUMNS; k++) {
      const value = values[k]!;
      this.cols[k] += separator + value;
      if (this.count === 0) this.firsts[k] = value;
      else if (this.constant[k] === true && value !== this.firsts[k]) this.constant[k] = false;
    }
    this.count += 1;
  }

  /** Keys (id, expected version) in full; a column whose items all agree as one element. */
  params(): string[] {
    return this.cols.map((col, k) =>
      k >= KEY_COLUMNS && this.constant[k] === true ? `{${this.firsts[k]}}` : `{${col}}`,
    );
  }
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
