// One worksheet of an .xlsx workbook as a stream of records of typed cells (F8). The sheet's
// XML is inflated and parsed a piece at a time while the caller consumes records, so a sheet
// of a million rows never sits in memory; the shared strings and styles are read first.
import { isoToDate, serialToDate } from './dates.js';
import { damaged } from './detect.js';
import { readInput, type XlsxInput } from './input.js';
import { loadPeers, type Peers } from './peers.js';
import { cut, SharedStrings } from './shared-strings.js';
import { DateStyles } from './styles.js';
import { chooseSheet, readWorkbook, sheetEntry } from './workbook.js';
import { decodeEscapes, readXml, type XmlHandlers, XmlPart } from './xml.js';
import { ByteBudget, findEntry, openZip, readEntry, type ZipArchive } from './zip.js';

export { isXlsxInput, type XlsxBlob, type XlsxInput, type XlsxReadableStream } from './input.js';

/**
 * A cell whose number format is a date format (built-in ids 14-22, 45-47, the East Asian
 * 27-36 and 50-58, or a custom format code with y, m, d, h or s outside quotes and
 * brackets), or a cell of type `d`.
 *
 * @example
 * ```ts
 * const cell: SheetDate = { kind: 'date', year: 2026, month: 12, day: 31, hasTime: false, serial: 46387 };
 * ```
 */
export interface SheetDate {
  readonly kind: 'date';
  /** The calendar date of the serial: 1900 system (serial 60 is Lotus's 1900-02-29), or 1904. */
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** The serial has a fractional part: a time of day. */
  readonly hasTime: boolean;
  /** Days since the workbook's epoch, as stored. */
  readonly serial: number;
}

/**
 * A typed cell value as the workbook stores it; undefined is no cell (absent, or with no
 * value: an empty text, a formula without a cached value).
 *
 * @example
 * ```ts
 * const cells: SheetCell[] = ['ada@example.org', true, 42, undefined];
 * ```
 */
export type SheetCell = string | number | boolean | SheetDate | undefined;

/**
 * One row of a sheet that has at least one cell.
 *
 * @example
 * ```ts
 * const record: SheetRecord = { line: 2, cells: ['ada@example.org', 'Yes'] };
 * ```
 */
export interface SheetRecord {
  /** The sheet's row number (`r` of `<row>`, 1-based; rows without `r` follow the previous). */
  readonly line: number;
  /** By column index (A = 0); trailing absent cells are omitted. */
  readonly cells: readonly SheetCell[];
}

/**
 * Size limits of one workbook read.
 *
 * @example
 * ```ts
 * const limits: SheetLimits = { maxBytes: 50 * 1024 * 1024, maxFieldLength: 10_000 };
 * ```
 */
export interface SheetLimits {
  /**
   * Cap on the file's bytes and, separately, on the bytes unzipped from it (every part read,
   * together): past either, `TOO_LARGE`, never an exhausted process (zip bombs).
   */
  readonly maxBytes: number;
  /** A text cell longer than this is cut to `maxFieldLength + 1` characters. */
  readonly maxFieldLength: number;
}

/**
 * The column index of a cell reference (`A1` is 0, `XFD1` 16383), or -1 without letters.
 * Past Excel's last column the workbook is damaged: a reference like `ZZZZZZ1` must not make
 * a record of millions of empty cells.
 */
function columnIndex(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i) | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + code - 0x60;
    if (column > 16384) throw damaged(`a cell reference (${ref.slice(0, 12)}) is past column XFD`);
  }
  return i === 0 ? -1 : column - 1;
}

/** Turns a sheet's XML into records; see openSheet for the cell rules. */
class SheetReader implements XmlHandlers {
  /** Records completed by the XML written so far, handed out by the caller. */
  readonly records: SheetRecord[] = [];
  private inSheetData = false;
  private inRow = false;
  private line = 0;
  private cells: SheetCell[] = [];
  private nextColumn = 0;
  private column = 0;
  private ref = '';
  private type: string | undefined;
  private style = 0;
  private hasValue = false;
  private inValue = false;
  private inInline = false;
  private phonetic = 0;
  private chars = '';
  private readonly rawCut: number;

