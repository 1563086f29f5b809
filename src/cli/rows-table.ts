// The before/after table of plan and report rows, shared by preview and apply: how a row's
// stored status, expiration and effective status are shown, and how many rows are listed.
import type { BulkRow, ReportOutcome } from '../index.js';
import {
  type CellLike,
  changeText,
  expiresText,
  formatTable,
  plural,
  printable,
  statusLabel,
} from './format.js';
import type { Paint } from './io.js';

/**
 * Rows listed in a before/after table, the same bound as check's problems table: a
 * million-row file stays readable on a terminal, and --report and --json have every row.
 */
export const ROWS_SHOWN = 1000;

const HEADERS = ['Line', 'User', 'Outcome', 'Stored status', 'Expires', 'Effective status'];

function outcomeCell(outcome: ReportOutcome, paint: Paint): CellLike {
  const colour =
    outcome === 'changed'
      ? paint.green
      : outcome === 'unchanged' || outcome === 'duplicate'
        ? paint.dim
        : outcome === 'cancelled'
          ? paint.yellow
          : paint.red;
  return { text: outcome, paint: colour };
}

function rowCells(row: BulkRow, paint: Paint): CellLike[] {
  const { before, after } = row;
  // Only a changed row reaches its after; any other outcome leaves the user as stored.
  const afterOrNone = row.outcome === 'changed' ? after : null;
  const effective =
    before === null
      ? ''
      : changeText(
          statusLabel(before.effective),
          afterOrNone ? statusLabel(afterOrNone.effective) : undefined,
        );
  const effectiveAfter = (afterOrNone ?? before)?.effective;
  return [
    String(row.line),
    printable(row.userId ?? ''),
    outcomeCell(row.outcome, paint),
    before === null ? '' : changeText(before.status, afterOrNone?.status),
    before === null
      ? ''
      : changeText(
          expiresText(before.expiresAt),
          afterOrNone ? expiresText(afterOrNone.expiresAt) : undefined,
        ),
    {
      text: effective,
      paint:
        effectiveAfter === 'active'
          ? paint.green
          : effectiveAfter === 'expired'
            ? paint.red
            : paint.yellow,
    },
  ];
}

/**
 * Plan or report rows as an aligned table (`before → after`, one value when nothing changes;
 * statuses as the portal shows them), the first `limit` of them, then one line saying how
 * many more there are. Empty when `rows` is.
 */
export function rowsTable(rows: readonly BulkRow[], paint: Paint, limit = ROWS_SHOWN): string {
  if (rows.length === 0) return '';
  const shown = rows.length > limit ? rows.slice(0, limit) : rows;
  const table = formatTable(
    HEADERS,
    shown.map((row) => rowCells(row, paint)),
    paint,
  );
  if (rows.length === shown.length) return table;
  return `${table}… and ${plural(rows.length - shown.length, 'more row')}: see --report or use --json\n`;
}
