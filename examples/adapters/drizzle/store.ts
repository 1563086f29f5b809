// A UserStore over the team's own tables with Drizzle ORM (issue 19): one statement per
// readUsers call (by id, or by email as an alias answering the learner's own id) and one
// statement per writeUsers call (version check, update and audit entries together, per item).
// In your app, import from 'learner-status' instead of '../../../src/index.js'.
import { and, asc, eq, exists, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
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
import { type AppDb, appLearner, appLearnerEvent } from './schema.js';

export interface Learner extends User {
  readonly email: string | null;
  readonly fullName: string | null;
}

export interface DrizzleLearnerStore extends UserStore<Learner> {
  /** Adds learners (no events), each at row_version 1: for seeding and tests. */
  insertLearners(learners: readonly Learner[]): Promise<void>;
  /** The audit entries, in the order they were written. */
  readEvents(learnerId?: string): Promise<StatusChangeEvent[]>;
}

/** Epoch milliseconds of a timestamptz, as text: exact whatever the driver does with dates. */
function epochMs(column: SQLWrapper): SQL<string | null> {
  return sql<string | null>`ceil(extract(epoch from ${column}) * 1000)::text`;
}

/** `column = ANY(ids)`, the ids sent as one array literal (Drizzle's inArray sends one each). */
function anyOf(column: SQLWrapper, ids: readonly string[]): SQL {
  return sql`${column} = any(cast(${textArray(ids)} as text[]))`;
}

function isActive(user: User): boolean {
  if (user.status === 'active') return true;
  if (user.status === 'deactivated') return false;
  throw new TypeError(
    `writeUsers: user ${JSON.stringify(user.id)} has status ${String(user.status)}.`,
  );
}

function itemOf({ user, expectedVersion, event }: UserWrite<Learner>, ord: number) {
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

// The columns of one item, as jsonb_to_recordset unpacks them: the keys and types of itemOf.
const ITEM_TYPES = {
  ord: 'integer',
  id: 'text',
  expected: 'text',
  active: 'boolean',
  until: 'timestamptz',
  revoked: 'timestamptz',
  has_event: 'boolean',
  at: 'timestamptz',
  actor: 'text',
  source: 'text',
  reason: 'text',
  line: 'integer',
  status_before: 'text',
  expires_before: 'timestamptz',
  effective_before: 'text',
  status_after: 'text',
  expires_after: 'timestamptz',
  effective_after: 'text',
  end_sessions: 'boolean',
} as const;
type ItemColumn = keyof typeof ITEM_TYPES;

// Drizzle names a CTE's SQL columns without the CTE (`"in_id"`, not `"input"."id"`), so the
// input's columns carry a prefix no table of yours has.
const INPUT_SELECT = sql.raw(
  `select ${Object.keys(ITEM_TYPES)
    .map((key) => `i.${key} as in_${key}`)
    .join(', ')} from jsonb_to_recordset(`,
);
const INPUT_COLUMNS = sql.raw(
  `::jsonb) as i(${Object.entries(ITEM_TYPES)
    .map(([key, type]) => `${key} ${type}`)
    .join(', ')})`,
);

/** A column of the `input` CTE, typed. */
const field = <T>(key: ItemColumn) => sql<T>`${sql.identifier(`in_${key}`)}`.as(`in_${key}`);

// The audit columns an entry is inserted with (all but seq, which the table numbers).
const EVENT_COLUMNS = sql.join(
  [
    appLearnerEvent.learnerId,
    appLearnerEvent.happenedAt,
    appLearnerEvent.actor,
    appLearnerEvent.source,
    appLearnerEvent.reason,
    appLearnerEvent.line,
    appLearnerEvent.statusBefore,
    appLearnerEvent.expiresBefore,
    appLearnerEvent.effectiveBefore,
    appLearnerEvent.statusAfter,
    appLearnerEvent.expiresAfter,
    appLearnerEvent.effectiveAfter,
    appLearnerEvent.endSessions,
  ].map((column) => sql.identifier(column.name)),
  sql`, `,
);

export function drizzleLearnerStore(
  db: AppDb,
  options: { readonly maxBatchSize?: number } = {},
): DrizzleLearnerStore {
  return {
    interfaceVersion: USER_STORE_INTERFACE_VERSION,
    // One statement per call: it stores all of its items or, when it fails, none.
    capabilities: { atomicBatches: true, maxBatchSize: options.maxBatchSize ?? 500 },

    async readUsers(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .select({
          learnerId: appLearner.learnerId,
          email: appLearner.email,
          fullName: appLearner.fullName,
          isActive: appLearner.isActive,
          version: sql<string>`${appLearner.rowVersion}::text`,
          untilMs: epochMs(appLearner.accessUntil),
          revokedMs: epochMs(appLearner.revokedAt),
        })
        .from(appLearner)
        // Exact matches only (`=` on text): `a` and `A` are two learners.
        .where(or(anyOf(appLearner.learnerId, ids), anyOf(appLearner.email, ids)));
      const byId = new Map<string, VersionedUser<Learner>>();
      const byEmail = new Map<string, VersionedUser<Learner>>();
      for (const row of rows) {
        const found: VersionedUser<Learner> = {
          version: row.version,
          user: {
            id: row.learnerId,
            email: row.email,
            fullName: row.fullName,
            status: row.isActive ? 'active' : 'deactivated',
            expiresAt: instantFromMs(row.untilMs),
            accessRevokedAt: instantFromMs(row.revokedMs),
          },
        };
        byId.set(row.learnerId, found);
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
      const input = db
        .$with('input', {
          ord: field<number>('ord'),
          id: field<string>('id'),
          expected: field<string>('expected'),
          active: field<boolean>('active'),
          until: field<string | null>('until'),
          revoked: field<string | null>('revoked'),
          hasEvent: field<boolean>('has_event'),
          at: field<string>('at'),
          actor: field<string | null>('actor'),
          source: field<string | null>('source'),
          reason: field<string | null>('reason'),
          line: field<number | null>('line'),
          statusBefore: field<string>('status_before'),
          expiresBefore: field<string | null>('expires_before'),
          effectiveBefore: field<string>('effective_before'),
          statusAfter: field<string>('status_after'),
          expiresAfter: field<string | null>('expires_after'),
          effectiveAfter: field<string>('effective_after'),
          endSessions: field<boolean>('end_sessions'),
        })
        .as(sql`${INPUT_SELECT}${JSON.stringify(writes.map(itemOf))}${INPUT_COLUMNS}`);
      // The version check is in the UPDATE itself: a concurrent writer that changed the row
      // first makes PostgreSQL re-check `row_version` on the new row, and this item conflicts.
      const updated = db.$with('updated').as(
        db
          .update(appLearner)
          .set({
            isActive: sql`${input.active}`,
            accessUntil: sql`${input.until}`,
            revokedAt: sql`${input.revoked}`,
            rowVersion: sql`${appLearner.rowVersion} + 1`,
          })
          .from(input)
          .where(
            and(
              anyOf(appLearner.learnerId, ids),
              eq(appLearner.learnerId, input.id),
              sql`${appLearner.rowVersion}::text = ${input.expected}`,
            ),
          )
          .returning({
            learnerId: sql<string>`${appLearner.learnerId}`.as('updated_id'),
            version: sql<string>`${appLearner.rowVersion}::text`.as('updated_version'),
          }),
      );
      // The audit entries of the items stored, in the order of the items (seq follows it).
      // Written with its column list: Drizzle's insert(...).select(...) lists every column,
      // seq included, which the table numbers itself.
      const entries = db
        .select({
          learnerId: input.id,
          happenedAt: input.at,
          actor: input.actor,
          source: input.source,
          reason: input.reason,
          line: input.line,
          statusBefore: input.statusBefore,
          expiresBefore: input.expiresBefore,
          effectiveBefore: input.effectiveBefore,
          statusAfter: input.statusAfter,
          expiresAfter: input.expiresAfter,
          effectiveAfter: input.effectiveAfter,
          endSessions: input.endSessions,
        })
        .from(input)
        .innerJoin(updated, eq(updated.learnerId, input.id))
        .where(eq(input.hasEvent, true))
        .orderBy(asc(input.ord));
      const recorded = db
        .$with('recorded', {})
        .as(sql`insert into ${appLearnerEvent} (${EVENT_COLUMNS}) ${entries}`);
      const existing = alias(appLearner, 'existing');
      const rows = await db
        .with(input, updated, recorded)
        .select({
          version: updated.version,
          found: exists(
            db.select({ one: sql`1` }).from(existing).where(eq(existing.learnerId, input.id)),
          ).mapWith(Boolean),
        })
        .from(input)
        .leftJoin(updated, eq(updated.learnerId, input.id))
        .orderBy(asc(input.ord));
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
      return db.$count(appLearner);
    },

    async insertLearners(learners) {
      if (learners.length === 0) return;
      await db.insert(appLearner).values(
        learners.map((learner) => ({
          learnerId: learner.id,
          email: learner.email,
          fullName: learner.fullName,
          isActive: isActive(learner),
          accessUntil: pgInstantOrNull(learner.expiresAt, 'expiresAt'),
          revokedAt: pgInstantOrNull(learner.accessRevokedAt, 'accessRevokedAt'),
          rowVersion: 1,
        })),
      );
    },

    async readEvents(learnerId) {
      const rows = await db
        .select({
          learnerId: appLearnerEvent.learnerId,
          actor: appLearnerEvent.actor,
          source: appLearnerEvent.source,
          reason: appLearnerEvent.reason,
          line: appLearnerEvent.line,
          statusBefore: appLearnerEvent.statusBefore,
          effectiveBefore: appLearnerEvent.effectiveBefore,
          statusAfter: appLearnerEvent.statusAfter,
          effectiveAfter: appLearnerEvent.effectiveAfter,
          endSessions: appLearnerEvent.endSessions,
          atMs: epochMs(appLearnerEvent.happenedAt),
          beforeMs: epochMs(appLearnerEvent.expiresBefore),
          afterMs: epochMs(appLearnerEvent.expiresAfter),
        })
        .from(appLearnerEvent)
        .where(learnerId === undefined ? undefined : eq(appLearnerEvent.learnerId, learnerId))
        .orderBy(asc(appLearnerEvent.seq));
      return rows.map((row) => ({
        userId: row.learnerId,
        at: instantFromMs(row.atMs) ?? new Date(Number.NaN),
        ...(row.actor === null ? {} : { actor: row.actor }),
        ...(row.source === null ? {} : { source: row.source }),
        ...(row.reason === null ? {} : { reason: row.reason }),
        ...(row.line === null ? {} : { line: row.line }),
        before: {
          status: row.statusBefore as StoredStatus,
          expiresAt: instantFromMs(row.beforeMs),
          effective: row.effectiveBefore as AccountStatus,
        },
        after: {
          status: row.statusAfter as StoredStatus,
          expiresAt: instantFromMs(row.afterMs),
          effective: row.effectiveAfter as AccountStatus,
        },
        endSessions: row.endSessions,
      }));
    },
  };
}
