import { prepareCsvDates } from '../csv/date-fns.js';
import type { HeaderLayout } from '../csv/headers.js';
import { type CsvIssue, rowError } from '../csv/issues.js';
import { type CsvOptions, type ResolvedCsvOptions, resolveCsvOptions } from '../csv/options.js';
import { type CsvRow, RowAssembler, readableOnce } from '../csv/rows.js';
import { LearnerStatusError } from '../errors.js';
import {
  isXlsxInput,
  openSheet,
  type SheetCell,
  type SheetDate,
  type SheetRecord,
  type XlsxInput,
} from './sheet.js';

/**
 * What `onHeader` of {@link parseXlsx} receives: the header's row number and cells as text, and
 * the name of the worksheet that was read (F8).
 *
 * @example
 * ```ts
 * import type { XlsxHeader } from 'learner-status/xlsx';
 *
 * const show = (header: XlsxHeader) => `sheet '${header.sheet}', header on row ${header.line}`;
 * ```
 */
export interface XlsxHeader {
  readonly line: number;
  readonly columns: readonly string[];
  readonly sheet: string;
}

/**
 * Options of {@link parseXlsx}: those of `parseCsv` (`idColumn`, `timeZone`, `dateFormats`,
 * `activeValues`, `maxBytes`, `maxRows`, `maxFieldLength`) but `delimiter` and `encoding`,
 * which a workbook does not have, plus `sheet` (a worksheet's name; default the first) and
 * `onHeader`. `maxBytes` limits the uncompressed data read from the workbook, so a zip bomb is
 * `TOO_LARGE`.
 *
 * @example
 * ```ts
 * import type { XlsxOptions } from 'learner-status/xlsx';
 *
 * const options: XlsxOptions = { sheet: 'Learners', timeZone: 'Europe/Berlin' };
 * ```
 */
export interface XlsxOptions extends Omit<CsvOptions, 'delimiter' | 'encoding' | 'onHeader'> {
  readonly sheet?: string | undefined;
  readonly onHeader?: ((header: XlsxHeader) => void) | undefined;
}

function invalidOption(field: string, message: string): LearnerStatusError {
  return new LearnerStatusError('INVALID_OPTION', message, { field });
}

