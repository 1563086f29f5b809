import { requireInstant } from '../dates/instant.js';
import { LearnerStatusError } from '../errors.js';
import { checkOptionKeys, isWholeNumber, positiveInteger } from '../options.js';
import { describeError, storeError } from '../store/errors.js';
import type { UserStore, UserWrite, VersionedUser, WriteResult } from '../store/types.js';
import type { StatusSnapshot, TransitionContext } from '../transitions/types.js';
import { changeFor, issueFromError, sameExpiry, snapshotOf, touchedByOthers } from './change.js';
import { emptyTotals, type PendingWrite, PLAN_STATES, readBatch, requireStore } from './plan.js';
import type {
  ApplyOptions,
  BulkIssue,
  BulkPlan,
  BulkReport,
  CancelSignal,
  ReportOutcome,
  ReportRow,
} from './types.js';

const APPLY_OPTIONS = ['batchSize', 'onProgress', 'signal', 'onStoreError', 'now', 'maxAttempts'];

/** Every outcome a report can hold, in the order reports list them. */
export const REPORT_OUTCOMES: readonly ReportOutcome[] = [
  'changed',
  'unchanged',
  'not-found',
  'invalid',
  'duplicate',
  'conflict',
  'failed',
  'cancelled',
];

const CANCELLED: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'CANCELLED',
  severity: 'error' as const,
  message:
    'Cancelled before this row was written; nothing changed. Run the file again to apply it.',
});
const STOPPED: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'STOPPED_AFTER_FAILURE',
  severity: 'error' as const,
  message:
    'Not attempted: an earlier batch failed in the store and the run stopped. Run the file again once the store is back; rows already applied will show as unchanged.',
});
const DELETED: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'USER_NOT_FOUND',
  severity: 'error' as const,
  message: 'The user was deleted after the plan was made; nothing was written.',
});
const CHANGED_BY_OTHERS: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'CONCURRENT_CHANGE',
  severity: 'error' as const,
  message:
    'Someone else changed this user after the plan was made, in a field this row sets; their change stands. Check the user and run the row again if it is still wanted.',
});
const RETRY_LIMIT: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'CONCURRENT_CHANGE',
  severity: 'error' as const,
  message:
    'The user kept changing while this row was being written; it was not written. Run the row again.',
});

interface Attempt {
  readonly pending: PendingWrite;
  read: VersionedUser;
}

function readApplyOptions(plan: BulkPlan, store: UserStore, options: unknown) {
  const record = checkOptionKeys(options, APPLY_OPTIONS, 'applyBulkUpdate');
  const onProgress = record['onProgress'];
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new LearnerStatusError('INVALID_OPTION', '`onProgress` must be a function.', {
      field: 'onProgress',
    });
  }
  const signal = record['signal'];
  // Anything without a boolean `aborted` (null and primitives included) is not a signal.
  if (signal !== undefined && typeof (signal as CancelSignal | null)?.aborted !== 'boolean') {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      '`signal` must be an AbortSignal (or any object with a boolean `aborted`).',
      { field: 'signal' },
    );
  }
  const policy = record['onStoreError'] ?? 'stop';
  if (policy !== 'stop' && policy !== 'continue') {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `\`onStoreError\` must be 'stop' or 'continue', but it is ${JSON.stringify(policy)}.`,
      { field: 'onStoreError' },
    );
  }
  const now = record['now'] === undefined ? plan.now : (record['now'] as Date);
  requireInstant(now, 'now');
  const cap = store.capabilities?.maxBatchSize;
  let batchSize = positiveInteger(record['batchSize'], 'batchSize', 500, 100_000);
  if (isWholeNumber(cap, 1)) {
    batchSize = Math.min(batchSize, cap);
  }
  return {
    batchSize,
    onProgress: onProgress as ApplyOptions['onProgress'],
    signal: signal as CancelSignal | undefined,
    policy,
    now,
    maxAttempts: positiveInteger(record['maxAttempts'], 'maxAttempts', 3, 100),
  };
}

