import type { ChangeSource, StatusSnapshot, UserUpdate } from '../transitions/types.js';

/**
 * One finding about a row, in the CSV parser's shape (C6): a stable `code`, `error` or
 * `warning`, the column and raw value when known, and a message a person can act on.
 *
 * @example
 * ```ts
 * import type { BulkIssue } from 'learner-status';
 *
 * const issue: BulkIssue = { code: 'STAYS_EXPIRED', severity: 'warning', message: 'Stays expired until the date moves.' };
 * ```
 */
export interface BulkIssue {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly column?: string;
  readonly value?: string;
  readonly message: string;
}

/**
 * One input row of a bulk update: what `parseCsv` yields (extra fields such as `values` are
 * ignored), or the same shape from your own source. `line` identifies the row in the report.
 * `userId` names the user of a row whose parse failed (`parseCsv` sets it whenever the
 * identifier cell itself is valid), so that the plan and the reports name that user too;
 * for a row with `ok: true` the plan uses `update.userId`.
 *
 * @example
 * ```ts
 * import type { BulkInputRow } from 'learner-status';
 *
 * const rows: BulkInputRow[] = [
 *   { line: 2, result: { ok: true, update: { userId: 'ada', status: 'deactivated' }, issues: [] } },
 *   { line: 3, result: { ok: false, issues: [{ code: 'INVALID_DATE', severity: 'error', message: 'Not a date.' }] } },
 * ];
 * ```
 */
export interface BulkInputRow {
  readonly line: number;
  readonly result:
    | { readonly ok: true; readonly update: UserUpdate; readonly issues: readonly BulkIssue[] }
    | { readonly ok: false; readonly issues: readonly BulkIssue[] };
  readonly userId?: string | undefined;
}

/**
 * S3: what a planned row will do.
 * - `changed`: will change the user; `unchanged`: asks for what the user already has.
 * - `not-found`: no such user; `invalid`: the row (or a disagreeing duplicate, C8) is refused.
 * - `duplicate`: repeats an earlier row for the same user with the same change (C8).
 *
 * @example
 * ```ts
 * import type { PlanOutcome } from 'learner-status';
 *
 * const outcome: PlanOutcome = 'duplicate';
 * ```
 */
export type PlanOutcome = 'changed' | 'unchanged' | 'not-found' | 'invalid' | 'duplicate';

/**
 * S4: the outcome of a row after applying: a plan outcome, or `conflict` (someone else
 * changed a field this row sets since it was planned; their change stands), `failed` (the
 * store failed while writing the row's batch) or `cancelled` (not attempted).
 *
 * @example
 * ```ts
 * import type { ReportOutcome } from 'learner-status';
 *
 * const outcome: ReportOutcome = 'conflict';
 * ```
 */
export type ReportOutcome = PlanOutcome | 'conflict' | 'failed' | 'cancelled';

/**
 * One row of a plan or report (S3, S4): the CSV line, the user id (the id the store answered
 * when the user was read, else the id as the row gives it, also for a refused row; `null` only
 * when the row names no valid id), the outcome, the user's stored status, expiration and
 * effective status before and after (`null` where there is no user or no valid change) and the
 * issues.
 *
 * @example
 * ```ts
 * import type { BulkRow } from 'learner-status';
 *
 * const row: BulkRow = {
 *   line: 2, userId: 'ada', outcome: 'changed', issues: [],
 *   before: { status: 'active', expiresAt: null, effective: 'active' },
 *   after: { status: 'deactivated', expiresAt: null, effective: 'deactivated' },
 * };
 * ```
 */
export interface BulkRow<O extends string = ReportOutcome> {
  readonly line: number;
  readonly userId: string | null;
  readonly outcome: O;
  readonly before: StatusSnapshot | null;
  readonly after: StatusSnapshot | null;
  readonly issues: readonly BulkIssue[];
}

/**
 * A planned row (S3): {@link BulkRow} with a {@link PlanOutcome}.
 *
 * @example
 * ```ts
 * import type { PlanRow } from 'learner-status';
 *
 * const row: PlanRow = { line: 3, userId: 'bob', outcome: 'not-found', before: null, after: null, issues: [] };
 * ```
 */
export type PlanRow = BulkRow<PlanOutcome>;

/**
 * A reported row (S4): {@link BulkRow} with a {@link ReportOutcome}.
 *
 * @example
 * ```ts
 * import type { ReportRow } from 'learner-status';
 *
 * const row: ReportRow = { line: 3, userId: 'bob', outcome: 'cancelled', before: null, after: null, issues: [] };
 * ```
 */
export type ReportRow = BulkRow<ReportOutcome>;

/**
 * S4's guard, evaluated by the plan: how many users the plan would change, the limit, and
 * whether the plan is refused (`applyBulkUpdate` then throws `CHANGE_LIMIT_EXCEEDED`).
 *
 * @example
 * ```ts
 * import type { BulkGuard } from 'learner-status';
 *
 * const guard: BulkGuard = { refused: true, changes: 950, limit: 100, message: '950 users would change; the limit is 100.' };
 * ```
 */
