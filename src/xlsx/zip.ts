// The zip container of a workbook: its central directory (where each part is, at the end of
// the file) and each part's data, inflated by fflate in pieces. fflate's own readers do not
// fit: unzipSync inflates every part whole, and its streaming Unzip reads the parts in file
// order (Excel stores the shared strings after the sheet that needs them) and finds the end of
// parts written with a data descriptor by scanning for a signature. The directory gives the
// order-free, exact layout; the inflating itself, the hard part, is fflate's.
import { LearnerStatusError } from '../errors.js';
import { damaged, refuseNonZip, refuseOtherZip } from './detect.js';
import type { Peers } from './peers.js';

/**
 * One part (file) of a zip archive, as its central directory describes it.
 *
 * @example
 * ```ts
 * const entry: ZipEntry | undefined = openZip(bytes).entries.get('xl/workbook.xml');
 * ```
 */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  /** As declared; the bytes actually inflated are counted separately. */
  readonly size: number;
  readonly localHeaderOffset: number;
}

/**
 * A zip archive's bytes and its parts by name.
 *
 * @example
 * ```ts
 * const archive: ZipArchive = openZip(bytes);
 * console.log([...archive.entries.keys()]);
 * ```
 */
export interface ZipArchive {
  readonly bytes: Uint8Array;
  readonly entries: ReadonlyMap<string, ZipEntry>;
}

/** Compressed bytes handed to the inflater at a time. */
const PUSH = 1 << 14;
/** Stored (uncompressed) bytes handed out at a time. */
const STORED_PIECE = 1 << 16;

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;

/**
 * The uncompressed bytes every part read from one workbook may take together: a zip bomb
 * (a small file that unzips to gigabytes) ends with `TOO_LARGE` after at most one piece of
 * `PUSH` compressed bytes past the limit, never with an exhausted process.
 *
 * @example
 * ```ts
 * const budget = new ByteBudget(1024);
 * budget.take(1000);
 * budget.take(100); // throws TOO_LARGE
 * ```
 */
export class ByteBudget {
  private used = 0;
  constructor(readonly maxBytes: number) {}

  /** Counts `n` more bytes; `TOO_LARGE` when the total passes the limit. */
  take(n: number): void {
    this.used += n;
    if (this.used > this.maxBytes) throw this.tooLarge();
  }

  /** `TOO_LARGE` now when a part declares more bytes than are left, before inflating it. */
  expect(n: number): void {
    if (this.used + n > this.maxBytes) throw this.tooLarge();
  }

  private tooLarge(): LearnerStatusError {
    return new LearnerStatusError(
      'TOO_LARGE',
      `The workbook holds more than ${this.maxBytes} bytes of data once unzipped (option maxBytes). Split the sheet into smaller workbooks, or raise maxBytes.`,
      { field: 'maxBytes' },
    );
  }
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (u16(bytes, at) | (u16(bytes, at + 2) << 16)) >>> 0;
}

/** A zip64 field; sizes past 2^53 cannot be real here and read as infinite. */
function u64(bytes: Uint8Array, at: number): number {
  const value = u32(bytes, at) + u32(bytes, at + 4) * 0x1_0000_0000;
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
}

function decodeName(bytes: Uint8Array): string {
  let ascii: string | undefined = '';
  for (const byte of bytes) {
    if (byte >= 0x80) {
      ascii = undefined;
      break;
    }
    ascii += String.fromCharCode(byte);
  }
  if (ascii !== undefined) return ascii;
  const Decoder = (globalThis as { TextDecoder?: new () => { decode(b: Uint8Array): string } })
    .TextDecoder;
  return Decoder === undefined ? '' : new Decoder().decode(bytes);
}

/** The offset of the end-of-central-directory record, searched back over its comment. */
function findEnd(bytes: Uint8Array): number {
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (u32(bytes, at) === ZIP_END) return at;
  }
  return -1;
}

/**
 * Reads the central directory of a zip archive. Bytes that are not a zip are refused with what
 * they seem to be (an encrypted workbook, an old .xls, a CSV, ...), and a zip that was cut
 * short or is broken as damaged; both `NOT_A_WORKBOOK` unless said otherwise.
 *
 * @example
 * ```ts
 * const archive = openZip(zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') }));
 * archive.entries.has('xl/workbook.xml'); // true
 * ```
 */
