import { formatCsv } from '../csv/format.js';
import { LearnerStatusError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import type { StatusSnapshot } from '../transitions/types.js';
import { REPORT_OUTCOMES } from './apply.js';
import type { BulkIssue, BulkPlan, BulkReport, ReportOutcome } from './types.js';

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

function cells(snapshot: StatusSnapshot | null): unknown[] {
  if (snapshot === null) return ['', '', ''];
  return [snapshot.status, snapshot.expiresAt ?? 'never', snapshot.effective];
}

/**
 * S4, C10: a plan or report as the CSV an administrator downloads: one line per input row
 * (by line), with outcome, before/after (stored status, expiration as ISO 8601 UTC or
 * `never`, effective status), issue codes and messages. Written with `formatCsv`, so no cell
 * runs as a spreadsheet formula.
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
  const record = checkOptionKeys(options, ['outcomes'], 'formatBulkReportCsv');
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
  if (!Array.isArray((report as BulkPlan | BulkReport | null | undefined)?.rows)) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      'formatBulkReportCsv takes the plan or report of planBulkUpdate / applyBulkUpdate.',
      { field: 'report' },
    );
  }
  const keep = outcomes === undefined ? undefined : new Set(outcomes as ReportOutcome[]);
  const lines: unknown[][] = [[...BULK_REPORT_HEADER]];
  for (const row of report.rows) {
    if (keep !== undefined && !keep.has(row.outcome)) continue;
    lines.push([
      row.line,
      row.userId ?? '',
      row.outcome,
      ...cells(row.before),
      ...cells(row.after),
      row.issues.map((issue: BulkIssue) => issue.code).join('; '),
      row.issues.map((issue: BulkIssue) => issue.message).join(' '),
    ]);
  }
  return formatCsv(lines);
}
