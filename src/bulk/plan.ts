import { asciiLower } from '../csv/text.js';
import { requireInstant, timeOf } from '../dates/instant.js';
import { LearnerStatusError } from '../errors.js';
import { checkOptionKeys, isWholeNumber, positiveInteger } from '../options.js';
import { effectiveStatus } from '../status/effective.js';
import type { AccountStatus, StoredStatus, User } from '../status/types.js';
import { describeError, storeError } from '../store/errors.js';
import {
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type VersionedUser,
} from '../store/types.js';
import type { StatusSnapshot, TransitionContext, UserUpdate } from '../transitions/types.js';
import {
  changeFor,
  type FieldChange,
  issueFromError,
  sameUpdate,
  snapshotOf,
  warningsFor,
} from './change.js';
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
// What else a change's code says, about the user as read when it is plain (see isPlain).
const PLAIN = 4;
const DEACTIVATED = 8;
const REVOKED_NULL = 16;
const REVOKED_DATE = 32;
const CODE_UNIT = 64;

/**
 * The planned changes, kept compact for million-row plans: per change, one number (the row
 * index, which fields the row sets, and the shape of the user as read) and the version read.
 * The update itself is not kept: the row's `after` holds the values it sets (a transition
 * stores exactly the status and expiration asked for), so {@link PendingWrites.at} rebuilds
 * it. Nor, for the usual store, is the user as read: a plain record (the four fields of
 * `User`, plain Dates, nothing else) is kept as its two instants in typed arrays and
 * rebuilt when its batch is written, with the row's id (the id the store answered). A user
 * with fields of its own is kept as the store gave it.
 * This is about 170 bytes less per change, a quarter of what a million-row plan holds.
 */
class PendingWrites {
  private codes: number[] = [];
  private versions: string[] = [];
  private expiries = new Float64Array(1024);
  private revocations = new Float64Array(1024);
  /** By change: the user as read when it is not plain. */
  private kept = new Map<number, User>();
  /** Per row index, how many entries pushed before it are void (see {@link drop}). */
  private voided: Map<number, number> | undefined;
  private inOrder = true;

  get length(): number {
    return this.codes.length;
  }

  push(index: number, update: FieldChange, read: VersionedUser): void {
    const k = this.codes.length;
    // `+`, not `|`: the code passes 2^31 beyond 16 million rows.
    let code =
      index * CODE_UNIT +
      (update.status === undefined ? 0 : SETS_STATUS) +
      (update.expiresAt === undefined ? 0 : SETS_EXPIRATION);
    const user = read.user;
    if (isPlain(user)) {
      while (k >= this.expiries.length) this.grow();
      code += PLAIN + (user.status === 'deactivated' ? DEACTIVATED : 0);
      this.expiries[k] = user.expiresAt === null ? Infinity : timeOf(user.expiresAt);
      const revoked = user.accessRevokedAt;
      if (revoked === null) code += REVOKED_NULL;
      else if (revoked !== undefined) {
        code += REVOKED_DATE;
        this.revocations[k] = timeOf(revoked);
      }
    } else {
      this.kept.set(k, user);
    }
    const last = this.codes.length - 1;
    if (last >= 0 && index <= this.indexAt(last)) this.inOrder = false;
    this.codes.push(code);
    this.versions.push(read.version);
  }

  /**
   * Voids the change pushed so far for the row at `index`: its user turned out to be named by
   * other rows too (C8, through another identifier), and the whole group is decided again.
   */
  drop(index: number): void {
    this.voided ??= new Map();
    this.voided.set(index, this.codes.length);
  }

  /**
   * Once every row is decided: the void entries left out and the rest in row order, the order
   * in which the apply step writes them. Nothing to do unless a group was decided again.
   */
  finish(): void {
    const voided = this.voided;
    if (voided === undefined && this.inOrder) return;
    const keep: number[] = [];
    for (let k = 0; k < this.codes.length; k++) {
      if ((voided?.get(this.indexAt(k)) ?? 0) <= k) keep.push(k);
    }
    // Codes are the row index times CODE_UNIT plus flags, and one row has one live entry at
    // most: sorting the codes puts the entries in row order.
    keep.sort((a, b) => this.codes[a]! - this.codes[b]!);
    const expiries = new Float64Array(Math.max(1024, keep.length));
    const revocations = new Float64Array(expiries.length);
    const kept = new Map<number, User>();
    for (let to = 0; to < keep.length; to++) {
      const from = keep[to]!;
      expiries[to] = this.expiries[from]!;
      revocations[to] = this.revocations[from]!;
      const value = this.kept.get(from);
      if (value !== undefined) kept.set(to, value);
    }
    this.codes = keep.map((k) => this.codes[k]!);
    this.versions = keep.map((k) => this.versions[k]!);
    this.expiries = expiries;
    this.revocations = revocations;
    this.kept = kept;
    this.voided = undefined;
    this.inOrder = true;
  }

