import { LearnerStatusError } from '../errors.js';
import { prepareCsvDates } from './date-fns.js';
import { countLineBreaks } from './encodings.js';
import { headerQualifies } from './headers.js';
import { type CsvInput, type Decoding, decodeInput, EncodingFailure, isCsvInput } from './input.js';
import {
  type CsvDelimiter,
  type CsvOptions,
  type ResolvedCsvOptions,
  resolveCsvOptions,
} from './options.js';
import { type CsvRow, RowAssembler, readableOnce } from './rows.js';
import { CsvTokenizer } from './tokenizer.js';

export type { CsvRow } from './rows.js';

const AUTO_ORDER: readonly CsvDelimiter[] = [',', ';', '\t', '|'];
/** Excel's delimiter hint: a first line `sep=;`. */
const SEP_LINE = /^sep=([,;\t|])(?:[\r\n]|$)/i;
/** How much text may be held to find the header before deciding with what is there (F4). */
const HEADER_SCAN_LIMIT = 1 << 20;
const TRIED =
  " The delimiters comma, semicolon, tab and '|' were tried: under none does the header have a column that names the user and a change column.";

function withLine(error: LearnerStatusError, line: number): LearnerStatusError {
  if (error.line !== undefined) return error;
  return new LearnerStatusError(error.code, `Line ${line}: ${error.message}`, {
    line,
    cause: error,
  });
}

/** Stops a probe's tokenizer once it has the header. */
const STOP = Symbol('stop');

/** F4: the header as one candidate delimiter would read it. */
class HeaderProbe {
  header: string[] | undefined;
  done = false;
  private readonly tokenizer: CsvTokenizer;

  constructor(
    readonly delimiter: CsvDelimiter,
    skipFirst: boolean,
    fieldCap: number,
  ) {
    let skip = skipFirst;
    this.tokenizer = new CsvTokenizer(
      (fields, count) => {
        if (skip) {
          skip = false;
          return;
        }
        this.header = fields.slice(0, count);
        throw STOP;
      },
      fieldCap,
      delimiter,
    );
  }

  push(text: string | undefined): void {
    if (this.done) return;
    try {
      if (text === undefined) this.tokenizer.finish();
      else this.tokenizer.push(text);
    } catch (error) {
      // A quote error under this delimiter: it does not qualify (the real read reports it).
      if (error !== STOP && !(error instanceof LearnerStatusError)) throw error;
      this.done = true;
    }
    if (text === undefined) this.done = true;
  }
}

class CsvRowIterator implements AsyncIterator<CsvRow, undefined> {
  private queue: (CsvRow | undefined)[] = [];
  private head = 0;
  private finished = false;
  private readonly chunks: AsyncGenerator<string, void, undefined>;
  private readonly decoding: Decoding;
  private tokenizer: CsvTokenizer | undefined;
  private readonly options: ResolvedCsvOptions;
  private readonly rows: RowAssembler;
  /** Text read before the delimiter is known (F4), and whether the file starts with `sep=`. */
  private held = '';
  private sepLine: boolean | undefined;
  private probes: HeaderProbe[] | undefined;
  /** Whether `'auto'` found no delimiter that qualifies, so comma is used (F4). */
  private noneQualified = false;
  private skipFirst = false;
  private datesReady = false;

