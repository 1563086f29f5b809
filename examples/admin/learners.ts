// The learner list as the database answers it: the effective status is computed in SQL at the
// instant of the page (effectiveStatusSql), so filters and counts agree with effectiveStatus
// to the millisecond, whatever the number of learners.
import type { AccountStatus, StoredStatus } from 'learner-status';
import { effectiveStatusSql, type PostgresClient } from 'learner-status/postgres';

/** The store's table (createPostgresStore's default) and the example's own profile table. */
const USERS_TABLE = 'learner_status_users';
const PROFILES_TABLE = 'demo_learner_profiles';

/** Name and email live beside the store's table: learner-status keeps only what it decides on. */
export const PROFILES_SCHEMA = `CREATE TABLE IF NOT EXISTS ${PROFILES_TABLE} (
  id text PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL
)`;

export interface LearnerListRow {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly status: StoredStatus;
  readonly expiresAt: Date | null;
  readonly effective: AccountStatus;
}

export interface LearnerQuery {
  readonly now: Date;
  readonly status: AccountStatus | null;
  readonly search: string;
  readonly page: number;
  readonly pageSize: number;
}

const EFFECTIVE = effectiveStatusSql('$1', { status: 'u.status', expiresAt: 'u.expires_at' });

/** `%`, `_` and `\` match themselves in a search. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface RawRow {
  id: string;
  name: string;
  email: string;
  status: StoredStatus;
  expires_at: string | Date | null;
  effective: AccountStatus;
}

const toDate = (value: string | Date | null) =>
  value === null ? null : value instanceof Date ? value : new Date(value);

/** One page of learners matching the filter and the search, and how many match in all. */
export async function listLearners(
  db: PostgresClient,
  query: LearnerQuery,
): Promise<{ rows: LearnerListRow[]; total: number }> {
  const where = `WHERE ($2::text IS NULL OR ${EFFECTIVE} = $2)
    AND ($3::text IS NULL OR p.name ILIKE $3 OR p.email ILIKE $3)`;
  const from = `FROM ${USERS_TABLE} u JOIN ${PROFILES_TABLE} p ON p.id = u.id`;
  const params = [
    query.now.toISOString(),
    query.status,
    query.search === '' ? null : likePattern(query.search),
  ];
  const [page, count] = await Promise.all([
    db.query(
      // expires_at as text: every client reads it the same way, milliseconds included.
      `SELECT u.id, p.name, p.email, u.status, to_json(u.expires_at)#>>'{}' AS expires_at,
              ${EFFECTIVE} AS effective
       ${from} ${where}
       ORDER BY p.name, u.id LIMIT $4 OFFSET $5`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    ),
    db.query(`SELECT count(*)::int AS total ${from} ${where}`, params),
  ]);
  const rows = (page.rows as RawRow[]).map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    status: row.status,
    expiresAt: toDate(row.expires_at),
    effective: row.effective,
  }));
  return { rows, total: (count.rows[0] as { total: number }).total };
}

/** How many learners have each effective status at `now`. */
export async function countByStatus(
  db: PostgresClient,
  now: Date,
): Promise<Record<AccountStatus, number>> {
  const { rows } = await db.query(
    `SELECT ${EFFECTIVE} AS effective, count(*)::int AS count
     FROM ${USERS_TABLE} u JOIN ${PROFILES_TABLE} p ON p.id = u.id GROUP BY 1`,
    [now.toISOString()],
  );
  const counts: Record<AccountStatus, number> = { active: 0, deactivated: 0, expired: 0 };
  for (const row of rows as { effective: AccountStatus; count: number }[]) {
    counts[row.effective] = row.count;
  }
  return counts;
}

/** A learner's name and email, or null. */
export async function profileOf(
  db: PostgresClient,
  id: string,
): Promise<{ name: string; email: string } | null> {
  const { rows } = await db.query(`SELECT name, email FROM ${PROFILES_TABLE} WHERE id = $1`, [id]);
  return (rows[0] as { name: string; email: string } | undefined) ?? null;
}

/** Adds learners' names and emails (the seed, and tests). */
export async function insertProfiles(
  db: PostgresClient,
  profiles: readonly { id: string; name: string; email: string }[],
): Promise<void> {
  if (profiles.length === 0) return;
  await db.query(
    `INSERT INTO ${PROFILES_TABLE} (id, name, email)
     SELECT * FROM json_to_recordset($1::json) AS p(id text, name text, email text)`,
    [JSON.stringify(profiles)],
  );
}