export interface BulkGuard {
  readonly refused: boolean;
  readonly changes: number;
  readonly limit: number;
  readonly message: string;
}

/**
 * S3: the dry run. Every input row exactly once, ordered by line, and the counts per
 * outcome. `now` is the instant the plan was computed at; `guard` is `null` when no limit
 * was set. Nothing has been written.
 *
 * @example
 * ```ts
 * import { createMemoryStore, planBulkUpdate } from 'learner-status';
 *
 * const plan = await planBulkUpdate([], createMemoryStore(), { now: new Date() });
 * plan.totals.changed; // 0
 * ```
 */
export interface BulkPlan {
  readonly rows: readonly PlanRow[];
  readonly totals: Readonly<Record<PlanOutcome, number>>;
  readonly now: Date;
  readonly guard: BulkGuard | null;
}

/**
 * S4: what applying did. Every row of the plan exactly once, ordered by line, with its final
 * outcome; totals per outcome; whether the run was cancelled or stopped by a store failure.
 *
 * @example
 * ```ts
 * import type { BulkReport } from 'learner-status';
 *
 * function summary(report: BulkReport): string {
 *   return `${report.totals.changed} changed, ${report.totals.conflict} conflicts, ${report.totals.failed} failed`;
 * }
 * ```
 */
export interface BulkReport {
  readonly rows: readonly ReportRow[];
  readonly totals: Readonly<Record<ReportOutcome, number>>;
  readonly cancelled: boolean;
  readonly stoppedByFailure: boolean;
}

/**
 * Options of `planBulkUpdate`. `now` is required (no hidden clock); `actor`, `source`
 * (default `'csv'`) and `reason` go into every event (R10). The guard (S4): `maxChanges`
 * (a count) and/or `maxChangeRatio` (a share of all users, 0 to 1; needs `totalUsers` or a
 * store with `countUsers()`). `readBatchSize` (default 1000) is the ids per read.
 *
 * @example
 * ```ts
 * import type { PlanOptions } from 'learner-status';
 *
 * const options: PlanOptions = { now: new Date(), actor: 'admin-7', maxChangeRatio: 0.2, totalUsers: 5000 };
 * ```
 */
export interface PlanOptions {
  readonly now: Date;
  readonly actor?: string | undefined;
  readonly source?: ChangeSource | undefined;
  readonly reason?: string | undefined;
  readonly readBatchSize?: number | undefined;
  readonly maxChanges?: number | undefined;
  readonly maxChangeRatio?: number | undefined;
  readonly totalUsers?: number | undefined;
}

/**
 * Progress of `applyBulkUpdate`, after each batch: rows settled so far out of all rows of the
 * plan, and the running totals.
 *
 * @example
 * ```ts
 * import type { BulkProgress } from 'learner-status';
 *
 * const log = (p: BulkProgress) => console.log(`${p.processed}/${p.total}`);
 * ```
 */
export interface BulkProgress {
  readonly processed: number;
  readonly total: number;
  readonly totals: Readonly<Record<ReportOutcome, number>>;
}

/**
 * A cancellation signal by shape: an `AbortSignal` fits. It is checked before every batch;
 * the batch in flight completes, and rows not attempted are reported `cancelled`.
 *
 * @example
 * ```ts
 * import type { CancelSignal } from 'learner-status';
 *
 * const controller = new AbortController();
 * const signal: CancelSignal = controller.signal;
 * ```
 */
export interface CancelSignal {
  readonly aborted: boolean;
}

/**
 * Options of `applyBulkUpdate`.
 * - `batchSize` (default 500): writes per store call (capped by the store's `maxBatchSize`).
 * - `onProgress`, `signal`: progress after each batch; cancellation before each batch.
 * - `onStoreError`: `'stop'` (default) reports the failed batch `failed` and the rest
 *   `cancelled`; `'continue'` goes on with the next batch.
 * - `now`: the instant of the writes and events; default the plan's `now`. Pass `new Date()`
 *   when applying later than planning, so that events and `accessRevokedAt` (L3) are exact.
 * - `maxAttempts` (default 3): writes per row when versions keep conflicting.
 *
 * @example
 * ```ts
 * import type { ApplyOptions } from 'learner-status';
 *
 * const options: ApplyOptions = { batchSize: 200, onStoreError: 'continue', now: new Date() };
 * ```
 */
export interface ApplyOptions {
  readonly batchSize?: number | undefined;
  readonly onProgress?: ((progress: BulkProgress) => void) | undefined;
  readonly signal?: CancelSignal | undefined;
  readonly onStoreError?: 'stop' | 'continue' | undefined;
  readonly now?: Date | undefined;
  readonly maxAttempts?: number | undefined;
}
