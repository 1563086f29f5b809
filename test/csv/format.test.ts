import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../src/csv/index.js';
import { thrown } from '../support/thrown.js';
import { tokenizeText } from './helpers.js';

describe('formatCsv (C10)', () => {
  it('C10: writes RFC 4180 with CRLF after every row, quoting only where needed', () => {
    expect(
      formatCsv([
        ['a', 'b c'],
        ['x,y', 'say "hi"'],
        ['line\nbreak', 'cr\rlf'],
      ]),
    ).toBe('a,b c\r\n"x,y","say ""hi"""\r\n"line\nbreak","cr\rlf"\r\n');
    expect(formatCsv([])).toBe('');
  });

  it('C10: numbers, bigints, booleans, Dates (ISO UTC), null and undefined', () => {
    expect(
      formatCsv([[1, -5, 2.5, 10n, true, new Date('2026-12-31T17:00:00+01:00'), null, undefined]]),
    ).toBe('1,-5,2.5,10,true,2026-12-31T16:00:00.000Z,,\r\n');
  });

  it.each([
    ['=', '=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+', '+1', "'+1"],
    ['-', '-1', "'-1"],
    ['@', '@cmd', "'@cmd"],
    ['tab', '\tx', "'\tx"],
    ['CR', '\r=1', '"\'\r=1"'],
    ['LF', '\n=1', '"\'\n=1"'],
    ['full-width =', '＝1+1', "'＝1+1"],
    ['full-width +', '＋1', "'＋1"],
    ['full-width -', '－1', "'－1"],
    ['full-width @', '＠x', "'＠x"],
    ['formula with quotes', '=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
  ])(
    'C10: a string starting with %s is neutralised with a leading quote',
    (_name, cell, written) => {
      expect(formatCsv([[cell]])).toBe(`${written}\r\n`);
    },
  );

  it('C10: a negative number stays a number; text in the middle is left alone', () => {
    expect(formatCsv([[-5, 'a=b', 'x-1']])).toBe('-5,a=b,x-1\r\n');
  });

  it('writes a single blank cell as "" so it does not read back as a skipped blank line', () => {
    expect(formatCsv([[''], [' '], [null]])).toBe('""\r\n" "\r\n""\r\n');
  });

  it('INVALID_INPUT for what it cannot write faithfully', () => {
    for (const rows of [
      null,
      'a',
      [[]],
      ['a'],
      [[{}]],
      [[Symbol('x')]],
      [[new Date(Number.NaN)]],
      [[() => 1]],
    ]) {
      expect(() => formatCsv(rows as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
    expect(() => formatCsv([['a', new Date(Number.NaN)]])).toThrow(
      /row 1, column 2 is an Invalid Date/,
    );
  });

  it('C10: property: parsing what formatCsv writes gives the cells back (neutralised ones with their quote)', () => {
    const unit = fc.constantFrom(
      'a',
      ' ',
      ',',
      '"',
      '\r',
      '\n',
      '\r\n',
      '=',
      '-',
      '+',
      '@',
      '\t',
      'é',
      '😀',
      '＝',
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit, maxLength: 6 }), { minLength: 1, maxLength: 4 }), {
          maxLength: 8,
        }),
        (rows) => {
          const expected = rows
            // F2: a line of unquoted blank fields only (as written, after neutralising) is a
            // cleared row and yields no record; a quoted field keeps it a record.
            .filter((row) => {
              const line = formatCsv([row]).replace(/\r\n$/, '');
              return line.includes('"') || line.split(',').some((field) => field.trim() !== '');
            })
            .map((row) =>
              row.map((cell) => (/^[=+\-@\t\r\n＝＋－＠]/.test(cell) ? `'${cell}` : cell)),
            );
          expect(tokenizeText(formatCsv(rows)).map((record) => record.fields)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('formatCsv refuses what it cannot write, naming the place (C10)', () => {
  it.each([
    ['not an array', 'a,b', 'formatCsv needs an array of rows, each an array of cells.', 'rows'],
    [
      'an empty row',
      [['a'], []],
      'formatCsv: row 2 must be a non-empty array of cells.',
      'rows[1]',
    ],
    [
      'a row that is no array',
      [['a'], ['b'], 'c'],
      'formatCsv: row 3 must be a non-empty array of cells.',
      'rows[2]',
    ],
    [
      'an Invalid Date',
      [['a', new Date(Number.NaN)]],
      'formatCsv: the cell in row 1, column 2 is an Invalid Date. Cells must be strings, numbers, booleans, valid Dates, null or undefined.',
      'rows[0][1]',
    ],
    [
      'an object',
      [['a'], ['b', 'c', {}]],
      'formatCsv: the cell in row 2, column 3 is a object. Cells must be strings, numbers, booleans, valid Dates, null or undefined.',
      'rows[1][2]',
    ],
  ])('%s', (_, rows, message, field) => {
    expect(thrown(() => formatCsv(rows as unknown[][]))).toEqual({
      code: 'INVALID_INPUT',
      message,
      field,
      line: undefined,
    });
  });
});
