// A UserStore over the team's own tables with Kysely (issue 19): one statement per readUsers
// call (by id, or by email as an alias answering the learner's own id) and one statement per
// writeUsers call (version check, update and audit entries together, per item).
// In your app, import from 'learner-status' instead of '../../../src/index.js'.
import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely';
import {
  type AccountStatus,
  type StatusChangeEvent,
  type StoredStatus,
  USER_STORE_INTERFACE_VERSION,
  type User,
  type UserStore,
  type UserWrite,
  type VersionedUser,
  type WriteResult,
} from '../../../src/index.js';
import { instantFromMs, pgInstant, pgInstantOrNull, textArray } from '../pg-instants.js';
import type { AppDatabase } from './schema.js';

export interface Learner extends User {
  readonly email: string | null;
  readonly fullName: string | null;
}

export interface KyselyLearnerStore extends UserStore<Learner> {
  /** Adds learners (no events), each at row_version 1: for seeding and tests. */
  insertLearners(learners: readonly Learner[]): Promise<void>;
  /** The audit entries, in the order they were written. */
  readEvents(learnerId?: string): Promise<StatusChangeEvent[]>;
}

/** Epoch milliseconds of a timestamptz, as text: exact whatever the driver does with dates. */
function epochMs(column: Expression<unknown>): RawBuilder<string | null> {
  return sql<string | null>`ceil(extract(epoch from ${column}) * 1000)::text`;
}

/** One item of a write, as the statement unpacks it from its one JSON parameter. */
interface WriteItem {
  ord: number;
  id: string;
  expected: string;
  active: boolean;
  until: string | null;
  revoked: string | null;
  has_event: boolean;
  at: string | null;
  actor: string | null;
  source: string | null;
  reason: string | null;
  line: number | null;
  status_before: string | null;
  expires_before: string | null;
  effective_before: string | null;
  status_after: string | null;
  expires_after: string | null;
  effective_after: string | null;
  end_sessions: boolean;
}

// The column list jsonb_to_recordset needs: the order and types of WriteItem.
const ITEM_COLUMNS = sql.raw(
  `i(ord integer, id text, expected text, active boolean, until timestamptz, revoked timestamptz,
    has_event boolean, at timestamptz, actor text, source text, reason text, line integer,
    status_before text, expires_before timestamptz, effective_before text,
    status_after text, expires_after timestamptz, effective_after text, end_sessions boolean)`,
);

function isActive(user: User): boolean {
  if (user.status === 'active') return true;
  if (user.status === 'deactivated') return false;
  throw new TypeError(
    `writeUsers: user ${JSON.stringify(user.id)} has status ${String(user.status)}.`,
  );
}

function itemOf({ user, expectedVersion, event }: UserWrite<Learner>, ord: number): WriteItem {
  return {
    ord,
    id: user.id,
    expected: String(expectedVersion),
    active: isActive(user),
    until: pgInstantOrNull(user.expiresAt, 'expiresAt'),
    revoked: pgInstantOrNull(user.accessRevokedAt, 'accessRevokedAt'),
    has_event: event !== null,
    at: event === null ? null : pgInstant(event.at, 'event.at'),
    actor: event?.actor ?? null,
    source: event?.source ?? null,
    reason: event?.reason ?? null,
    line: typeof event?.line === 'number' ? event.line : null,
    status_before: event?.before.status ?? null,
    expires_before: pgInstantOrNull(event?.before.expiresAt, 'event.before.expiresAt'),
    effective_before: event?.before.effective ?? null,
    status_after: event?.after.status ?? null,
    expires_after: pgInstantOrNull(event?.after.expiresAt, 'event.after.expiresAt'),
    effective_after: event?.after.effective ?? null,
    end_sessions: event?.endSessions === true,
  };
}

