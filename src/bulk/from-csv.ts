import { type CsvInput, type CsvOptions, parseCsv } from '../csv/index.js';
import { LearnerStatusError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import type { UserStore } from '../store/types.js';
import { applyBulkUpdate } from './apply.js';
import { planBulkUpdate } from './plan.js';
import type {
  ApplyOptions,
  BulkGuard,
  BulkInputRow,
  BulkPlan,
  BulkReport,
  PlanOptions,
} from './types.js';

/**
 * Options of {@link bulkUpdateFromCsv}: the plan's options (`now`, `actor`, guard ...), the
 * apply step's (`batchSize`, `onProgress`, `signal`, `onStoreError`), `csv` for `parseCsv`,
 * and `dryRun` (plan only; nothing is written).
 *
 * @example
 * ```ts
 * import type { BulkCsvOptions } from 'learner-status';
 *
 * const options: BulkCsvOptions = { now: new Date(), actor: 'admin-7', dryRun: true, csv: { timeZone: 'Europe/Paris' } };
 * ```
 */
export interface BulkCsvOptions extends PlanOptions, Omit<ApplyOptions, 'now'> {
  readonly dryRun?: boolean | undefined;
  readonly csv?: CsvOptions | undefined;
}

/**
 * What {@link bulkUpdateFromCsv} answers: the report (in a dry run, the plan's rows and
 * totals, with nothing written), whether it was a dry run, the guard, and the plan itself.
 *
 * @example
 * ```ts
 * import type { BulkCsvResult } from 'learner-status';
 *
 * const show = (result: BulkCsvResult) => `${result.dryRun ? 'would change' : 'changed'} ${result.totals.changed}`;
 * ```
 */
export interface BulkCsvResult extends BulkReport {
  readonly dryRun: boolean;
  readonly guard: BulkGuard | null;
  readonly plan: BulkPlan;
}

const PLAN_KEYS = [
  'now',
  'actor',
  'source',
  'reason',
  'readBatchSize',
  'maxChanges',
  'maxChangeRatio',
  'totalUsers',
] as const;
const APPLY_KEYS = ['batchSize', 'onProgress', 'signal', 'onStoreError', 'maxAttempts'] as const;

/**
 * S3, S4: a CSV file to a report in one call, for apps that do not need the preview step:
 * parses the whole file (a malformed file throws before anything is written, C9), plans, and
 * unless `dryRun` applies. The two-step form is {@link planBulkUpdate} then
 * {@link applyBulkUpdate}.
 *
 * @example
 * ```ts
 * import { bulkUpdateFromCsv, createMemoryStore, formatBulkReportCsv } from 'learner-status';
 *
 * const store = createMemoryStore([{ id: 'ada@example.org', status: 'active', expiresAt: null }]);
 * const result = await bulkUpdateFromCsv('Email,Active\nada@example.org,No\n', store, { now: new Date(), actor: 'admin-7' });
 * result.totals.changed; // 1
 * const download = formatBulkReportCsv(result);
 * ```
 */
export async function bulkUpdateFromCsv(
  input: CsvInput,
  store: UserStore,
  options: BulkCsvOptions,
): Promise<BulkCsvResult> {
  return bulkUpdateFromRows(
    (fileOptions) => parseCsv(input, fileOptions as CsvOptions | undefined),
    store,
    options,
    'bulkUpdateFromCsv',
    'csv',
  );
}

/**
 * The one-call bulk update over rows read by `read` (given the options under `fileKey`), for
 * {@link bulkUpdateFromCsv} and the workbook entry's `bulkUpdateFromXlsx`. Internal.
 *
 * @example
 * ```ts
 * await bulkUpdateFromRows((csv) => parseCsv(text, csv as CsvOptions), store, options, 'bulkUpdateFromCsv', 'csv');
 * ```
 */
export async function bulkUpdateFromRows(
  read: (fileOptions: unknown) => AsyncIterable<BulkInputRow>,
  store: UserStore,
  options: PlanOptions & Omit<ApplyOptions, 'now'> & { readonly dryRun?: boolean | undefined },
  caller: string,
  fileKey: string,
): Promise<BulkCsvResult> {
  const record = checkOptionKeys(options, [...PLAN_KEYS, ...APPLY_KEYS, 'dryRun', fileKey], caller);
  const dryRun = record['dryRun'] ?? false;
  if (typeof dryRun !== 'boolean') {
    throw new LearnerStatusError('INVALID_OPTION', '`dryRun` must be true or false.', {
      field: 'dryRun',
    });
  }
  // Absent options pass as undefined, which every option of the two steps accepts.
  const pick = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, record[k]]));
  const planOptions = pick(PLAN_KEYS) as unknown as PlanOptions;
  const applyOptions = pick(APPLY_KEYS) as ApplyOptions;
  const rows = read(record[fileKey]);
  const plan = await planBulkUpdate(rows, store, planOptions);
  if (dryRun) {
    const totals = { ...plan.totals, conflict: 0, failed: 0, cancelled: 0 };
    return {
      rows: plan.rows,
      totals,
      cancelled: false,
      stoppedByFailure: false,
      dryRun,
      guard: plan.guard,
      plan,
    };
  }
  const report = await applyBulkUpdate(plan, store, applyOptions);
  return { ...report, dryRun, guard: plan.guard, plan };
}