  constructor(input: CsvInput, options: ResolvedCsvOptions) {
    this.options = options;
    this.decoding = { encoding: options.encoding ?? 'utf-8' };
    this.chunks = decodeInput(input, options.maxBytes, options.encoding, this.decoding);
    this.rows = new RowAssembler(options);
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
    if (!this.datesReady) {
      // The date libraries the options need (caller date formats, a zone other than UTC) load
      // now, before the first row, and not when the package is imported.
      this.datesReady = true;
      try {
        await prepareCsvDates(this.options);
      } catch (error) {
        this.stop();
        await this.chunks.return(undefined);
        throw error;
      }
    }
    while (!this.finished) {
      try {
        const step = await this.chunks.next();
        if (step.done) {
          this.finished = true;
          if (this.tokenizer === undefined) this.hold(undefined);
          (this.tokenizer as CsvTokenizer).finish();
          this.checkNotEmpty();
        } else if (this.tokenizer === undefined) {
          this.hold(step.value);
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

  /**
   * F4: holds the text until the delimiter is known (from the option, a `sep=` line, or the
   * header under each candidate), then starts the tokenizer on it. `undefined`: end of input.
   */
  private hold(text: string | undefined): void {
    if (text !== undefined) this.held += text;
    const end = text === undefined || this.held.length > HEADER_SCAN_LIMIT;
    const held = this.held;
    if (this.sepLine === undefined) {
      if (!end && held.length < 6 && !/[\r\n]/.test(held)) return;
      const sep = SEP_LINE.exec(held);
      this.sepLine = sep !== null;
      this.skipFirst = this.sepLine;
      const hinted = sep === null ? undefined : (sep[1] as CsvDelimiter);
      if (this.options.delimiter === undefined && hinted === undefined) {
        const cap = this.options.maxFieldLength + 1;
        this.probes = AUTO_ORDER.map((delimiter) => new HeaderProbe(delimiter, false, cap));
      } else {
        this.start(this.options.delimiter ?? (hinted as CsvDelimiter));
        return;
      }
      for (const probe of this.probes) probe.push(held);
    } else {
      for (const probe of this.probes as HeaderProbe[]) probe.push(text);
    }
    const probes = this.probes as HeaderProbe[];
    if (end) for (const probe of probes) probe.push(undefined);
    for (const probe of probes) {
      if (!probe.done) return;
      if (probe.header !== undefined && headerQualifies(probe.header, this.options)) {
        this.start(probe.delimiter);
        return;
      }
    }
    this.noneQualified = true;
    this.start(',');
  }

  private start(delimiter: CsvDelimiter): void {
    this.probes = undefined;
    // One character over the limit is kept so that the row can say the cell is too long.
    this.tokenizer = new CsvTokenizer(
      (fields, count, line, unusual) => this.record(fields, count, line, unusual, delimiter),
      this.options.maxFieldLength + 1,
      delimiter,
    );
    const held = this.held;
    this.held = '';
    this.tokenizer.push(held);
  }

  private locate(error: unknown): unknown {
    const line =
      this.tokenizer === undefined ? 1 + countLineBreaks(this.held, false) : this.tokenizer.line;
    if (error instanceof EncodingFailure) {
      const at = line + error.linesBefore;
      const encoding = this.decoding.encoding;
      const message =
        encoding === 'utf-8'
          ? `Line ${at}: the file contains bytes that are not UTF-8. Save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8) and upload it again, or pass the encoding it was saved in (option encoding, such as 'windows-1252' for Excel's "CSV (Comma delimited)").`
          : `Line ${at}: the file contains bytes that are not ${encoding.toUpperCase()}. Save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8) and upload it again, or pass the encoding it was saved in (option encoding).`;
      return new LearnerStatusError('INVALID_ENCODING', message, { line: at, field: 'encoding' });
    }
    return error instanceof LearnerStatusError ? withLine(error, line) : error;
  }

  private checkNotEmpty(): void {
    const line = (this.tokenizer as CsvTokenizer).line;
    if (!this.rows.hasHeader) {
      // After a `sep=` line, the header would have been line 2.
      const at = this.sepLine === true ? 2 : 1;
      throw new LearnerStatusError(
        'EMPTY_FILE',
        `Line ${at}: the file is empty. It needs a header row (such as Email,Active) and one row per user.`,
        { line: at },
      );
    }
    if (this.rows.rows === 0) {
      throw new LearnerStatusError(
        'EMPTY_FILE',
        `Line ${line}: the file has a header but no rows. Add one row per user to change.`,
        { line },
      );
    }
  }

  private record(
    fields: string[],
    count: number,
    line: number,
    unusual: number,
    delimiter: CsvDelimiter,
  ): void {
    if (this.skipFirst) {
      this.skipFirst = false;
      return;
    }
    if (!this.rows.hasHeader) {
      const columns = fields.slice(0, count);
      try {
        this.rows.header(columns, line);
      } catch (error) {
        if (!this.noneQualified || !(error instanceof LearnerStatusError)) throw error;
        throw new LearnerStatusError(error.code, error.message + TRIED, {
          ...(error.line === undefined ? {} : { line: error.line }),
          ...(error.field === undefined ? {} : { field: error.field }),
        });
      }
      this.options.onHeader?.({ line, columns, delimiter, encoding: this.decoding.encoding });
      return;
    }
    this.queue.push(this.rows.row(fields, count, line, unusual));
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
  if (typeof input === 'string' && resolved.encoding !== undefined) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      "Option `encoding` applies to bytes, but the CSV input is a string, which is already decoded. Leave the option out, or pass the file's bytes.",
      { field: 'encoding' },
    );
  }
  const repeatable = typeof input === 'string' || input instanceof Uint8Array;
  // Each pass gets its own date cache, so concurrent passes never share state.
  return readableOnce(
    repeatable,
    'CSV',
    'parseCsv',
    () => new CsvRowIterator(input, { ...resolved, dateCache: new Map() }),
  );
}
