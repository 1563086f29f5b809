import { parse as csvParse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, fieldBit } from '../../src/csv/tokenizer.js';
import { cut, tokenize, tokenizeText, utf8 } from './helpers.js';

const fields = (text: string): string[][] => tokenizeText(text).map((record) => record.fields);
const lines = (text: string): number[] => tokenizeText(text).map((record) => record.line);

function thrown(text: string): { code: string; line: number } {
  try {
    tokenizeText(text);
  } catch (error) {
    return error as { code: string; line: number };
  }
  throw new Error('expected an error');
}

describe('CsvTokenizer: the classic edge-case corpus (C7)', () => {
  it.each([
    ['plain fields', 'a,b,c\n', [['a', 'b', 'c']]],
    ['quoted comma', '"a,b",c\n', [['a,b', 'c']]],
    ['escaped quotes', '"say ""hi""",x\n', [['say "hi"', 'x']]],
    ['quoted LF', '"a\nb",c\n', [['a\nb', 'c']]],
    ['quoted CRLF', '"a\r\nb",c\r\n', [['a\r\nb', 'c']]],
    ['empty fields', ',,\n', []],
    ['empty fields among others', ',a,\n', [['', 'a', '']]],
    ['quoted empty fields', '"",,\n', [['', '', '']]],
    ['empty quoted field', '"",x\n', [['', 'x']]],
    ['only quotes', '""""\n', [['"']]],
    ['UTF-8 text', 'Zoë,Nguyễn,😀\n', [['Zoë', 'Nguyễn', '😀']]],
    [
      'CRLF',
      'a,b\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'CR only',
      'a,b\rc,d\r',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'no final line end',
      'a,b\nc,d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['trailing comma', 'a,\n', [['a', '']]],
    ['trailing comma at end of input', 'a,', [['a', '']]],
    ['quoted field at end of input', 'a,"b"', [['a', 'b']]],
    ['spaces kept', ' a , b \n', [[' a ', ' b ']]],
  ])('%s', (_name, text, expected) => {
    expect(fields(text)).toEqual(expected);
  });

  it('C7: every unquoted CRLF, LF or CR ends a record, so no unquoted value holds a line break', () => {
    expect(fields('a,b\r\nc,d\ne,f\rg,h\n\ri,j')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
      ['i', 'j'],
    ]);
  });

  it('C7: empty and white-space-only lines are skipped anywhere, but still counted as lines', () => {
    const text = '\n  \r\nh1,h2\n\n\t \u00a0\na,b\r\n\r\n   \nc,d\n\n';
    expect(tokenizeText(text)).toEqual([
      { fields: ['h1', 'h2'], line: 3 },
      { fields: ['a', 'b'], line: 6 },
      { fields: ['c', 'd'], line: 9 },
    ]);
  });

  it('C7: a quoted blank is a value, not a blank line', () => {
    expect(fields('""\n" "\n')).toEqual([[''], [' ']]);
  });

  it('C6: line is where the record starts, counting line breaks inside quotes (CRLF once)', () => {
    expect(lines('h\r\n"a\r\nb\nc\rd",x\r\ne\r\n')).toEqual([1, 2, 6]);
    expect(lines('h\n"a\r""\nb"\nz\n')).toEqual([1, 2, 5]);
  });

  it('a record can be empty text and end the input without a line end', () => {
    expect(fields('')).toEqual([]);
    expect(fields('\n\n')).toEqual([]);
  });
});

describe('CsvTokenizer: malformed input is refused (C9)', () => {
  it('UNCLOSED_QUOTE names the line where the quote opened, not the end of the file', () => {
    expect(thrown('h1,h2\na,"b\nc,d\ne,f\n')).toMatchObject({ code: 'UNCLOSED_QUOTE', line: 2 });
  });

  it('INVALID_QUOTE for a quote inside an unquoted field', () => {
    expect(thrown('h\nab"c,d\n')).toMatchObject({ code: 'INVALID_QUOTE', line: 2 });
    expect(thrown('h\n "a",b\n')).toMatchObject({ code: 'INVALID_QUOTE', line: 2 });
  });

  it('INVALID_QUOTE for text after a closing quote, naming what follows', () => {
    const error = thrown('h\n"a"b,c\n') as { code: string; line: number; message: string };
    expect(error).toMatchObject({ code: 'INVALID_QUOTE', line: 2 });
    expect(error.message).toContain("'b'");
    expect((thrown('h\n"a"\u0001\n') as unknown as { message: string }).message).toContain(
      'U+0001',
    );
  });

  it('INVALID_QUOTE when a quote starts a chunk that continues an unquoted field', () => {
    const tokenizer = new CsvTokenizer(() => undefined);
    tokenizer.push('ab');
    expect(() => tokenizer.push('"c')).toThrow(expect.objectContaining({ code: 'INVALID_QUOTE' }));
  });
});

