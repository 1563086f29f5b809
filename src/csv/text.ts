// Character classes for CSV cells (C1, C3, C9). Everything here is ASCII-only by design:
// `toLowerCase` on arbitrary text is Unicode case folding (the Kelvin sign 'K' lowers to 'k',
// 'İ' to 'i̇'), which would let look-alike text match a keyword.

/** True when every character is printable ASCII (space to tilde): the fast, common case. */
const NOT_PRINTABLE_ASCII = /[^ -~]/;

/** Printable ASCII only? Then `toLowerCase` is plain ASCII lowering and no check is needed. */
export function isPrintableAscii(text: string): boolean {
  return !NOT_PRINTABLE_ASCII.test(text);
}

/**
 * `text.trim()`, but without the call when both ends are printable ASCII other than space:
 * the case of almost every cell, and this runs several times per row.
 */
export function trimCell(text: string): string {
  const n = text.length;
  if (n === 0) return text;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? text : text.trim();
}

/** Lower-cases A-Z only; every other character stays as it is. */
export function asciiLower(text: string): string {
  if (isPrintableAscii(text)) return text.toLowerCase();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : text[i];
  }
  return out;
}

/**
 * C1: a header name as it is compared: trimmed (`String.prototype.trim`, so non-breaking
 * spaces and a stray BOM go too), inner runs of white space made one space, A-Z lowered.
 */
export function normalizeHeader(name: string): string {
  return asciiLower(name.trim().replace(/\s+/g, ' '));
}

/**
 * Whether the UTF-16 code unit `code` is a control or invisible formatting character: C0 and
 * C1 controls, the soft hyphen, the Arabic letter mark and Mongolian vowel separator, zero-width
 * characters and direction marks, line and paragraph separators, embeddings and isolates, word
 * joiners and the BOM. The one list of such characters, for checks and for display.
 */
export function isControlOrInvisible(code: number): boolean {
  return (
    code < 32 ||
    (code >= 127 && code <= 159) ||
    code === 0xad ||
    code === 0x61c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff
  );
}

/**
 * The first control or invisible formatting character in `text`, or undefined. Tabs and line
 * breaks count: inside a trimmed value they are never intended. Zero-width and direction
 * marks count too: they make two values that look the same compare different.
 */
export function findControlCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    if (isControlOrInvisible(text.charCodeAt(i))) return text[i];
  }
  return undefined;
}

/** `U+00A0` style name of a character, for messages. */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

// Letters from other scripts that render like Latin ones, and typographic quotes. Not a full
// Unicode confusables table: the targets are a handful of keywords (yes, no, never, headers),
// so the letters those words use, in the scripts that spreadsheets and keyboards produce.
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  һ: 'h',
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  У: 'y',
  Х: 'x',
  Ѕ: 's',
  І: 'i',
  Ј: 'j',
  Ү: 'y',
  ο: 'o',
  ν: 'v',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  ı: 'i',
  İ: 'i',
  ſ: 's',
  '\u212a': 'k',
  '\u00a0': ' ',
};
const QUOTES = new Set([
  '\u2018',
  '\u2019',
  '\u201a',
  '\u201b',
  '\u201c',
  '\u201d',
  '\u201e',
  '\u201f',
  '\u00ab',
  '\u00bb',
  '\u2032',
  '\u2033',
  '"',
  "'",
]);

/**
 * C9: when `text` is not plain ASCII but reads as one of `targets` (lower-case ASCII) once
 * look-alike letters, full-width forms and curly quotes are mapped to ASCII, a hint naming
 * the first offending character; undefined otherwise.
 */
export function lookalikeHint(text: string, targets: ReadonlySet<string>): string | undefined {
  if (isPrintableAscii(text)) return undefined;
  let skeleton = '';
  let culprit: string | undefined;
  for (const char of text) {
    const code = char.charCodeAt(0);
    let mapped: string;
    if (QUOTES.has(char)) {
      mapped = '';
    } else if (code >= 0xff01 && code <= 0xff5e) {
      mapped = String.fromCharCode(code - 0xfee0);
    } else {
      mapped = LOOKALIKES[char] ?? char;
    }
    if (mapped !== char && culprit === undefined && char.charCodeAt(0) > 126) culprit = char;
    skeleton += mapped;
  }
  if (culprit === undefined || !targets.has(asciiLower(skeleton.trim()))) return undefined;
  const kind = QUOTES.has(culprit)
    ? 'a curly quote'
    : culprit.charCodeAt(0) >= 0xff01 && culprit.charCodeAt(0) <= 0xff5e
      ? 'a full-width character'
      : 'a character that only looks like a Latin letter';
  return `'${culprit}' (${codePointName(culprit)}) is ${kind}; retype the value in plain ASCII`;
}
