import { LearnerStatusError } from '../errors.js';
import {
  type ByteDecoder,
  type CsvEncoding,
  countLineBreaks,
  createDecoder,
  InvalidBytes,
  sniffBom,
} from './encodings.js';

/**
 * The part of a web `ReadableStream` that `parseCsv` uses, typed structurally so that the
 * public declarations need neither DOM nor Node types.
 *
 * @example
 * ```ts
 * import type { CsvReadableStream } from 'learner-status/csv';
 *
 * const upload: CsvReadableStream = new Blob(['Email,Active\nada@example.org,Yes\n']).stream();
 * ```
 */
export interface CsvReadableStream {
  getReader(): {
    read(): Promise<{ readonly done: boolean; readonly value?: string | Uint8Array | undefined }>;
    releaseLock(): void;
    cancel(reason?: unknown): Promise<void>;
  };
}

/**
 * What `parseCsv` reads: the whole text or bytes, a sync or async iterable of string or byte
 * chunks (a Node `Readable` is one), or a web `ReadableStream`. Bytes are UTF-8 unless they
 * start with a UTF-16 byte order mark or option `encoding` says otherwise (F5).
 *
 * @example
 * ```ts
 * import type { CsvInput } from 'learner-status/csv';
 *
 * const fromText: CsvInput = 'Email,Active\nada@example.org,Yes\n';
 * const fromChunks: CsvInput = [new Uint8Array([0xef, 0xbb, 0xbf]), 'Email,Active\n'];
 * ```
 */
export type CsvInput =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | CsvReadableStream;

/** Text is handed to the tokenizer in pieces of at most this many code units or bytes. */
export const PIECE = 1 << 16;

/** Where decoding failed: how many line breaks the valid bytes before it contain. */
export class EncodingFailure {
  constructor(readonly linesBefore: number) {}
}

/**
 * Counts physical line breaks (CRLF once) in `bytes` before the first byte that is not UTF-8.
 * `bytes` starts at a character boundary (the caller prepends an unfinished character).
 * `afterCr`: the previous piece ended with a CR, already counted, so a leading LF ends no line.
 */
export function lineBreaksBeforeInvalid(bytes: Uint8Array, afterCr = false): number {
  let lines = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) {
      if (b === 10 && (i === 0 ? !afterCr : bytes[i - 1] !== 13)) lines++;
      else if (b === 13) lines++;
      i++;
      continue;
    }
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return lines;
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined) return lines;
      if (k === 1 ? next < min || next > max : next < 0x80 || next > 0xbf) return lines;
    }
    i += need + 1;
  }
  return lines;
}

function isReadableStream(input: object): input is CsvReadableStream {
  return typeof (input as { getReader?: unknown }).getReader === 'function';
}