export function openZip(bytes: Uint8Array): ZipArchive {
  const isZip = bytes.length >= 4 && u32(bytes, 0) === ZIP_LOCAL;
  const end = findEnd(bytes);
  if (end < 0) {
    if (isZip) throw damaged('the zip archive ends too early: it was cut short');
    throw refuseNonZip(bytes);
  }
  let count = u16(bytes, end + 10);
  let directorySize = u32(bytes, end + 12);
  let offset = u32(bytes, end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || u32(bytes, locator) !== ZIP64_LOCATOR) throw damaged('no zip64 directory');
    const at = u64(bytes, locator + 8);
    if (!(at + 56 <= end) || u32(bytes, at) !== ZIP64_END) throw damaged('no zip64 directory');
    count = u64(bytes, at + 32);
    directorySize = u64(bytes, at + 40);
    offset = u64(bytes, at + 48);
  }
  if (!(offset + directorySize <= bytes.length)) {
    throw damaged('the zip directory lies past the end of the file: it was cut short');
  }
  const entries = new Map<string, ZipEntry>();
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== ZIP_CENTRAL) {
      throw damaged('the zip directory is broken');
    }
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const name = decodeName(bytes.subarray(at + 46, at + 46 + nameLength))
      .replaceAll('\\', '/')
      .replace(/^\/+/, '');
    let compressedSize = u32(bytes, at + 20);
    let size = u32(bytes, at + 24);
    let localHeaderOffset = u32(bytes, at + 42);
    // Zip64 sizes and offset, each present only when its 32-bit field is saturated.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = u16(bytes, extra);
      const length = u16(bytes, extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        if (size === 0xffffffff) {
          size = u64(bytes, field);
          field += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(bytes, field);
          field += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(bytes, field);
      }
      extra += 4 + length;
    }
    // The first of two parts with one name wins, as in the readers spreadsheet programs use.
    if (!entries.has(name)) {
      entries.set(name, {
        name,
        method: u16(bytes, at + 10),
        flags: u16(bytes, at + 8),
        compressedSize,
        size,
        localHeaderOffset,
      });
    }
    at = extraEnd + commentLength;
  }
  return { bytes, entries };
}

/**
 * The part named `name`, matched exactly, then ignoring ASCII case (some writers disagree with
 * their own relationships about case, and spreadsheet programs accept it).
 *
 * @example
 * ```ts
 * findEntry(archive, 'xl/sharedStrings.xml')?.name; // 'xl/SharedStrings.xml' when so stored
 * ```
 */
export function findEntry(archive: ZipArchive, name: string): ZipEntry | undefined {
  const exact = archive.entries.get(name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [key, entry] of archive.entries) if (key.toLowerCase() === lower) return entry;
  return undefined;
}

/**
 * The refusal for a zip with no workbook part, naming what it holds (a .docx, an .ods, ...).
 *
 * @example
 * ```ts
 * if (findEntry(archive, 'xl/workbook.xml') === undefined) throw refuseArchive(archive);
 * ```
 */
export function refuseArchive(archive: ZipArchive): LearnerStatusError {
  return refuseOtherZip(archive.entries.keys());
}

/**
 * The uncompressed bytes of one part, in pieces, inflated as they are asked for (a
 * generator: nothing is inflated ahead of the reader). Every piece is counted against
 * `budget` before it is handed out.
 *
 * @example
 * ```ts
 * for (const piece of readEntry(archive, entry, peers, new ByteBudget(1 << 20))) parser.write(piece);
 * ```
 */
export function* readEntry(
  archive: ZipArchive,
  entry: ZipEntry,
  peers: Peers,
  budget: ByteBudget,
): Generator<Uint8Array, void, undefined> {
  const { bytes } = archive;
  if ((entry.flags & 1) !== 0) {
    throw new LearnerStatusError(
      'ENCRYPTED_WORKBOOK',
      'The workbook is inside a password-protected zip archive, so its cells cannot be read. Unzip it with its password, or save it again from Excel without one.',
    );
  }
  const local = entry.localHeaderOffset;
  if (!(local + 30 <= bytes.length) || u32(bytes, local) !== ZIP_LOCAL) {
    throw damaged(`the part ${entry.name} is missing: the file was cut short`);
  }
  const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
  const end = start + entry.compressedSize;
  if (!(end <= bytes.length)) throw damaged(`the part ${entry.name} was cut short`);
  budget.expect(entry.size);
  if (entry.method === 0) {
    for (let at = start; at < end; at += STORED_PIECE) {
      const piece = bytes.subarray(at, Math.min(end, at + STORED_PIECE));
      budget.take(piece.length);
      yield piece;
    }
    return;
  }
  if (entry.method !== 8) {
    throw damaged(`the part ${entry.name} is compressed with method ${entry.method}, not deflate`);
  }
  const out: Uint8Array[] = [];
  const inflater = new peers.Inflate((data) => {
    out.push(data);
  });
  for (let at = start; at < end || at === start; at += PUSH) {
    const last = at + PUSH >= end;
    try {
      inflater.push(bytes.subarray(at, Math.min(end, at + PUSH)), last);
    } catch (error) {
      throw damaged(`the part ${entry.name} cannot be unzipped: ${(error as Error).message}`);
    }
    for (const piece of out) {
      budget.take(piece.length);
      if (piece.length > 0) yield piece;
    }
    out.length = 0;
    if (last) break;
  }
}
