// learner-status/xlsx: bulk status changes from Excel workbooks (F8). Re-exports only. The
// workbook reader's libraries are optional peer dependencies, loaded by this entry alone.

// Every entry that throws exports the error's class and guard, so that a caller catching an
// error of this entry needs no second import.
export {
  isLearnerStatusError,
  LearnerStatusError,
  type LearnerStatusErrorCode,
  type LearnerStatusErrorDetails,
} from '../errors.js';
export { type BulkXlsxOptions, bulkUpdateFromXlsx } from './bulk.js';
export { parseXlsx, type XlsxHeader, type XlsxOptions } from './parse-xlsx.js';
export type { XlsxBlob, XlsxInput, XlsxReadableStream } from './sheet.js';