describe('CsvTokenizer: limits and flags', () => {
  it('C9: cuts a field at the cap whatever the chunking, so memory stays bounded', async () => {
    const long = 'x'.repeat(50);
    const text = `${long},"${long}"\n`;
    const whole = await tokenize(text, 10);
    expect(whole[0]?.fields).toEqual(['x'.repeat(10), 'x'.repeat(10)]);
    for (const size of [1, 3, 7, 13]) {
      const chunks = cut(
        text,
        Array.from({ length: text.length }, (_, i) => i * size),
      );
      expect(await tokenize(chunks, 10)).toEqual(whole);
    }
  });

  it('C9: marks the fields that hold anything but printable ASCII', () => {
    const seen: number[] = [];
    const tokenizer = new CsvTokenizer((_fields, _count, _line, unusual) => seen.push(unusual));
    tokenizer.push('a,b\nZoë,b\na,"x\ny"\na,b\u0007\n"é",b\n');
    tokenizer.finish();
    expect(seen).toEqual([0, fieldBit(0), fieldBit(1), fieldBit(1), fieldBit(0)]);
    expect(fieldBit(40)).toBe(fieldBit(31));
  });

  it('reports the current physical line', () => {
    const tokenizer = new CsvTokenizer(() => undefined);
    tokenizer.push('a\r');
    expect(tokenizer.line).toBe(2);
    tokenizer.push('');
    tokenizer.push('\nb\n');
    expect(tokenizer.line).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// Differential and chunking properties (C7): generated RFC 4180 documents.

const alphabet = fc.constantFrom(
  'a',
  'b',
  'Z',
  '1',
  ' ',
  ',',
  '"',
  '\r',
  '\n',
  '\t',
  'é',
  'ß',
  '😀',
  '\u00a0',
  '-',
);
const field = fc.string({ unit: alphabet, maxLength: 8 });
const record = fc.array(field, { minLength: 1, maxLength: 5 });
const ending = fc.constantFrom('\r\n', '\n', '\r');

interface Document {
  readonly text: string;
  readonly records: string[][];
  readonly lines: number[];
}

function encodeField(value: string, forceQuotes: boolean): string {
  return forceQuotes || /[",\r\n]/.test(value) || value.trim() !== value
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

const breaks = (text: string): number => (text.match(/\r\n|\r|\n/g) ?? []).length;

/** A document, its records and the line where each starts, with blank lines sprinkled in. */
const document = fc
  .array(fc.tuple(record, fc.boolean(), ending, fc.constantFrom('', '', '', '\n', '  \r\n')), {
    minLength: 1,
    maxLength: 12,
  })
  .chain((rows) => fc.tuple(fc.constant(rows), fc.boolean()))
  .map(([rows, finalBreak]): Document => {
    let text = '';
    const records: string[][] = [];
    const lines: number[] = [];
    rows.forEach(([cells, quoteAll, end, blank], index) => {
      text += blank;
      lines.push(breaks(text) + 1);
      // A record of blank unquoted fields only would be a blank line or a cleared row (F2):
      // quote it.
      const cleared = cells.every((cell) => cell.trim() === '');
      text += cells.map((cell) => encodeField(cell, quoteAll || cleared)).join(',');
      records.push(cells);
      if (index < rows.length - 1 || finalBreak) text += end;
    });
    return { text, records, lines };
  });

const cutPoints = fc.array(fc.nat(), { maxLength: 12 });

describe('CsvTokenizer properties (C7)', () => {
  it('C7: differential: same records as csv-parse (strict) and as generated, under any byte chunking', async () => {
    await fc.assert(
      fc.asyncProperty(document, cutPoints, fc.boolean(), async (doc, points, bom) => {
        const reference = (
          csvParse(doc.text, {
            relax_column_count: true,
            relax_quotes: false,
            skip_empty_lines: true,
            record_delimiter: ['\r\n', '\n', '\r'],
            raw: true,
          }) as unknown as { record: string[]; raw: string }[]
        )
          // csv-parse keeps white-space-only lines as records; C7 skips them.
          .filter((entry) => entry.raw.trim() !== '')
          .map((entry) => entry.record);
        const bytes = utf8((bom ? '\uFEFF' : '') + doc.text);
        const scale = bytes.length + 1;
        const chunks = cut(
          bytes,
          points.map((p) => p % scale),
        );
        const ours = await tokenize(chunks);
        expect(ours.map((r) => r.fields)).toEqual(doc.records);
        expect(ours.map((r) => r.line)).toEqual(doc.lines);
        expect(ours.map((r) => r.fields)).toEqual(reference);
      }),
      { numRuns: 150 },
    );
  });

  it('C7: any chunking of the text (string chunks) yields the same records as the whole', async () => {
    await fc.assert(
      fc.asyncProperty(document, cutPoints, async (doc, points) => {
        const chunks = cut(
          doc.text,
          points.map((p) => p % (doc.text.length + 1)),
        );
        expect(await tokenize(chunks)).toEqual(tokenizeText(doc.text));
      }),
      { numRuns: 150 },
    );
  });

  it('C7: a quoted line break or a CRLF split at a chunk edge is one line break', async () => {
    const text = 'h\r\n"a\r\nb",c\r\nd,e\r\n';
    const whole = tokenizeText(text);
    for (let at = 1; at < text.length; at++) {
      expect(await tokenize([text.slice(0, at), text.slice(at)])).toEqual(whole);
    }
  });
});