export function kyselyLearnerStore(
  db: Kysely<AppDatabase>,
  options: { readonly maxBatchSize?: number } = {},
): KyselyLearnerStore {
  return {
    interfaceVersion: USER_STORE_INTERFACE_VERSION,
    // One statement per call: it stores all of its items or, when it fails, none.
    capabilities: { atomicBatches: true, maxBatchSize: options.maxBatchSize ?? 500 },

    async readUsers(ids) {
      // Kysely cannot build `in ()`; and there is nothing to read.
      if (ids.length === 0) return [];
      const asked = sql<string[]>`cast(${textArray(ids)} as text[])`;
      const rows = await db
        .selectFrom('app_learner')
        .select((eb) => [
          'learner_id',
          'email',
          'full_name',
          'is_active',
          sql<string>`row_version::text`.as('version'),
          epochMs(eb.ref('access_until')).as('until_ms'),
          epochMs(eb.ref('revoked_at')).as('revoked_ms'),
        ])
        // Exact matches only (`=` on text): `a` and `A` are two learners.
        .where((eb) =>
          eb.or([eb('learner_id', '=', eb.fn.any(asked)), eb('email', '=', eb.fn.any(asked))]),
        )
        .execute();
      const byId = new Map<string, VersionedUser<Learner>>();
      const byEmail = new Map<string, VersionedUser<Learner>>();
      for (const row of rows) {
        const found: VersionedUser<Learner> = {
          version: row.version,
          user: {
            id: row.learner_id,
            email: row.email,
            fullName: row.full_name,
            status: row.is_active ? 'active' : 'deactivated',
            expiresAt: instantFromMs(row.until_ms),
            accessRevokedAt: instantFromMs(row.revoked_ms),
          },
        };
        byId.set(row.learner_id, found);
        if (row.email !== null) byEmail.set(row.email, found);
      }
      // One answer per id, in order: the learner with that id, else the one with that email
      // (its own id in user.id); a fresh object each time, so repeated ids do not alias.
      return ids.map((id) => {
        const hit = byId.get(id) ?? byEmail.get(id);
        return hit === undefined ? null : { version: hit.version, user: { ...hit.user } };
      });
    },

    async writeUsers(writes): Promise<WriteResult[]> {
      if (writes.length === 0) return [];
      const ids = writes.map((write) => write.user.id);
      if (new Set(ids).size !== ids.length) {
        // The library never sends a learner twice in one call; a caller that does is refused.
        throw new TypeError('writeUsers: a learner appears twice in one call.');
      }
      const items = sql<WriteItem>`jsonb_to_recordset(${JSON.stringify(writes.map(itemOf))}::jsonb)`;
      const rows = await db
        .with('input', (qb) => qb.selectFrom(items.as<'i'>(ITEM_COLUMNS)).selectAll())
        // The version check is in the UPDATE itself: a concurrent writer that changed the row
        // first makes PostgreSQL re-check `row_version` on the new row, and this item conflicts.
        .with('updated', (qb) =>
          qb
            .updateTable('app_learner as u')
            .from('input as i')
            .set((eb) => ({
              is_active: eb.ref('i.active'),
              access_until: eb.ref('i.until'),
              revoked_at: eb.ref('i.revoked'),
              row_version: sql`u.row_version + 1`,
            }))
            .where((eb) =>
              eb.and([
                eb(
                  'u.learner_id',
                  '=',
                  eb.fn.any(sql<string[]>`cast(${textArray(ids)} as text[])`),
                ),
                eb('u.learner_id', '=', eb.ref('i.id')),
                eb(sql`u.row_version::text`, '=', eb.ref('i.expected')),
              ]),
            )
            .returning(['u.learner_id', sql<string>`u.row_version::text`.as('version')]),
        )
        // The audit entries of the items stored, in the order of the items (seq follows it).
        .with('recorded', (qb) =>
          qb
            .insertInto('app_learner_event')
            .columns([
              'learner_id',
              'happened_at',
              'actor',
              'source',
              'reason',
              'line',
              'status_before',
              'expires_before',
              'effective_before',
              'status_after',
              'expires_after',
              'effective_after',
              'end_sessions',
            ])
            .expression((eb) =>
              eb
                .selectFrom('input as i')
                .innerJoin('updated as d', 'd.learner_id', 'i.id')
                .where('i.has_event', '=', true)
                .select([
                  'i.id',
                  'i.at',
                  'i.actor',
                  'i.source',
                  'i.reason',
                  'i.line',
                  'i.status_before',
                  'i.expires_before',
                  'i.effective_before',
                  'i.status_after',
                  'i.expires_after',
                  'i.effective_after',
                  'i.end_sessions',
                ])
                .orderBy('i.ord'),
            ),
        )
        .selectFrom('input as i')
        .leftJoin('updated as d', 'd.learner_id', 'i.id')
        .select((eb) => [
          'd.version',
          eb
            .exists(
              eb
                .selectFrom('app_learner as x')
                .whereRef('x.learner_id', '=', 'i.id')
                .select('x.learner_id'),
            )
            .as('found'),
        ])
        .orderBy('i.ord')
        .execute();
      if (rows.length !== writes.length) {
        throw new Error(
          `writeUsers: PostgreSQL answered ${rows.length} rows for ${writes.length} writes.`,
        );
      }
      return rows.map((row): WriteResult => {
        if (row.version !== null) return { status: 'ok', version: row.version };
        return row.found ? { status: 'conflict' } : { status: 'not-found' };
      });
    },

    async countUsers() {
      const row = await db
        .selectFrom('app_learner')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async insertLearners(learners) {
      if (learners.length === 0) return;
      await db
        .insertInto('app_learner')
        .values(
          learners.map((learner) => ({
            learner_id: learner.id,
            email: learner.email,
            full_name: learner.fullName,
            is_active: isActive(learner),
            access_until: pgInstantOrNull(learner.expiresAt, 'expiresAt'),
            revoked_at: pgInstantOrNull(learner.accessRevokedAt, 'accessRevokedAt'),
            row_version: 1,
          })),
        )
        .execute();
    },

    async readEvents(learnerId) {
      let query = db
        .selectFrom('app_learner_event')
        .select((eb) => [
          'learner_id',
          'actor',
          'source',
          'reason',
          'line',
          'status_before',
          'effective_before',
          'status_after',
          'effective_after',
          'end_sessions',
          epochMs(eb.ref('happened_at')).as('at_ms'),
          epochMs(eb.ref('expires_before')).as('before_ms'),
          epochMs(eb.ref('expires_after')).as('after_ms'),
        ])
        .orderBy('seq');
      if (learnerId !== undefined) query = query.where('learner_id', '=', learnerId);
      const rows = await query.execute();
      return rows.map((row) => ({
        userId: row.learner_id,
        at: instantFromMs(row.at_ms) ?? new Date(Number.NaN),
        ...(row.actor === null ? {} : { actor: row.actor }),
        ...(row.source === null ? {} : { source: row.source }),
        ...(row.reason === null ? {} : { reason: row.reason }),
        ...(row.line === null ? {} : { line: row.line }),
        before: {
          status: row.status_before as StoredStatus,
          expiresAt: instantFromMs(row.before_ms),
          effective: row.effective_before as AccountStatus,
        },
        after: {
          status: row.status_after as StoredStatus,
          expiresAt: instantFromMs(row.after_ms),
          effective: row.effective_after as AccountStatus,
        },
        endSessions: row.end_sessions,
      }));
    },
  };
}