  indexAt(k: number): number {
    return Math.floor(this.codes[k]! / CODE_UNIT);
  }

  /** The k-th planned change as the apply step uses it, rebuilt from the plan's rows. */
  at(k: number, rows: readonly PlanRow[]): PendingWrite {
    const code = this.codes[k]!;
    const index = Math.floor(code / CODE_UNIT);
    const row = rows[index]!;
    const after = row.after!;
    const update: { -readonly [K in keyof FieldChange]: FieldChange[K] } = {};
    if ((code & SETS_STATUS) !== 0) update.status = after.status;
    if ((code & SETS_EXPIRATION) !== 0) update.expiresAt = after.expiresAt;
    return { index, update, read: { user: this.userAt(k, code, row), version: this.versions[k]! } };
  }

  private userAt(k: number, code: number, row: PlanRow): User {
    if ((code & PLAIN) === 0) return this.kept.get(k) as User;
    const expiry = this.expiries[k]!;
    const user = {
      // The row names its user by the id the store answered (C8 groups by it).
      id: row.userId as string,
      status: (code & DEACTIVATED) === 0 ? 'active' : 'deactivated',
      expiresAt: expiry === Infinity ? null : new Date(expiry),
    } satisfies User as { -readonly [K in keyof User]: User[K] };
    if ((code & REVOKED_NULL) !== 0) user.accessRevokedAt = null;
    else if ((code & REVOKED_DATE) !== 0) user.accessRevokedAt = new Date(this.revocations[k]!);
    return user;
  }

  private grow(): void {
    const size = this.expiries.length * 2;
    const expiries = new Float64Array(size);
    expiries.set(this.expiries);
    this.expiries = expiries;
    const revocations = new Float64Array(size);
    revocations.set(this.revocations);
    this.revocations = revocations;
  }
}

const USER_KEYS = ['id', 'status', 'expiresAt', 'accessRevokedAt'];

/**
 * Whether a user as read is exactly what {@link PendingWrites} rebuilds: a plain object whose
 * own keys are `id`, `status`, `expiresAt` and optionally `accessRevokedAt`, in that order,
 * plain data properties, a stored status, and plain valid Dates (or null). Anything else (a
 * field of the caller's own, a getter, a Date subclass) is kept as the store gave it.
 */
function isPlain(user: User): boolean {
  if (Object.getPrototypeOf(user) !== Object.prototype) return false;
  const keys = Object.keys(user);
  if (keys.length < 3 || keys.length > 4) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== USER_KEYS[i]) return false;
    if (Object.getOwnPropertyDescriptor(user, keys[i]!)?.get !== undefined) return false;
  }
  if (user.status !== 'active' && user.status !== 'deactivated') return false;
  return plainDate(user.expiresAt, false) && plainDate(user.accessRevokedAt, keys.length === 3);
}

function plainDate(value: unknown, absent: boolean): boolean {
  if (value === undefined) return absent;
  return (
    value === null ||
    (Object.getPrototypeOf(value) === Date.prototype && !Number.isNaN(timeOf(value)))
  );
}

/** The part of a plan that only the apply step sees. */
export interface PlanState {
  readonly ctx: Omit<TransitionContext, 'line'>;
  readonly pending: PendingWrites;
  readonly snapshots: SnapshotPool;
}

const EFFECTIVE: Readonly<Record<AccountStatus, number>> = {
  active: 0,
  deactivated: 1,
  expired: 2,
};

/**
 * Shares equal before/after snapshots between rows (a file sets few distinct dates, and most
 * users share a status), so that a million-row plan does not hold two objects per row. Shared
 * snapshots are frozen. Bounded: past `limit` distinct values, snapshots are made per row.
 */
