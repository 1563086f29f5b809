import { LearnerStatusError } from '../errors.js';
import { formatCsv } from './format.js';
import { DEFAULT_ID_HEADERS } from './headers.js';
import type { CsvOptions } from './options.js';
import { resolveCsvOptions } from './options.js';
import type { CsvRow } from './parse.js';
import { normalizeHeader } from './text.js';

/**
 * Options of {@link formatCsvReport}: the CSV options of the file (only `idColumn` matters
 * here, to find the user's column) and whether warnings such as `NO_CHANGE` are listed
 * (default true).
 *
 * @example
 * ```ts
 * import type { CsvReportOptions } from 'learner-status/csv';
 *
 * const options: CsvReportOptions = { idColumn: 'Employee Number', warnings: false };
 * ```
 */
export interface CsvReportOptions extends CsvOptions {
  readonly warnings?: boolean | undefined;
}

/**
 * The header of the report {@link formatCsvReport} writes, in order.
 *
 * @example
 * ```ts
 * import { CSV_REPORT_HEADER } from 'learner-status/csv';
 *
 * CSV_REPORT_HEADER.join(','); // 'Line,User,Column,Value,Code,Severity,Message'
 * ```
 */
export const CSV_REPORT_HEADER: readonly string[] = [
  'Line',
  'User',
  'Column',
  'Value',
  'Code',
  'Severity',
  'Message',
];

/**
 * C6, C10: the report an administrator downloads, one CSV line per issue (`Line`, `User`,
 * `Column`, `Value`, `Code`, `Severity`, `Message`), ordered as given, written by
 * {@link formatCsv} so that no cell runs as a formula. Rows without issues are left out.
 *
 * @example
 * ```ts
 * import { formatCsvReport, parseCsv, type CsvRow } from 'learner-status/csv';
 *
 * const rows: CsvRow[] = [];
 * for await (const row of parseCsv('Email,Active\nada@example.org,TRUE\n')) rows.push(row);
 * formatCsvReport(rows);
 * // 'Line,User,Column,Value,Code,Severity,Message\r\n2,ada@example.org,Active,TRUE,INVALID_ACTIVE_VALUE,error,...\r\n'
 * ```
 */
export function formatCsvReport(rows: Iterable<CsvRow>, options?: CsvReportOptions): string {
  const formatRow = csvReportRowFormatter(options);
  let report = formatCsv([CSV_REPORT_HEADER]);
  for (const row of rows) report += formatRow(row);
  return report;
}

/**
 * The lines {@link formatCsvReport} writes for one row, without the header: for writing a
 * report row by row while a large file streams through `parseCsv`, in bounded memory. The
 * options are validated once, here. Concatenating `formatCsv([CSV_REPORT_HEADER])` and the
 * lines of every row gives exactly what `formatCsvReport` gives.
 *
 * @example
 * ```ts
 * import { CSV_REPORT_HEADER, csvReportRowFormatter, formatCsv, parseCsv } from 'learner-status/csv';
 *
 * const formatRow = csvReportRowFormatter({ warnings: false });
 * let report = formatCsv([CSV_REPORT_HEADER]); // in an app: write each piece to a stream
 * for await (const row of parseCsv('Email,Active\nada@example.org,TRUE\n')) report += formatRow(row);
 * ```
 */
export function csvReportRowFormatter(options?: CsvReportOptions): (row: CsvRow) => string {
  if (typeof options !== 'object' || options === null) resolveCsvOptions(options);
  const { warnings = true, ...csvOptions } = options ?? {};
  const resolved = resolveCsvOptions(csvOptions);
  if (typeof warnings !== 'boolean') {
    throw new LearnerStatusError('INVALID_OPTION', 'Option `warnings` must be true or false.', {
      field: 'warnings',
    });
  }
  return (row) => {
    const lines: unknown[][] = [];
    for (const issue of row.result.issues) {
      if (!warnings && issue.severity !== 'error') continue;
      const user = row.result.ok ? row.result.update.userId : idOf(row.values, resolved.idColumn);
      lines.push([
        row.line,
        user,
        issue.column ?? '',
        issue.value ?? '',
        issue.code,
        issue.severity,
        issue.message,
      ]);
    }
    return lines.length === 0 ? '' : formatCsv(lines);
  };
}

/** The trimmed identifier of a refused row, when exactly one of its columns can hold it. */
function idOf(values: Readonly<Record<string, string>>, idColumn: string | undefined): string {
  let found: string | undefined;
  for (const name of Object.keys(values)) {
    const key = normalizeHeader(name);
    if (idColumn === undefined ? DEFAULT_ID_HEADERS.includes(key) : key === idColumn) {
      if (found !== undefined) return '';
      found = name;
    }
  }
  return found === undefined ? '' : (values[found] ?? '').trim();
}