/** Whether `input` is something `parseCsv` can read; checked when `parseCsv` is called. */
export function isCsvInput(input: unknown): input is CsvInput {
  if (typeof input === 'string' || input instanceof Uint8Array) return true;
  if (typeof input !== 'object' || input === null) return false;
  return (
    isReadableStream(input) ||
    typeof (input as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function' ||
    typeof (input as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/**
 * The chunks of a web `ReadableStream`; stopping early (an error, or the caller breaking out)
 * cancels the stream. Shared by the CSV and workbook readers. Internal.
 *
 * @example
 * ```ts
 * for await (const chunk of streamChunks(new Blob(['a,b']).stream())) console.log(chunk);
 * ```
 */
export async function* streamChunks(stream: {
  getReader(): {
    read(): Promise<{ readonly done: boolean; readonly value?: unknown }>;
    releaseLock(): void;
    cancel(reason?: unknown): Promise<void>;
  };
}): AsyncGenerator<unknown> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } finally {
    // Stopping early (an error, or the caller breaking out) cancels the upload.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** What decoding found out, for `onHeader`: the encoding used (F5). */
export interface Decoding {
  encoding: CsvEncoding;
}

/**
 * Turns any `CsvInput` into decoded text pieces. Bytes are decoded strictly in `requested`
 * (UTF-8 when undefined) unless they start with a byte order mark, which wins (F5, as WHATWG
 * decoding does); the mark is dropped (C1), and `decoding.encoding` says what was used. A byte
 * sequence the encoding does not allow throws `EncodingFailure` (C9), located by the caller;
 * more than `maxBytes` throws `TOO_LARGE`; text chunks with an explicit `requested` encoding
 * throw `INVALID_OPTION`. Large chunks are cut into pieces so that memory stays bounded
 * whatever the caller's chunk size. Internal.
 *
 * @example
 * ```ts
 * const decoding = { encoding: 'utf-8' as const };
 * for await (const text of decodeInput([new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), ',b'], 1024, undefined, decoding)) {
 *   console.log(text); // 'a', then ',b'
 * }
 * ```
 */
export async function* decodeInput(
  input: CsvInput,
  maxBytes: number,
  requested?: CsvEncoding,
  decoding: Decoding = { encoding: requested ?? 'utf-8' },
): AsyncGenerator<string, void, undefined> {
  decoding.encoding = requested ?? 'utf-8';
  let decoder: ByteDecoder | undefined;
  let size = 0;
  let first = true;
  // The first bytes of the file, held until they show whether a byte order mark starts it.
  let head = NO_BYTES;
  // Whether the last text handed out ended with a CR: the tokenizer counted that line already.
  let afterCr = false;
  // UTF-8 only: the bytes of a character begun but not finished by the pieces so far.
  let pending = NO_BYTES;
  const tooLarge = (): LearnerStatusError =>
    new LearnerStatusError(
      'TOO_LARGE',
      `The file is larger than ${maxBytes} bytes (option maxBytes). Split it into smaller files, or raise maxBytes.`,
    );
  let source: Iterable<unknown> | AsyncIterable<unknown>;
  if (typeof input === 'string' || input instanceof Uint8Array) source = [input];
  else if (isReadableStream(input)) source = streamChunks(input);
  else source = input as Iterable<unknown> | AsyncIterable<unknown>;

  // Plain functions, not generators: the loop below yields their text itself, which keeps
  // the per-chunk path as cheap as it was before byte order marks were looked for.
  const decodePiece = (piece: Uint8Array): string => {
    decoder ??= newDecoder(decoding.encoding);
    const text = decodeOrFail(decoder, piece, afterCr, pending, decoding.encoding);
    if (decoding.encoding === 'utf-8') pending = incompleteTail(pending, piece);
    if (text.length > 0) afterCr = text.charCodeAt(text.length - 1) === 13;
    return text;
  };
  // The held first bytes, once they are known to hold a byte order mark or not: what follows
  // the mark, the encoding it names recorded.
  const release = (): Uint8Array => {
    first = false;
    const bom = sniffBom(head);
    if (bom !== undefined) decoding.encoding = bom.encoding;
    const rest = bom === undefined ? head : head.subarray(bom.length);
    head = NO_BYTES;
    return rest;
  };

  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      if (requested !== undefined) {
        throw new LearnerStatusError(
          'INVALID_OPTION',
          `Option \`encoding\` applies to bytes, but the CSV input holds text, which is already decoded. Leave the option out, or pass the file's bytes.`,
          { field: 'encoding' },
        );
      }
      if (head.length > 0) yield decodePiece(release());
      if (decoder !== undefined) {
        // Bytes followed by text: the bytes must have ended on a whole character. A strict
        // decoder either throws here or has nothing left to give.
        decodeOrFail(decoder, undefined, afterCr, pending, decoding.encoding);
        decoder = undefined;
        pending = NO_BYTES;
      }
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      for (let start = 0; start < chunk.length; start += PIECE) {
        let piece = chunk.slice(start, start + PIECE);
        if (first) {
          first = false;
          if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
        }
        if (piece.length > 0) afterCr = piece.charCodeAt(piece.length - 1) === 13;
        yield piece;
      }
    } else if (chunk instanceof Uint8Array) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      let bytes = chunk;
      if (first) {
        // A byte order mark may be cut across chunks: hold the first three bytes.
        head = concat(head, chunk);
        if (head.length < 3) continue;
        bytes = release();
      }
      for (let start = 0; start < bytes.length; start += PIECE) {
        yield decodePiece(bytes.subarray(start, start + PIECE));
      }
    } else {
      throw new LearnerStatusError(
        'INVALID_INPUT',
        `A chunk of the CSV input is ${chunk === null ? 'null' : `a ${typeof chunk}`}; chunks must be strings or Uint8Arrays (bytes).`,
      );
    }
  }
  if (head.length > 0) yield decodePiece(release());
  if (decoder !== undefined) decodeOrFail(decoder, undefined, afterCr, pending, decoding.encoding);
}

function newDecoder(encoding: CsvEncoding): ByteDecoder {
  const decoder = createDecoder(encoding);
  if (decoder === undefined) {
    throw new LearnerStatusError(
      'INVALID_INPUT',
      'This runtime has no TextDecoder, so bytes cannot be read. Pass the CSV as a string.',
    );
  }
  return decoder;
}

const NO_BYTES: Uint8Array = new Uint8Array(0);

/** `a` then `b`; `b` itself when `a` is empty. */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * The bytes at the end of `pending` + `bytes` that begin a UTF-8 character without finishing
 * it (at most 3), or none. They carry no line break, so counting lines from them is exact.
 */
function incompleteTail(pending: Uint8Array, bytes: Uint8Array): Uint8Array {
  const joined = bytes.length < 3 ? concat(pending, bytes) : bytes;
  for (let i = joined.length - 1; i >= 0 && i >= joined.length - 3; i--) {
    const b = joined[i] as number;
    if (b < 0x80) return NO_BYTES;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return joined.length - i < length ? joined.slice(i) : NO_BYTES;
    }
  }
  return NO_BYTES;
}

/** Decodes the next bytes (streaming), or flushes the decoder when `bytes` is undefined. */
function decodeOrFail(
  decoder: ByteDecoder,
  bytes: Uint8Array | undefined,
  afterCr: boolean,
  pending: Uint8Array,
  encoding: CsvEncoding,
): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    if (error instanceof InvalidBytes) {
      throw new EncodingFailure(countLineBreaks(error.textBefore, afterCr));
    }
    if (bytes === undefined || encoding !== 'utf-8') throw new EncodingFailure(0);
    // The bad sequence may have begun in an earlier piece: count from its first byte.
    const from = concat(pending, bytes);
    throw new EncodingFailure(lineBreaksBeforeInvalid(from, afterCr && pending.length === 0));
  }
}
