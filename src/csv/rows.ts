import { LearnerStatusError } from '../errors.js';
import { type HeaderLayout, resolveHeaders } from './headers.js';
import { type CsvIssue, type CsvRowResult, makeIssue, rowError } from './issues.js';
import type { ResolvedCsvOptions } from './options.js';
import { compileRowReader, type RowIdSlot, type RowReader } from './row.js';

/**
 * One record of a CSV file (C6): `line` is the physical line where it starts (the header is
 * line 1; line breaks inside quotes count), `values` the raw cells keyed by the header text as
 * written in the file (an object without prototype, so a header such as `hasOwnProperty` is
 * just a column; unnamed columns are left out, F1), and `result` what {@link parseCsvRow} says
 * about it. Rows read from a workbook have the same shape, `line` being the sheet's row number.
 * `userId` is the user the row names: its identifier cell, trimmed, whenever that cell is valid,
 * also when the row is refused for another cell (a bad `Active` or date), so that every report
 * can name the user; undefined when the identifier cell is itself refused (`MISSING_ID`,
 * `MANGLED_ID`, `CONTROL_CHARACTER`, `FIELD_TOO_LONG`) and for a `COLUMN_COUNT` row, whose cells
 * may not be under their headers. It is the `userId` that `planBulkUpdate` reads for a refused
 * row.
 *
 * @example
 * ```ts
 * import { parseCsv, type CsvRow } from 'learner-status/csv';
 *
 * const rows: CsvRow[] = [];
 * for await (const row of parseCsv('Email,Active\nada@example.org,No\n')) rows.push(row);
 * rows[0]?.line; // 2
 * ```
 */
export interface CsvRow {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
  readonly result: CsvRowResult;
  readonly userId?: string | undefined;
}

/** Spreadsheet column letters of a zero-based index: 0 is A, 26 is AA. */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

function isBlank(cell: string | undefined): boolean {
  return cell === undefined || cell.length === 0 || cell.trim() === '';
}

function withIssues(result: CsvRowResult, extra: readonly CsvIssue[]): CsvRowResult {
  if (result.ok) return { ok: true, update: result.update, issues: [...result.issues, ...extra] };
  return { ok: false, issues: [...result.issues, ...extra] };
}

/**
 * Turns the records of a file (CSV or workbook) into {@link CsvRow}s: the first record is the
 * header (C1, C2, C5, F1), every later one a row, with the F1 and F3 rules and the row limit.
 * The source skips blank records (C7, F2) before they reach it. Internal.
 *
 * @example
 * ```ts
 * const rows = new RowAssembler(resolveCsvOptions(undefined));
 * rows.header(['Email', 'Active', ''], 1);
 * rows.row(['ada@example.org', 'No', 'x'], 3, 2, -1).result.issues[0]?.code; // 'UNNAMED_COLUMN'
 * ```
 */
export class RowAssembler {
  private readonly options: ResolvedCsvOptions;
  private layout: HeaderLayout | undefined;
  private reader: RowReader | undefined;
  /** For each column, whether its header cell is blank (F1). */
  private unnamed: boolean[] = [];
  private count = 0;
  /** Read once per file for the per-row path: the header names, whether none is blank. */
  private names: readonly string[] = [];
  private allNamed = true;
  private readonly maxRows: number;
  /** The identifier of the row just read, filled in by the reader. */
  private readonly slot: RowIdSlot = { id: undefined };

  constructor(options: ResolvedCsvOptions) {
    this.options = options;
    this.maxRows = options.maxRows;
  }

  /** Whether the header has been read. */
  get hasHeader(): boolean {
    return this.layout !== undefined;
  }

  /** How many rows have been read. */
  get rows(): number {
    return this.count;
  }

  /** Reads the header record, or throws the file-level error that says how to fix it. */
  header(names: readonly string[], line: number): HeaderLayout {
    const layout = resolveHeaders(names, this.options, line);
    this.layout = layout;
    this.reader = compileRowReader(layout, this.options, this.slot);
    this.unnamed = names.map(() => false);
    this.names = layout.names;
    this.allNamed = layout.unnamed.length === 0;
    for (const index of layout.unnamed) this.unnamed[index] = true;
    return layout;
  }

