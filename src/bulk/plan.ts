import { asciiLower } from '../csv/text.js';
import { requireInstant, timeOf } from '../dates/instant.js';
import { LearnerStatusError } from '../errors.js';
import { checkOptionKeys, isWholeNumber, positiveInteger } from '../options.js';
import { describeError, storeError } from '../store/errors.js';
import {
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type VersionedUser,
} from '../store/types.js';
import type { StatusSnapshot, TransitionContext, UserUpdate } from '../transitions/types.js';
import { changeFor, type FieldChange, issueFromError, sameUpdate, snapshotOf } from './change.js';
import type {
  BulkGuard,
  BulkInputRow,
  BulkIssue,
  BulkPlan,
  PlanOptions,
  PlanOutcome,
  PlanRow,
} from './types.js';

/** What `applyBulkUpdate` needs of a planned change beyond the public row. */
export interface PendingWrite {
  readonly index: number;
  readonly update: FieldChange;
  readonly read: VersionedUser;
}

const SETS_STATUS = 1;
const SETS_EXPIRATION = 2;

/**
 * The planned changes, kept compact for million-row plans: per change, one number (the row
 * index times 4 plus which fields the row sets), the user as read and its version. The
 * update itself is not kept: the row's `after` holds the values it sets (a transition stores
 * exactly the status and expiration asked for), so {@link pendingAt} rebuilds it.
 */
class PendingWrites {
  readonly codes: number[] = [];
  readonly users: VersionedUser['user'][] = [];
  readonly versions: string[] = [];

  get length(): number {
    return this.codes.length;
  }

  push(index: number, update: UserUpdate, read: VersionedUser): void {
    const fields =
      (update.status === undefined ? 0 : SETS_STATUS) |
      (update.expiresAt === undefined ? 0 : SETS_EXPIRATION);
    this.codes.push(index * 4 + fields);
    this.users.push(read.user);
    this.versions.push(read.version);
  }

  indexAt(k: number): number {
    return Math.floor(this.codes[k]! / 4);
  }

  /** The k-th planned change as the apply step uses it, rebuilt from the plan's rows. */
  at(k: number, rows: readonly PlanRow[]): PendingWrite {
    const code = this.codes[k]!;
    const index = Math.floor(code / 4);
    const user = this.users[k]!;
    const after = rows[index]!.after!;
    const update: { -readonly [K in keyof FieldChange]: FieldChange[K] } = {};
    if ((code & SETS_STATUS) !== 0) update.status = after.status;
    if ((code & SETS_EXPIRATION) !== 0) update.expiresAt = after.expiresAt;
    return { index, update, read: { user, version: this.versions[k]! } };
  }
}

/** The part of a plan that only the apply step sees. */
export interface PlanState {
  readonly ctx: Omit<TransitionContext, 'line'>;
  readonly pending: PendingWrites;
  readonly snapshots: SnapshotPool;
}

/**
 * Shares equal before/after snapshots between rows (a file sets few distinct dates, and most
 * users share a status), so that a million-row plan does not hold two objects per row. Shared
 * snapshots are frozen. Bounded: past `limit` distinct values, snapshots are kept as given.
 */
class SnapshotPool {
  private readonly pool = new Map<string, StatusSnapshot>();
  constructor(private readonly limit = 4096) {}

  share(snapshot: StatusSnapshot): StatusSnapshot {
    // timeOf(null) is NaN: "never" gets a key of its own.
    const key = `${snapshot.status}|${snapshot.effective}|${timeOf(snapshot.expiresAt)}`;
    const known = this.pool.get(key);
    if (known !== undefined) return known;
    if (this.pool.size >= this.limit) return snapshot;
    const frozen = Object.freeze({ ...snapshot });
    this.pool.set(key, frozen);
    return frozen;
  }
}

// Keyed by the plan object, so the public plan stays plain data and cannot be forged into
// writing something the planner did not decide.
export const PLAN_STATES = /* @__PURE__ */ new WeakMap<BulkPlan, PlanState>();

/** The keys of {@link PlanOptions}: checked here, and picked out by the one-call helpers. */
export const PLAN_OPTIONS: readonly string[] = [
  'now',
  'actor',
  'source',
  'reason',
  'readBatchSize',
  'maxChanges',
  'maxChangeRatio',
  'totalUsers',
];

