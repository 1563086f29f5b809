// The shared-strings table (xl/sharedStrings.xml): Excel stores each distinct text once and
// cells refer to it by index, so the whole table is read before the sheet. It is the one part
// kept in memory, bounded by maxBytes like everything unzipped.
import { decodeEscapes, type XmlHandlers } from './xml.js';

/**
 * Collects the texts of a shared-strings part: the runs of rich text joined, phonetic guides
 * (`<rPh>`, the furigana of Japanese text) left out, `_xHHHH_` escapes decoded, and each text
 * cut to `cutAt` characters (the caller reports the cell as too long, so the rest of a huge
 * text is never needed).
 *
 * @example
 * ```ts
 * const shared = new SharedStrings(256);
 * readXml(peers, 'xl/sharedStrings.xml', pieces, shared);
 * shared.strings[0]; // 'Email'
 * ```
 */
export class SharedStrings implements XmlHandlers {
  readonly strings: string[] = [];
  private inItem = false;
  private inText = false;
  private phonetic = 0;
  private current = '';
  // An escape is 7 characters for 1: this many raw characters always hold `cutAt` decoded ones.
  private readonly rawCut: number;

  constructor(private readonly cutAt: number) {
    this.rawCut = cutAt * 7;
  }

  open(name: string): void {
    if (name === 'si') {
      this.inItem = true;
      this.current = '';
    } else if (name === 'rPh') this.phonetic++;
    else if (name === 't') this.inText = this.inItem && this.phonetic === 0;
  }

  text(text: string): void {
    if (!this.inText || this.current.length > this.rawCut) return;
    this.current += text;
    if (this.current.length > this.rawCut) this.current = cut(this.current, this.rawCut + 1);
  }

  close(name: string): void {
    if (name === 't') this.inText = false;
    else if (name === 'rPh') this.phonetic--;
    else if (name === 'si') {
      let text = decodeEscapes(this.current);
      if (text.length > this.cutAt) text = cut(text, this.cutAt);
      this.strings.push(text);
      this.inItem = false;
      this.current = '';
    }
  }
}

/**
 * The first `length` characters of `text`, in a string of their own: a plain slice of a long
 * string keeps the whole of it alive (V8 makes slices that point into their parent).
 *
 * @example
 * ```ts
 * cut('x'.repeat(1_000_000), 11); // 'xxxxxxxxxxx', without the million behind it
 * ```
 */
export function cut(text: string, length: number): string {
  return ` ${text.slice(0, length)}`.slice(1);
}