/**
 * S3, S4: applies a plan from {@link planBulkUpdate} to `store`, in batches of conditional
 * writes carrying the versions the plan read. A write that meets a version conflict is
 * re-read: if someone else changed a field this row sets, the row is `conflict` and their
 * change stands; otherwise the row is re-decided on the fresh record and written again (never
 * a blind overwrite). A store failure marks its batch `failed` and, by `onStoreError`, stops
 * (the rest `cancelled`) or goes on. Cancellation through `signal` is checked before each
 * batch. The report lists every row of the plan exactly once. Running the same file again
 * plans every row `unchanged`, writes nothing and records no events.
 *
 * Throws `CHANGE_LIMIT_EXCEEDED` (nothing written) when the plan's guard refused it,
 * `INVALID_INPUT` for an object that is not a plan from planBulkUpdate, `INVALID_OPTION`
 * for bad options.
 *
 * @example
 * ```ts
 * import { applyBulkUpdate, createMemoryStore, planBulkUpdate } from 'learner-status';
 *
 * const store = createMemoryStore([{ id: 'ada', status: 'active', expiresAt: null }]);
 * const rows = [{ line: 2, result: { ok: true as const, update: { userId: 'ada', status: 'deactivated' as const }, issues: [] } }];
 * const plan = await planBulkUpdate(rows, store, { now: new Date(), actor: 'admin-7' });
 * const controller = new AbortController();
 * const report = await applyBulkUpdate(plan, store, {
 *   signal: controller.signal,
 *   onProgress: ({ processed, total }) => console.log(`${processed}/${total}`),
 * });
 * report.totals.changed; // 1
 * ```
 */
export async function applyBulkUpdate(
  plan: BulkPlan,
  store: UserStore,
  options: ApplyOptions = {},
): Promise<BulkReport> {
  const state = PLAN_STATES.get(plan);
  if (state === undefined) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      'applyBulkUpdate takes the plan object that planBulkUpdate returned (a copy or a plan rebuilt from JSON cannot be applied; plan again).',
      { field: 'plan' },
    );
  }
  const checkedStore = requireStore(store, 'applyBulkUpdate');
  const { batchSize, onProgress, signal, policy, now, maxAttempts } = readApplyOptions(
    plan,
    checkedStore,
    options,
  );
  if (plan.guard?.refused === true) {
    throw storeError('CHANGE_LIMIT_EXCEEDED', `${plan.guard.message} Nothing was written.`, {
      field: 'maxChanges',
    });
  }

  const ctx: Omit<TransitionContext, 'line'> = { ...state.ctx, now };
  const rows: ReportRow[] = plan.rows.slice();
  const totals = emptyTotals(REPORT_OUTCOMES);
  for (const row of plan.rows) totals[row.outcome] += 1;
  // The rows about to be written leave `changed` and count again once settled.
  totals.changed -= state.pending.length;
  let processed = plan.rows.length - state.pending.length;
  const settled = new Uint8Array(rows.length);
  const settle = (index: number, outcome: ReportOutcome, patch: Partial<ReportRow>): void => {
    const row = rows[index]!;
    settled[index] = 1;
    // A row applied as planned keeps its plan row object: a million-row report then holds
    // no second copy of it. Otherwise the new row shares equal snapshots with the plan. (Only
    // rows planned `changed` are written, and they settle `changed` with both snapshots.)
    if (
      !(
        outcome === row.outcome &&
        sameSnapshot(patch.before!, row.before!) &&
        sameSnapshot(patch.after!, row.after!)
      )
    ) {
      const { before, after } = patch;
      rows[index] = {
        ...row,
        outcome,
        ...patch,
        ...(before == null ? {} : { before: state.snapshots.share(before) }),
        ...(after == null ? {} : { after: state.snapshots.share(after) }),
      };
    }
    totals[outcome] += 1;
    processed += 1;
  };

  let cancelled = false;
  let stoppedByFailure = false;
  const pending = state.pending;
  for (let start = 0; start < pending.length; start += batchSize) {
    if (stoppedByFailure || signal?.aborted === true) {
      cancelled = !stoppedByFailure;
      const issue = stoppedByFailure ? STOPPED : CANCELLED;
      for (let k = start; k < pending.length; k++) {
        const index = pending.indexAt(k);
        settle(index, 'cancelled', { issues: [...rows[index]!.issues, issue] });
      }
      onProgress?.({ processed, total: rows.length, totals: { ...totals } });
      break;
    }
    const batch: PendingWrite[] = [];
    const end = Math.min(start + batchSize, pending.length);
    for (let k = start; k < end; k++) batch.push(pending.at(k, plan.rows));
    try {
      await writeBatch(
        checkedStore,
        batch.map((p) => ({ pending: p, read: p.read })),
        ctx,
        maxAttempts,
        settle,
        rows,
      );
    } catch (error) {
      const failure: BulkIssue = {
        code: 'STORE_FAILED',
        severity: 'error',
        message: `The store failed while writing this batch (${describeError(error)}); ${checkedStore.capabilities?.atomicBatches === true ? 'nothing of it was saved' : 'some rows of it may have been saved'}. Run the file again: rows already applied will show as unchanged.`,
      };
      for (const { index } of batch) {
        if (settled[index] === 0) {
          settle(index, 'failed', { issues: [...rows[index]!.issues, failure] });
        }
      }
      if (policy === 'stop') stoppedByFailure = true;
    }
    onProgress?.({ processed, total: rows.length, totals: { ...totals } });
  }
  return { rows, totals, cancelled, stoppedByFailure };
}