const NO_ISSUES: readonly BulkIssue[] = /* @__PURE__ */ Object.freeze([]);

export function emptyTotals<K extends string>(keys: readonly K[]): Record<K, number> {
  const totals = {} as Record<K, number>;
  for (const key of keys) totals[key] = 0;
  return totals;
}

const PLAN_OUTCOMES: readonly PlanOutcome[] = [
  'changed',
  'unchanged',
  'not-found',
  'invalid',
  'duplicate',
];

export function requireStore(store: unknown, where: string): UserStore {
  // Optional chaining reads null, undefined and primitives as having no methods.
  const candidate = store as Partial<UserStore> | null | undefined;
  if (typeof candidate?.readUsers !== 'function' || typeof candidate.writeUsers !== 'function') {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `${where}: \`store\` must be a UserStore with readUsers and writeUsers (see createMemoryStore).`,
      { field: 'store' },
    );
  }
  if (candidate.interfaceVersion !== USER_STORE_INTERFACE_VERSION) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `${where}: the store implements UserStore interface version ${String(candidate.interfaceVersion)}, but this release of learner-status speaks version ${USER_STORE_INTERFACE_VERSION}. Update the adapter.`,
      { field: 'store' },
    );
  }
  return candidate as UserStore;
}

export async function readBatch(
  store: UserStore,
  ids: readonly string[],
): Promise<readonly (VersionedUser | null)[]> {
  let answers: readonly (VersionedUser | null)[];
  try {
    answers = await store.readUsers(ids);
  } catch (error) {
    throw storeError(
      'STORE_FAILED',
      `Reading ${ids.length} users from the store failed: ${describeError(error)}. Nothing was written; try again when the store is back.`,
      { cause: error },
    );
  }
  if (!Array.isArray(answers) || answers.length !== ids.length) {
    throw storeError(
      'STORE_FAILED',
      `The store answered ${Array.isArray(answers) ? answers.length : 'no list'} entries for ${ids.length} ids; readUsers must answer one entry per id, in order (null when unknown).`,
    );
  }
  return answers;
}

interface Collected {
  readonly line: number;
  // Only the parts the plan needs: the caller's row (with its raw `values`) can be collected
  // as soon as it is read, which keeps a million-row plan small.
  readonly result: BulkInputRow['result'];
  readonly userId: string | undefined;
}

function requireRow(row: unknown, seenLines: Set<number>): BulkInputRow {
  const candidate = row as Partial<BulkInputRow> | null;
  const line = candidate?.line;
  if (!isWholeNumber(line, 1)) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      `Every row needs a positive whole \`line\` number (the CSV line), but one has ${String(line)}.`,
      { field: 'line' },
    );
  }
  const result = candidate?.result as
    | { ok?: unknown; issues?: unknown; update?: unknown }
    | null
    | undefined;
  if (
    typeof result?.ok !== 'boolean' ||
    !Array.isArray(result.issues) ||
    (result.ok && (typeof result.update !== 'object' || result.update === null))
  ) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      `Row on line ${line}: \`result\` must be { ok: true, update, issues } or { ok: false, issues }, as parseCsv yields.`,
      { field: 'result', line },
    );
  }
  if (seenLines.has(line)) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      `Two rows have line ${line}; each row needs its own line number so that the report can name it.`,
      { field: 'line', line },
    );
  }
  seenLines.add(line);
  return candidate as BulkInputRow;
}

