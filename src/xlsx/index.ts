// learner-status/xlsx: bulk status changes from Excel workbooks (F8). Re-exports only. The
// workbook reader's libraries are optional peer dependencies, loaded by this entry alone.
export { type BulkXlsxOptions, bulkUpdateFromXlsx } from './bulk.js';
export { parseXlsx, type XlsxHeader, type XlsxOptions } from './parse-xlsx.js';
export type { XlsxBlob, XlsxInput, XlsxReadableStream } from './sheet.js';
