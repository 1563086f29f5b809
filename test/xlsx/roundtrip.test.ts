// F8: any table of texts and numbers, written to a workbook the way Excel writes it (shared or
// inline strings, `_xHHHH_` escapes, numbers in shortest form), reads back as the same cells,
// whatever the chunks the file arrives in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSheet, type SheetCell, type SheetRecord } from '../../src/xlsx/sheet.js';
import { xlsx, xmlText } from './workbooks.js';

type Written = string | number | undefined;

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '_x000D_',
    'a_x005F_b',
    '  padded  ',
    'line\r\nbreak',
    'tab\there',
    '&amp; <tag>',
    '\u0000\u001f\u007f',
    '\ud800 lone',
    '\uffff',
    '00123',
    '1.23457E+11',
  ),
);
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0, -0, 1e21, 5e-324, Number.MAX_SAFE_INTEGER + 2),
);
const table = fc.array(
  fc.array(fc.oneof(text, number, fc.constant(undefined)), { maxLength: 30 }),
  { maxLength: 25 },
);

/** What a cell reads back as: empty text and no cell are both no cell; -0 is 0. */
function expected(cell: Written): SheetCell {
  if (cell === '') return undefined;
  if (typeof cell === 'number' && cell === 0) return 0;
  return cell;
}

describe('F8: round trip', () => {
  it('any table of texts and numbers reads back as the same cells (shared or inline, any chunks)', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.boolean(),
        fc.integer({ min: 1, max: 5000 }),
        async (rows, inline, chunk) => {
          const strings: string[] = [];
          const index = new Map<string, number>();
          const data = rows
            .map((cells, r) => {
              const xml = cells
                .map((cell, c) => {
                  const ref = `${columnName(c)}${r + 1}`;
                  if (cell === undefined) return '';
                  if (typeof cell === 'number') return `<c r="${ref}"><v>${String(cell)}</v></c>`;
                  if (inline) {
                    return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(cell)}</t></is></c>`;
                  }
                  let at = index.get(cell);
                  if (at === undefined) {
                    at = strings.push(cell) - 1;
                    index.set(cell, at);
                  }
                  return `<c r="${ref}" t="s"><v>${at}</v></c>`;
                })
                .join('');
              return `<row r="${r + 1}">${xml}</row>`;
            })
            .join('');
          const bytes = xlsx({ strings, sheets: [{ name: 'Sheet1', data }] });
          async function* pieces(): AsyncGenerator<Uint8Array> {
            for (let at = 0; at < bytes.length; at += chunk) yield bytes.slice(at, at + chunk);
          }
          const { records } = await openSheet(pieces(), { maxBytes: 1 << 24, maxFieldLength: 100 });
          const read: SheetRecord[] = [];
          for await (const record of records) read.push(record);
          const want = rows.flatMap((cells, r) => {
            const values = cells.map(expected);
            while (values.length > 0 && values.at(-1) === undefined) values.pop();
            return values.length === 0 ? [] : [{ line: r + 1, cells: values }];
          });
          expect(read).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });
});
