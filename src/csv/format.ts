import { LearnerStatusError } from '../errors.js';

// C10: what a spreadsheet reads as the start of a formula (or, for tab/CR/LF, hides before
// one), with the full-width forms that some spreadsheets fold to ASCII.
const FORMULA_START = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;
const NEEDS_QUOTES = /[",\r\n]/;

function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(cell: unknown, row: number, column: number): string {
  if (cell === null || cell === undefined) return '';
  switch (typeof cell) {
    case 'string':
      return neutralise(cell);
    // Numbers stay numbers: -5 is a value, not a formula.
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(cell);
  }
  if (cell instanceof Date) {
    const ms = cell.getTime();
    // Years beyond 9999 are written `+275760-…` and before 0 `-000001-…`: a leading sign
    // that a spreadsheet would read as a formula, so they are neutralised like strings.
    if (!Number.isNaN(ms)) return neutralise(cell.toISOString());
  }
  throw new LearnerStatusError(
    'INVALID_INPUT',
    `formatCsv: the cell in row ${row + 1}, column ${column + 1} is ${cell instanceof Date ? 'an Invalid Date' : `a ${typeof cell}`}. Cells must be strings, numbers, booleans, valid Dates, null or undefined.`,
    { field: `rows[${row}][${column}]` },
  );
}

/**
 * C10: writes rows as RFC 4180 CSV with CRLF after every row. Strings are quoted where needed
 * (comma, quote, line break) and a string that a spreadsheet would run as a formula (starting
 * with `=`, `+`, `-`, `@`, tab, CR, LF or a full-width `＝＋－＠`) gets a leading `'` so that it
 * shows as text. Numbers (negative ones too) are written as numbers, Dates as ISO 8601 UTC
 * (neutralised too when the year needs a sign: before year 0 or after 9999),
 * null and undefined as empty cells. A row with a single blank cell is written as `""` so
 * that it does not read back as a skipped blank line. Anything else throws `INVALID_INPUT`.
 *
 * @example
 * ```ts
 * import { formatCsv } from 'learner-status/csv';
 *
 * formatCsv([['Email', 'Note'], ['ada@example.org', '=HYPERLINK("x")'], ['bob@example.org', -5]]);
 * // 'Email,Note\r\nada@example.org,"\'=HYPERLINK(""x"")"\r\nbob@example.org,-5\r\n'
 * ```
 */
export function formatCsv(rows: readonly (readonly unknown[])[]): string {
  if (!Array.isArray(rows)) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      'formatCsv needs an array of rows, each an array of cells.',
      { field: 'rows' },
    );
  }
  let out = '';
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (!Array.isArray(row) || row.length === 0) {
      throw new LearnerStatusError(
        'INVALID_INPUT',
        `formatCsv: row ${r + 1} must be a non-empty array of cells.`,
        { field: `rows[${r}]` },
      );
    }
    for (let c = 0; c < row.length; c++) {
      const text = cellText(row[c], r, c);
      if (c > 0) out += ',';
      out +=
        NEEDS_QUOTES.test(text) || (row.length === 1 && text.trim() === '')
          ? `"${text.replaceAll('"', '""')}"`
          : text;
    }
    out += '\r\n';
  }
  return out;
}
