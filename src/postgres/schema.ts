import { LearnerStatusError } from '../errors.js';
import { checkOptionKeys } from '../options.js';

/**
 * Where the PostgreSQL store keeps its data: the users table, the events table and the
 * schema they live in. Names are plain lower-case SQL identifiers (letters, digits, `_`),
 * checked when given, so they can never carry SQL.
 *
 * @example
 * ```ts
 * import type { PostgresTables } from 'learner-status/postgres';
 *
 * const tables: PostgresTables = { schema: 'lms', usersTable: 'learner_access', eventsTable: 'learner_access_events' };
 * ```
 */
export interface PostgresTables {
  readonly schema?: string | undefined;
  readonly usersTable?: string | undefined;
  readonly eventsTable?: string | undefined;
}

/** Resolved, quoted names. */
export interface TableNames {
  readonly users: string;
  readonly events: string;
  readonly view: string;
  readonly versions: string;
  readonly prefix: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,47}$/;

function identifier(value: unknown, field: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `\`${field}\` must be a lower-case SQL name (letters, digits and _, starting with a letter or _, at most 48 characters), but it is ${JSON.stringify(value) ?? String(value)}.`,
      { field },
    );
  }
  return value;
}

const TABLE_OPTION_KEYS = ['schema', 'usersTable', 'eventsTable'] as const;

export function tableNames(
  options: PostgresTables | undefined,
  where: string,
  extraKeys: readonly string[] = [],
): TableNames {
  const record = checkOptionKeys(options, [...TABLE_OPTION_KEYS, ...extraKeys], where);
  const schema = identifier(record['schema'], 'schema', 'public');
  const users = identifier(record['usersTable'], 'usersTable', 'learner_status_users');
  const events = identifier(record['eventsTable'], 'eventsTable', 'learner_status_events');
  const q = (name: string) => `"${schema}"."${name}"`;
  return {
    users: q(users),
    events: q(events),
    view: q(`${users}_effective`),
    versions: q(`${users}_version_seq`),
    prefix: users,
  };
}

/**
 * The SQL expression of R4's effective status, for `WHERE` clauses and views, so that an
 * admin screen can filter expired learners in the database. It agrees exactly with
 * `effectiveStatus`: `'expired'` when `expires_at` is set and `now >= expires_at` (the
 * instant itself is expired), else `'active'` for a stored `'active'`, else `'deactivated'`.
 * `now` and the column names are SQL text that you write (a parameter such as `$1`,
 * `now()`, a column), never user input.
 *
 * @example
 * ```ts
 * import { effectiveStatusSql } from 'learner-status/postgres';
 *
 * const expired = `SELECT id FROM learner_status_users WHERE ${effectiveStatusSql('$1')} = 'expired'`;
 * // await client.query(expired, [new Date().toISOString()]);
 * ```
 */
export function effectiveStatusSql(
  now = 'now()',
  columns: { readonly status?: string; readonly expiresAt?: string } = {},
): string {
  const status = columns.status ?? 'status';
  const expiresAt = columns.expiresAt ?? 'expires_at';
  // `expires_at <= now` is NULL for never-expiring users, which falls through to the stored
  // status; anything but a literal 'active' reads as deactivated (R12: never as access).
  return `(CASE WHEN ${expiresAt} <= (${now})::timestamptz THEN 'expired' WHEN ${status} = 'active' THEN 'active' ELSE 'deactivated' END)`;
}

/**
 * S2: the migration of the PostgreSQL store, one statement per entry (PGlite's `query` runs
 * one statement at a time). Idempotent (`IF NOT EXISTS` / `OR REPLACE`): run it at every
 * deploy. Users: `id text` key, `status` checked to `'active'`/`'deactivated'`, `expires_at`
 * and `access_revoked_at` `timestamptz` (`NULL`: never / not recorded), and a `version`
 * drawn from a sequence (never reused, even after a delete). Events: one row per change
 * (R10). A view `<users>_effective` adds `effective_status` at `now()`.
 *
 * @example
 * ```ts
 * import { postgresSchemaStatements } from 'learner-status/postgres';
 *
 * declare const client: { query(text: string): Promise<unknown> };
 * for (const statement of postgresSchemaStatements({ schema: 'public' })) await client.query(statement);
 * ```
 */
export function postgresSchemaStatements(options?: PostgresTables): string[] {
  const names = tableNames(options, 'postgresSchemaStatements');
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${names.versions}`,
    `CREATE TABLE IF NOT EXISTS ${names.users} (
  id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('active', 'deactivated')),
  expires_at timestamptz NULL,
  access_revoked_at timestamptz NULL,
  version bigint NOT NULL DEFAULT nextval('${names.versions.replaceAll('"', '')}')
)`,
    `CREATE INDEX IF NOT EXISTS "${names.prefix}_expires_at_idx" ON ${names.users} (expires_at) WHERE expires_at IS NOT NULL`,
    `CREATE TABLE IF NOT EXISTS ${names.events} (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL,
  at timestamptz NOT NULL,
  actor text NULL,
  source text NULL,
  reason text NULL,
  line integer NULL,
  before_status text NOT NULL,
  before_expires_at timestamptz NULL,
  before_effective text NOT NULL,
  after_status text NOT NULL,
  after_expires_at timestamptz NULL,
  after_effective text NOT NULL,
  end_sessions boolean NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE INDEX IF NOT EXISTS "${names.prefix}_events_user_idx" ON ${names.events} (user_id, seq)`,
    `CREATE OR REPLACE VIEW ${names.view} AS SELECT u.*, ${effectiveStatusSql('now()', { status: 'u.status', expiresAt: 'u.expires_at' })} AS effective_status FROM ${names.users} u`,
  ];
}

/**
 * S2: {@link postgresSchemaStatements} as one SQL text, for migration tools that take a file.
 *
 * @example
 * ```ts
 * import { postgresSchemaSql } from 'learner-status/postgres';
 *
 * const migration = postgresSchemaSql(); // write it to migrations/001_learner_status.sql
 * ```
 */
export function postgresSchemaSql(options?: PostgresTables): string {
  return `${postgresSchemaStatements(options).join(';\n\n')};\n`;
}
