import { LearnerStatusError } from '../errors.js';
import { type HeaderLayout, resolveHeaders } from './headers.js';
import { type CsvInput, decodeInput, EncodingFailure, isCsvInput } from './input.js';
import { type CsvRowResult, rowError } from './issues.js';
import { type CsvOptions, type ResolvedCsvOptions, resolveCsvOptions } from './options.js';
import { compileRowReader, type RowReader } from './row.js';
import { CsvTokenizer } from './tokenizer.js';

/**
 * One record of a CSV file (C6): `line` is the physical line where it starts (the header is
 * line 1; line breaks inside quotes count), `values` the raw cells keyed by the header text as
 * written in the file (an object without prototype, so a header such as `hasOwnProperty` is
 * just a column), and `result` what {@link parseCsvRow} says about it.
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
}

function columnCount(fields: readonly string[], names: readonly string[]): CsvRowResult {
  const extra = fields.length > names.length ? fields.slice(names.length).join(',') : undefined;
  const message =
    extra === undefined
      ? `The row has ${fields.length} fields but the header has ${names.length}. Add the missing cells (an empty cell still needs its comma).`
      : `The row has ${fields.length} fields but the header has ${names.length}. Put values that contain commas in double quotes, or remove the extra cells.`;
  return { ok: false, issues: [rowError('COLUMN_COUNT', undefined, extra, message)] };
}

function withLine(error: LearnerStatusError, line: number): LearnerStatusError {
  if (error.line !== undefined) return error;
  return new LearnerStatusError(error.code, `Line ${line}: ${error.message}`, {
    line,
    cause: error,
  });
}

class CsvRowIterator implements AsyncIterator<CsvRow, undefined> {
  private queue: (CsvRow | undefined)[] = [];
  private head = 0;
  private finished = false;
  private readonly chunks: AsyncGenerator<string, void, undefined>;
  private readonly tokenizer: CsvTokenizer;
  private readonly options: ResolvedCsvOptions;
  private layout: HeaderLayout | undefined;
  private reader: RowReader | undefined;
  private rows = 0;

  constructor(input: CsvInput, options: ResolvedCsvOptions) {
    this.options = options;
    this.chunks = decodeInput(input, options.maxBytes);
    // One character over the limit is kept so that the row can say the cell is too long.
    this.tokenizer = new CsvTokenizer(
      (fields, count, line, unusual) => this.record(fields, count, line, unusual),
      options.maxFieldLength + 1,
    );
  }

  next(): Promise<IteratorResult<CsvRow, undefined>> {
    // Rows of a piece are ready at once: hand them out without another trip through fill().
    if (this.head < this.queue.length) {
      return Promise.resolve({ done: false, value: this.take() });
    }
    return this.fill();
  }

  /** The next queued row; its slot is cleared so a row the caller dropped can be collected. */
  private take(): CsvRow {
    const row = this.queue[this.head] as CsvRow;
    this.queue[this.head++] = undefined;
    return row;
  }

  async return(): Promise<IteratorResult<CsvRow, undefined>> {
    this.stop();
    await this.chunks.return(undefined);
    return { done: true, value: undefined };
  }

  private stop(): void {
    this.finished = true;
    this.queue = [];
    this.head = 0;
  }

  private async fill(): Promise<IteratorResult<CsvRow, undefined>> {
    this.queue = [];
    this.head = 0;
    while (!this.finished) {
      try {
        const step = await this.chunks.next();
        if (step.done) {
          this.finished = true;
          this.tokenizer.finish();
          this.checkNotEmpty();
        } else {
          this.tokenizer.push(step.value);
        }
      } catch (error) {
        this.stop();
        await this.chunks.return(undefined);
        throw this.locate(error);
      }
      if (this.queue.length > 0) return { done: false, value: this.take() };
    }
    return { done: true, value: undefined };
  }

  private locate(error: unknown): unknown {
    const line = this.tokenizer.line;
    if (error instanceof EncodingFailure) {
      const at = line + error.linesBefore;
      return new LearnerStatusError(
        'INVALID_ENCODING',
        `Line ${at}: the file contains bytes that are not UTF-8. Save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8) and upload it again.`,
        { line: at },
      );
    }
    return error instanceof LearnerStatusError ? withLine(error, line) : error;
  }

  private checkNotEmpty(): void {
    if (this.layout === undefined) {
      throw new LearnerStatusError(
        'EMPTY_FILE',
        'Line 1: the file is empty. It needs a header row (such as Email,Active) and one row per user.',
        { line: 1 },
      );
    }
    if (this.rows === 0) {
      throw new LearnerStatusError(
        'EMPTY_FILE',
        `Line ${this.tokenizer.line}: the file has a header but no rows. Add one row per user to change.`,
        { line: this.tokenizer.line },
      );
    }
  }

  private record(fields: string[], count: number, line: number, unusual: number): void {
    const layout = this.layout;
    if (layout === undefined) {
      this.layout = resolveHeaders(fields.slice(0, count), this.options, line);
      this.reader = compileRowReader(this.layout, this.options);
      return;
    }
    if (++this.rows > this.options.maxRows) {
      throw new LearnerStatusError(
        'TOO_LARGE',
        `Line ${line}: the file has more than ${this.options.maxRows} rows (option maxRows). Split it into smaller files, or raise maxRows.`,
        { line },
      );
    }
    const names = layout.names;
    const values: Record<string, string> = Object.create(null);
    const width = Math.min(count, names.length);
    for (let index = 0; index < width; index++)
      values[names[index] as string] = fields[index] as string;
    const result =
      count === names.length
        ? (this.reader as RowReader)(fields, unusual)
        : columnCount(fields.slice(0, count), names);
    this.queue.push({ line, values, result });
  }
}