  constructor(
    private readonly strings: readonly string[],
    private readonly styles: DateStyles,
    private readonly date1904: boolean,
    private readonly cutAt: number,
  ) {
    this.rawCut = cutAt * 7;
  }

  open(name: string, attributes: Readonly<Record<string, string>>): void {
    switch (name) {
      case 'c': {
        if (!this.inRow) return;
        const ref = attributes['r'];
        const column = ref === undefined ? -1 : columnIndex(ref);
        this.column = column < 0 ? this.nextColumn : column;
        this.ref = ref ?? '';
        this.type = attributes['t'];
        const style = attributes['s'];
        this.style = style === undefined ? 0 : Number(style);
        this.hasValue = false;
        this.chars = '';
        return;
      }
      case 'v':
        this.inValue = this.inRow;
        return;
      case 'row': {
        if (!this.inSheetData) return;
        const r = Number(attributes['r']);
        this.line = Number.isSafeInteger(r) && r > 0 ? r : this.line + 1;
        this.inRow = true;
        this.cells = [];
        this.nextColumn = 0;
        return;
      }
      case 'is':
        this.inInline = this.inRow;
        this.hasValue = this.inRow;
        return;
      case 't':
        if (this.inInline && this.phonetic === 0) this.inValue = true;
        return;
      case 'rPh':
        this.phonetic++;
        return;
      case 'sheetData':
        this.inSheetData = true;
        return;
    }
  }

  text(text: string): void {
    if (!this.inValue || this.chars.length > this.rawCut) return;
    this.chars += text;
    if (this.chars.length > this.rawCut) this.chars = cut(this.chars, this.rawCut + 1);
  }

  close(name: string): void {
    switch (name) {
      case 'v':
        if (this.inValue) this.hasValue = true;
        this.inValue = false;
        return;
      case 't':
        if (this.inInline) this.inValue = false;
        return;
      case 'c': {
        if (!this.inRow) return;
        const value = this.hasValue ? this.value() : undefined;
        if (value !== undefined) {
          const cells = this.cells;
          while (cells.length < this.column) cells.push(undefined);
          cells[this.column] = value;
        }
        this.nextColumn = this.column + 1;
        return;
      }
      case 'row':
        if (!this.inRow) return;
        this.inRow = false;
        if (this.cells.length > 0) this.records.push({ line: this.line, cells: this.cells });
        return;
      case 'is':
        this.inInline = false;
        return;
      case 'rPh':
        this.phonetic--;
        return;
      case 'sheetData':
        this.inSheetData = false;
        return;
    }
  }

  /** The cell just closed, by its type (`t`) and style (`s`). */
  private value(): SheetCell {
    const text = this.chars;
    switch (this.type) {
      case undefined:
      case 'n': {
        if (text.trim() === '') return undefined;
        const number = Number(text);
        if (Number.isNaN(number)) return this.string(text);
        return this.styles.isDate(this.style)
          ? (serialToDate(number, this.date1904) ?? number)
          : number;
      }
      case 's': {
        const index = Number(text);
        const shared = Number.isInteger(index) ? this.strings[index] : undefined;
        if (shared === undefined) {
          throw damaged(
            `its cell ${this.ref.slice(0, 12)} refers to shared text ${text.slice(0, 12)}, which the workbook does not have`,
          );
        }
        return shared === '' ? undefined : shared;
      }
      case 'b':
        if (text === '1' || text === 'true') return true;
        if (text === '0' || text === 'false') return false;
        return this.string(text);
      case 'd':
        return isoToDate(text, this.date1904) ?? this.string(text);
      default:
        // `str` (a formula's text result), `inlineStr`, `e` (an error such as #N/A), and any
        // type a future writer invents: the text as stored.
        return this.string(text);
    }
  }

  private string(text: string): string | undefined {
    if (text === '') return undefined;
    const decoded = decodeEscapes(text);
    return decoded.length > this.cutAt ? cut(decoded, this.cutAt) : decoded;
  }
}

/** Reads a small part (styles, shared strings) whole through `handlers`, if the part exists. */
function readPart(
  archive: ZipArchive,
  path: string | undefined,
  peers: Peers,
  budget: ByteBudget,
  handlers: XmlHandlers,
): void {
  const entry = path === undefined ? undefined : findEntry(archive, path);
  if (entry !== undefined) {
    readXml(peers, entry.name, readEntry(archive, entry, peers, budget), handlers);
  }
}

