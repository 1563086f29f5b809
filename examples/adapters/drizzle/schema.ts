// The team's own schema, as Drizzle declares it: learners in `app_learner`, audit entries in
// `app_learner_event`. Instants use mode 'string': the adapter writes PostgreSQL text (see
// ../pg-instants.ts) and reads epoch milliseconds, so no driver converts a Date.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  type PgDatabase,
  type PgQueryResultHKT,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const appLearner = pgTable('app_learner', {
  learnerId: text('learner_id').primaryKey(),
  email: text('email').unique(),
  fullName: text('full_name'),
  isActive: boolean('is_active').notNull(),
  accessUntil: instant('access_until'),
  revokedAt: instant('revoked_at'),
  rowVersion: bigint('row_version', { mode: 'number' }).notNull(),
});

export const appLearnerEvent = pgTable(
  'app_learner_event',
  {
    // The order events were written in (S1): never `happened_at`, which a file may set.
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    learnerId: text('learner_id').notNull(),
    happenedAt: instant('happened_at').notNull(),
    actor: text('actor'),
    source: text('source'),
    reason: text('reason'),
    line: integer('line'),
    statusBefore: text('status_before').notNull(),
    expiresBefore: instant('expires_before'),
    effectiveBefore: text('effective_before').notNull(),
    statusAfter: text('status_after').notNull(),
    expiresAfter: instant('expires_after'),
    effectiveAfter: text('effective_after').notNull(),
    endSessions: boolean('end_sessions').notNull(),
  },
  (table) => [index('app_learner_event_learner').on(table.learnerId, table.seq)],
);

/** Any Drizzle PostgreSQL database: node-postgres, PGlite, postgres.js, ... */
export type AppDb = PgDatabase<PgQueryResultHKT>;

/**
 * Creates both tables (if missing). In your project drizzle-kit generates this migration from
 * the tables above; it is written out here so that the example needs no other tool.
 */
export async function createAppSchema(db: AppDb): Promise<void> {
  await db.execute(sql`CREATE TABLE IF NOT EXISTS app_learner (
    learner_id text PRIMARY KEY,
    email text UNIQUE,
    full_name text,
    is_active boolean NOT NULL,
    access_until timestamptz,
    revoked_at timestamptz,
    row_version bigint NOT NULL
  )`);
  await db.execute(sql`CREATE TABLE IF NOT EXISTS app_learner_event (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    learner_id text NOT NULL,
    happened_at timestamptz NOT NULL,
    actor text,
    source text,
    reason text,
    line integer,
    status_before text NOT NULL,
    expires_before timestamptz,
    effective_before text NOT NULL,
    status_after text NOT NULL,
    expires_after timestamptz,
    effective_after text NOT NULL,
    end_sessions boolean NOT NULL
  )`);
  await db.execute(
    sql`CREATE INDEX IF NOT EXISTS app_learner_event_learner ON app_learner_event (learner_id, seq)`,
  );
}
