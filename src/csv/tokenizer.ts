import { LearnerStatusError } from '../errors.js';

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

// Where the tokenizer stands between two characters. Kept as small integers so the hot loop
// compares numbers, and so that a chunk edge can fall anywhere and parsing resumes exactly.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
type State = typeof FIELD_START | typeof UNQUOTED | typeof QUOTED | typeof QUOTE_IN_QUOTED;

/**
 * Receives each record: its first `count` entries of `fields` and the physical line where it
 * starts (the first line is 1). The array is reused for the next record (one allocation per
 * file, not per row): copy what you keep.
 * `unusual` has bit k set when field k (k < 31; bit 31 stands for all later fields) holds a
 * character outside printable ASCII: the row parser checks only those fields for control
 * and look-alike characters, so plain rows pay nothing for C9.
 */
export type RecordSink = (fields: string[], count: number, line: number, unusual: number) => void;

/**
 * The `unusual` bit of field `index`.
 *
 * @example
 * ```ts
 * (unusual & fieldBit(2)) !== 0; // field 2 holds a character outside printable ASCII
 * ```
 */
export function fieldBit(index: number): number {
  return 1 << Math.min(index, 31);
}

/**
 * A strict, streaming RFC 4180 tokenizer (C7, C9) over decoded text.
 *
 * Why our own: papaparse swallows the rest of a file after an unclosed quote and lets a mixed
 * line end into a value; csv-parse is strict but several times slower (docs/csv.md has the
 * measurements). This one refuses what RFC 4180 does not allow instead of guessing:
 * - a quote inside an unquoted field, or anything but the delimiter or a line end after a closing
 *   quote: `INVALID_QUOTE`;
 * - a quote still open at the end of the input: `UNCLOSED_QUOTE`, with the line it opened on.
 *
 * Fields are separated by `delimiter` (F4: comma by default, or semicolon, tab, `|`).
 * Every CRLF, LF or lone CR outside quotes ends a record, so no unquoted value ever holds a
 * line break. Lines that are empty or hold only white space (as `String.prototype.trim` sees
 * it) are skipped, and so are records of unquoted blank fields only (F2: rows a spreadsheet
 * writes for cleared cells, such as `,,,`). Line breaks inside quotes count as physical lines, CRLF as one. Fields
 * longer than `fieldCap` code units are cut to `fieldCap` so memory stays bounded whatever the
 * input; the row parser then reports them (`FIELD_TOO_LONG`). The result does not depend on
 * how the text is split into chunks. Internal.
 *
 * @example
 * ```ts
 * const tokenizer = new CsvTokenizer((fields, count, line) => console.log(line, fields.slice(0, count)));
 * tokenizer.push('a,"b\r');
 * tokenizer.push('\nc"\r\nd,e');
 * tokenizer.finish(); // logs 1 ['a', 'b\r\nc'], then 3 ['d', 'e']
 * ```
 */
export class CsvTokenizer {
  private readonly sink: RecordSink;
  private readonly fieldCap: number;
  /** The delimiter's character code (F4): comma, semicolon, tab or `|`. */
  private readonly delimiter: number;
  private state: State = FIELD_START;
  private readonly fields: string[] = [];
  /** How many fields of the current record are in `fields`. */
  private count = 0;
  /** Text of the current field carried over from earlier chunks. */
  private partial = '';
  /** A CR ended the last chunk outside quotes: an LF that starts the next one belongs to it. */
  private pendingCr = false;
  /** Inside quotes, the last character was a CR: a following LF is the same line break. */
  private quotedCr = false;
  /** Whether the current record had a quoted field (a quoted blank is not a blank line). */
  private recordQuoted = false;
  private recordLine = 1;
  private quoteLine = 1;
  private lineNumber = 1;
  private unusual = 0;