class SnapshotPool {
  // One map per stored and effective status (KIND), keyed by the expiry in ms (Infinity: never).
  private readonly pools: Map<number, StatusSnapshot>[] = [];
  private size = 0;
  constructor(private readonly limit = 65_536) {}

  /** The snapshot of these values; the expiration Date is made only for a new one. */
  get(status: StoredStatus, effective: AccountStatus, expiryMs: number): StatusSnapshot {
    const kind = (status === 'active' ? 0 : 3) + EFFECTIVE[effective];
    let pool = this.pools[kind];
    if (pool === undefined) {
      pool = new Map();
      this.pools[kind] = pool;
    }
    const known = pool.get(expiryMs);
    if (known !== undefined) return known;
    const snapshot: StatusSnapshot = {
      status,
      expiresAt: expiryMs === Infinity ? null : new Date(expiryMs),
      effective,
    };
    if (this.size >= this.limit) return snapshot;
    this.size++;
    pool.set(expiryMs, Object.freeze(snapshot));
    return snapshot;
  }

  share(snapshot: StatusSnapshot): StatusSnapshot {
    const ms = snapshot.expiresAt === null ? Infinity : timeOf(snapshot.expiresAt);
    // An expiration that is no valid Date is left as it is: it has no value to share by.
    if (Number.isNaN(ms)) return snapshot;
    return this.get(snapshot.status, snapshot.effective, ms);
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

/**
 * The rows as the plan needs them, one column per field, so that a million-row file keeps no
 * object per row while every row is read (C8: a duplicate may come last): the caller's rows,
 * their results and updates are collected as soon as they are read. An update of an ordinary
 * shape (a stored status, a valid Date or null) is kept as numbers; any other is kept whole
 * (`odd`), and decided by the transitions themselves, which say what is wrong with it.
 */
class Collected {
  readonly lines: number[] = [];
  /** The user id of an ok row (whatever the row holds), or the id a refused row names. */
  readonly ids: unknown[] = [];
  /** OK | status (STATUS_*) | SETS_DATE; 0 for a refused row. */
  readonly codes: number[] = [];
  /** The expiration set, in ms (Infinity: never); 0 when none is set. */
  readonly expiries: number[] = [];
  readonly issues: (readonly BulkIssue[])[] = [];
  readonly odd = new Map<number, UserUpdate>();
  private last = 0;
  private seen: Set<number> | undefined;

  get length(): number {
    return this.lines.length;
  }

  add(row: unknown): void {
    const input = requireRow(row);
    const { line, result } = input;
    // Lines are checked for repeats only once they stop increasing, as parseCsv's always do.
    if (line <= this.last) {
      this.seen ??= new Set(this.lines);
      if (this.seen.has(line)) {
        throw new LearnerStatusError(
          'INVALID_INPUT',
          `Two rows have line ${line}; each row needs its own line number so that the report can name it.`,
          { field: 'line', line },
        );
      }
    }
    this.seen?.add(line);
    this.last = Math.max(this.last, line);
    const at = this.lines.length;
    this.lines.push(line);
    this.issues.push(result.issues);
    if (!result.ok) {
      this.ids.push(input.userId);
      this.codes.push(0);
      this.expiries.push(0);
      return;
    }
    const update = result.update;
    // A copy: a parser's cell is a slice of its 64 KiB piece of the file, which a kept slice
    // would keep alive until the plan is made (for a row that names no known user, longer).
    this.ids.push(typeof update.userId === 'string' ? ownCopy(update.userId) : update.userId);
    const { status, expiresAt } = update;
    const statusCode =
      status === undefined
        ? 0
        : status === 'active'
          ? STATUS_ACTIVE
          : status === 'deactivated'
            ? STATUS_DEACTIVATED
            : -1;
    const ms = expiresAt === undefined ? 0 : expiresAt === null ? Infinity : timeOf(expiresAt);
    if (statusCode === -1 || Number.isNaN(ms)) {
      this.odd.set(at, update);
      this.codes.push(OK);
      this.expiries.push(0);
      return;
    }
    this.codes.push(OK | statusCode | (expiresAt === undefined ? 0 : SETS_DATE));
    this.expiries.push(ms);
  }

  /** Whether the rows are in line order (then nothing is sorted). */
  get ordered(): boolean {
    return this.seen === undefined;
  }

  /** The columns in line order (a stable sort, as before). */
  sorted(): Collected {
    const order = Array.from(this.lines.keys()).sort(
      (a, b) => (this.lines[a] as number) - (this.lines[b] as number),
    );
    const out = new Collected();
    for (const i of order) {
      const at = out.lines.length;
      out.lines.push(this.lines[i] as number);
      out.ids.push(this.ids[i]);
      out.codes.push(this.codes[i] as number);
      out.expiries.push(this.expiries[i] as number);
      out.issues.push(this.issues[i] as readonly BulkIssue[]);
      const odd = this.odd.get(i);
      if (odd !== undefined) out.odd.set(at, odd);
    }
    return out;
  }

  /** The update of the ok row at `at`, as the row gave it (or an equal one). */
  update(at: number): UserUpdate {
    const odd = this.odd.get(at);
    if (odd !== undefined) return odd;
    const code = this.codes[at] as number;
    const status = code & STATUS_MASK;
    const ms = this.expiries[at] as number;
    return {
      userId: this.ids[at] as string,
      ...(status === 0 ? {} : { status: status === STATUS_ACTIVE ? 'active' : 'deactivated' }),
      ...((code & SETS_DATE) === 0 ? {} : { expiresAt: ms === Infinity ? null : new Date(ms) }),
    };
  }

  /** Whether the ok rows at `a` and `b` ask for exactly the same change (C8). */
  same(a: number, b: number): boolean {
    if (this.odd.has(a) || this.odd.has(b)) return sameUpdate(this.update(a), this.update(b));
    return this.codes[a] === this.codes[b] && this.expiries[a] === this.expiries[b];
  }
}

/**
 * `text` as a string of its own. Concatenating and slicing again is not enough: V8 keeps a
 * slice of the joined string, twice the objects. A JSON round trip (lossless, lone
 * surrogates included) makes one flat string; measured on a million-row preview it costs
 * less time than it saves in garbage collection, and 200 MB less memory.
 */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

const OK = 1;
const STATUS_ACTIVE = 2;
const STATUS_DEACTIVATED = 4;
const STATUS_MASK = 6;
const SETS_DATE = 8;

function requireRow(row: unknown): BulkInputRow {
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
 * `invalid` with `CONFLICTING_DUPLICATE` naming the other lines. The same user is the user the
 * store answered (its id), so rows naming one user by two identifiers (an email and an id)
 * are grouped too, and one `writeUsers` call never holds a user twice. C9: ids match exactly;
 * an id with `@` is an email and also matches in any ASCII case, both for grouping and for the
 * lookup (an email the store does not know as written is read again in lower case). S4's
 * guard (`maxChanges`, `maxChangeRatio`) is evaluated here and enforced by
 * {@link applyBulkUpdate}.
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
  let collected = new Collected();
  for await (const row of rows) collected.add(row);
  // Rows from parseCsv come in line order already.
  if (!collected.ordered) collected = collected.sorted();

  const n = collected.length;
  const planRows: PlanRow[] = new Array(n);
  // Valid rows grouped by user (C8, C9): the first row of each user, in line order, and the
  // later rows of a user linked from it (made only when a user has more than one row).
  const firstOf = new Map<string, number>();
  const firsts: number[] = [];
  let next: Int32Array | undefined;
  let tail: Int32Array | undefined;
  for (let at = 0; at < n; at++) {
    const code = collected.codes[at] as number;
    const line = collected.lines[at] as number;
    const id = collected.ids[at];
    if (code === 0) {
      // The user a refused row names (CsvRow's userId: its identifier cell, when that cell is
      // valid), so that the plan and every report still say whose row it is.
      planRows[at] = {
        line,
        userId: typeof id === 'string' && id !== '' ? id : null,
        outcome: 'invalid',
        before: null,
        after: null,
        issues: collected.issues[at] as readonly BulkIssue[],
      };
      continue;
    }
    if (typeof id !== 'string' || id.length === 0) {
      planRows[at] = {
        line,
        userId: null,
        outcome: 'invalid',
        before: null,
        after: null,
        issues: withIssues(collected.issues[at] as readonly BulkIssue[], [MISSING_ID_ISSUE]),
      };
      continue;
    }
    // C8, C9: an email names the same user in any ASCII case.
    const key = userKey(id);
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, at);
      firsts.push(at);
      continue;
    }
    next ??= new Int32Array(n).fill(-1);
    tail ??= new Int32Array(n).fill(-1);
    const last = tail[first] as number;
    next[last === -1 ? first : last] = at;
    tail[first] = at;
  }
  firstOf.clear();

