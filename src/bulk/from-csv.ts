import type { CsvInput } from '../csv/input.js';
import type { CsvOptions } from '../csv/options.js';
import { parseCsv } from '../csv/parse.js';
import type { UserStore } from '../store/types.js';
import { bulkUpdateFromRows } from './from-rows.js';
import type { ApplyOptions, BulkGuard, BulkPlan, BulkReport, PlanOptions } from './types.js';

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