  constructor(sink: RecordSink, fieldCap = Number.POSITIVE_INFINITY, delimiter = ',') {
    this.sink = sink;
    this.fieldCap = fieldCap;
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The physical line of the next character to read (after the last line break seen). */
  get line(): number {
    return this.lineNumber;
  }

  /** Reads the next piece of text; records completed by it go to the sink. */
  push(text: string): void {
    const n = text.length;
    let i = 0;
    if (this.pendingCr) {
      if (n === 0) return;
      this.pendingCr = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    let state = this.state;
    const delimiter = this.delimiter;
    while (i < n) {
      if (state === QUOTED) {
        const q = text.indexOf('"', i);
        const end = q === -1 ? n : q;
        this.countQuotedBreaks(text, i, end);
        this.appendPartial(text, i, end);
        if (q === -1) break;
        this.quotedCr = false;
        i = q + 1;
        state = QUOTE_IN_QUOTED;
        continue;
      }
      let c: number;
      if (state === QUOTE_IN_QUOTED) {
        c = text.charCodeAt(i);
        if (c === QUOTE) {
          this.appendPartial('"', 0, 1);
          state = QUOTED;
          i++;
          continue;
        }
        if (c !== delimiter && c !== LF && c !== CR) {
          this.state = state;
          throw new LearnerStatusError(
            'INVALID_QUOTE',
            `Line ${this.lineNumber}: a quoted field must end with its closing quote followed by ${delimiterName(delimiter)} or the end of the line, but ${describe(c)} follows it. Write a quote inside a quoted field as two quotes ("").`,
            { line: this.lineNumber },
          );
        }
        this.fields[this.count++] = this.partial;
        this.partial = '';
      } else {
        // FIELD_START or UNQUOTED: scan to the next comma, quote or line end.
        if (state === FIELD_START && text.charCodeAt(i) === QUOTE) {
          state = QUOTED;
          this.recordQuoted = true;
          this.quoteLine = this.lineNumber;
          i++;
          continue;
        }
        let j = i;
        let odd = false;
        c = 0;
        if (delimiter === COMMA) {
          for (; j < n; j++) {
            c = text.charCodeAt(j);
            // One comparison for the common case, '-' to '~' (45-126): the four special
            // characters are all <= 44, and anything above 126 or below 32 is unusual.
            if ((c - 45) >>> 0 > 81) {
              if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
              if (c < 32 || c > 126) odd = true;
            }
          }
        } else {
          // Semicolon and '|' sit inside that range, so other delimiters take one more test.
          for (; j < n; j++) {
            c = text.charCodeAt(j);
            if (c === delimiter) break;
            if ((c - 45) >>> 0 > 81) {
              if (c === LF || c === CR || c === QUOTE) break;
              if (c < 32 || c > 126) odd = true;
            }
          }
        }
        if (odd) this.unusual |= fieldBit(this.count);
        if (j === n) {
          this.appendPartial(text, i, n);
          state = UNQUOTED;
          break;
        }
        if (c === QUOTE) {
          this.state = state;
          throw new LearnerStatusError(
            'INVALID_QUOTE',
            `Line ${this.lineNumber}: a quote appears inside a field that does not start with a quote. Put the whole field in quotes and write each quote inside it as two quotes ("").`,
            { line: this.lineNumber },
          );
        }
        let value: string;
        if (this.partial === '') {
          value = j - i > this.fieldCap ? text.slice(i, i + this.fieldCap) : text.slice(i, j);
        } else {
          this.appendPartial(text, i, j);
          value = this.partial;
          this.partial = '';
        }
        this.fields[this.count++] = value;
        i = j;
      }
      // text[i] is the comma or line end that closed the field.
      i++;
      state = FIELD_START;
      if (c === delimiter) continue;
      this.endRecord();
      this.lineNumber++;
      this.recordLine = this.lineNumber;
      if (c === CR) {
        if (i < n) {
          if (text.charCodeAt(i) === LF) i++;
        } else {
          this.pendingCr = true;
        }
      }
    }
    this.state = state;
  }

  /** Ends the input: completes the last record or throws `UNCLOSED_QUOTE`. */
  finish(): void {
    const state = this.state;
    if (state === QUOTED) {
      throw new LearnerStatusError(
        'UNCLOSED_QUOTE',
        `Line ${this.quoteLine}: a quoted field is never closed, so the rest of the file would be read as one value. Add the closing quote, or write each quote inside the field as two quotes ("").`,
        { line: this.quoteLine },
      );
    }
    if (state === FIELD_START && this.count === 0) return;
    this.fields[this.count++] = this.partial;
    this.partial = '';
    this.state = FIELD_START;
    this.endRecord();
  }

  private endRecord(): void {
    const count = this.count;
    this.count = 0;
    const quoted = this.recordQuoted;
    this.recordQuoted = false;
    const unusual = this.unusual;
    this.unusual = 0;
    // C7: an empty or white-space-only line is no record at all; F2: nor is a cleared row,
    // one of delimiters and white space only.
    if (!quoted && isBlankRecord(this.fields, count)) return;
    this.sink(this.fields, count, this.recordLine, unusual);
  }

  private appendPartial(text: string, from: number, to: number): void {
    const room = this.fieldCap - this.partial.length;
    if (room <= 0 || from === to) return;
    this.partial += to - from > room ? text.slice(from, from + room) : text.slice(from, to);
  }

  private countQuotedBreaks(text: string, from: number, to: number): void {
    let previousCr = this.quotedCr;
    let odd = false;
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c > 126) {
        odd = true;
        previousCr = false;
      } else if (c === LF) {
        odd = true;
        if (!previousCr) this.lineNumber++;
        previousCr = false;
      } else if (c === CR) {
        odd = true;
        this.lineNumber++;
        previousCr = true;
      } else {
        if (c < 32) odd = true;
        previousCr = false;
      }
    }
    this.quotedCr = previousCr;
    if (odd) this.unusual |= fieldBit(this.count);
  }
}

/** Whether the first `count` fields are all blank after trimming (most rows: one test). */
function isBlankRecord(fields: readonly string[], count: number): boolean {
  for (let index = 0; index < count; index++) {
    const field = fields[index] as string;
    if (field.length === 0) continue;
    // Printable ASCII other than space is never trimmed: no call for almost every record.
    const first = field.charCodeAt(0);
    if ((first > 32 && first < 127) || field.trim() !== '') return false;
  }
  return true;
}

function delimiterName(code: number): string {
  return code === COMMA ? 'a comma' : code === 9 ? 'a tab' : `'${String.fromCharCode(code)}'`;
}

function describe(code: number): string {
  return code < 32 || code === 127
    ? `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `'${String.fromCharCode(code)}'`;
}
