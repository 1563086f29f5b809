// The XML of a workbook's parts, parsed incrementally by saxes: a strict parser (a broken part
// is an error, not a guess), which neither reads external entities nor expands entities a
// document declares, so no part can make it fetch a file or blow up in memory.
import type { SaxesParser } from 'saxes';
import { isLearnerStatusError } from '../errors.js';
import { damaged } from './detect.js';
import type { Peers } from './peers.js';

/**
 * What a part's reader does with the elements and text of the XML, names without prefix.
 *
 * @example
 * ```ts
 * const names: string[] = [];
 * const handlers: XmlHandlers = { open: (name) => names.push(name), close() {}, text() {} };
 * ```
 */
export interface XmlHandlers {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  text(text: string): void;
}

interface Utf8Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
type Utf8DecoderConstructor = new (label: string, options?: { fatal?: boolean }) => Utf8Decoder;

/** `x:row` and `row` are one element: some writers prefix the main namespace. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * A streaming parser for one part: `write` UTF-8 bytes as they are inflated, then `end`. A part
 * that is not well-formed XML or not UTF-8 throws `NOT_A_WORKBOOK` (damaged); errors thrown
 * by the handlers pass through unchanged.
 *
 * @example
 * ```ts
 * const xml = new XmlPart(peers, 'xl/workbook.xml', { open: (name) => names.push(name), close() {}, text() {} });
 * xml.write(bytes);
 * xml.end();
 * ```
 */
export class XmlPart {
  private readonly parser: SaxesParser<{ position: false; xmlns: false }>;
  private readonly decoder: Utf8Decoder;

  constructor(
    peers: Peers,
    private readonly part: string,
    handlers: XmlHandlers,
  ) {
    const Decoder = (globalThis as { TextDecoder?: Utf8DecoderConstructor }).TextDecoder;
    if (Decoder === undefined) throw damaged('this runtime has no TextDecoder to read it');
    this.decoder = new Decoder('utf-8', { fatal: true });
    // Positions are not tracked: they cost time on every character and the messages that
    // would use them are about a part's XML, which nobody fixes by hand.
    this.parser = new peers.SaxesParser({ position: false, xmlns: false });
    this.parser.on('opentag', (tag) => handlers.open(localName(tag.name), tag.attributes));
    this.parser.on('closetag', (tag) => handlers.close(localName(tag.name)));
    this.parser.on('text', (text) => handlers.text(text));
    this.parser.on('cdata', (text) => handlers.text(text));
  }

  /** Parses the next bytes of the part. */
  write(bytes: Uint8Array): void {
    this.parse(this.decode(bytes));
  }

  /** Ends the part: unfinished XML or an unfinished character is an error. */
  end(): void {
    this.parse(this.decode(undefined));
    this.parse(undefined);
  }

  private decode(bytes: Uint8Array | undefined): string {
    try {
      return bytes === undefined
        ? this.decoder.decode()
        : this.decoder.decode(bytes, { stream: true });
    } catch {
      throw damaged(`its part ${this.part} is not UTF-8`);
    }
  }

  /** Parses `text`, or closes the parser when it is undefined. */
  private parse(text: string | undefined): void {
    try {
      if (text === undefined) this.parser.close();
      else this.parser.write(text);
    } catch (error) {
      if (isLearnerStatusError(error)) throw error;
      throw damaged(`its part ${this.part} is not well-formed XML: ${(error as Error).message}`);
    }
  }
}

/**
 * Parses a whole part from its pieces.
 *
 * @example
 * ```ts
 * readXml(peers, 'xl/styles.xml', readEntry(archive, entry, peers, budget), handlers);
 * ```
 */
export function readXml(
  peers: Peers,
  part: string,
  pieces: Iterable<Uint8Array>,
  handlers: XmlHandlers,
): void {
  const xml = new XmlPart(peers, part, handlers);
  for (const piece of pieces) xml.write(piece);
  xml.end();
}

const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Decodes the `_xHHHH_` escapes of Open XML strings (ST_Xstring): Excel writes a carriage
 * return as `_x000D_` and a literal `_x` as `_x005F_x`.
 *
 * @example
 * ```ts
 * decodeEscapes('a_x000D_b'); // 'a\rb'
 * decodeEscapes('_x005F_x0041_'); // '_x0041_'
 * ```
 */
export function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