function readPlanOptions(options: unknown) {
  const record = checkOptionKeys(options, PLAN_OPTIONS, 'planBulkUpdate');
  const ctx: Omit<TransitionContext, 'line'> = {
    now: record['now'] as Date,
    actor: record['actor'] as string | undefined,
    source: (record['source'] as string | undefined) ?? 'csv',
    reason: record['reason'] as string | undefined,
  };
  requireInstant(ctx.now, 'now');
  for (const key of ['actor', 'source', 'reason'] as const) {
    if (ctx[key] !== undefined && typeof ctx[key] !== 'string') {
      throw new LearnerStatusError('INVALID_OPTION', `\`${key}\` must be a string when given.`, {
        field: key,
      });
    }
  }
  const ratio = record['maxChangeRatio'];
  if (ratio !== undefined && (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1))) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `\`maxChangeRatio\` must be a share from 0 to 1 (0.1 = 10% of all users), but it is ${String(ratio)}.`,
      { field: 'maxChangeRatio' },
    );
  }
  const maxChanges = record['maxChanges'];
  if (maxChanges !== undefined && !isWholeNumber(maxChanges, 0)) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `\`maxChanges\` must be a whole number of users, 0 or more, but it is ${String(maxChanges)}.`,
      { field: 'maxChanges' },
    );
  }
  const totalUsers = record['totalUsers'];
  if (totalUsers !== undefined && !isWholeNumber(totalUsers, 0)) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `\`totalUsers\` must be a whole number, 0 or more, but it is ${String(totalUsers)}.`,
      { field: 'totalUsers' },
    );
  }
  return {
    ctx,
    readBatchSize: positiveInteger(record['readBatchSize'], 'readBatchSize', 1000, 100_000),
    maxChanges: maxChanges as number | undefined,
    maxChangeRatio: ratio as number | undefined,
    totalUsers: totalUsers as number | undefined,
  };
}

function notFoundIssue(userId: string): BulkIssue {
  return {
    code: 'USER_NOT_FOUND',
    severity: 'error',
    message: `No user has the id ${JSON.stringify(userId)}; check the identifier column (ids match exactly after trimming; an email is also looked up in lower case).`,
  };
}

const MISSING_ID_ISSUE: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'MISSING_ID',
  severity: 'error' as const,
  message: 'The row names no user: fill in the identifier column.',
});

function withIssues(base: readonly BulkIssue[], extra: readonly BulkIssue[]): readonly BulkIssue[] {
  if (extra.length === 0) return base.length === 0 ? NO_ISSUES : base;
  return base.length === 0 ? extra : [...base, ...extra];
}

/**
 * S3: the dry run of a bulk update. Reads the users of `rows` from `store` in batches and
 * decides every row with the core transitions, writing nothing. The plan lists every input row
 * exactly once, ordered by line, with its outcome (`changed`, `unchanged`, `not-found`,
 * `invalid`, `duplicate`), before and after, and issues. C8: rows for the same user that ask
 * for the same change apply once (the repeats are `duplicate`); rows that disagree are all
 * `invalid` with `CONFLICTING_DUPLICATE` naming the other lines. C9: ids match exactly; an id
 * with `@` is an email and also matches in any ASCII case, both for grouping and for the
 * lookup (an email the store does not know as written is read again in lower case). S4's guard (`maxChanges`,
 * `maxChangeRatio`) is evaluated here and enforced by {@link applyBulkUpdate}.
 *
 * Throws `INVALID_OPTION` for bad options, `INVALID_INPUT` for rows without a unique positive
 * line or a result, `STORE_FAILED` when the store fails to read.
 *
 * @example
 * ```ts
 * import { createMemoryStore, planBulkUpdate } from 'learner-status';
 *
 * const store = createMemoryStore([{ id: 'ada', status: 'active', expiresAt: null }]);
 * const plan = await planBulkUpdate(
 *   [{ line: 2, result: { ok: true, update: { userId: 'ada', status: 'deactivated' }, issues: [] } }],
 *   store,
 *   { now: new Date(), actor: 'admin-7' },
 * );
 * plan.rows[0]?.outcome; // 'changed'
 * plan.rows[0]?.after?.effective; // 'deactivated'
 * ```
 */
