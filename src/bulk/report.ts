import { formatCsv } from '../csv/format.js';
import { LearnerStatusError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import type { StatusSnapshot } from '../transitions/types.js';
import { REPORT_OUTCOMES } from './apply.js';
import type { BulkIssue, BulkPlan, BulkReport, BulkRow, ReportOutcome } from './types.js';

/**
 * The header of the bulk report CSV, in order.
 *
 * @example
 * ```ts
 * import { BULK_REPORT_HEADER } from 'learner-status';
 *
 * console.log(BULK_REPORT_HEADER.join(',')); // the first line of every report
 * ```
 */
export const BULK_REPORT_HEADER: readonly string[] = [
  'Line',
  'User',
  'Outcome',
  'Status Before',
  'Expires Before',
  'Effective Before',
  'Status After',
  'Expires After',
  'Effective After',
  'Codes',
  'Messages',
];

/**
 * Options of {@link formatBulkReportCsv}: `outcomes` keeps only the rows with these outcomes
 * (for a "problems only" download); default all rows.
 *
 * @example
 * ```ts
 * import type { BulkReportCsvOptions } from 'learner-status';
 *
 * const problems: BulkReportCsvOptions = { outcomes: ['not-found', 'invalid', 'conflict', 'failed', 'cancelled'] };
 * ```
 */
export interface BulkReportCsvOptions {
  readonly outcomes?: readonly ReportOutcome[] | undefined;
}

/**
 * Memo of formatted pieces of a report line, keyed by the object they come from: a plan
 * shares its before/after snapshots and its common issue lists between rows, so a
 * million-row report formats each of them once. Emptied when full, so it stays small.
 */
class PieceCache<K extends object> {
  private readonly pieces = new Map<K, string>();
  constructor(private readonly format: (key: K) => string) {}

  get(key: K): string {
    let text = this.pieces.get(key);
    if (text === undefined) {
      text = this.format(key);
      if (this.pieces.size >= 4096) this.pieces.clear();
      this.pieces.set(key, text);
    }
    return text;
  }
}

/** `formatCsv` of cells that make one line, without its CRLF. */
const csvCells = (cells: readonly unknown[]): string => formatCsv([cells]).slice(0, -2);

/**
 * A writer of bulk report lines: `line(row)` is the row's CSV line with its CRLF, the same
 * text as the row's line in {@link formatBulkReportCsv}. Each writer keeps its own memo
 * (no state outlives a report). Internal: the command line writes its reports with it, one
 * row at a time, after saying the messages with its flags.
 *
 * @example
 * ```ts
 * const line = bulkReportLineWriter();
 * line(plan.rows[0]); // '2,ada,changed,active,never,active,deactivated,never,deactivated,,\r\n'
 * ```
 */
export function bulkReportLineWriter(): (row: BulkRow) => string {
  const snapshotCells = new PieceCache<StatusSnapshot>((snapshot) =>
    csvCells([snapshot.status, snapshot.expiresAt ?? 'never', snapshot.effective]),
  );
  const issueCells = new PieceCache<readonly BulkIssue[]>((issues) =>
    csvCells([
      issues.map((issue) => issue.code).join('; '),
      issues.map((issue) => issue.message).join(' '),
    ]),
  );
  return (row) => {
    const { before, after } = row;
    return `${csvCells([row.line, row.userId ?? '', row.outcome])},${
      before === null ? ',,' : snapshotCells.get(before)
    },${after === null ? ',,' : snapshotCells.get(after)},${
      row.issues.length === 0 ? ',' : issueCells.get(row.issues)
    }\r\n`;
  };
}

/**
 * The report's first line, with its CRLF. Internal: the command line writes it first.
 *
 * @example
 * ```ts
 * BULK_REPORT_HEADER_LINE; // 'Line,User,Outcome,...,Codes,Messages\r\n'
 * ```
 */
export const BULK_REPORT_HEADER_LINE = /* @__PURE__ */ formatCsv([BULK_REPORT_HEADER]);

function checkedRows(
  report: BulkPlan | BulkReport,
  options: BulkReportCsvOptions | undefined,
  caller: string,
): { rows: readonly BulkRow[]; keep: ReadonlySet<ReportOutcome> | undefined } {
  const record = checkOptionKeys(options, ['outcomes'], caller);
  const outcomes = record['outcomes'];
  if (
    outcomes !== undefined &&
    (!Array.isArray(outcomes) ||
      outcomes.some((o) => !REPORT_OUTCOMES.includes(o as ReportOutcome)))
  ) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `\`outcomes\` must be a list of ${REPORT_OUTCOMES.join(', ')}.`,
      { field: 'outcomes' },
    );
  }
  const rows = (report as BulkPlan | BulkReport | null | undefined)?.rows;
  if (!Array.isArray(rows)) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      `${caller} takes the plan or report of planBulkUpdate / applyBulkUpdate.`,
      { field: 'report' },
    );
  }
  return { rows, keep: outcomes === undefined ? undefined : new Set(outcomes as ReportOutcome[]) };
}

function* reportLines(
  rows: readonly BulkRow[],
  keep: ReadonlySet<ReportOutcome> | undefined,
): Generator<string, void, undefined> {
  yield BULK_REPORT_HEADER_LINE;
  const line = bulkReportLineWriter();
  for (const row of rows) {
    if (keep === undefined || keep.has(row.outcome)) yield line(row);
  }
}

/**
 * S4, C10: the lines of {@link formatBulkReportCsv}, one at a time (the header first, each
 * ending in CRLF), for a report written as it is read rather than held as one string: a
 * million-row report is 150-200 MB of text, and this keeps none of it. The options are
 * checked at once (`INVALID_OPTION`, `INVALID_INPUT`, as `formatBulkReportCsv`); the lines
 * are made as they are asked for. Joined, they are exactly `formatBulkReportCsv(report)`.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { once } from 'node:events';
 * import { createMemoryStore, formatBulkReportCsvRows, planBulkUpdate } from 'learner-status';
 *
 * const plan = await planBulkUpdate([], createMemoryStore(), { now: new Date() });
 * const out = createWriteStream('report.csv');
 * for (const line of formatBulkReportCsvRows(plan)) {
 *   if (!out.write(line)) await once(out, 'drain'); // wait while the disk catches up
 * }
 * out.end();
 * ```
 */
export function formatBulkReportCsvRows(
  report: BulkPlan | BulkReport,
  options?: BulkReportCsvOptions,
): Iterable<string> {
  const { rows, keep } = checkedRows(report, options, 'formatBulkReportCsvRows');
  return reportLines(rows, keep);
}

/**
 * S4, C10: a plan or report as the CSV an administrator downloads: one line per input row
 * (by line), with outcome, before/after (stored status, expiration as ISO 8601 UTC or
 * `never`, effective status), issue codes and messages. Written with `formatCsv`, so no cell
 * runs as a spreadsheet formula. For a large report written to a file or a response, use
 * {@link formatBulkReportCsvRows}, which gives the same text line by line.
 *
 * @example
 * ```ts
 * import { createMemoryStore, formatBulkReportCsv, planBulkUpdate } from 'learner-status';
 *
 * const plan = await planBulkUpdate([], createMemoryStore(), { now: new Date() });
 * formatBulkReportCsv(plan); // 'Line,User,Outcome,Status Before,...\r\n'
 * ```
 */
export function formatBulkReportCsv(
  report: BulkPlan | BulkReport,
  options?: BulkReportCsvOptions,
): string {
  const { rows, keep } = checkedRows(report, options, 'formatBulkReportCsv');
  let out = '';
  for (const line of reportLines(rows, keep)) out += line;
  return out;
}
