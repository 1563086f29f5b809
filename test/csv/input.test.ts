import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeInput,
  EncodingFailure,
  isCsvInput,
  lineBreaksBeforeInvalid,
  PIECE,
} from '../../src/csv/input.js';
import { cut, rejection, tokenize, utf8 } from './helpers.js';

async function text(
  input: Parameters<typeof decodeInput>[0],
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<string> {
  let out = '';
  for await (const piece of decodeInput(input, maxBytes)) out += piece;
  return out;
}

function stream(chunks: (string | Uint8Array)[]) {
  let cancelled = false;
  let released = false;
  const source = {
    getReader() {
      let index = 0;
      return {
        read: async () =>
          index < chunks.length ? { done: false, value: chunks[index++] } : { done: true },
        releaseLock: () => {
          released = true;
        },
        cancel: async () => {
          cancelled = true;
        },
      };
    },
  };
  return { source, state: () => ({ cancelled, released }) };
}

describe('decodeInput (C1, C7, C9)', () => {
  it('C1: drops a UTF-8 BOM from bytes and from text, only at the start', async () => {
    expect(await text(utf8('\uFEFFa,b'))).toBe('a,b');
    expect(await text('\uFEFFa,b')).toBe('a,b');
    expect(await text(['a', utf8('\uFEFFb')])).toBe('a\uFEFFb');
    expect(await text([utf8('a'), '\uFEFFb'])).toBe('a\uFEFFb');
  });

  it('C7: any split of the bytes (BOM and multi-byte characters too) decodes to the same text', async () => {
    const whole = '\uFEFFZoë,Nguyễn,😀\r\n"a\r\nb",ß\r\n';
    const bytes = utf8(whole);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: bytes.length }), { maxLength: 10 }),
        async (points) => {
          expect(await text(cut(bytes, points))).toBe(whole.slice(1));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('cuts large chunks into pieces so memory stays bounded', async () => {
    const pieces: string[] = [];
    for await (const piece of decodeInput('x'.repeat(PIECE * 2 + 1), Number.POSITIVE_INFINITY))
      pieces.push(piece);
    expect(pieces.map((p) => p.length)).toEqual([PIECE, PIECE, 1]);
  });

  it('reads sync iterables, async iterables, and web ReadableStreams (released at the end)', async () => {
    expect(await text([utf8('a,'), 'b'])).toBe('a,b');
    async function* chunks() {
      yield utf8('a');
      yield utf8(',b');
    }
    expect(await text(chunks())).toBe('a,b');
    const { source, state } = stream([utf8('a,'), utf8('b')]);
    expect(await text(source)).toBe('a,b');
    expect(state()).toEqual({ cancelled: false, released: true });
  });

  it('cancels a web ReadableStream when reading stops early', async () => {
    const { source, state } = stream([utf8('abc'), utf8('def')]);
    for await (const _piece of decodeInput(source, Number.POSITIVE_INFINITY)) break;
    expect(state()).toEqual({ cancelled: true, released: true });
  });

  it('a stream whose cancel fails still stops quietly', async () => {
    const source = {
      getReader: () => ({
        read: async () => ({ done: false, value: utf8('a') }),
        releaseLock: () => undefined,
        cancel: () => Promise.reject(new Error('already closed')),
      }),
    };
    for await (const _piece of decodeInput(source, Number.POSITIVE_INFINITY)) break;
  });

  it('C9: TOO_LARGE past maxBytes, for bytes and for text', async () => {
    expect(await rejection(text(utf8('abcdef'), 5))).toMatchObject({ code: 'TOO_LARGE' });
    expect(await rejection(text(['abc', 'def'], 5))).toMatchObject({ code: 'TOO_LARGE' });
  });

  it('INVALID_INPUT for a chunk that is neither text nor bytes', async () => {
    const error = await rejection(text([1 as unknown as string]));
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await rejection(text([null as unknown as string]))).message).toContain('null');
  });

  it('C9: bytes that are not UTF-8 throw EncodingFailure with the line breaks before them', async () => {
    const failure = await rejection(text(new Uint8Array([0x61, 0x0d, 0x0a, 0x62, 0x0a, 0xff])));
    expect(failure).toBeInstanceOf(EncodingFailure);
    expect((failure as unknown as EncodingFailure).linesBefore).toBe(2);
    // A truncated character at the very end fails only when the input ends.
    expect(await rejection(text(new Uint8Array([0x61, 0xc3])))).toBeInstanceOf(EncodingFailure);
    // Bytes that stop mid-character before a text chunk.
    expect(await rejection(text([new Uint8Array([0xe2, 0x82]), 'x']))).toBeInstanceOf(
      EncodingFailure,
    );
  });

  it('lineBreaksBeforeInvalid understands every UTF-8 form and stops at the first bad byte', () => {
    const ok = utf8('a\rb\r\nc\nß€😀\n');
    expect(lineBreaksBeforeInvalid(new Uint8Array([...ok, 0xc0, 0x0a]))).toBe(4);
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x80, 0x80, 0x0a, 0xff]))).toBe(0); // stray continuation
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x0a, 0xe0, 0x80, 0x80]))).toBe(1); // overlong
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x0a, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x0a, 0xf0, 0x80, 0x80, 0x80]))).toBe(1);
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x0a, 0xf4, 0x90, 0x80, 0x80]))).toBe(1);
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x0a, 0xe2, 0x82, 0x41]))).toBe(1);
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x0a, 0xe2, 0x82]))).toBe(1);
    expect(lineBreaksBeforeInvalid(utf8('a\nb\rc'))).toBe(2);
    // A CRLF cut between two pieces: the CR was counted with the first piece.
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x0a, 0xff]), true)).toBe(0);
    expect(lineBreaksBeforeInvalid(new Uint8Array([0x0a, 0xff]), false)).toBe(1);
  });

  it('C9: lineBreaksBeforeInvalid agrees with a strict TextDecoder on every byte sequence', () => {
    // The oracle: the first byte at which a strict streaming decoder gives up, and the line
    // breaks before it (CRLF once). Line breaks are ASCII, so they never sit inside a character.
    const firstInvalid = (bytes: Uint8Array): number => {
      for (let end = 1; end <= bytes.length; end++) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), {
            stream: true,
          });
        } catch {
          return end - 1;
        }
      }
      return bytes.length;
    };
    const breaks = (bytes: Uint8Array, afterCr: boolean): number =>
      bytes.reduce(
        (count, b, i) =>
          count + (b === 13 || (b === 10 && (i === 0 ? !afterCr : bytes[i - 1] !== 13)) ? 1 : 0),
        0,
      );
    // Lead and continuation bytes at the edges of every UTF-8 range, and every code point
    // at the edges of the 1- to 4-byte forms, mixed with line breaks and arbitrary bytes.
    const edgeByte = fc.constantFrom(
      0x0a,
      0x0d,
      0x41,
      0x7f,
      0x80,
      0x8f,
      0x90,
      0x9f,
      0xa0,
      0xbf,
      0xc0,
      0xc1,
      0xc2,
      0xdf,
      0xe0,
      0xe1,
      0xec,
      0xed,
      0xee,
      0xef,
      0xf0,
      0xf1,
      0xf3,
      0xf4,
      0xf5,
      0xff,
    );
    const edgeChar = fc
      .constantFrom(
        0x7f,
        0x80,
        0x7ff,
        0x800,
        0xfff,
        0x1000,
        0xd7ff,
        0xe000,
        0xffff,
        0x10000,
        0x3ffff,
        0x40000,
        0xfffff,
        0x100000,
        0x10ffff,
      )
      .map((code) => [...utf8(String.fromCodePoint(code))]);
    // Whole sequences just inside and just outside each range (overlong forms, surrogates,
    // past U+10FFFF), so that a line break after them tells where decoding stopped.
    const edgeSequence = fc.constantFrom(
      [0xc1, 0xbf],
      [0xc2, 0x80],
      [0xdf, 0xc0],
      [0xe0, 0x9f, 0xbf],
      [0xe0, 0xa0, 0x80],
      [0xed, 0x9f, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xef, 0xbf, 0xc0],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf0, 0x90, 0x80, 0x80],
      [0xf4, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe1, 0x7f, 0x80],
      [0xe1, 0x80, 0x7f],
      [0xf1, 0x80, 0x80, 0xc0],
      // Bytes that lead no UTF-8 character, before what would complete a 4-byte one.
      [0xf5, 0x80, 0x80, 0x80],
      [0xff, 0xbf, 0xbf, 0xbf],
      [0xc1, 0x80, 0x80, 0x80],
      [0x80, 0x80, 0x80, 0x80],
    );
    // Mostly valid text and line breaks, so that the first bad byte comes late enough for
    // the breaks before it to tell.
    const piece = fc.oneof(
      { weight: 1, arbitrary: edgeByte.map((b) => [b]) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => [b]) },
      { weight: 4, arbitrary: edgeChar },
      { weight: 3, arbitrary: fc.constantFrom([0x0a], [0x0d], [0x0d, 0x0a]) },
      { weight: 2, arbitrary: edgeSequence },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), fc.boolean(), (pieces, afterCr) => {
        const bytes = new Uint8Array(pieces.flat());
        const valid = bytes.subarray(0, firstInvalid(bytes));
        expect(lineBreaksBeforeInvalid(bytes, afterCr)).toBe(breaks(valid, afterCr));
      }),
      { numRuns: 3000 },
    );
  });

  it('C9: TOO_LARGE only past maxBytes: exactly maxBytes is read', async () => {
    expect(await text(utf8('abcde'), 5)).toBe('abcde');
    expect(await text(['ab', 'cde'], 5)).toBe('abcde');
    expect(await rejection(text([utf8('abc'), utf8('def')], 5))).toMatchObject({
      code: 'TOO_LARGE',
    });
  });

  it('names the type of a chunk that is neither text nor bytes', async () => {
    expect((await rejection(text([1 as unknown as string]))).message).toBe(
      'A chunk of the CSV input is a number; chunks must be strings or Uint8Arrays (bytes).',
    );
    expect((await rejection(text([null as unknown as string]))).message).toBe(
      'A chunk of the CSV input is null; chunks must be strings or Uint8Arrays (bytes).',
    );
  });

  it('C9: a CRLF split between chunks of any kind is one line break before a bad byte', async () => {
    const linesBefore = async (chunks: (string | Uint8Array)[]) =>
      ((await rejection(text(chunks))) as unknown as EncodingFailure).linesBefore;
    const bad = new Uint8Array([0x0a, 0xff]);
    // The CR ended the line in the first chunk; the LF that follows ends no other.
    expect(await linesBefore([utf8('abc\r'), bad])).toBe(0);
    expect(await linesBefore(['a\r', bad])).toBe(0);
    // Without a CR before it, the LF ends a line.
    expect(await linesBefore([bad])).toBe(1);
    expect(await linesBefore([utf8('abc'), bad])).toBe(1);
    // The first three bytes are held to look for a byte order mark: counted with what follows.
    expect(await linesBefore([utf8('a\r'), bad])).toBe(1);
    expect(await linesBefore(['a', bad])).toBe(1);
    expect(await linesBefore(['a\r', 'b', bad])).toBe(1);
    // The same when the CR ends a chunk of exactly one piece.
    expect(await linesBefore([utf8(`${'a'.repeat(PIECE - 1)}\r`), bad])).toBe(0);
  });

  it('C1: only the first byte order mark is dropped, however the bytes are cut (Node 24 dropped a second one)', async () => {
    // Node 24's TextDecoder turns 0xEF | 0xBB 0xBF 0xEF 0xBB 0xBF 0x41 into 'A' when streaming:
    // the mark is taken off by the library itself, never by the runtime's decoder.
    const bytes = [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41];
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const chunks = [bytes.slice(0, a), bytes.slice(a, b), bytes.slice(b)].map((part) =>
          Uint8Array.from(part),
        );
        expect(await text(chunks)).toBe('\ufeffA');
      }
    }
  });

  it('C9: an empty byte chunk neither starts the file nor keeps a BOM that follows', async () => {
    expect(await text([new Uint8Array(0), '\ufeffa'])).toBe('a');
    expect(await text([new Uint8Array(0), utf8('\ufeffa')])).toBe('a');
    expect(await text(['x', new Uint8Array(0), '\ufeffa'])).toBe('x\ufeffa');
  });

  it('C9: INVALID_INPUT for bytes in a runtime without TextDecoder, saying to pass text', async () => {
    const host = globalThis as { TextDecoder?: unknown };
    const saved = host.TextDecoder;
    delete host.TextDecoder;
    try {
      expect(await rejection(text(utf8('id\n')))).toMatchObject({
        code: 'INVALID_INPUT',
        message:
          'This runtime has no TextDecoder, so bytes cannot be read. Pass the CSV as a string.',
      });
      // Text needs no decoder.
      expect(await text('id\n')).toBe('id\n');
    } finally {
      host.TextDecoder = saved;
    }
  });

  it('isCsvInput accepts the documented inputs only', () => {
    expect(isCsvInput('a')).toBe(true);
    expect(isCsvInput(new Uint8Array())).toBe(true);
    expect(isCsvInput([])).toBe(true);
    expect(isCsvInput(stream([]).source)).toBe(true);
    expect(isCsvInput((async function* () {})())).toBe(true);
    expect(isCsvInput(42)).toBe(false);
    expect(isCsvInput(null)).toBe(false);
    expect(isCsvInput(undefined)).toBe(false);
    expect(isCsvInput(null)).toBe(false);
    expect(isCsvInput({})).toBe(false);
  });

  it('feeds the tokenizer the same records whatever the input shape', async () => {
    const csv = 'a,b\r\n"x\r\ny",é\r\n';
    const expected = await tokenize(csv);
    expect(await tokenize(utf8(csv))).toEqual(expected);
    expect(await tokenize([...csv].map((char) => utf8(char)))).toEqual(expected);
  });
});
