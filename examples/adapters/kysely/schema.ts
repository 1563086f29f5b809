// The team's own schema, as Kysely sees it: learners in `app_learner`, audit entries in
// `app_learner_event`. Instants are written as PostgreSQL text (see ../pg-instants.ts) and
// read as epoch milliseconds, so their columns are typed as the text written.
import { type Generated, type Kysely, sql } from 'kysely';

interface AppLearnerTable {
  learner_id: string;
  email: string | null;
  full_name: string | null;
  is_active: boolean;
  access_until: string | null;
  revoked_at: string | null;
  row_version: string | number;
}

interface AppLearnerEventTable {
  seq: Generated<string>;
  learner_id: string;
  happened_at: string;
  actor: string | null;
  source: string | null;
  reason: string | null;
  line: number | null;
  status_before: string;
  expires_before: string | null;
  effective_before: string;
  status_after: string;
  expires_after: string | null;
  effective_after: string;
  end_sessions: boolean;
}

export interface AppDatabase {
  app_learner: AppLearnerTable;
  app_learner_event: AppLearnerEventTable;
}

/** Creates both tables (if missing): in your project, a migration does this. */
export async function createAppSchema(db: Kysely<AppDatabase>): Promise<void> {
  await db.schema
    .createTable('app_learner')
    .ifNotExists()
    .addColumn('learner_id', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.unique())
    .addColumn('full_name', 'text')
    .addColumn('is_active', 'boolean', (col) => col.notNull())
    .addColumn('access_until', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('row_version', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('app_learner_event')
    .ifNotExists()
    // The order events were written in (S1): never `happened_at`, which a file may set.
    .addColumn('seq', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('learner_id', 'text', (col) => col.notNull())
    .addColumn('happened_at', 'timestamptz', (col) => col.notNull())
    .addColumn('actor', 'text')
    .addColumn('source', 'text')
    .addColumn('reason', 'text')
    .addColumn('line', 'integer')
    .addColumn('status_before', 'text', (col) => col.notNull())
    .addColumn('expires_before', 'timestamptz')
    .addColumn('effective_before', 'text', (col) => col.notNull())
    .addColumn('status_after', 'text', (col) => col.notNull())
    .addColumn('expires_after', 'timestamptz')
    .addColumn('effective_after', 'text', (col) => col.notNull())
    .addColumn('end_sessions', 'boolean', (col) => col.notNull())
    .execute();
  await sql`CREATE INDEX IF NOT EXISTS app_learner_event_learner ON app_learner_event (learner_id, seq)`.execute(
    db,
  );
}