  // The rows of the group whose first row is `first`, in line order.
  const rowsOf = (first: number): number[] => {
    const group: number[] = [first];
    if (next !== undefined) {
      for (let at = next[first] as number; at !== -1; at = next[at] as number) group.push(at);
    }
    return group;
  };

  const pending = new PendingWrites();
  const snapshots = new SnapshotPool();
  const decide = new Decider(collected, planRows, pending, snapshots, ctx);
  // C8 groups rows by the user the store answered, not by the text of the cell: a file may
  // name one user by email on a line and by id on another, and a store may resolve any alias
  // to its user. Per user id answered, the first row of the group that holds its rows; the
  // rows of groups merged so (rare) are kept in `merged`.
  const answered = new Map<string, number>();
  let merged: Map<number, number[]> | undefined;
  for (let start = 0; start < firsts.length; start += readBatchSize) {
    const end = Math.min(start + readBatchSize, firsts.length);
    // The id to read is the spelling of the user's first line.
    const ids: string[] = new Array(end - start);
    for (let k = start; k < end; k++) ids[k - start] = collected.ids[firsts[k] as number] as string;
    const answers: (VersionedUser | null)[] = [...(await readBatch(checkedStore, ids))];
    await readEmailsInLowerCase(checkedStore, ids, answers);
    for (let k = start; k < end; k++) {
      const first = firsts[k] as number;
      const read = answers[k - start] ?? null;
      const asked = ids[k - start] as string;
      const userId = read === null ? asked : read.user.id;
      if (read !== null) {
        const earlier = answered.get(userId);
        if (earlier !== undefined) {
          // Another identifier of a user already planned: its rows and these are one group,
          // decided again as a whole on this (the latest) read.
          const group = [...(merged?.get(earlier) ?? rowsOf(earlier)), ...rowsOf(first)].sort(
            (a, b) => a - b,
          );
          merged ??= new Map();
          merged.set(earlier, group);
          pending.drop(earlier);
          planGroup(userId, group, read, decide);
          continue;
        }
        // The key is the cell's own string when the store answered that id (the usual case),
        // so that the map keeps no second copy of every id.
        answered.set(userId === asked ? asked : userId, first);
      }
      if (read !== null && (next === undefined || next[first] === -1)) {
        decide.one(userId, first, read);
        continue;
      }
      planGroup(userId, rowsOf(first), read, decide);
    }
  }
  answered.clear();
  pending.finish();

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
 * Decides rows for the plan. The ordinary row (a stored status and/or a valid date or null,
 * for a user whose record is valid) is decided here from the rules the transitions apply
 * (R4, R7-R9): the status and expiration after are those asked for or kept, the effective
 * status is `expired` from the expiration instant on, and the row changes the user exactly
 * when the stored status or the expiration differs. No user record or event is built: only
 * the apply step writes, and it runs the transitions themselves. Any other row goes through
 * the transitions (`changeFor`), which say what is wrong with it. A property test checks
 * that both ways decide alike (test/bulk/decide.test.ts).
 */
class Decider {
  private readonly nowMs: number;

