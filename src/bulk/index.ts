export { applyBulkUpdate } from './apply.js';
export { type BulkCsvOptions, type BulkCsvResult, bulkUpdateFromCsv } from './from-csv.js';
export { planBulkUpdate } from './plan.js';
export {
  BULK_REPORT_HEADER,
  type BulkReportCsvOptions,
  formatBulkReportCsv,
  formatBulkReportCsvRows,
} from './report.js';
export type {
  ApplyOptions,
  BulkGuard,
  BulkInputRow,
  BulkIssue,
  BulkPlan,
  BulkProgress,
  BulkReport,
  BulkRow,
  CancelSignal,
  PlanOptions,
  PlanOutcome,
  PlanRow,
  ReportOutcome,
  ReportRow,
} from './types.js';