/**
 * Whether two snapshots say the same. The effective status decides the stored one (active or
 * expired means active), so comparing it and the expiration compares all three fields.
 */
function sameSnapshot(a: StatusSnapshot, b: StatusSnapshot): boolean {
  return a.effective === b.effective && sameExpiry(a.expiresAt, b.expiresAt);
}

/**
 * Writes one batch and settles each of its rows, re-reading and re-deciding rows that meet a
 * version conflict until they settle or `maxAttempts` writes were made. Throws when the
 * store fails; rows settled before the failure keep their outcome.
 */
async function writeBatch(
  store: UserStore,
  first: Attempt[],
  ctx: Omit<TransitionContext, 'line'>,
  maxAttempts: number,
  settle: (index: number, outcome: ReportOutcome, patch: Partial<ReportRow>) => void,
  rows: readonly ReportRow[],
): Promise<void> {
  let attempts = first;
  for (let round = 1; attempts.length > 0; round++) {
    // Decided again on each fresh read. A row is only retried when no field it sets was
    // changed by others (else it is a conflict), so it still changes the user and carries its
    // event (R9).
    const changes = attempts.map(({ pending, read }) =>
      changeFor(read.user, pending.update, { ...ctx, line: rows[pending.index]!.line }),
    );
    const writes: UserWrite[] = attempts.map((attempt, k) => ({
      user: changes[k]!.user,
      expectedVersion: attempt.read.version,
      event: changes[k]!.event,
    }));
    // What the store throws reaches the batch's `failed` issue as it is (its message).
    const results: readonly WriteResult[] = await store.writeUsers(writes);
    if (!Array.isArray(results) || results.length !== writes.length) {
      throw storeError(
        'STORE_FAILED',
        `the store answered ${Array.isArray(results) ? results.length : 'no list of'} results for ${writes.length} writes; writeUsers must answer one per write`,
      );
    }
    const conflicts: Attempt[] = [];
    attempts.forEach((attempt, k) => {
      const change = changes[k]!;
      const result = results[k];
      const index = attempt.pending.index;
      if (result?.status === 'ok') {
        settle(index, 'changed', { before: change.before, after: change.after });
      } else if (result?.status === 'not-found') {
        settle(index, 'not-found', {
          before: null,
          after: null,
          issues: [...rows[index]!.issues, DELETED],
        });
      } else if (result?.status === 'conflict') {
        conflicts.push(attempt);
      } else {
        throw storeError(
          'STORE_FAILED',
          `the store answered ${JSON.stringify(result)}; each write result must be ok, conflict or not-found`,
        );
      }
    });
    if (conflicts.length === 0) return;
    const fresh = await readBatch(
      store,
      conflicts.map((c) => c.pending.read.user.id),
    );
    attempts = [];
    conflicts.forEach((attempt, k) => {
      const index = attempt.pending.index;
      const now = fresh[k] ?? null;
      if (now === null) {
        settle(index, 'not-found', {
          before: null,
          after: null,
          issues: [...rows[index]!.issues, DELETED],
        });
        return;
      }
      let before: StatusSnapshot;
      try {
        before = snapshotOf(now.user, ctx.now);
      } catch (error) {
        settle(index, 'conflict', {
          before: null,
          after: null,
          issues: [...rows[index]!.issues, issueFromError(error)],
        });
        return;
      }
      if (touchedByOthers(attempt.pending.update, attempt.pending.read.user, now.user)) {
        settle(index, 'conflict', {
          before,
          after: null,
          issues: [...rows[index]!.issues, CHANGED_BY_OTHERS],
        });
      } else if (round >= maxAttempts) {
        settle(index, 'conflict', {
          before,
          after: null,
          issues: [...rows[index]!.issues, RETRY_LIMIT],
        });
      } else {
        attempts.push({ pending: attempt.pending, read: now });
      }
    });
  }
}