  constructor(
    readonly collected: Collected,
    readonly planRows: PlanRow[],
    private readonly pending: PendingWrites,
    readonly snapshots: SnapshotPool,
    readonly ctx: Omit<TransitionContext, 'line'>,
  ) {
    this.nowMs = ctx.now.getTime();
  }

  /** Decides the only row of a user found in the store, into the plan. */
  one(userId: string, at: number, read: VersionedUser): PlanRow {
    const row = this.first(userId, at, read);
    this.planRows[at] = row;
    return row;
  }

  /** Decides the first row of a user found in the store; records its write when it changes. */
  first(userId: string, at: number, read: VersionedUser): PlanRow {
    const { collected } = this;
    const line = collected.lines[at] as number;
    const parsed = collected.issues[at] as readonly BulkIssue[];
    const code = collected.codes[at] as number;
    if (!collected.odd.has(at)) {
      const decided = this.ordinary(read.user, code, collected.expiries[at] as number);
      if (decided !== undefined) {
        const changed = decided.before !== decided.after;
        if (changed) this.pending.push(at, decided.update, read);
        return {
          line,
          userId,
          outcome: changed ? 'changed' : 'unchanged',
          before: decided.before,
          after: decided.after,
          issues: withIssues(parsed, decided.warnings),
        };
      }
    }
    const update = collected.update(at);
    try {
      const change = changeFor(read.user, update, { ...this.ctx, line });
      if (change.event !== null) this.pending.push(at, update, read);
      return {
        line,
        userId,
        outcome: change.event === null ? 'unchanged' : 'changed',
        before: this.snapshots.share(change.before),
        after: this.snapshots.share(change.after),
        issues: withIssues(parsed, change.warnings),
      };
    } catch (error) {
      return {
        line,
        userId,
        outcome: 'invalid',
        before: null,
        after: null,
        issues: withIssues(parsed, [issueFromError(error)]),
      };
    }
  }