/**
 * The records of the sheet, parsed one inflated piece at a time and only when the caller has
 * taken every record of the previous piece: memory holds one piece of XML and its rows,
 * whatever the sheet's size. A hand-written iterator rather than an async generator: a
 * generator's resumption per record cost about 0.15 s per million records on the benchmark
 * (bench/xlsx/run.ts), a tenth of the reader's own time.
 */
function readRecords(
  pieces: Iterator<Uint8Array, void, undefined>,
  xml: XmlPart,
  queue: SheetRecord[],
): AsyncIterableIterator<SheetRecord> {
  let index = 0;
  let finished = false;
  const done = (): Promise<IteratorResult<SheetRecord, undefined>> =>
    Promise.resolve({ done: true, value: undefined });
  const records: AsyncIterableIterator<SheetRecord> = {
    [Symbol.asyncIterator]: () => records,
    next() {
      try {
        while (index >= queue.length) {
          if (finished) return done();
          queue.length = 0;
          index = 0;
          const piece = pieces.next();
          if (piece.done === true) {
            finished = true;
            xml.end();
          } else xml.write(piece.value);
        }
        return Promise.resolve({ done: false, value: queue[index++] as SheetRecord });
      } catch (error) {
        finished = true;
        queue.length = 0;
        return Promise.reject(error);
      }
    },
    return() {
      finished = true;
      queue.length = 0;
      return done();
    },
  };
  return records;
}

/**
 * Opens a workbook, finds a worksheet (by name: exact, then ignoring ASCII case; by default
 * the first worksheet in workbook order) and answers its name, the names of all worksheets,
 * and its records, read as they are consumed (an async iterable to consume once).
 *
 * Cells: shared and inline strings (rich text runs joined, `_xHHHH_` escapes decoded, white
 * space kept) and formula text results are strings; `t="b"` booleans; `t="e"` the error text
 * (`#N/A`); numbers are numbers, or `SheetDate` when their style is a date format; `t="d"`
 * ISO dates are `SheetDate`; a formula is read by its cached value. Rows without a value
 * yield no record.
 *
 * Refusals (`LearnerStatusError`): `NOT_A_WORKBOOK` (not an .xlsx, naming what the file seems
 * to be, or a damaged one), `ENCRYPTED_WORKBOOK`, `LEGACY_XLS`, `SHEET_NOT_FOUND`,
 * `TOO_LARGE` (file or unzipped data past `maxBytes`), `INVALID_INPUT` (a chunk that is not
 * bytes, or fflate and saxes not installed).
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 *
 * const { name, records } = await openSheet(createReadStream('learners.xlsx'), {
 *   maxBytes: 50 * 1024 * 1024,
 *   maxFieldLength: 10_000,
 * });
 * for await (const { line, cells } of records) console.log(name, line, cells);
 * ```
 */
export async function openSheet(
  input: XlsxInput,
  options: { readonly sheet?: string | undefined } & SheetLimits,
): Promise<{
  readonly name: string;
  readonly sheets: readonly string[];
  readonly records: AsyncIterable<SheetRecord>;
}> {
  const { maxBytes, maxFieldLength } = options;
  const peers = await loadPeers();
  const archive = openZip(await readInput(input, maxBytes));
  const budget = new ByteBudget(maxBytes);
  const book = readWorkbook(archive, peers, budget);
  const sheet = chooseSheet(book, options.sheet);
  const entry = sheetEntry(archive, sheet);
  const styles = new DateStyles();
  readPart(archive, book.stylesPath, peers, budget, styles);
  const shared = new SharedStrings(maxFieldLength + 1);
  readPart(archive, book.sharedStringsPath, peers, budget, shared);
  const reader = new SheetReader(shared.strings, styles, book.date1904, maxFieldLength + 1);
  return {
    name: sheet.name,
    sheets: book.sheets.filter((s) => s.kind === 'worksheet').map((s) => s.name),
    records: readRecords(
      readEntry(archive, entry, peers, budget),
      new XmlPart(peers, entry.name, reader),
      reader.records,
    ),
  };
}
