import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvHeader, type CsvInput, type CsvOptions, parseCsv } from '../../src/csv/index.js';
import { collect, cut, rejection, utf8 } from './helpers.js';

async function read(text: CsvInput, options: CsvOptions = {}) {
  let header: CsvHeader | undefined;
  let rowsBeforeHeader = 0;
  const rows = await collect(text, {
    ...options,
    onHeader: (seen) => {
      header = seen;
    },
  });
  for (const _row of rows) if (header === undefined) rowsBeforeHeader++;
  return { rows, header, rowsBeforeHeader };
}

const summary = (rows: Awaited<ReturnType<typeof read>>['rows']) =>
  rows.map((row) => [row.line, row.result.ok ? row.result.update : row.result.issues[0]?.code]);

describe("F4: option delimiter and 'auto'", () => {
  it.each([
    [',', 'Email,Active\r\nada@example.org,No\r\n'],
    [';', 'Email;Active\r\nada@example.org;No\r\n'],
    ['\t', 'Email\tActive\r\nada@example.org\tNo\r\n'],
    ['|', 'Email|Active\r\nada@example.org|No\r\n'],
  ] as const)('auto reads %j from the header alone', async (delimiter, text) => {
    const { rows, header } = await read(text);
    expect(header).toEqual({
      line: 1,
      columns: ['Email', 'Active'],
      delimiter,
      encoding: 'utf-8',
    });
    expect(summary(rows)).toEqual([[2, { userId: 'ada@example.org', status: 'deactivated' }]]);
  });

  it('auto takes the first delimiter, in the order comma, semicolon, tab, |, that qualifies', async () => {
    // Under comma the header is 'Email;Name' and 'Active': no id column. Under ';' it qualifies.
    const { header, rows } = await read('Email;Name,x;Active\nada@example.org;Ada, Lovelace;No\n');
    expect(header?.delimiter).toBe(';');
    expect(rows[0]?.values).toEqual({
      Email: 'ada@example.org',
      'Name,x': 'Ada, Lovelace',
      Active: 'No',
    });
    // Both qualify: comma wins.
    const both = 'Email,Active,Name;Email;Active\na@example.org,Yes,x\n';
    expect((await read(both)).header?.delimiter).toBe(',');
  });

  it('auto decides from the header only: a semicolon in the values changes nothing', async () => {
    const { header, rows } = await read('Email,Active\nada@example.org;x,No\n');
    expect(header?.delimiter).toBe(',');
    expect(rows[0]?.values['Email']).toBe('ada@example.org;x');
  });

  it('an explicit delimiter is used as given, even when another would qualify', async () => {
    const error = await rejection(
      collect('Email;Active\nada@example.org;No\n', { delimiter: ',' }),
    );
    expect(error).toMatchObject({ code: 'MISSING_ID_COLUMN', line: 1 });
  });

  it('an explicit delimiter reads the header under it (MISSING_ID_COLUMN otherwise, without the auto note)', async () => {
    const error = await rejection(
      collect('Email;Active\nada@example.org;No\n', { delimiter: '|' }),
    );
    expect(error).toMatchObject({ code: 'MISSING_ID_COLUMN', line: 1 });
    expect(error.message).not.toContain('were tried');
  });

  it('when no delimiter qualifies, the error is the one comma gives, and says which were tried', async () => {
    const error = await rejection(collect('Name;Active\nada;No\n'));
    expect(error).toMatchObject({ code: 'MISSING_ID_COLUMN', line: 1 });
    expect(error.message).toBe(
      "Line 1: no column names the user: expected one of User ID, UserId, Username, Login, Email, Email Address, found 'Name;Active'. Rename the column or set the option idColumn. The delimiters comma, semicolon, tab and '|' were tried: under none does the header have a column that names the user and a change column.",
    );
    const noChange = await rejection(collect('Email,Name\nada,Ada\n'));
    expect(noChange).toMatchObject({ code: 'MISSING_CHANGE_COLUMN', line: 1 });
    expect(noChange.message).toContain('were tried');
  });

  it('a header that qualifies under a delimiter still gets its own header errors', async () => {
    expect(await rejection(collect('Email;Login;Active\na;b;Yes\n'))).toMatchObject({
      code: 'AMBIGUOUS_ID_COLUMN',
    });
  });

  it('blank lines and cleared rows before the header are skipped under every delimiter', async () => {
    const { header, rows } = await read('\r\n;;\r\nEmail;Active\r\n;;\r\nada@example.org;No\r\n');
    expect(header).toMatchObject({ line: 3, delimiter: ';' });
    expect(rows.map((row) => row.line)).toEqual([5]);
  });

  it('a quote error under one candidate does not stop another from qualifying', async () => {
    expect(await rejection(collect('Email;"Act"ive;Active\na;x;Yes\n'))).toMatchObject({
      code: 'INVALID_QUOTE',
      line: 1,
    });
    const tab = await read('Email\tActive\t"a""b"\nada@example.org\tNo\tx\n');
    expect(tab.header?.delimiter).toBe('\t');
  });

  it('quoted fields work under every delimiter (the delimiter inside quotes is text)', async () => {
    for (const d of [',', ';', '\t', '|']) {
      const text = `Email${d}Name${d}Active\n"ada@example.org"${d}"A${d}B ""x"""${d}No\n`;
      const { rows, header } = await read(text);
      expect(header?.delimiter).toBe(d);
      expect(rows[0]?.values['Name']).toBe(`A${d}B "x"`);
    }
  });

  it('INVALID_QUOTE names the delimiter that should follow a closing quote', async () => {
    const error = await rejection(collect('Email;Active\n"a"x;No\n'));
    expect(error.message).toContain("followed by ';' or the end of the line");
    const tab = await rejection(collect('Email\tActive\n"a"x\tNo\n'));
    expect(tab.message).toContain('followed by a tab or the end of the line');
  });

  it('refuses an unknown delimiter as INVALID_OPTION, naming the accepted ones', () => {
    expect(() => parseCsv('', { delimiter: ':' as ',' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'delimiter' }),
    );
  });

  it('a header longer than the first piece of text is still found (the text is held)', async () => {
    const long = 'x'.repeat(200_000);
    const text = `Email;${long};Active\nada@example.org;;No\n`;
    const chunks = cut(utf8(text), [10, 70_000, 150_000]);
    const { header, rows } = await read(chunks);
    expect(header?.delimiter).toBe(';');
    expect(rows).toHaveLength(1);
  });
});