function resolveXlsxOptions(options: unknown): {
  readonly csv: ResolvedCsvOptions;
  readonly sheet: string | undefined;
  readonly onHeader: ((header: XlsxHeader) => void) | undefined;
} {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(
      'options',
      'The options must be an object such as { sheet: "Sheet1" }, or left out.',
    );
  }
  const { sheet, onHeader, ...rest } = options as Record<string, unknown>;
  for (const key of ['delimiter', 'encoding']) {
    if (key in rest) {
      throw invalidOption(
        key,
        `Option \`${key}\` is for CSV files: a workbook has none. Leave it out (choose the worksheet with \`sheet\`).`,
      );
    }
  }
  if (sheet !== undefined && (typeof sheet !== 'string' || sheet.trim() === '')) {
    throw invalidOption(
      'sheet',
      'Option `sheet` must be the name of a worksheet, such as "Sheet1".',
    );
  }
  if (onHeader !== undefined && typeof onHeader !== 'function') {
    throw invalidOption(
      'onHeader',
      'Option `onHeader` must be a function, such as (header) => console.log(header.sheet).',
    );
  }
  let csv: ResolvedCsvOptions;
  try {
    csv = resolveCsvOptions(rest);
  } catch (error) {
    // Name the workbook's own options too when an unknown one is refused.
    if (error instanceof LearnerStatusError && error.message.startsWith('Unknown option')) {
      throw invalidOption(
        error.field ?? 'options',
        error.message
          .replace('The CSV options are: ', 'The workbook options are: sheet, ')
          .replace(/, delimiter, encoding, onHeader\./, ', onHeader.'),
      );
    }
    throw error;
  }
  return {
    csv,
    sheet: sheet as string | undefined,
    onHeader: onHeader as ((header: XlsxHeader) => void) | undefined,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function dateText(date: SheetDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** A time of day from a date serial's fraction, to the second, for messages. */
function timeText(serial: number): string {
  const seconds = Math.round((serial - Math.floor(serial)) * 86_400) % 86_400;
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

/** A typed cell as the text a CSV export of it would hold (F8). */
function cellText(cell: SheetCell): string {
  if (cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return cell.hasTime ? `${dateText(cell)}T${timeText(cell.serial)}` : dateText(cell);
}

/**
 * F8: the issue a typed cell of a column that is read decides by itself, or undefined: a
 * number in the identifier column that is not a safe integer (`MANGLED_ID`), a date with a
 * time of day in the expiration column (`INVALID_DATE`).
 */
function typedIssue(
  cell: number | boolean | SheetDate,
  index: number,
  text: string,
  layout: HeaderLayout,
): CsvIssue | undefined {
  if (index === layout.idIndex && typeof cell === 'number' && !Number.isSafeInteger(cell)) {
    const column = layout.names[index] as string;
    return rowError(
      'MANGLED_ID',
      column,
      text,
      `Column '${column}' holds the number ${text}, which is not a whole number a spreadsheet keeps exactly: the real identifier may be lost. Format the column as Text, type or paste the identifiers again, and save again.`,
    );
  }
  if (index === layout.expirationIndex && typeof cell === 'object' && cell.hasTime) {
    const column = layout.names[index] as string;
    return rowError(
      'INVALID_DATE',
      column,
      text,
      `Column '${column}' holds a date with a time of day (${dateText(cell)} ${timeText(cell.serial)}), but a workbook has no time zone, so the instant is unknown. Keep only the date (format the cells as a date without time), or write the instant as text with its offset, such as 2026-12-31T17:00:00Z.`,
    );
  }
  return undefined;
}

/** Whether a cell's text is blank: printable ASCII other than space first needs no trim. */
function isBlankText(text: string): boolean {
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  return !(first > 32 && first < 127) && text.trim() === '';
}

/**
 * The rows of a sheet. Hand-written rather than an async generator: a generator's `yield` costs
 * extra promise turns per row, a sixth of the reading time on a million rows.
 */
class XlsxRowIterator implements AsyncIterator<CsvRow, undefined> {
  private records: AsyncIterator<SheetRecord> | undefined;
  private name = '';
  private layout: HeaderLayout | undefined;
  private lastLine = 0;
  private finished = false;
  private readonly rows: RowAssembler;

  constructor(
    private readonly input: XlsxInput,
    private readonly options: ReturnType<typeof resolveXlsxOptions>,
  ) {
    this.rows = new RowAssembler(options.csv);
  }

  async next(): Promise<IteratorResult<CsvRow, undefined>> {
    if (this.finished) return { done: true, value: undefined };
    try {
      if (this.records === undefined) await this.open();
      const records = this.records as AsyncIterator<SheetRecord>;
      for (;;) {
        const step = await records.next();
        if (step.done === true) {
          this.finished = true;
          this.checkNotEmpty();
          return { done: true, value: undefined };
        }
        const row = this.record(step.value);
        if (row !== undefined) return { done: false, value: row };
      }
    } catch (error) {
      await this.return();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<CsvRow, undefined>> {
    this.finished = true;
    await this.records?.return?.();
    return { done: true, value: undefined };
  }

  private async open(): Promise<void> {
    const { csv, sheet } = this.options;
    await prepareCsvDates(csv);
    const opened = await openSheet(this.input, {
      sheet,
      maxBytes: csv.maxBytes,
      maxFieldLength: csv.maxFieldLength,
    });
    this.name = opened.name;
    this.records = opened.records[Symbol.asyncIterator]();
  }

  /** The row of a record, or undefined for the header and for empty rows. */
  private record(record: SheetRecord): CsvRow | undefined {
    this.lastLine = record.line;
    const layout = this.layout;
    if (layout === undefined) {
      const columns = record.cells.map(cellText);
      // Empty rows above the header are skipped, as blank lines are in a CSV file (F8).
      if (columns.every(isBlankText)) return undefined;
      this.layout = this.rows.header(columns, record.line);
      this.options.onHeader?.({ line: record.line, columns, sheet: this.name });
      return undefined;
    }
    const cells = record.cells;
    const width = Math.max(cells.length, layout.names.length);
    const texts: string[] = [];
    let preset: Map<number, CsvIssue> | undefined;
    let blank = true;
    for (let index = 0; index < width; index++) {
      const cell = cells[index];
      let text: string;
      if (typeof cell === 'string') {
        text = cell;
      } else {
        text = cellText(cell);
        const issue = cell === undefined ? undefined : typedIssue(cell, index, text, layout);
        if (issue !== undefined) {
          preset ??= new Map();
          preset.set(index, issue);
        }
      }
      if (blank && !isBlankText(text)) blank = false;
      texts.push(text);
    }
    // A row whose cells are all blank is a cleared row (F2, F8): no row at all.
    if (blank) return undefined;
    return this.rows.row(texts, width, record.line, -1, preset);
  }

  private checkNotEmpty(): void {
    if (this.layout === undefined) {
      throw new LearnerStatusError(
        'EMPTY_FILE',
        `Sheet '${this.name}' is empty. It needs a header row (such as Email, Active) and one row per user.`,
        { line: 1, field: 'sheet' },
      );
    }
    if (this.rows.rows === 0) {
      throw new LearnerStatusError(
        'EMPTY_FILE',
        `Sheet '${this.name}' has a header but no rows. Add one row per user to change.`,
        { line: this.lastLine + 1, field: 'sheet' },
      );
    }
  }
}

/**
 * F8: reads a worksheet of an `.xlsx` workbook into the same rows as `parseCsv` (C1-C9, F1-F3,
 * F6), `line` being the sheet's row number. Text cells are read as written; a number in the
 * identifier column is its decimal text when it is a safe integer, else `MANGLED_ID`; a date
 * cell is that calendar date under R11 (with a time of day: `INVALID_DATE`); a boolean is
 * `TRUE`/`FALSE`, which `Active` refuses unless `activeValues` lists them; formulas are read by
 * their cached value; absent cells are blank. The input is a `Uint8Array`, a `Blob` or `File`,
 * a Node `Readable` (any async iterable of bytes) or a web `ReadableStream`; the sheet streams
 * in bounded memory. A file that is not a workbook (`NOT_A_WORKBOOK`), is encrypted
 * (`ENCRYPTED_WORKBOOK`), is an old `.xls` (`LEGACY_XLS`), lacks the sheet
 * (`SHEET_NOT_FOUND`) or inflates past `maxBytes` (`TOO_LARGE`) makes the iteration throw, as
 * do the header errors of `parseCsv`: apply nothing until the iteration has finished.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { parseXlsx } from 'learner-status/xlsx';
 *
 * for await (const { line, result } of parseXlsx(await readFile('learners.xlsx'), { sheet: 'Learners' })) {
 *   if (!result.ok) console.log(line, result.issues.map((issue) => issue.message));
 * }
 * ```
 */
export function parseXlsx(input: XlsxInput, options?: XlsxOptions): AsyncIterable<CsvRow> {
  const resolved = resolveXlsxOptions(options);
  if (!isXlsxInput(input)) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      'parseXlsx reads a Uint8Array, a Blob or File, an async iterable of bytes (such as a Node stream), or a web ReadableStream.',
      { field: 'input' },
    );
  }
  const repeatable = input instanceof Uint8Array || isBlob(input);
  // Each pass gets its own date cache, as parseCsv's do.
  return readableOnce(
    repeatable,
    'workbook',
    'parseXlsx',
    () =>
      new XlsxRowIterator(input, { ...resolved, csv: { ...resolved.csv, dateCache: new Map() } }),
  );
}

function isBlob(input: object): boolean {
  return typeof (input as { arrayBuffer?: unknown }).arrayBuffer === 'function';
}
