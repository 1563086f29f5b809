// The one-call bulk update over rows of any source, shared by bulkUpdateFromCsv and the workbook
// entry's bulkUpdateFromXlsx.
import { LearnerStatusError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import type { UserStore } from '../store/types.js';
import { applyBulkUpdate } from './apply.js';
import type { BulkCsvResult } from './from-csv.js';
import { PLAN_OPTIONS, planBulkUpdate } from './plan.js';
import type { ApplyOptions, BulkInputRow, PlanOptions } from './types.js';

const APPLY_KEYS = ['batchSize', 'onProgress', 'signal', 'onStoreError', 'maxAttempts'] as const;

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
  const record = checkOptionKeys(
    options,
    [...PLAN_OPTIONS, ...APPLY_KEYS, 'dryRun', fileKey],
    caller,
  );
  const dryRun = record['dryRun'] ?? false;
  if (typeof dryRun !== 'boolean') {
    throw new LearnerStatusError('INVALID_OPTION', '`dryRun` must be true or false.', {
      field: 'dryRun',
    });
  }
  // Absent options pass as undefined, which every option of the two steps accepts.
  const pick = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, record[k]]));
  const planOptions = pick(PLAN_OPTIONS) as unknown as PlanOptions;
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