/**
 * C1-C9: reads a CSV file of status changes as a stream, one {@link CsvRow} per record, in
 * bounded memory. Every record appears exactly once (blank lines are not records). Options
 * and the input's type are checked when called (`INVALID_OPTION`, `INVALID_INPUT`). A
 * malformed file makes the iteration throw a `LearnerStatusError` with its `code` and `line`
 * (`UNCLOSED_QUOTE`, `INVALID_QUOTE`, `DUPLICATE_HEADER`, `RESERVED_HEADER`,
 * `MISSING_ID_COLUMN`, `AMBIGUOUS_ID_COLUMN`, `MISSING_CHANGE_COLUMN`, `EMPTY_FILE`,
 * `INVALID_ENCODING`, `TOO_LARGE`): such a file is refused whole, so apply nothing until the
 * iteration has finished. A string or `Uint8Array` can be read again; a stream only once.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { parseCsv } from 'learner-status/csv';
 *
 * for await (const { line, result } of parseCsv(createReadStream('users.csv'), { timeZone: 'Europe/London' })) {
 *   if (!result.ok) console.log(line, result.issues.map((issue) => issue.message));
 * }
 * ```
 */
export function parseCsv(input: CsvInput, options?: CsvOptions): AsyncIterable<CsvRow> {
  const resolved = resolveCsvOptions(options);
  if (!isCsvInput(input)) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      'parseCsv reads a string, a Uint8Array, an iterable or async iterable of those (such as a Node stream), or a web ReadableStream.',
      { field: 'input' },
    );
  }
  const repeatable = typeof input === 'string' || input instanceof Uint8Array;
  let started = false;
  return {
    [Symbol.asyncIterator](): AsyncIterator<CsvRow, undefined> {
      if (started && !repeatable) {
        throw new LearnerStatusError(
          'INVALID_INPUT',
          'This CSV stream was already read: a stream can be read only once. Call parseCsv again with a new stream.',
          { field: 'input' },
        );
      }
      started = true;
      // Each pass gets its own date cache, so concurrent passes never share state.
      return new CsvRowIterator(input, { ...resolved, dateCache: new Map() });
    },
  };
}
