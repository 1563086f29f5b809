import type { BulkCsvResult } from '../bulk/from-csv.js';
import { bulkUpdateFromRows } from '../bulk/from-rows.js';
import type { ApplyOptions, PlanOptions } from '../bulk/types.js';
import type { UserStore } from '../store/types.js';
import { parseXlsx, type XlsxOptions } from './parse-xlsx.js';
import type { XlsxInput } from './sheet.js';

/**
 * Options of {@link bulkUpdateFromXlsx}: those of `bulkUpdateFromCsv` (the plan's, the apply
 * step's, `dryRun`), with `xlsx` for {@link parseXlsx} in place of `csv`.
 *
 * @example
 * ```ts
 * import type { BulkXlsxOptions } from 'learner-status/xlsx';
 *
 * const options: BulkXlsxOptions = { now: new Date(), actor: 'admin-7', dryRun: true, xlsx: { sheet: 'Learners' } };
 * ```
 */
export interface BulkXlsxOptions extends PlanOptions, Omit<ApplyOptions, 'now'> {
  readonly dryRun?: boolean | undefined;
  readonly xlsx?: XlsxOptions | undefined;
}

/**
 * S3, S4, F8: a workbook to a report in one call, as `bulkUpdateFromCsv` does for CSV: reads
 * the whole sheet (a file refused whole throws before anything is written), plans, and unless
 * `dryRun` applies.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { createMemoryStore } from 'learner-status';
 * import { bulkUpdateFromXlsx } from 'learner-status/xlsx';
 *
 * const store = createMemoryStore([{ id: 'ada@example.org', status: 'active', expiresAt: null }]);
 * const result = await bulkUpdateFromXlsx(await readFile('learners.xlsx'), store, { now: new Date(), dryRun: true });
 * result.totals.changed;
 * ```
 */
export function bulkUpdateFromXlsx(
  input: XlsxInput,
  store: UserStore,
  options: BulkXlsxOptions,
): Promise<BulkCsvResult> {
  return bulkUpdateFromRows(
    (fileOptions) => parseXlsx(input, fileOptions as XlsxOptions | undefined),
    store,
    options,
    'bulkUpdateFromXlsx',
    'xlsx',
  );
}
