// F5: the encodings a spreadsheet program saves CSV in. UTF-8 is decoded by the runtime's
// TextDecoder; UTF-16 and Windows-1252 by the small decoders below, because runtimes disagree
// on them (Node 20 decodes 'windows-1252' as ISO-8859-1: byte 0x80 becomes U+0080, not '€'),
// and rows must not depend on the runtime.

/**
 * An encoding `parseCsv` reads (F5). `'utf-8'` is the default; `'utf-16le'` and `'utf-16be'` are
 * also recognised by their byte order mark; `'windows-1252'` is what Excel's "CSV (Comma
 * delimited)" writes on Western-locale Windows.
 *
 * @example
 * ```ts
 * import type { CsvEncoding } from 'learner-status/csv';
 *
 * const excelDefault: CsvEncoding = 'windows-1252';
 * ```
 */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * The labels option `encoding` accepts (ASCII case-insensitive), and the encoding each names:
 * the WHATWG labels `latin1` and `iso-8859-1` name Windows-1252, as browsers read them.
 */
export const ENCODING_LABELS: ReadonlyMap<string, CsvEncoding> = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['utf-16le', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
  ['windows-1252', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['iso-8859-1', 'windows-1252'],
]);

/** Decoding stopped at a byte sequence the encoding does not allow. */
export class InvalidBytes extends Error {
  /** `textBefore`: what the bytes before the bad sequence decode to (in this call). */
  constructor(readonly textBefore: string) {
    super('invalid bytes');
  }
}

/** A streaming decoder: `decode(bytes)` for each piece, then `decode()` once at the end. */
export interface ByteDecoder {
  decode(bytes?: Uint8Array): string;
}

/** Windows-1252 bytes 0x80-0x9F (WHATWG index); the five unassigned ones stay C1 controls. */
const W1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Code units are turned into text this many at a time: a bounded argument list. */
const BLOCK = 8192;

function fromCodes(codes: Uint16Array, length: number): string {
  let text = '';
  for (let start = 0; start < length; start += BLOCK) {
    text += String.fromCharCode.apply(
      null,
      codes.subarray(start, Math.min(length, start + BLOCK)) as unknown as number[],
    );
  }
  return text;
}

/** Every byte is a character: nothing to carry between pieces, nothing invalid. */
class Windows1252Decoder implements ByteDecoder {
  decode(bytes?: Uint8Array): string {
    if (bytes === undefined) return '';
    const codes = new Uint16Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      codes[i] = b >= 0x80 && b <= 0x9f ? (W1252_HIGH[b - 0x80] as number) : b;
    }
    return fromCodes(codes, bytes.length);
  }
}

/**
 * UTF-16 in either byte order, strict: a lone surrogate or an odd byte at the end is invalid.
 * An unfinished code unit or surrogate pair at the end of a piece waits for the next one.
 */
class Utf16Decoder implements ByteDecoder {
  /** A byte of a code unit begun in the last piece, or -1. */
  private oddByte = -1;
  /** A high surrogate that ended the last piece, or -1. */
  private high = -1;

  constructor(private readonly bigEndian: boolean) {}

  decode(bytes?: Uint8Array): string {
    if (bytes === undefined) {
      if (this.oddByte !== -1 || this.high !== -1) throw new InvalidBytes('');
      return '';
    }
    const codes = new Uint16Array(bytes.length + 2);
    let length = 0;
    let i = 0;
    let first = this.oddByte;
    this.oddByte = -1;
    while (i < bytes.length) {
      let a: number;
      if (first !== -1) {
        a = first;
        first = -1;
      } else {
        a = bytes[i++] as number;
        if (i === bytes.length) {
          this.oddByte = a;
          break;
        }
      }
      const b = bytes[i++] as number;
      const unit = this.bigEndian ? (a << 8) | b : a | (b << 8);
      if (this.high !== -1) {
        if (unit < 0xdc00 || unit > 0xdfff) throw new InvalidBytes(fromCodes(codes, length));
        codes[length++] = this.high;
        codes[length++] = unit;
        this.high = -1;
      } else if (unit >= 0xd800 && unit <= 0xdbff) {
        this.high = unit;
      } else if (unit >= 0xdc00 && unit <= 0xdfff) {
        throw new InvalidBytes(fromCodes(codes, length));
      } else {
        codes[length++] = unit;
      }
    }
    return fromCodes(codes, length);
  }
}

/**
 * A decoder for `encoding`: UTF-8 strictly through the runtime's TextDecoder (never dropping a
 * byte order mark: the caller has already taken it off), the others with the decoders above.
 * Undefined when UTF-8 is asked for and the runtime has no TextDecoder.
 */
export function createDecoder(encoding: CsvEncoding): ByteDecoder | undefined {
  if (encoding === 'windows-1252') return new Windows1252Decoder();
  if (encoding !== 'utf-8') return new Utf16Decoder(encoding === 'utf-16be');
  const Decoder = (globalThis as { TextDecoder?: Utf8DecoderConstructor }).TextDecoder;
  if (Decoder === undefined) return undefined;
  const decoder = new Decoder('utf-8', { fatal: true, ignoreBOM: true });
  return {
    decode(bytes?: Uint8Array): string {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    },
  };
}

// TextDecoder is a global of every runtime we support (Node, browsers, Deno, Bun, workers) but
// it is not in lib ES2022, and lib DOM would leak DOM types into our declarations.
interface Utf8Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
type Utf8DecoderConstructor = new (
  label: string,
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => Utf8Decoder;

/**
 * The encoding a byte order mark at the start of `head` names, and its length; undefined when
 * `head` starts with none. `head` holds at least 3 bytes unless the input is shorter.
 */
export function sniffBom(head: Uint8Array): { encoding: CsvEncoding; length: number } | undefined {
  const [a, b, c] = head;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** Line breaks in `text` (CRLF once); `afterCr`: a CR just before it was already counted. */
export function countLineBreaks(text: string, afterCr: boolean): number {
  let lines = 0;
  let previousCr = afterCr;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) lines++;
    else if (c === 10 && !previousCr) lines++;
    previousCr = c === 13;
  }
  return lines;
}