  /**
   * Reads the first `count` entries of `fields` as a row starting at `line`. `unusual` as the
   * tokenizer gives it (-1: check every cell); `preset` issues stand for the cells of the
   * columns they are keyed by (a workbook's typed cells). `fields` may be reused afterwards.
   */
  row(
    fields: readonly string[],
    count: number,
    line: number,
    unusual: number,
    preset?: ReadonlyMap<number, CsvIssue>,
  ): CsvRow {
    if (++this.count > this.maxRows) {
      throw new LearnerStatusError(
        'TOO_LARGE',
        `Line ${line}: the file has more than ${this.maxRows} rows (option maxRows). Split it into smaller files, or raise maxRows.`,
        { line },
      );
    }
    const names = this.names;
    const width = names.length;
    const values: Record<string, string> = Object.create(null);
    if (count === width && this.allNamed) {
      // The common case, kept apart so that it stays small and fast.
      for (let index = 0; index < width; index++)
        values[names[index] as string] = fields[index] as string;
      const reader = this.reader as RowReader;
      const result =
        preset === undefined ? reader(fields, unusual) : reader(fields, unusual, preset);
      return { line, values, result, userId: this.slot.id };
    }
    return this.irregular(fields, count, line, unusual, preset, values);
  }

  /** A row with unnamed columns, or another number of fields than the header (F1, F3). */
  private irregular(
    fields: readonly string[],
    count: number,
    line: number,
    unusual: number,
    preset: ReadonlyMap<number, CsvIssue> | undefined,
    values: Record<string, string>,
  ): CsvRow {
    const layout = this.layout as HeaderLayout;
    const names = layout.names;
    const width = names.length;
    const unnamed = this.unnamed;
    const shown = Math.min(count, width);
    for (let index = 0; index < shown; index++) {
      if (!unnamed[index]) values[names[index] as string] = fields[index] as string;
    }
    // F3: extra fields are fine while they are blank; one with a value is COLUMN_COUNT (C7).
    for (let index = width; index < count; index++) {
      if (!isBlank(fields[index])) {
        return {
          line,
          values,
          result: columnCount(fields.slice(0, count), width, index),
          userId: undefined,
        };
      }
    }
    let cells = fields;
    const warnings: CsvIssue[] = [];
    if (count < width) {
      // The tokenizer reuses its array: cells past `count` are another record's.
      const padded = fields.slice(0, count);
      const missing: string[] = [];
      for (let index = count; index < width; index++) {
        padded.push('');
        if (!unnamed[index]) {
          const name = names[index] as string;
          values[name] = '';
          missing.push(`'${name}'`);
        }
      }
      cells = padded;
      if (missing.length > 0) {
        warnings.push(
          makeIssue(
            'MISSING_CELLS',
            'warning',
            undefined,
            undefined,
            `The row has ${count} ${count === 1 ? 'cell' : 'cells'} but the header has ${width}; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} read as blank. Check that no cell was left out.`,
          ),
        );
      }
    }
    for (const index of layout.unnamed) {
      const cell = cells[index];
      if (index < count && !isBlank(cell)) {
        warnings.push(
          makeIssue(
            'UNNAMED_COLUMN',
            'warning',
            undefined,
            cell,
            `Column ${columnLetters(index)} has no header, so its value is not read. Give the column a header it should have, or clear the cell.`,
          ),
        );
        break;
      }
    }
    const result = (this.reader as RowReader)(cells, unusual, preset);
    return {
      line,
      values,
      result: warnings.length === 0 ? result : withIssues(result, warnings),
      userId: this.slot.id,
    };
  }
}

function columnCount(fields: readonly string[], width: number, first: number): CsvRowResult {
  return {
    ok: false,
    issues: [
      rowError(
        'COLUMN_COUNT',
        undefined,
        fields.slice(width).join(','),
        `The row has ${fields.length} fields but the header has ${width}, and field ${first + 1} (column ${columnLetters(first)}) holds a value. Put values that contain the delimiter in double quotes, or remove the extra cells.`,
      ),
    ],
  };
}

/**
 * The iterable `parseCsv` and `parseXlsx` answer: each pass starts a new iterator, and a stream
 * (not `repeatable`) can be passed over only once, since its bytes are gone after the first
 * pass (`INVALID_INPUT` naming `caller`). Internal.
 *
 * @example
 * ```ts
 * const rows = readableOnce(false, 'CSV', 'parseCsv', () => new CsvRowIterator(input, options));
 * ```
 */
export function readableOnce<T>(
  repeatable: boolean,
  kind: string,
  caller: string,
  start: () => AsyncIterator<T, undefined>,
): AsyncIterable<T> {
  let started = false;
  return {
    [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
      if (started && !repeatable) {
        throw new LearnerStatusError(
          'INVALID_INPUT',
          `This ${kind} stream was already read: a stream can be read only once. Call ${caller} again with a new stream.`,
          { field: 'input' },
        );
      }
      started = true;
      return start();
    },
  };
}