  /**
   * An ordinary row for a valid user record: its before and after (the same object when
   * nothing changes), warnings, and the fields it sets. Undefined when the record is not
   * valid: the transitions then say why.
   */
  private ordinary(
    user: User,
    code: number,
    ms: number,
  ):
    | {
        before: StatusSnapshot;
        after: StatusSnapshot;
        warnings: readonly BulkIssue[];
        update: FieldChange;
      }
    | undefined {
    let effective: AccountStatus;
    try {
      // R12: the stored record is checked as the transitions check it.
      effective = effectiveStatus(user, this.ctx.now);
    } catch {
      return undefined;
    }
    const oldExpiry = user.expiresAt === null ? Infinity : user.expiresAt.getTime();
    const before = this.snapshots.get(user.status, effective, oldExpiry);
    const statusBits = code & STATUS_MASK;
    const status: StoredStatus =
      statusBits === 0 ? user.status : statusBits === STATUS_ACTIVE ? 'active' : 'deactivated';
    const setsDate = (code & SETS_DATE) !== 0;
    const expiry = setsDate ? ms : oldExpiry;
    const update: { -readonly [K in keyof FieldChange]: FieldChange[K] } = {};
    if (statusBits !== 0) update.status = status;
    if (setsDate) update.expiresAt = before.expiresAt;
    // R9: a row that asks for what the user has changes nothing.
    if (status === user.status && expiry === oldExpiry) {
      return { before, after: before, warnings: warningsFor(update, before, before), update };
    }
    // R4: the expiration instant itself is already expired.
    const after = this.snapshots.get(status, this.nowMs >= expiry ? 'expired' : status, expiry);
    if (setsDate) update.expiresAt = after.expiresAt;
    return { before, after, warnings: warningsFor(update, before, after), update };
  }
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

/** Decides all rows of one user id (C8), or the only row of an unknown user. */
function planGroup(
  userId: string,
  group: readonly number[],
  read: VersionedUser | null,
  decide: Decider,
): void {
  const { collected } = decide;
  const planRows = decide.planRows;
  const lineOf = (at: number) => collected.lines[at] as number;
  const parseIssues = (at: number) => collected.issues[at] as readonly BulkIssue[];
  const first = group[0]!;

  if (read === null) {
    const issue = notFoundIssue(userId);
    for (const at of group) {
      planRows[at] = {
        line: lineOf(at),
        userId,
        outcome: 'not-found',
        before: null,
        after: null,
        issues: withIssues(parseIssues(at), [issue]),
      };
    }
    return;
  }

  const agree = group.every((at) => collected.same(at, first));
  if (!agree) {
    let before: StatusSnapshot | null = null;
    try {
      before = decide.snapshots.share(snapshotOf(read.user, decide.ctx.now));
    } catch {
      // A broken record still gets its rows reported as conflicting; before stays unknown.
    }
    for (const at of group) {
      const others = group.filter((other) => other !== at).map(lineOf);
      planRows[at] = {
        line: lineOf(at),
        userId,
        outcome: 'invalid',
        before,
        after: null,
        issues: withIssues(parseIssues(at), [
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

  const row = decide.one(userId, first, read);
  const line = row.line;
  for (let k = 1; k < group.length; k++) {
    const at = group[k]!;
    // A repeat of a refused row is refused alike; a repeat of a valid one is a duplicate.
    planRows[at] = {
      line: lineOf(at),
      userId,
      outcome: row.outcome === 'invalid' ? 'invalid' : 'duplicate',
      before: row.before,
      after: row.after,
      issues: withIssues(parseIssues(at), [
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