describe("F4: Excel's sep= line", () => {
  it.each([
    ['sep=;\r\nEmail;Active\r\nada@example.org;No\r\n', ';'],
    ['SEP=|\nEmail|Active\nada@example.org|No\n', '|'],
    ['sep=\t\rEmail\tActive\rada@example.org\tNo', '\t'],
    ['sep=,\nEmail,Active\nada@example.org,No\n', ','],
  ])('%j sets the delimiter and is not the header; lines keep their numbers', async (text, d) => {
    const { header, rows } = await read(text);
    expect(header).toMatchObject({ line: 2, delimiter: d, columns: ['Email', 'Active'] });
    expect(summary(rows)).toEqual([[3, { userId: 'ada@example.org', status: 'deactivated' }]]);
  });

  it('the sep= line wins over auto, even when another delimiter would qualify', async () => {
    // Under '|' the header has no id column: the hint is obeyed, and the error says so.
    expect(await rejection(collect('sep=|\nEmail,Active\na,No\n'))).toMatchObject({
      code: 'MISSING_ID_COLUMN',
      line: 2,
    });
  });

  it('an explicit delimiter wins over the sep= line, which is still not the header', async () => {
    const rows = await collect('sep=;\nEmail,Active\nada@example.org,No\n', { delimiter: ',' });
    expect(rows.map((row) => row.line)).toEqual([3]);
  });

  it('a file of only the sep= line is EMPTY_FILE on line 2', async () => {
    expect(await rejection(collect('sep=;\r\n'))).toMatchObject({ code: 'EMPTY_FILE', line: 2 });
  });

  it('sep= after a byte order mark is still the hint; other sep= forms are a header like any other', async () => {
    const { header } = await read(utf8('\ufeffsep=;\nEmail;Active\na;No\n'));
    expect(header).toMatchObject({ line: 2, delimiter: ';' });
    expect(await rejection(collect('sep=;x\nEmail;Active\na;No\n'))).toMatchObject({
      code: 'MISSING_ID_COLUMN',
      line: 1,
    });
  });

  it('the sep= line is found whatever the chunking', async () => {
    const text = 'sep=;\r\nEmail;Active\r\nada@example.org;No\r\n';
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(text.length), { maxLength: 6 }), async (points) => {
        const { header, rows } = await read(cut(utf8(text), points));
        expect(header?.delimiter).toBe(';');
        expect(rows.map((row) => row.line)).toEqual([3]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('F4: onHeader', () => {
  it('is called once, before the first row, with what was used', async () => {
    const events: string[] = [];
    for await (const row of parseCsv('Email,Active\na,No\nb,Yes\n', {
      onHeader: (header) => events.push(`header ${header.line}`),
    }))
      events.push(`row ${row.line}`);
    expect(events).toEqual(['header 1', 'row 2', 'row 3']);
  });

  it('is not called for a file refused at its header; an error it throws ends the read', async () => {
    let called = false;
    await rejection(collect('Name,Active\nx,No\n', { onHeader: () => (called = true) }));
    expect(called).toBe(false);
    const thrown = new Error('stop');
    await expect(
      collect('Email,Active\na,No\n', {
        onHeader: () => {
          throw thrown;
        },
      }),
    ).rejects.toBe(thrown);
  });

  it('must be a function', () => {
    expect(() => parseCsv('', { onHeader: 'x' as unknown as () => void })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'onHeader' }),
    );
  });
});
