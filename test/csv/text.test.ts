import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiLower,
  findControlCharacter,
  isControlOrInvisible,
  lookalikeHint,
  normalizeHeader,
} from '../../src/csv/text.js';

// The character classes behind C1 (header names), C3 (yes/no cells) and C9 (ids): which
// characters are controls or invisible, how text is lowered without Unicode case folding, and
// which look-alike letters, full-width forms and quotes make a value read as a keyword.

describe('isControlOrInvisible: the one list of control and invisible characters (C9)', () => {
  // Each range of the list, checked at both ends and just outside them.
  it.each([
    ['C0 controls', 0x00, 0x1f],
    ['DEL and C1 controls', 0x7f, 0x9f],
    ['soft hyphen', 0xad, 0xad],
    ['Arabic letter mark', 0x61c, 0x61c],
    ['Mongolian vowel separator', 0x180e, 0x180e],
    ['zero-width space to right-to-left mark', 0x200b, 0x200f],
    ['line and paragraph separators, embeddings and overrides', 0x2028, 0x202e],
    ['word joiner to the deprecated format characters', 0x2060, 0x206f],
    ['byte order mark / zero-width no-break space', 0xfeff, 0xfeff],
  ])('%s: U+%s to its end, and not the neighbours', (_, first, last) => {
    expect(isControlOrInvisible(first)).toBe(true);
    expect(isControlOrInvisible(last)).toBe(true);
    expect(isControlOrInvisible(Math.floor((first + last) / 2))).toBe(true);
    if (first > 0) expect(isControlOrInvisible(first - 1)).toBe(false);
    expect(isControlOrInvisible(last + 1)).toBe(false);
  });

  it('flags only control, format and separator characters (Cc, Cf, Zl, Zp; unassigned inside those blocks)', () => {
    const category = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cn}]$/u;
    for (let code = 0; code <= 0xffff; code++) {
      if (isControlOrInvisible(code)) expect(String.fromCharCode(code)).toMatch(category);
    }
  });

  it('findControlCharacter names the first one in a text, or nothing', () => {
    expect(findControlCharacter('ada\u200bx\u0000')).toBe('\u200b');
    expect(findControlCharacter('a\u00a0da')).toBeUndefined();
    expect(findControlCharacter('')).toBeUndefined();
    expect(findControlCharacter('ada\u2060')).toBe('\u2060');
  });
});

describe('asciiLower: A-Z lowered, nothing else touched (no Unicode case folding)', () => {
  it.each([
    ['ACTIVE', 'active'],
    ['@AZ[`az{', '@az[`az{'],
    // With a non-ASCII character the slow path runs: the same answer for the ASCII part.
    ['@AZ[\u00e9', '@az[\u00e9'],
    ['\u0130NACT\u0130VE', '\u0130nact\u0130ve'],
    ['\u212aELVIN', '\u212aelvin'],
    ['\u00c9T\u00c9', '\u00c9t\u00c9'],
  ])('%s -> %s', (text, lowered) => {
    expect(asciiLower(text)).toBe(lowered);
  });

  it('agrees with toLowerCase on printable ASCII and leaves every other character alone', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (text) => {
        const lowered = asciiLower(text);
        expect(lowered.length).toBe(text.length);
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          const expected = c >= 65 && c <= 90 ? c + 32 : c;
          expect(lowered.charCodeAt(i)).toBe(expected);
        }
      }),
    );
  });

  it('normalizeHeader trims, joins inner white space and lowers A-Z only (C1)', () => {
    expect(normalizeHeader('\u00a0 Expiration\t \u00a0Date \ufeff')).toBe('expiration date');
    expect(normalizeHeader('\u0130D')).toBe('\u0130d');
  });
});

