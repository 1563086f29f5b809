import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvInput, type CsvRow, formatCsv, parseCsv } from '../../src/csv/index.js';
import { collect, cut, rejection, utf8 } from './helpers.js';

const header = 'Email,First Name,Active,Expiration Date\r\n';

describe('parseCsv: rows (C1-C7)', () => {
  it('C6: yields every record with its physical line, raw values and result', async () => {
    const csv = `\uFEFF${header}ada@example.org,"Lovelace, Ada",Yes,2026-12-31\r\n\r\nbob@example.org,"Bob\r\nthe second",no,\r\n  \r\ncy@example.org,Cy,TRUE,\r\n`;
    const rows = await collect(csv);
    expect(rows.map((r) => r.line)).toEqual([2, 4, 7]);
    expect(rows[0]?.values).toEqual({
      Email: 'ada@example.org',
      'First Name': 'Lovelace, Ada',
      Active: 'Yes',
      'Expiration Date': '2026-12-31',
    });
    expect(rows[0]?.result).toEqual({
      ok: true,
      issues: [],
      update: {
        userId: 'ada@example.org',
        status: 'active',
        expiresAt: new Date('2027-01-01T00:00:00Z'),
      },
    });
    expect(rows[1]?.result).toEqual({
      ok: true,
      issues: [],
      update: { userId: 'bob@example.org', status: 'deactivated' },
    });
    expect(rows[2]?.result.ok).toBe(false);
    expect(rows[2]?.result.issues[0]).toMatchObject({
      code: 'INVALID_ACTIVE_VALUE',
      column: 'Active',
      value: 'TRUE',
    });
  });

  it('C1: rows are null-prototype objects keyed by the header text as written; nothing is polluted', async () => {
    const rows = await collect(' Email ,hasOwnProperty,toString,Active\nada@example.org,x,y,Yes\n');
    const values = rows[0]?.values as Record<string, string>;
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(Object.keys(values)).toEqual([' Email ', 'hasOwnProperty', 'toString', 'Active']);
    expect(values['hasOwnProperty']).toBe('x');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    expect(rows[0]?.result.ok).toBe(true);
  });

  it('F3: too few fields read as blank (MISSING_CELLS); an extra field with a value is COLUMN_COUNT', async () => {
    const rows = await collect('Email,Active\nada@example.org\nbob@example.org,Yes,Smith, Jr.\n');
    expect(rows[0]?.values).toEqual({ Email: 'ada@example.org', Active: '' });
    expect(rows[0]?.result.issues.map((issue) => issue.code)).toEqual([
      'NO_CHANGE',
      'MISSING_CELLS',
    ]);
    expect(rows[1]?.result.issues[0]).toMatchObject({ code: 'COLUMN_COUNT', value: 'Smith, Jr.' });
    expect(rows[1]?.result.issues[0]?.message).toContain('double quotes');
  });

  it('F1: padding columns (blank header cells) are never read; a value under one is UNNAMED_COLUMN', async () => {
    const rows = await collect(
      'Email,Active,,\r\nada@example.org,No,,\r\nbob@example.org,Yes,,x\r\ncy,maybe,y,\r\n',
    );
    expect(rows.map((row) => row.values)).toEqual([
      { Email: 'ada@example.org', Active: 'No' },
      { Email: 'bob@example.org', Active: 'Yes' },
      { Email: 'cy', Active: 'maybe' },
    ]);
    expect(rows[0]?.result.issues).toEqual([]);
    expect(rows[1]?.result).toEqual({
      ok: true,
      update: { userId: 'bob@example.org', status: 'active' },
      issues: [
        {
          code: 'UNNAMED_COLUMN',
          severity: 'warning',
          value: 'x',
          message:
            'Column D has no header, so its value is not read. Give the column a header it should have, or clear the cell.',
        },
      ],
    });
    // A refused row keeps its errors and gets the warning too.
    expect(rows[2]?.result.ok).toBe(false);
    expect(rows[2]?.result.issues.map((issue) => issue.code)).toEqual([
      'INVALID_ACTIVE_VALUE',
      'UNNAMED_COLUMN',
    ]);
    expect(rows[2]?.result.issues[1]?.message).toContain('Column C has no header');
  });

  it('F1, F3: cells missing only under unnamed columns are no MISSING_CELLS', async () => {
    const rows = await collect('Email,Active,,\nada@example.org,No\n');
    expect(rows[0]?.result).toEqual({
      ok: true,
      update: { userId: 'ada@example.org', status: 'deactivated' },
      issues: [],
    });
  });

  it('F2: a row of delimiters only (cleared cells) is skipped like a blank line; later lines keep their numbers', async () => {
    const rows = await collect('Email,Active\n,\n , \t\nada@example.org,No\n,,\n');
    expect(rows.map((r) => [r.line, r.result.ok])).toEqual([[4, true]]);
  });

  it('F2: a quoted blank or an invisible character is not a cleared row (C9 still applies)', async () => {
    const rows = await collect('Email,Active\n"",\n\u200b,\nada@example.org,No\n');
    expect(rows.map((r) => [r.line, r.result.issues.map((i) => i.code)])).toEqual([
      [2, ['MISSING_ID']],
      [3, ['CONTROL_CHARACTER']],
      [4, []],
    ]);
  });

  it('C7: mixed line ends outside quotes all end records; no value holds a line break', async () => {
    const rows = await collect(
      'Email,Active\rada@example.org,Yes\nbob@example.org,No\r\ncy@example.org,Yes',
    );
    expect(rows.map((r) => [r.line, r.values['Email'], r.values['Active']])).toEqual([
      [2, 'ada@example.org', 'Yes'],
      [3, 'bob@example.org', 'No'],
      [4, 'cy@example.org', 'Yes'],
    ]);
  });

  it('reads bytes, iterables, async iterables and web ReadableStreams alike', async () => {
    const csv = `${header}ada@example.org,Ada,Yes,\r\n`;
    const expected = await collect(csv);
    expect(await collect(utf8(csv))).toEqual(expected);
    expect(await collect([csv.slice(0, 10), utf8(csv.slice(10))])).toEqual(expected);
    async function* chunks() {
      yield utf8(csv);
    }
    expect(await collect(chunks())).toEqual(expected);
    // A web ReadableStream type-checks as CsvInput without a cast.
    const web: CsvInput = new Blob([csv]).stream();
    expect(await collect(web)).toEqual(expected);
  });

  it('a string or bytes can be read twice; a stream only once', async () => {
    const csv = 'Email,Active\na,Yes\n';
    const parsed = parseCsv(csv);
    expect(await collect(csv)).toEqual(await collectFrom(parsed));
    expect((await collectFrom(parsed)).length).toBe(1);
    const once = parseCsv([csv]);
    await collectFrom(once);
    expect(() => once[Symbol.asyncIterator]()).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('stops reading when the caller breaks out, and ends cleanly after that', async () => {
    let pulled = 0;
    function* chunks() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i === 0 ? 'Email,Active\n' : `u${i},Yes\n`;
      }
    }
    const iterator = parseCsv(chunks())[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.line).toBe(2);
    await iterator.return?.();
    expect(pulled).toBeLessThan(5);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('checks options and input when called, before any reading', () => {
    expect(() => parseCsv('a', { maxrows: 5 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'maxrows' }),
    );
    expect(() => parseCsv(42 as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseCsv(null as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

async function collectFrom(iterable: AsyncIterable<CsvRow>): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of iterable) rows.push(row);
  return rows;
}

describe('parseCsv: files refused whole (C5, C9)', () => {
  it.each([
    ['an empty file', '', 'EMPTY_FILE', 1],
    ['only blank lines', '\r\n  \r\n', 'EMPTY_FILE', 1],
    ['a BOM only', '\uFEFF', 'EMPTY_FILE', 1],
    ['a header without rows', 'Email,Active\r\n\r\n', 'EMPTY_FILE', 3],
    ['an unclosed quote', 'Email,Active\na,"Yes\nb,No\nc,No\n', 'UNCLOSED_QUOTE', 2],
    ['a bare quote', 'Email,Active\na,Y"es\n', 'INVALID_QUOTE', 2],
    ['text after a closing quote', 'Email,Active\na,"Yes" \n', 'INVALID_QUOTE', 2],
    ['duplicate headers', 'Email,Active,ACTIVE\na,Yes,No\n', 'DUPLICATE_HEADER', 1],
    ['a __proto__ header', 'Email,Active,__proto__\na,Yes,x\n', 'RESERVED_HEADER', 1],
    ['no id column', 'Name,Active\na,Yes\n', 'MISSING_ID_COLUMN', 1],
    ['two id columns', 'Email,Login,Active\na,b,Yes\n', 'AMBIGUOUS_ID_COLUMN', 1],
    ['no change column (before any row)', '\nEmail,Name\na,b\n', 'MISSING_CHANGE_COLUMN', 2],
  ])('C9: %s is %s at line %i', async (_name, csv, code, line) => {
    expect(await rejection(collect(csv))).toMatchObject({ code, line });
  });

  it('C9: bytes that are not UTF-8 are INVALID_ENCODING at the right line, whatever the chunking', async () => {
    const bytes = new Uint8Array([
      ...utf8('Email,Active\r\nada@example.org,Yes\r\n"zo'),
      0xeb,
      ...utf8('",No\r\n'),
    ]);
    const error = await rejection(collect(bytes));
    expect(error).toMatchObject({ code: 'INVALID_ENCODING', line: 3 });
    expect(error.message).toContain('CSV UTF-8');
    expect(await rejection(collect(cut(bytes, [5, 20, 38])))).toMatchObject({
      code: 'INVALID_ENCODING',
      line: 3,
    });
    // The chunk boundary between the CR and the LF of a CRLF (found by the fuzzer: line 3).
    const split = new Uint8Array([...utf8('UserId,Notes,Active\r\n'), 0xed, 0xa0, 0x80]);
    for (const at of [[], [20], [21]]) {
      expect(await rejection(collect(cut(split, at)))).toMatchObject({
        code: 'INVALID_ENCODING',
        line: 2,
      });
    }
  });

  it('C9: TOO_LARGE for maxBytes, maxRows, with the line reached', async () => {
    expect(
      await rejection(collect('Email,Active\na,Yes\nb,No\nc,No\n', { maxRows: 2 })),
    ).toMatchObject({ code: 'TOO_LARGE', line: 4 });
    const bytes = await rejection(collect(['Email,Active\na,Yes\n', 'b,No\n'], { maxBytes: 20 }));
    expect(bytes).toMatchObject({ code: 'TOO_LARGE', line: 3 });
    expect(bytes.message).toContain('maxBytes');
  });

  it('C9: an over-long field is FIELD_TOO_LONG on its row, and the file goes on', async () => {
    const rows = await collect(`Email,Active,Notes\na,Yes,"${'x'.repeat(100)}"\nb,No,ok\n`, {
      maxFieldLength: 50,
    });
    expect(rows[0]?.result.issues.map((i) => i.code)).toEqual(['FIELD_TOO_LONG']);
    expect(rows[0]?.values['Notes']).toHaveLength(51);
    expect(rows[1]?.result.ok).toBe(true);
  });

  it('R11: the bounded date cache gives the same answers after it is cleared', async () => {
    const day = 86_400_000;
    const start = Date.UTC(2026, 0, 1);
    const dates = Array.from({ length: 4200 }, (_, i) =>
      new Date(start + i * day).toISOString().slice(0, 10),
    );
    const csv = formatCsv([
      ['Email', 'Expires'],
      ...dates.map((date, i) => [`u${i}`, date]),
      ['again', dates[0]],
    ]);
    const rows = await collect(csv);
    rows.forEach((row, i) => {
      const expected = new Date(start + ((i % 4200) + 1) * day);
      expect(row.result.ok && row.result.update.expiresAt).toEqual(expected);
    });
  });

  it('rethrows errors of the caller stream unchanged', async () => {
    const failure = new Error('disk gone');
    async function* chunks() {
      yield 'Email,Active\n';
      throw failure;
    }
    expect(await rejection(collect(chunks()))).toBe(failure);
  });
});

// ---------------------------------------------------------------------------------------------

const cell = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '😀', '@'),
  maxLength: 6,
});
const activeCell = fc.constantFrom('Yes', 'no', ' YES ', '', 'Expired', 'TRUE', 'Nо');
const dateCell = fc.constantFrom(
  '',
  '2026-12-31',
  'never',
  '2026-02-30',
  '2026-12-31T17:00:00Z',
  '46085',
);
const csvFile = fc
  .array(fc.tuple(cell, cell, activeCell, dateCell), { minLength: 1, maxLength: 15 })
  .map((rows) =>
    formatCsv([
      ['Email', 'Name', 'Active', 'Expires'],
      ...rows.map(([id, name, active, date]) => [`u-${id}`, name, active, date]),
    ]),
  );

describe('parseCsv properties (C7)', () => {
  it('C7: any chunking of the bytes (BOM, multi-byte characters, quoted line breaks at an edge) yields the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, fc.array(fc.nat(), { maxLength: 10 }), async (csv, points) => {
        const bytes = utf8(`\uFEFF${csv}`);
        const whole = await collect(bytes);
        const chunks = cut(
          bytes,
          points.map((p) => p % (bytes.length + 1)),
        );
        expect(await collect(chunks)).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('C6, S4: every written row comes back exactly once, in order, with its values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cell, activeCell), { minLength: 1, maxLength: 20 }),
        async (rows) => {
          const table = rows.map(([name, active], index) => [`user-${index}`, name, active]);
          const parsed = await collect(formatCsv([['Login', 'Name', 'Active'], ...table]));
          // C10: a cell that starts like a formula comes back with the leading quote formatCsv adds.
          const written = table.map(([id, name, active]) => [
            id,
            /^[=+\-@\t\r\n]/.test(name as string) ? `'${name}` : name,
            active,
          ]);
          expect(
            parsed.map((row) => [row.values['Login'], row.values['Name'], row.values['Active']]),
          ).toEqual(written);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('parseCsv with Node streams', () => {
  it('a Node Readable is an async iterable of Buffers and type-checks as CsvInput', async () => {
    const { Readable } = await import('node:stream');
    const csv = 'Email,Active\r\nada@example.org,Yes\r\n';
    const input: CsvInput = Readable.from([
      Buffer.from(csv.slice(0, 7)),
      Buffer.from(csv.slice(7)),
    ]);
    expect(await collect(input)).toEqual(await collect(csv));
  });
});

describe('parseCsv: an id quoted around a hidden character is refused, however it is split (C9)', () => {
  // The tokenizer marks a quoted field that holds anything but printable ASCII, so that the
  // id check looks at it; a line break or control character alone in the quotes must mark it.
  it.each([
    ['a CR', '\r'],
    ['an LF', '\n'],
    ['a CRLF', '\r\n'],
    ['a tab', '\t'],
    ['a NUL', '\u0000'],
    ['a zero-width space', '\u200b'],
    ['a right-to-left override', '\u202e'],
  ])('%s inside a quoted id', async (_name, hidden) => {
    const text = `Email,Active\r\n"ada${hidden}x@example.org",Yes\r\nbob@example.org,No\r\n`;
    for (const chunks of [[text], cut(text, [16, 17, 18, 19, 20, 21])]) {
      const rows = await collect(chunks);
      expect(
        rows.map((row) => [row.line, row.result.ok, row.result.issues.map((i) => i.code)]),
      ).toEqual([
        [2, false, ['CONTROL_CHARACTER']],
        [hidden.includes('\n') || hidden.includes('\r') ? 4 : 3, true, []],
      ]);
    }
  });
});

describe('parseCsv: bytes cut mid-character before a text chunk (C9)', () => {
  it('INVALID_ENCODING on the line where the broken character is, before the text is read', async () => {
    const chunks = [
      utf8('Email,Active\r\na@example.org,Yes\r\n'),
      new Uint8Array([0xe2, 0x82]),
      'b@example.org,No\r\nc@example.org,Yes\r\n',
    ];
    const seen: number[] = [];
    const error = await (async () => {
      for await (const row of parseCsv(chunks)) seen.push(row.line);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([2]);
    expect(error).toMatchObject({ code: 'INVALID_ENCODING', line: 3 });
  });
});

describe('parseCsv: a broken character is located alike however the bytes are cut (C9, C7)', () => {
  // Mostly valid text, line breaks of every kind, and sequences that break a character
  // anywhere in it, so that a cut often falls inside the broken character.
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('a', 'ß', '€', '😀', ',').map((s) => [...utf8(s)]) },
    { weight: 3, arbitrary: fc.constantFrom([0x0a], [0x0d], [0x0d, 0x0a]) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        [0xe2, 0x82],
        [0xe2, 0x41],
        [0xf0, 0x9f, 0x98],
        [0xf0, 0x9f, 0x0a],
        [0xc3],
        [0xc3, 0x0d],
        [0xed, 0xa0, 0x80],
        [0xf0, 0x90, 0x80],
        [0xe1, 0x80],
        [0xe0, 0xa0],
        [0xff],
        [0x80],
      ),
    },
  );
  const outcome = async (chunks: Uint8Array[]) => {
    const lines: number[] = [];
    try {
      for await (const row of parseCsv(chunks)) lines.push(row.line);
      return { lines, error: null };
    } catch (error) {
      const { code, line } = error as { code: string; line: number };
      return { lines, error: { code, line } };
    }
  };

  it('the line named is the same for every chunking, and no row at or after it is yielded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (pieces, cuts) => {
          const bytes = new Uint8Array([...utf8('Email,Active\r\n'), ...pieces.flat()]);
          const positions = cuts.map((c) => c % (bytes.length + 1));
          const whole = await outcome([bytes]);
          const chunked = await outcome(cut(bytes, positions));
          // The file is refused alike. How many rows before the bad line were yielded first
          // depends on where decoding stopped, but never a row at or past it.
          expect(chunked.error).toEqual(whole.error);
          const end = whole.error?.line ?? Number.POSITIVE_INFINITY;
          for (const { lines } of [whole, chunked]) {
            expect(lines.every((line) => line < end)).toBe(true);
          }
          if (whole.error === null) expect(chunked.lines).toEqual(whole.lines);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('parseCsv: COLUMN_COUNT says what to do, by the kind of mismatch (C1)', () => {
  it('too few cells: a warning naming the blank columns; too many: quote the values or remove the cells', async () => {
    const rows = await collect(
      'Email,Active\r\na@example.org,No,,\r\nb@example.org\r\nb@example.org,Yes,,y\r\n',
    );
    expect(rows.map((row) => row.result.issues)).toEqual([
      [],
      [
        {
          code: 'NO_CHANGE',
          severity: 'warning',
          message:
            "Column 'Active' is blank, so this row changes nothing. Fill it in, or delete the row.",
        },
        {
          code: 'MISSING_CELLS',
          severity: 'warning',
          message:
            "The row has 1 cell but the header has 2; 'Active' is read as blank. Check that no cell was left out.",
        },
      ],
      [
        {
          code: 'COLUMN_COUNT',
          severity: 'error',
          value: ',y',
          message:
            'The row has 4 fields but the header has 2, and field 4 (column D) holds a value. Put values that contain the delimiter in double quotes, or remove the extra cells.',
        },
      ],
    ]);
  });
});
