// The command line on the files administrators really have (SPEC 2b, issue 14): delimiters,
// encodings, workbooks known by content, and the exact --date-format hint (F7).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inProcess, oneLine, tempDir } from './run.js';

const dir = tempDir();
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Windows-1252 bytes of Latin-1-range text (enough for these fixtures). */
const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

function utf16le(text: string): Uint8Array {
  const units = `\ufeff${text}`;
  const bytes = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    bytes[2 * i] = units.charCodeAt(i) & 0xff;
    bytes[2 * i + 1] = units.charCodeAt(i) >> 8;
  }
  return bytes;
}

const enc = (text: string) => new TextEncoder().encode(text);

/** A minimal workbook as Excel lays it out: shared strings, a date style, one sheet. */
function workbook(sheetName: string, rows: string): Uint8Array {
  return zipSync({
    '[Content_Types].xml': enc(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    ),
    '_rels/.rels': enc(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': enc(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': enc(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    ),
    'xl/styles.xml': enc(
      '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
    ),
    'xl/worksheets/sheet1.xml': enc(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
    ),
  });
}

const inline = (ref: string, text: string) =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('check on spreadsheet exports (F4, F5)', () => {
  it('reads a semicolon Windows-1252 file with --encoding, and says how it read it', async () => {
    const path = file('de.csv', latin1('Email;Vorname;Active\r\njosé@example.org;José;No\r\n'));
    const refused = await inProcess(['check', path]);
    expect(refused.code).toBe(2);
    expect(oneLine(refused.stderr)).toContain('INVALID_ENCODING');
    expect(refused.stderr).toContain('--encoding windows-1252');
    const run = await inProcess(['check', path, '--encoding', 'windows-1252']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Read as: delimiter ';', encoding windows-1252");
    const json = await inProcess(['check', path, '--encoding', 'latin1', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ delimiter: ';', encoding: 'windows-1252' });
  });

  it('reads Excel "Unicode Text" (UTF-16LE, tabs) without any flag', async () => {
    const path = file('unicode.txt', utf16le('Email\tActive\r\nzoë@example.org\tYes\r\n'));
    const run = await inProcess(['check', path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Read as: delimiter tab, encoding utf-16le');
  });

  it('--delimiter is obeyed, and a bad value is a usage error naming the flag', async () => {
    const path = file('pipe.csv', 'Email|Active\nada@example.org|No\n');
    expect((await inProcess(['check', path, '--delimiter', '|'])).code).toBe(0);
    const wrong = await inProcess(['check', path, '--delimiter', 'tab']);
    expect(wrong.code).toBe(2);
    expect(oneLine(wrong.stderr)).toContain('MISSING_ID_COLUMN');
    const bad = await inProcess(['check', path, '--delimiter', ':']);
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toContain("--delimiter must be ',', ';', tab, '|' or auto");
    const badEncoding = await inProcess(['check', path, '--encoding', 'ebcdic']);
    expect(oneLine(badEncoding.stderr)).toContain('--encoding must be utf-8');
  });
});

describe('check: the exact --date-format for day/month dates (F7)', () => {
  it('prints the one format that reads every refused date, and that flag accepts it', async () => {
    const path = file(
      'us.csv',
      'Email,Active,Expiration Date\r\na@example.org,Yes,12/31/2026\r\nb@example.org,No,1/5/2027\r\n',
    );
    const run = await inProcess(['check', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Every date refused reads as M/d/yyyy (month first). Run again with --date-format M/d/yyyy.',
    );
    expect(JSON.parse((await inProcess(['check', path, '--json'])).stdout)).toMatchObject({
      suggestedDateFormat: 'M/d/yyyy',
    });
    const fixed = await inProcess(['check', path, '--date-format', 'M/d/yyyy']);
    expect(fixed.code).toBe(0);
  });

  it('says day-first for European dates, and nothing when a date is not a date at all', async () => {
    const eu = file('eu.csv', 'Email;Active;Expiration Date\na;Yes;31.12.2026\nb;No;5.1.2027\n');
    expect((await inProcess(['check', eu])).stdout).toContain('--date-format d.M.yyyy');
    const junk = file('junk.csv', 'Email,Active,Expiration Date\na,Yes,12/31/2026\nb,No,soon\n');
    const run = await inProcess(['check', junk]);
    // No hint for the file; the row's own problem still names the flag that reads its date.
    expect(run.stdout).not.toMatch(/Every date refused|Run again with/);
    expect(run.stdout).toMatch(/read this form with --date-format M{1,2}\/d{1,2}\/yyyy\./);
  });

  it('names both orders when every day is 12 or less', async () => {
    const path = file('amb.csv', 'Email,Active,Expiration Date\na,Yes,01/02/2027\n');
    expect((await inProcess(['check', path])).stdout).toContain(
      'run again with --date-format MM/dd/yyyy or dd/MM/yyyy',
    );
  });
});

describe('workbooks on the command line (F8)', () => {
  const rows = [
    `<row r="1">${inline('A1', 'Email')}${inline('B1', 'Active')}${inline('C1', 'Expiration Date')}</row>`,
    `<row r="2">${inline('A2', 'ada@example.org')}${inline('B2', 'No')}<c r="C2" s="1"><v>46387</v></c></row>`,
    `<row r="4">${inline('A4', 'bob@example.org')}${inline('B4', 'Yes')}</row>`,
  ].join('');

  it('check reads an .xlsx known by its content (any name), and names the sheet', async () => {
    const path = file('export.dat', workbook('Learners', rows));
    const run = await inProcess(['check', path]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 rows, 2 ok, 0 with errors, 0 with warnings');
    expect(run.stdout).toContain("Read as: sheet 'Learners'");
    const json = JSON.parse((await inProcess(['check', path, '--json'])).stdout);
    expect(json).toMatchObject({ sheet: 'Learners', rows: 2 });
  });

  it('--sheet picks a sheet; a missing one is exit 2 naming the sheets there are', async () => {
    const path = file('book.xlsx', workbook('Learners', rows));
    expect((await inProcess(['check', path, '--sheet', 'Learners'])).code).toBe(0);
    const missing = await inProcess(['check', path, '--sheet', 'Staff']);
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toContain('SHEET_NOT_FOUND');
    expect(missing.stderr).toContain('Learners');
  });

  it('refuses CSV-only flags for a workbook, and --sheet for a CSV', async () => {
    const book = file('flags.xlsx', workbook('Sheet1', rows));
    expect(oneLine((await inProcess(['check', book, '--delimiter', ';'])).stderr)).toContain(
      '--delimiter is for CSV files',
    );
    const csv = file('plain.csv', 'Email,Active\na,No\n');
    expect(oneLine((await inProcess(['check', csv, '--sheet', 'x'])).stderr)).toContain(
      '--sheet is for .xlsx workbooks',
    );
  });

  it('a file named .xlsx that is no workbook is exit 2 (NOT_A_WORKBOOK)', async () => {
    const path = file('renamed.xlsx', 'Email,Active\na,No\n');
    const run = await inProcess(['check', path]);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toContain('NOT_A_WORKBOOK');
  });

  it('preview takes a workbook as the bulk file and as the users export', async () => {
    const users = file(
      'users.xlsx',
      workbook(
        'Users',
        `<row r="1">${inline('A1', 'Email')}${inline('B1', 'Active')}</row><row r="2">${inline('A2', 'ada@example.org')}${inline('B2', 'Yes')}</row><row r="3">${inline('A3', 'bob@example.org')}${inline('B3', 'Yes')}</row>`,
      ),
    );
    const bulk = file('bulk.xlsx', workbook('Learners', rows));
    const run = await inProcess([
      'preview',
      bulk,
      '--users',
      users,
      '--now',
      '2026-12-01T00:00:00Z',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout);
    expect(json.sheet).toBe('Learners');
    expect(json.totals).toMatchObject({ changed: 1, unchanged: 1 });
  });
});