describe('lookalikeHint: a value that reads as a keyword only through look-alikes (C3, C9)', () => {
  // Letters of other scripts that render like the Latin letter, by the letter they mimic.
  const LOOKALIKES: [string, string][] = [
    [' ', '\u00a0'], // no-break space
    ['a', '\u0430\u0410\u0391'], // Cyrillic а А, Greek Α
    ['b', '\u0432\u0412\u0392'], // Cyrillic в В, Greek Β
    ['c', '\u0441\u0421'], // Cyrillic с С
    ['d', '\u0501'], // Cyrillic ԁ
    ['e', '\u0435\u0451\u0415\u03b5\u0395'], // Cyrillic е ё Е, Greek ε Ε
    ['h', '\u043d\u04bb\u041d\u0397'], // Cyrillic н һ Н, Greek Η
    ['i', '\u0456\u0457\u0406\u03b9\u0399\u0131\u0130'], // Cyrillic і ї І, Greek ι Ι, Turkish ı İ
    ['j', '\u0458\u0408'], // Cyrillic ј Ј
    ['k', '\u043a\u041a\u03ba\u039a\u212a'], // Cyrillic к К, Greek κ Κ, Kelvin sign
    ['m', '\u043c\u041c\u039c'], // Cyrillic м М, Greek Μ
    ['n', '\u039d'], // Greek Ν
    ['o', '\u043e\u041e\u03bf\u039f'], // Cyrillic о О, Greek ο Ο
    ['p', '\u0440\u0420\u03c1\u03a1'], // Cyrillic р Р, Greek ρ Ρ
    ['q', '\u051b'], // Cyrillic ԛ
    ['s', '\u0455\u0405\u017f'], // Cyrillic ѕ Ѕ, long s
    ['t', '\u0442\u0422\u03c4\u03a4'], // Cyrillic т Т, Greek τ Τ
    ['u', '\u03c5'], // Greek υ
    ['v', '\u03bd'], // Greek ν
    ['w', '\u051d'], // Cyrillic ԝ
    ['x', '\u0445\u0425\u03c7\u03a7'], // Cyrillic х Х, Greek χ Χ
    ['y', '\u0443\u04af\u0423\u04ae\u03a5'], // Cyrillic у ү У Ү, Greek Υ
    ['z', '\u0396'], // Greek Ζ
  ];
  const cases = LOOKALIKES.flatMap(([letter, chars]) =>
    [...chars].map((char) => [letter, char] as const),
  );

  it.each(cases)('reads %j in the place of its look-alike %j', (letter, char) => {
    const target = `x${letter}x`;
    const hint = lookalikeHint(`x${char}x`, new Set([target]));
    expect(hint).toContain(
      `'${char}' (U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`,
    );
    expect(lookalikeHint(`x${char}x`, new Set(['x-x']))).toBeUndefined();
  });

  it.each([
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
  ])('reads past the quote %j and calls it a curly quote', (quote) => {
    expect(lookalikeHint(`${quote}yes${quote}`, new Set(['yes']))).toMatch(/is a curly quote;/);
  });

  it('reads past plain quotes too, but names the character that is not ASCII', () => {
    expect(lookalikeHint('"yes"\u00a0', new Set(['yes']))).toMatch(/^'\u00a0' \(U\+00A0\)/);
    expect(lookalikeHint("'yes'\u2019", new Set(['yes']))).toMatch(/^'\u2019' \(U\+2019\)/);
    expect(lookalikeHint('"yes"', new Set(['yes']))).toBeUndefined();
  });

  it('maps the full-width forms U+FF01 to U+FF5E, and only those', () => {
    expect(lookalikeHint('\uff01', new Set(['!']))).toMatch(/is a full-width character;/);
    expect(lookalikeHint('\uff5e', new Set(['~']))).toMatch(/is a full-width character;/);
    expect(lookalikeHint('\uff59\uff45\uff53', new Set(['yes']))).toMatch(
      /^'\uff59' \(U\+FF59\) is a full-width character; retype the value in plain ASCII$/,
    );
    expect(lookalikeHint('\uff00', new Set(['\u001f', ' ']))).toBeUndefined();
    expect(lookalikeHint('\uff5f', new Set(['\u007f']))).toBeUndefined();
  });

  it('says which kind of character it found', () => {
    expect(lookalikeHint('n\u043e', new Set(['no']))).toBe(
      "'\u043e' (U+043E) is a character that only looks like a Latin letter; retype the value in plain ASCII",
    );
  });

  it('compares the value trimmed, after the mapping', () => {
    expect(lookalikeHint('y\u0435s\u00a0', new Set(['yes']))).toMatch(/^'\u0435'/);
    expect(lookalikeHint('\u00a0yes', new Set(['yes']))).toMatch(/^'\u00a0'/);
  });

  it('gives no hint for plain ASCII, or for text that reads as no target', () => {
    expect(lookalikeHint('yes', new Set(['yes']))).toBeUndefined();
    expect(lookalikeHint('\u00e9t\u00e9', new Set(['ete']))).toBeUndefined();
    expect(lookalikeHint('\u0443\u0435\u0455!', new Set(['yes']))).toBeUndefined();
  });
});