export async function planBulkUpdate(
  rows: Iterable<BulkInputRow> | AsyncIterable<BulkInputRow>,
  store: UserStore,
  options: PlanOptions,
): Promise<BulkPlan> {
  const checkedStore = requireStore(store, 'planBulkUpdate');
  const { ctx, readBatchSize, maxChanges, maxChangeRatio, totalUsers } = readPlanOptions(options);
  if (
    rows === null ||
    (typeof rows !== 'object' && typeof rows !== 'function') ||
    (typeof (rows as Iterable<unknown>)[Symbol.iterator] !== 'function' &&
      typeof (rows as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function')
  ) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      '`rows` must be an iterable or async iterable of { line, result }, such as parseCsv(file).',
      { field: 'rows' },
    );
  }

  // Every row must be seen before any is decided: a duplicate (C8) may come last in the file.
  const collected: Collected[] = [];
  const seenLines = new Set<number>();
  for await (const row of rows) {
    const input = requireRow(row, seenLines);
    collected.push({ line: input.line, result: input.result, userId: input.userId });
  }
  seenLines.clear();
  // Rows from parseCsv come in line order already; the sort then makes one linear pass.
  collected.sort((a, b) => a.line - b.line);

  const planRows: PlanRow[] = new Array(collected.length);
  // Valid rows grouped by user id, in line order.
  const byUser = new Map<string, number[]>();
  collected.forEach(({ line, result, userId: givenId }, index) => {
    if (!result.ok) {
      // The user a refused row names (CsvRow's userId: its identifier cell, when that cell is
      // valid), so that the plan and every report still say whose row it is.
      planRows[index] = {
        line,
        userId: typeof givenId === 'string' && givenId !== '' ? givenId : null,
        outcome: 'invalid',
        before: null,
        after: null,
        issues: result.issues,
      };
      return;
    }
    const userId = result.update.userId;
    if (typeof userId !== 'string' || userId.length === 0) {
      planRows[index] = {
        line,
        userId: null,
        outcome: 'invalid',
        before: null,
        after: null,
        issues: withIssues(result.issues, [MISSING_ID_ISSUE]),
      };
      return;
    }
    // C8, C9: an email names the same user in any ASCII case.
    const key = userKey(userId);
    const group = byUser.get(key);
    if (group === undefined) byUser.set(key, [index]);
    else group.push(index);
  });

  const pending = new PendingWrites();
  const snapshots = new SnapshotPool();
  const groups = [...byUser.values()];
  byUser.clear();
  // The id to read is the spelling of the group's first line.
  const spellingOf = (group: readonly number[]): string =>
    (collected[group[0]!]!.result as { update: UserUpdate }).update.userId;
  for (let start = 0; start < groups.length; start += readBatchSize) {
    const batch = groups.slice(start, start + readBatchSize);
    const ids = batch.map(spellingOf);
    const answers: (VersionedUser | null)[] = [...(await readBatch(checkedStore, ids))];
    await readEmailsInLowerCase(checkedStore, ids, answers);
    batch.forEach((group, offset) => {
      const read = answers[offset] ?? null;
      const userId = read === null ? ids[offset]! : read.user.id;
      planGroup(userId, group, read, collected, planRows, pending, snapshots, ctx);
    });
  }

  const totals = emptyTotals(PLAN_OUTCOMES);
  for (const row of planRows) totals[row.outcome] += 1;

  let guard: BulkGuard | null = null;
  if (maxChanges !== undefined || maxChangeRatio !== undefined) {
    let limit = maxChanges ?? Number.POSITIVE_INFINITY;
    if (maxChangeRatio !== undefined) {
      const population = totalUsers ?? (await countUsers(checkedStore));
      limit = Math.min(limit, Math.floor(population * maxChangeRatio));
    }
    const changes = totals.changed;
    guard = {
      refused: changes > limit,
      changes,
      limit,
      message:
        changes > limit
          ? `This file would change ${changes} users, more than the limit of ${limit}. Check that it is the file you meant (a truncated or stale export?), or raise maxChanges/maxChangeRatio.`
          : `This file changes ${changes} users, within the limit of ${limit}.`,
    };
  }

  const plan: BulkPlan = { rows: planRows, totals, now: ctx.now, guard };
  PLAN_STATES.set(plan, { ctx, pending, snapshots });
  return plan;
}

/**
 * C9: how rows are grouped into users (C8). Identifiers match exactly (the CSV parser has
 * trimmed them); an identifier with an `@` is an email and matches in any ASCII case.
 */
function userKey(userId: string): string {
  return userId.includes('@') ? asciiLower(userId) : userId;
}

/**
 * C9 for stores, which match ids exactly (S1): an email the store did not know as written
 * is looked up once more in ASCII lower case, the form in which applications usually keep
 * emails. Fills `answers` in place; one extra read per batch, only when needed.
 */
async function readEmailsInLowerCase(
  store: UserStore,
  ids: readonly string[],
  answers: (VersionedUser | null)[],
): Promise<void> {
  const retry: number[] = [];
  ids.forEach((id, offset) => {
    if (answers[offset] === null && userKey(id) !== id) retry.push(offset);
  });
  if (retry.length === 0) return;
  const lower = await readBatch(
    store,
    retry.map((offset) => userKey(ids[offset]!)),
  );
  retry.forEach((offset, k) => {
    answers[offset] = lower[k] ?? null;
  });
}

