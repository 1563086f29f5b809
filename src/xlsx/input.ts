// The kinds of input a workbook can come as, gathered into one byte array: a zip's directory
// is at its end, so nothing can be read before the last byte has arrived.
import { streamChunks } from '../csv/input.js';
import { LearnerStatusError } from '../errors.js';

/**
 * The part of a web `ReadableStream` that the workbook reader uses, typed structurally so that
 * the declarations need neither DOM nor Node types (as `CsvReadableStream`).
 *
 * @example
 * ```ts
 * const upload: XlsxReadableStream = new Blob([bytes]).stream();
 * ```
 */
export interface XlsxReadableStream {
  getReader(): {
    read(): Promise<{ readonly done: boolean; readonly value?: unknown }>;
    releaseLock(): void;
    cancel(reason?: unknown): Promise<void>;
  };
}

/**
 * The part of a `Blob` (or `File`) that the workbook reader uses: its size, checked against
 * `maxBytes` before anything is read, and its bytes.
 *
 * @example
 * ```ts
 * const file: XlsxBlob = new Blob([bytes]);
 * ```
 */
export interface XlsxBlob {
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * What the workbook reader reads: the whole file as bytes, a `Blob` or `File`, an async
 * iterable of byte chunks (a Node `Readable` is one) or a web `ReadableStream` of bytes.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 *
 * const fromDisk: XlsxInput = createReadStream('learners.xlsx');
 * const fromUpload: XlsxInput = new Blob([bytes]);
 * ```
 */
export type XlsxInput = Uint8Array | XlsxBlob | AsyncIterable<Uint8Array> | XlsxReadableStream;

function isBlob(input: object): input is XlsxBlob {
  return (
    typeof (input as { arrayBuffer?: unknown }).arrayBuffer === 'function' &&
    typeof (input as { size?: unknown }).size === 'number'
  );
}

function isReadableStream(input: object): input is XlsxReadableStream {
  return typeof (input as { getReader?: unknown }).getReader === 'function';
}

/**
 * Whether `input` is something the workbook reader can read. Text is not: a workbook is
 * bytes, and a string would already have mangled them.
 *
 * @example
 * ```ts
 * isXlsxInput(new Uint8Array([0x50, 0x4b])); // true
 * isXlsxInput('Email,Active'); // false
 * ```
 */
export function isXlsxInput(input: unknown): input is XlsxInput {
  if (input instanceof Uint8Array) return true;
  if (typeof input !== 'object' || input === null) return false;
  return (
    isBlob(input) ||
    isReadableStream(input) ||
    typeof (input as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/** The `TOO_LARGE` error for more than `maxBytes` bytes of the file itself. */
function tooLarge(maxBytes: number): LearnerStatusError {
  return new LearnerStatusError(
    'TOO_LARGE',
    `The file is larger than ${maxBytes} bytes (option maxBytes). Split it into smaller workbooks, or raise maxBytes.`,
    { field: 'maxBytes' },
  );
}

/**
 * Reads the whole input into one byte array of at most `maxBytes` bytes (`TOO_LARGE` past
 * that, as soon as the limit is crossed). A `Uint8Array` is used as it is, without a copy.
 *
 * @example
 * ```ts
 * const bytes = await readInput(new Blob([zip]), 50 * 1024 * 1024);
 * ```
 */
export async function readInput(input: XlsxInput, maxBytes: number): Promise<Uint8Array> {
  if (input instanceof Uint8Array) {
    if (input.length > maxBytes) throw tooLarge(maxBytes);
    return input;
  }
  if (isBlob(input)) {
    if (input.size > maxBytes) throw tooLarge(maxBytes);
    const bytes = new Uint8Array(await input.arrayBuffer());
    if (bytes.length > maxBytes) throw tooLarge(maxBytes);
    return bytes;
  }
  const source: AsyncIterable<unknown> = isReadableStream(input) ? streamChunks(input) : input;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    if (!(chunk instanceof Uint8Array)) {
      const what =
        chunk === null ? 'null' : typeof chunk === 'string' ? 'text' : `a ${typeof chunk}`;
      throw new LearnerStatusError(
        'INVALID_INPUT',
        `A chunk of the workbook is ${what}; chunks must be Uint8Arrays. Read the file as bytes (no encoding).`,
      );
    }
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
