// learner-status/csv: bulk status changes from CSV files (C1-C10). Re-exports only.
export { formatCsv } from './format.js';
export type { CsvInput, CsvReadableStream } from './input.js';
export type { CsvIssue, CsvIssueCode, CsvRowResult } from './issues.js';
export { CSV_LIMITS, type CsvOptions } from './options.js';
export { type CsvRow, parseCsv } from './parse.js';
export {
  CSV_REPORT_HEADER,
  type CsvReportOptions,
  csvReportRowFormatter,
  formatCsvReport,
} from './report.js';
export { parseCsvRow } from './row.js';
