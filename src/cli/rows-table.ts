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
 * The rows that `keep` selects (every row without it): the first `limit` of them, for a
 * table, and how many there are. One pass, nothing copied but the rows shown.
 *
 * @example
 * ```ts
 * selectRows(plan.rows, (row) => row.outcome === 'changed'); // { shown: the first 1,000, count }
 * ```
 */
export function selectRows<R extends BulkRow>(
  rows: readonly R[],
  keep?: (row: R, index: number) => boolean,
  limit = ROWS_SHOWN,
): { readonly shown: readonly R[]; readonly count: number } {
  if (keep === undefined) {
    return { shown: rows.length > limit ? rows.slice(0, limit) : rows, count: rows.length };
  }
  const shown: R[] = [];
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as R;
    if (!keep(row, i)) continue;
    count++;
    if (shown.length < limit) shown.push(row);
  }
  return { shown, count };
}

/**
 * Plan or report rows as an aligned table (`before → after`, one value when nothing changes;
 * statuses as the portal shows them), the first {@link ROWS_SHOWN} of them (or of those
 * `keep` selects), then one line saying how many more there are. Empty when no row is
 * selected.
 *
 * @example
 * ```ts
 * io.stdout.write(rowsTable(plan.rows, paint, (row) => row.issues.length > 0));
 * ```
 */
export function rowsTable<R extends BulkRow>(
  rows: readonly R[],
  paint: Paint,
  keep?: (row: R, index: number) => boolean,
): string {
  const { shown, count } = selectRows(rows, keep);
  if (count === 0) return '';
  const table = formatTable(
    HEADERS,
    shown.map((row) => rowCells(row, paint)),
    paint,
  );
  if (count === shown.length) return table;
  return `${table}… and ${plural(count - shown.length, 'more row')}: see --report or use --json\n`;
}