async function countUsers(store: UserStore): Promise<number> {
  if (typeof store.countUsers !== 'function') {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      '`maxChangeRatio` needs the number of users: pass `totalUsers`, or use a store with countUsers().',
      { field: 'totalUsers' },
    );
  }
  let count: number;
  try {
    count = await store.countUsers();
  } catch (error) {
    throw storeError('STORE_FAILED', `Counting users failed: ${describeError(error)}.`, {
      cause: error,
    });
  }
  if (!isWholeNumber(count, 0)) {
    throw storeError('STORE_FAILED', `countUsers() answered ${String(count)}, not a count.`);
  }
  return count;
}

/** Decides all rows of one user id (C8), filling `planRows` at their indexes. */
function planGroup(
  userId: string,
  group: readonly number[],
  read: VersionedUser | null,
  collected: readonly Collected[],
  planRows: PlanRow[],
  pending: PendingWrites,
  snapshots: SnapshotPool,
  ctx: Omit<TransitionContext, 'line'>,
): void {
  const first = group[0]!;
  const updateOf = (index: number): UserUpdate =>
    (collected[index]!.result as { update: UserUpdate }).update;
  const parseIssues = (index: number) => collected[index]!.result.issues;

  if (read === null) {
    const issue = notFoundIssue(userId);
    for (const index of group) {
      planRows[index] = {
        line: collected[index]!.line,
        userId,
        outcome: 'not-found',
        before: null,
        after: null,
        issues: withIssues(parseIssues(index), [issue]),
      };
    }
    return;
  }

  const agree = group.every((index) => sameUpdate(updateOf(index), updateOf(first)));
  if (!agree) {
    let before: StatusSnapshot | null = null;
    try {
      before = snapshots.share(snapshotOf(read.user, ctx.now));
    } catch {
      // A broken record still gets its rows reported as conflicting; before stays unknown.
    }
    for (const index of group) {
      const others = group.filter((other) => other !== index).map((o) => collected[o]!.line);
      planRows[index] = {
        line: collected[index]!.line,
        userId,
        outcome: 'invalid',
        before,
        after: null,
        issues: withIssues(parseIssues(index), [
          {
            code: 'CONFLICTING_DUPLICATE',
            severity: 'error',
            message: `User ${JSON.stringify(userId)} is also on line${others.length > 1 ? 's' : ''} ${others.join(', ')} with a different change; none of these rows is applied. Keep one row per user.`,
          },
        ]),
      };
    }
    return;
  }

  const line = collected[first]!.line;
  let row: PlanRow;
  try {
    const change = changeFor(read.user, updateOf(first), { ...ctx, line });
    row = {
      line,
      userId,
      outcome: change.event === null ? 'unchanged' : 'changed',
      before: snapshots.share(change.before),
      after: snapshots.share(change.after),
      issues: withIssues(parseIssues(first), change.warnings),
    };
    if (change.event !== null) pending.push(first, updateOf(first), read);
  } catch (error) {
    row = {
      line,
      userId,
      outcome: 'invalid',
      before: null,
      after: null,
      issues: withIssues(parseIssues(first), [issueFromError(error)]),
    };
  }
  planRows[first] = row;
  for (let k = 1; k < group.length; k++) {
    const index = group[k]!;
    // A repeat of a refused row is refused alike; a repeat of a valid one is a duplicate.
    planRows[index] = {
      line: collected[index]!.line,
      userId,
      outcome: row.outcome === 'invalid' ? 'invalid' : 'duplicate',
      before: row.before,
      after: row.after,
      issues: withIssues(parseIssues(index), [
        ...(row.outcome === 'invalid' ? row.issues : []),
        {
          code: 'DUPLICATE_ROW',
          severity: 'warning',
          message:
            row.outcome === 'invalid'
              ? `Same change as line ${line} for user ${JSON.stringify(userId)}, which is refused.`
              : `Same change as line ${line} for user ${JSON.stringify(userId)}; it is applied once, from line ${line}.`,
        },
      ]),
    };
  }
}
