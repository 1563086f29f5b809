// learner-status/csv: bulk status changes from CSV files (C1-C10, F1-F7). Re-exports only.

// Every entry that throws exports the error's class and guard, so that a caller catching an
// error of this entry needs no second import.
export {
  isLearnerStatusError,
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from '../errors.js';
export { loadCsvDates } from './date-fns.js';
export {
  type DateFormatSuggestion,
  describeDateFormatSuggestion,
  SUGGESTED_DATE_FORMATS,
  suggestDateFormats,
} from './date-formats.js';
export type { CsvEncoding } from './encodings.js';
export { formatCsv } from './format.js';
export type { CsvInput, CsvReadableStream } from './input.js';
export type { CsvIssue, CsvIssueCode, CsvRowResult } from './issues.js';
export {
  CSV_LIMITS,
  type CsvDelimiter,
  type CsvHeader,
  type CsvOptions,
} from './options.js';
export { parseCsv } from './parse.js';
export {
  CSV_REPORT_HEADER,
  type CsvReportOptions,
  csvReportRowFormatter,
  formatCsvReport,
} from './report.js';
export { parseCsvRow } from './row.js';
export type { CsvRow } from './rows.js';
