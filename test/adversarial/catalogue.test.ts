// The adversarial catalogue: one named case per known trap, each citing the SPEC rule it
// checks. Every case goes through the public entries only. See cases.ts for the helpers.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  CSV_REPORT_HEADER,
  csvReportRowFormatter,
  formatCsv,
  formatCsvReport,
  loadCsvDates,
  parseCsv,
  parseCsvRow,
} from '../../src/csv/index.js';
import { expirationInstant } from '../../src/dates/index.js';
import {
  applyBulkUpdate,
  BULK_REPORT_HEADER,
  type BulkInputRow,
  bulkUpdateFromCsv,
  checkLogin,
  checkLoginWith,
  checkSession,
  createLoginGuard,
  deactivate,
  effectiveStatus,
  formatBulkReportCsv,
  nextStatusChangeAt,
  planBulkUpdate,
  reactivate,
  setExpiration,
  setStatus,
  type User,
} from '../../src/index.js';
import { parseUser } from '../../src/schema/index.js';
import {
  bytes,
  type Case,
  type CaseGroup,
  cellsOf,
  chunks,
  codes,
  FUTURE,
  fileError,
  MAX_MS,
  NOW,
  never,
  okRow,
  onlyRow,
  PAST,
  rejectionOf,
  rows,
  storeOf,
  thrown,
  user,
  wrapStore,
} from './cases.js';

// parseCsvRow with `dateFormats` needs date-fns loaded (C4).
await loadCsvDates();

const H = 'Email,Active\r\n';
const HE = 'Email,Active,Expiration Date\r\n';
/** Excel's "Unicode Text": tab separated, non-ASCII letters and a character beyond the BMP. */
const UNICODE_TEXT =
  'Email\tActive\tExpires\r\nbé@x.org\tYes\t2027-01-01\r\n李@x.org\tNo\t\r\n😀@x.org\t\tNever\r\n';

/** The UTF-16 code units of `text`, little-endian, after the byte order mark FF FE. */
function utf16le(text: string, bom = true): number[] {
  const out = bom ? [0xff, 0xfe] : [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out.push(unit & 0xff, unit >> 8);
  }
  return out;
}

/** The UTF-16 code units of `text`, big-endian, after the byte order mark FE FF. */
function utf16be(text: string, bom = true): number[] {
  const out = bom ? [0xfe, 0xff] : [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out.push(unit >> 8, unit & 0xff);
  }
  return out;
}
const iso = (ms: number) => new Date(ms).toISOString();

/** The update of an accepted row (fails the case when the row was refused). */
function updateOf(result: ReturnType<typeof parseCsvRow>) {
  expect(result.ok, JSON.stringify(result.issues)).toBe(true);
  if (!result.ok) throw new Error('unreachable');
  return result.update;
}

/** The single issue code of a refused one-cell row. */
function activeCode(value: string): string | undefined {
  const result = parseCsvRow({ Email: 'ada@example.org', Active: value });
  expect(result.ok).toBe(false);
  return result.issues[0]?.code;
}

function expiryOf(value: string, timeZone = 'UTC', dateFormats: string[] = []) {
  return parseCsvRow(
    { Email: 'ada@example.org', 'Expiration Date': value },
    { timeZone, dateFormats },
  );
}

// --------------------------------------------------------------------------------------------
// 1. CSV structure
// --------------------------------------------------------------------------------------------

const csvStructure: Case[] = [
  {
    name: 'mixed CRLF, LF and lone CR line endings in one file',
    rule: 'C7',
    expected: 'every unquoted line end ends a row; lines 2, 3, 4; no value holds a line break',
    async run() {
      const all = await rows(`${H}a@x.org,Yes\nb@x.org,No\rc@x.org,yes\r\n`);
      expect(all.map((r) => r.line)).toEqual([2, 3, 4]);
      expect(all.map((r) => r.values['Active'])).toEqual(['Yes', 'No', 'yes']);
      expect(all.every((r) => r.result.ok)).toBe(true);
    },
  },
  {
    name: 'CR LF inside quotes counts as one physical line',
    rule: 'C6, C7',
    expected: 'value keeps the CRLF; the next record starts on line 4',
    async run() {
      const all = await rows('Email,Note,Active\r\na@x.org,"one\r\ntwo",Yes\r\nb@x.org,,No\r\n');
      expect(all.map((r) => r.line)).toEqual([2, 4]);
      expect(all[0]?.values['Note']).toBe('one\r\ntwo');
    },
  },
  {
    name: 'quoted field with LF, CR and CRLF line breaks mixed',
    rule: 'C6',
    expected: 'each counts once: the record after it starts on line 6',
    async run() {
      const all = await rows('Email,Note,Active\na@x.org,"1\n2\r3\r\n4",Yes\nb@x.org,,No\n');
      expect(all.map((r) => r.line)).toEqual([2, 6]);
    },
  },
  {
    name: 'unclosed quote at the end of the file',
    rule: 'C9',
    expected: 'UNCLOSED_QUOTE naming the line where the quote opened (line 3)',
    async run() {
      const error = await fileError(`${H}a@x.org,Yes\r\nb@x.org,"No\r\nc@x.org,Yes\r\n`);
      expect(error.code).toBe('UNCLOSED_QUOTE');
      expect(error.line).toBe(3);
    },
  },
  {
    name: 'a lone quote as the very last character of the file',
    rule: 'C9',
    expected: 'UNCLOSED_QUOTE on line 3, not a silently dropped record',
    async run() {
      const error = await fileError(`${H}a@x.org,Yes\r\n"`);
      expect(error.code).toBe('UNCLOSED_QUOTE');
      expect(error.line).toBe(3);
    },
  },
  {
    name: 'quote inside an unquoted field',
    rule: 'C9',
    expected: 'INVALID_QUOTE on line 2; the file is refused',
    async run() {
      const error = await fileError(`${H}a@x.org,Y"es\r\n`);
      expect(error.code).toBe('INVALID_QUOTE');
      expect(error.line).toBe(2);
    },
  },
  {
    name: 'text after a closing quote ("Yes" followed by a space)',
    rule: 'C9',
    expected: 'INVALID_QUOTE',
    async run() {
      expect((await fileError(`${H}a@x.org,"Yes" \r\n`)).code).toBe('INVALID_QUOTE');
    },
  },
  {
    name: 'UTF-8 BOM right before a quoted header',
    rule: 'C1',
    expected: 'the BOM is dropped and "Email" is recognised as the id column',
    async run() {
      const row = await onlyRow('\uFEFF"Email","Active"\r\na@x.org,No\r\n');
      expect(row.result).toMatchObject({
        ok: true,
        update: { userId: 'a@x.org', status: 'deactivated' },
      });
      expect(Object.keys(row.values)).toEqual(['Email', 'Active']);
    },
  },
  {
    name: 'UTF-8 BOM as bytes before a quoted header',
    rule: 'C1',
    expected: 'the BOM is dropped by the decoder and the header is read',
    async run() {
      const row = await onlyRow(bytes([0xef, 0xbb, 0xbf], '"Email",Active\na@x.org,Yes\n'));
      expect(row.result.ok).toBe(true);
    },
  },
  {
    name: 'a second BOM before a quote (BOM written twice)',
    rule: 'C1, C9',
    expected: 'only the first BOM is dropped; the second makes the field unquoted: INVALID_QUOTE',
    async run() {
      expect((await fileError('\uFEFF\uFEFF"Email",Active\r\na@x.org,Yes\r\n')).code).toBe(
        'INVALID_QUOTE',
      );
    },
  },
  {
    name: 'BOM-only file as text',
    rule: 'C9',
    expected: 'EMPTY_FILE on line 1',
    async run() {
      const error = await fileError('\uFEFF');
      expect(error.code).toBe('EMPTY_FILE');
      expect(error.line).toBe(1);
    },
  },
  {
    name: 'BOM-only file as bytes',
    rule: 'C9',
    expected: 'EMPTY_FILE',
    async run() {
      expect((await fileError(bytes([0xef, 0xbb, 0xbf]))).code).toBe('EMPTY_FILE');
    },
  },
  {
    name: 'empty file (zero bytes)',
    rule: 'C9',
    expected: 'EMPTY_FILE',
    async run() {
      expect((await fileError('')).code).toBe('EMPTY_FILE');
      expect((await fileError(new Uint8Array(0))).code).toBe('EMPTY_FILE');
    },
  },
  {
    name: 'file of blank and white-space-only lines',
    rule: 'C7, C9',
    expected: 'no record at all: EMPTY_FILE',
    async run() {
      expect((await fileError('\r\n  \r\n\t\n\u00a0\r')).code).toBe('EMPTY_FILE');
    },
  },
  {
    name: 'header-only file',
    rule: 'C9',
    expected: 'EMPTY_FILE naming line 2 (a header and no rows)',
    async run() {
      const error = await fileError(H);
      expect(error.code).toBe('EMPTY_FILE');
      expect(error.line).toBe(2);
    },
  },
  {
    name: 'header followed by blank lines only',
    rule: 'C7, C9',
    expected: 'blank lines yield no record: EMPTY_FILE',
    async run() {
      expect((await fileError(`${H}\r\n   \r\n`)).code).toBe('EMPTY_FILE');
    },
  },
  {
    name: '__proto__ header',
    rule: 'C9',
    expected: 'RESERVED_HEADER; Object.prototype is left untouched',
    async run() {
      const error = await fileError('Email,Active,__proto__\r\na@x.org,Yes,{"polluted":1}\r\n');
      expect(error.code).toBe('RESERVED_HEADER');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  },
  {
    name: 'constructor header in other case with spaces',
    rule: 'C1, C9',
    expected: "' Constructor ' normalises to a reserved name: RESERVED_HEADER",
    async run() {
      expect((await fileError('Email,Active, Constructor \r\na@x.org,Yes,x\r\n')).code).toBe(
        'RESERVED_HEADER',
      );
    },
  },
  {
    name: 'PROTOTYPE header',
    rule: 'C9',
    expected: 'RESERVED_HEADER, also through parseCsvRow',
    async run() {
      expect((await fileError('Email,Active,PROTOTYPE\r\na@x.org,Yes,x\r\n')).code).toBe(
        'RESERVED_HEADER',
      );
      expect(thrown(() => parseCsvRow({ Email: 'a', Active: 'Yes', prototype: 'x' })).code).toBe(
        'RESERVED_HEADER',
      );
    },
  },
  {
    name: 'hasOwnProperty and toString headers',
    rule: 'C9',
    expected: 'plain columns of a prototype-less values object',
    async run() {
      const row = await onlyRow('Email,Active,hasOwnProperty,toString\r\na@x.org,Yes,1,2\r\n');
      expect(Object.getPrototypeOf(row.values)).toBeNull();
      expect(row.values['hasOwnProperty']).toBe('1');
      expect(row.values['toString']).toBe('2');
      expect(row.result.ok).toBe(true);
    },
  },
  {
    name: 'duplicate headers after normalising (Active and " ACTIVE ")',
    rule: 'C9',
    expected: 'DUPLICATE_HEADER on line 1',
    async run() {
      const error = await fileError('Email,Active, ACTIVE \r\na@x.org,Yes,No\r\n');
      expect(error.code).toBe('DUPLICATE_HEADER');
      expect(error.line).toBe(1);
    },
  },
  {
    name: 'duplicate headers differing only in inner white space (NBSP, double space)',
    rule: 'C1, C9',
    expected: "'Email  Address' and 'Email\\u00A0Address' are the same column: DUPLICATE_HEADER",
    async run() {
      expect(
        (await fileError('Email  Address,Active,Email\u00a0Address\r\na,Yes,b\r\n')).code,
      ).toBe('DUPLICATE_HEADER');
    },
  },
  {
    name: 'two blank header names (unnamed columns)',
    rule: 'C9, F1',
    expected:
      'not DUPLICATE_HEADER: unnamed columns are never read and left out of values; a value under one is the warning UNNAMED_COLUMN naming the first such column by letter',
    async run() {
      const one = await onlyRow('Email,Active,\r\na@x.org,Yes,\r\n');
      expect(one.values).toEqual({ Email: 'a@x.org', Active: 'Yes' });
      expect(one.result).toEqual({
        ok: true,
        update: { userId: 'a@x.org', status: 'active' },
        issues: [],
      });
      const blank = await onlyRow('Email,,Active, \t\r\na@x.org,,Yes,\r\n');
      expect(Object.keys(blank.values)).toEqual(['Email', 'Active']);
      expect(blank.result).toEqual(one.result);
      // Values under the unnamed columns B and D: one warning, for B, after the row's issues.
      const filled = await onlyRow('Email,,Active,\r\na@x.org, note ,Yes,x\r\n');
      expect(filled.values).toEqual({ Email: 'a@x.org', Active: 'Yes' });
      expect(filled.result).toMatchObject({ ok: true, update: { userId: 'a@x.org' } });
      expect(filled.result.issues).toEqual([
        {
          code: 'UNNAMED_COLUMN',
          severity: 'warning',
          message:
            'Column B has no header, so its value is not read. Give the column a header it should have, or clear the cell.',
          column: undefined,
          value: ' note ',
        },
      ]);
      const refused = await onlyRow('Email,Active,\r\n,maybe,x\r\n');
      expect(refused.result.ok).toBe(false);
      expect(codes(refused)).toEqual(['MISSING_ID', 'INVALID_ACTIVE_VALUE', 'UNNAMED_COLUMN']);
      expect(refused.result.issues[2]?.message).toMatch(/^Column C has no header/);
      // Two named columns that normalise alike are still DUPLICATE_HEADER.
      expect((await fileError('Email,,Active,active\r\na@x.org,,Yes,\r\n')).code).toBe(
        'DUPLICATE_HEADER',
      );
    },
  },
  {
    name: 'two expiration columns (Expires and Expiry Date)',
    rule: 'C4, C9',
    expected: 'DUPLICATE_HEADER: they name the same thing',
    async run() {
      expect((await fileError('Email,Expires,Expiry Date\r\na,Never,Never\r\n')).code).toBe(
        'DUPLICATE_HEADER',
      );
    },
  },
  {
    name: "look-alike 'Active' header next to an expiration column (Cyrillic А/с, Turkish İ, dotless ı)",
    rule: 'C9, C5',
    expected:
      "the file is refused with a hint naming the character, never read with its 'No' cells silently ignored",
    async run() {
      for (const [header, codePoint] of [
        ['\u0410\u0441tive', 'U+0410'],
        ['ACT\u0130VE', 'U+0130'],
        ['Act\u0131ve', 'U+0131'],
      ] as const) {
        const error = await fileError(`Email,${header},Expires\r\na@x.org,No,2027-01-01\r\n`);
        expect(error.message, header).toContain(codePoint);
      }
    },
  },
  {
    name: "'Active' header with a zero-width space next to an expiration column",
    rule: 'C9, C5',
    expected: "the file is refused naming U+200B, never read with its 'No' cells silently ignored",
    async run() {
      const error = await fileError('Email,Active\u200b,Expires\r\na@x.org,No,2027-01-01\r\n');
      expect(error.message).toContain('U+200B');
    },
  },
  {
    name: 'two identifier candidates (Email and Username)',
    rule: 'C2',
    expected: 'AMBIGUOUS_ID_COLUMN; with idColumn set the file is read',
    async run() {
      const file = 'Email,Username,Active\r\na@x.org,ada,Yes\r\n';
      expect((await fileError(file)).code).toBe('AMBIGUOUS_ID_COLUMN');
      const row = await onlyRow(file, { idColumn: 'username' });
      expect(row.result).toMatchObject({ ok: true, update: { userId: 'ada' } });
    },
  },
  {
    name: 'no identifier column (E-mail)',
    rule: 'C2',
    expected: 'MISSING_ID_COLUMN',
    async run() {
      expect((await fileError('E-mail,Active\r\na@x.org,Yes\r\n')).code).toBe('MISSING_ID_COLUMN');
    },
  },
  {
    name: 'no change column, even when a later line is malformed',
    rule: 'C5',
    expected: 'MISSING_CHANGE_COLUMN, thrown at the header before any row is read',
    async run() {
      const error = await fileError('Email,Name\r\na@x.org,"unclosed\r\n');
      expect(error.code).toBe('MISSING_CHANGE_COLUMN');
      expect(error.line).toBe(1);
    },
  },
  {
    name: 'row with fewer fields than the header',
    rule: 'C7, F3',
    expected:
      'the missing cells read as blank, with the warning MISSING_CELLS after the row issues; the rows after it are still read',
    async run() {
      const all = await rows(`${HE}a@x.org,Yes\r\nb@x.org,No,\r\nc@x.org\r\n`);
      expect(all.map((r) => r.line)).toEqual([2, 3, 4]);
      expect(all[0]?.values).toEqual({ Email: 'a@x.org', Active: 'Yes', 'Expiration Date': '' });
      expect(all[0]?.result).toEqual({
        ok: true,
        update: { userId: 'a@x.org', status: 'active' },
        issues: [
          {
            code: 'MISSING_CELLS',
            severity: 'warning',
            message:
              "The row has 2 cells but the header has 3; 'Expiration Date' is read as blank. Check that no cell was left out.",
            column: undefined,
            value: undefined,
          },
        ],
      });
      expect(all[1]?.result).toEqual({
        ok: true,
        update: { userId: 'b@x.org', status: 'deactivated' },
        issues: [],
      });
      // Both change cells missing: the row changes nothing (NO_CHANGE), then MISSING_CELLS.
      expect(all[2]?.values).toEqual({ Email: 'c@x.org', Active: '', 'Expiration Date': '' });
      expect(codes(all[2]!)).toEqual(['NO_CHANGE', 'MISSING_CELLS']);
      expect(all[2]?.result.issues[1]?.message).toContain(
        "'Active', 'Expiration Date' are read as blank",
      );
      // Only an unnamed column missing: nothing is read as blank, no warning.
      const short = await onlyRow('Email,Active,,\r\na@x.org,No\r\n');
      expect(short.values).toEqual({ Email: 'a@x.org', Active: 'No' });
      expect(codes(short)).toEqual([]);
    },
  },
  {
    name: 'row with more fields than the header, the extra ones blank (trailing delimiters)',
    rule: 'C7, F3',
    expected: 'read as if the extra fields were not there; COLUMN_COUNT once one holds a value',
    async run() {
      const row = await onlyRow(`${H}a@x.org,Yes,, ,\t\r\n`);
      expect(row.values).toEqual({ Email: 'a@x.org', Active: 'Yes' });
      expect(row.result).toEqual({
        ok: true,
        update: { userId: 'a@x.org', status: 'active' },
        issues: [],
      });
      const extra = await onlyRow(`${H}a@x.org,Yes, ,x,\r\n`);
      expect(extra.values).toEqual({ Email: 'a@x.org', Active: 'Yes' });
      expect(extra.result).toEqual({
        ok: false,
        issues: [
          {
            code: 'COLUMN_COUNT',
            severity: 'error',
            message:
              'The row has 5 fields but the header has 2, and field 4 (column D) holds a value. Put values that contain the delimiter in double quotes, or remove the extra cells.',
            column: undefined,
            value: ' ,x,',
          },
        ],
      });
    },
  },
  {
    name: 'row with more fields than the header (unquoted comma)',
    rule: 'C7',
    expected: 'COLUMN_COUNT whose message says to quote values with commas',
    async run() {
      const row = await onlyRow(`${H}a@x.org,Yes,extra\r\n`);
      expect(codes(row)).toEqual(['COLUMN_COUNT']);
      expect(row.result.issues[0]?.message).toMatch(/quotes/);
    },
  },
  {
    name: 'a line of commas (empty spreadsheet row)',
    rule: 'C7, F2',
    expected:
      'a cleared row, skipped like a blank line (also before the header); later rows keep their physical lines',
    async run() {
      const all = await rows(`${HE}a@x.org,Yes,\r\n,,\r\n , \t,\u00a0\r\nb@x.org,No,\r\n,,`);
      expect(all.map((r) => [r.line, r.values['Email'], codes(r)])).toEqual([
        [2, 'a@x.org', []],
        [5, 'b@x.org', []],
      ]);
      const before = await rows(`,,\r\n${HE},,,,\r\na@x.org,Yes,\r\n`);
      expect(before.map((r) => [r.line, r.values['Email'], codes(r)])).toEqual([
        [4, 'a@x.org', []],
      ]);
      expect((await fileError(`${HE},,\r\n,\r\n`)).code).toBe('EMPTY_FILE');
    },
  },
  {
    name: 'a line of commas with a quoted empty field, or an invisible character',
    rule: 'C9, F2',
    expected:
      'a record, not a cleared row: MISSING_ID for the quoted blank, CONTROL_CHARACTER for U+200B',
    async run() {
      const all = await rows(`${HE}"",,\r\n\u200b,,\r\n`);
      expect(all.map((r) => [r.line, codes(r)])).toEqual([
        [2, ['MISSING_ID']],
        [3, ['CONTROL_CHARACTER']],
      ]);
      expect(all[1]?.result.issues[0]).toMatchObject({ column: 'Email', value: '\u200b' });
      expect(all[1]?.result.issues[0]?.message).toContain('U+200B');
    },
  },
  {
    name: 'blank and white-space-only lines between rows',
    rule: 'C6, C7',
    expected: 'skipped, but counted for the physical line numbers',
    async run() {
      const all = await rows(`${H}\r\na@x.org,Yes\r\n \t \r\n\r\nb@x.org,No\r\n\r\n`);
      expect(all.map((r) => r.line)).toEqual([3, 6]);
    },
  },
  {
    name: 'a quoted empty line is a record, not a blank line',
    rule: 'C7, F2, F3',
    expected:
      'the record "" (one field against a two-column header) is MISSING_ID, then MISSING_CELLS for Active',
    async run() {
      const all = await rows(`${H}""\r\na@x.org,Yes\r\n`);
      expect(all.map((r) => [r.line, codes(r)])).toEqual([
        [2, ['MISSING_ID', 'MISSING_CELLS']],
        [3, []],
      ]);
      expect(all[0]?.values).toEqual({ Email: '', Active: '' });
      expect(all[0]?.result.ok).toBe(false);
    },
  },
  {
    name: 'bytes that are not UTF-8 on line 3 (Latin-1 é)',
    rule: 'C9',
    expected: 'INVALID_ENCODING naming line 3',
    async run() {
      const error = await fileError(bytes(`${H}a@x.org,Yes\r\nb`, [0xe9], '@x.org,No\r\n'));
      expect(error.code).toBe('INVALID_ENCODING');
      expect(error.line).toBe(3);
      expect(error.message).toMatch(/CSV UTF-8/);
    },
  },
  {
    name: 'UTF-16 LE file with its BOM (Excel "Unicode Text": tab separated)',
    rule: 'C9, F5',
    expected:
      'decoded as UTF-16LE, in any chunking (one byte per chunk too): the same rows as the text',
    async run() {
      const expected = await rows(UNICODE_TEXT);
      expect(expected.map((r) => [r.line, r.values['Email'], r.result.ok])).toEqual([
        [2, 'bé@x.org', true],
        [3, '李@x.org', true],
        [4, '😀@x.org', true],
      ]);
      const utf16 = Uint8Array.from(utf16le(UNICODE_TEXT));
      expect(await rows(utf16)).toEqual(expected);
      expect(await rows(chunks(...[...utf16].map((b) => Uint8Array.of(b))))).toEqual(expected);
    },
  },
  {
    name: 'UTF-16 BE file with its BOM',
    rule: 'C9, F5',
    expected: 'decoded as UTF-16BE: the same rows as the text',
    async run() {
      const utf16 = Uint8Array.from(utf16be(UNICODE_TEXT));
      expect(await rows(utf16)).toEqual(await rows(UNICODE_TEXT));
      expect(
        await rows(chunks(utf16.subarray(0, 1), utf16.subarray(1, 6), utf16.subarray(6))),
      ).toEqual(await rows(UNICODE_TEXT));
    },
  },
  {
    name: 'UTF-16 file with its BOM and a lone surrogate, or an odd last byte',
    rule: 'C9, F5',
    expected: 'INVALID_ENCODING naming the line of the bad code unit (strict decoding, no U+FFFD)',
    async run() {
      // A high surrogate with no low one, inside a quoted field that started on line 3.
      const lone = bytes(
        utf16le(`${H}a@x.org,Yes\r\n"b\r\nc`),
        [0x3d, 0xd8],
        utf16le('",No\r\n', false),
      );
      const error = await fileError(lone);
      expect(error.code).toBe('INVALID_ENCODING');
      expect(error.line).toBe(4);
      expect(error.message).toMatch(/^Line 4: the file contains bytes that are not UTF-16LE\./);
      const low = bytes(utf16be(`${H}a@x.org,Yes\r\nb`), [0xdc, 0x00], utf16be(',No\r\n', false));
      expect(await fileError(low)).toMatchObject({ code: 'INVALID_ENCODING', line: 3 });
      const odd = bytes(utf16le(`${H}a@x.org,Yes\r\n`), [0x41]);
      expect(await fileError(odd)).toMatchObject({ code: 'INVALID_ENCODING', line: 3 });
    },
  },
  {
    name: 'UTF-16 LE file without a BOM',
    rule: 'C9, F5',
    expected:
      'not guessed: read as UTF-8 (the NUL bytes are valid UTF-8) and refused whole at the header, naming U+0000',
    async run() {
      const error = await fileError(Uint8Array.from(utf16le(`${H}a@x.org,Yes\r\n`, false)));
      expect(error.code).toBe('MISSING_ID_COLUMN');
      expect(error.line).toBe(1);
      expect(error.message).toContain('U+0000');
    },
  },
  {
    name: 'encoded UTF-16 surrogate and overlong NUL in UTF-8 bytes',
    rule: 'C9',
    expected: 'both are INVALID_ENCODING (strict decoding, no U+FFFD)',
    async run() {
      expect((await fileError(bytes(H, 'a', [0xed, 0xa0, 0x80], ',Yes\r\n'))).code).toBe(
        'INVALID_ENCODING',
      );
      expect((await fileError(bytes(H, 'a', [0xc0, 0x80], ',Yes\r\n'))).code).toBe(
        'INVALID_ENCODING',
      );
    },
  },
  {
    name: 'multi-byte character cut off at the end of the bytes',
    rule: 'C9',
    expected: 'INVALID_ENCODING, not a silently dropped or replaced character',
    async run() {
      expect((await fileError(bytes(`${H}a@x.org,Yes\r\nb@x.org,No`, [0xe2, 0x82]))).code).toBe(
        'INVALID_ENCODING',
      );
    },
  },
  {
    name: 'chunk boundary inside a CRLF (text chunks)',
    rule: 'C7',
    expected: 'CR and LF in two chunks are one line end: same lines as the whole file',
    async run() {
      const all = await rows(chunks('Email,Active\r', '\na@x.org,Yes\r', '\n\r', '\nb@x.org,No'));
      expect(all.map((r) => [r.line, r.values['Email']])).toEqual([
        [2, 'a@x.org'],
        [4, 'b@x.org'],
      ]);
    },
  },
  {
    name: 'chunk boundary inside a CRLF (byte chunks) and inside a quoted CRLF',
    rule: 'C6, C7',
    expected: 'lines 2 and 4, the quoted value keeps its CRLF',
    async run() {
      const all = await rows(
        chunks(
          bytes('Email,Note,Active\r'),
          bytes('\na@x.org,"x\r'),
          bytes('\ny",Yes\r'),
          bytes('\nb@x.org,,No\r\n'),
        ),
      );
      expect(all.map((r) => r.line)).toEqual([2, 4]);
      expect(all[0]?.values['Note']).toBe('x\r\ny');
    },
  },
  {
    name: 'chunk boundary inside a multi-byte character (2-, 3- and 4-byte)',
    rule: 'C7, C9',
    expected: 'the characters decode exactly: é, €, 😀 in the id',
    async run() {
      const whole = bytes(`${H}jos\u00e9\u20ac\u{1f600}@x.org,Yes\r\n`);
      const start = H.length + 3;
      const pieces = [
        whole.subarray(0, start + 1),
        whole.subarray(start + 1, start + 3),
        whole.subarray(start + 3, start + 6),
        whole.subarray(start + 6),
      ];
      const row = await onlyRow(chunks(...pieces));
      expect(row.result).toMatchObject({
        ok: true,
        update: { userId: 'jos\u00e9\u20ac\u{1f600}@x.org' },
      });
    },
  },
  {
    name: 'BOM split across byte chunks',
    rule: 'C1',
    expected: 'dropped all the same: the header is read',
    async run() {
      const row = await onlyRow(
        chunks(bytes([0xef]), bytes([0xbb]), bytes([0xbf], `${H}a@x.org,No\r\n`)),
      );
      expect(row.result.ok).toBe(true);
    },
  },
  {
    name: 'file larger than maxBytes',
    rule: 'C9',
    expected: 'TOO_LARGE, not an exhausted process',
    async run() {
      expect((await fileError(`${H}a@x.org,Yes\r\n`, { maxBytes: 10 })).code).toBe('TOO_LARGE');
    },
  },
  {
    name: 'file with more rows than maxRows',
    rule: 'C9',
    expected: 'TOO_LARGE naming the line of the first row over the limit',
    async run() {
      const error = await fileError(`${H}a@x.org,Yes\r\nb@x.org,No\r\n`, { maxRows: 1 });
      expect(error.code).toBe('TOO_LARGE');
      expect(error.line).toBe(3);
    },
  },
  {
    name: 'a stream read twice',
    rule: 'C7',
    expected: 'INVALID_INPUT on the second pass; a string can be read again',
    async run() {
      const stream = parseCsv(chunks(`${H}a@x.org,Yes\r\n`));
      for await (const _ of stream) {
        // drain
      }
      expect(thrown(() => stream[Symbol.asyncIterator]()).code).toBe('INVALID_INPUT');
      const text = parseCsv(`${H}a@x.org,Yes\r\n`);
      let count = 0;
      for await (const _ of text) count++;
      for await (const _ of text) count++;
      expect(count).toBe(2);
    },
  },
  {
    name: 'misspelled CSV option (timezone)',
    rule: 'C9',
    expected: 'INVALID_OPTION thrown when parseCsv is called, before reading',
    run() {
      const error = thrown(() => parseCsv(H, { timezone: 'UTC' } as never));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.field).toBe('timezone');
    },
  },
];

// --------------------------------------------------------------------------------------------
// 2. Cell values
// --------------------------------------------------------------------------------------------

const cellValues: Case[] = [
  {
    name: 'Yes and No in any ASCII case, with surrounding white space',
    rule: 'C3',
    expected: "'Yes', ' yes ', 'YES', 'yEs' are active; 'No', 'nO', '\\u00A0no\\t' deactivated",
    run() {
      for (const v of ['Yes', ' yes ', 'YES', 'yEs']) {
        expect(updateOf(parseCsvRow({ Email: 'a', Active: v })).status).toBe('active');
      }
      for (const v of ['No', 'nO', '\u00a0no\t']) {
        expect(updateOf(parseCsvRow({ Email: 'a', Active: v })).status).toBe('deactivated');
      }
    },
  },
  {
    name: 'truthy and falsy look-alikes (TRUE, 1, y, n, 0, false, Inactive, Active)',
    rule: 'C3',
    expected: 'INVALID_ACTIVE_VALUE for every one; no truthiness',
    run() {
      for (const v of [
        'TRUE',
        '1',
        'y',
        'n',
        '0',
        'false',
        'Inactive',
        'Active',
        'yes!',
        'Y E S',
      ]) {
        expect(activeCode(v), v).toBe('INVALID_ACTIVE_VALUE');
      }
    },
  },
  {
    name: "'Expired' in the Active column, any case, with spaces",
    rule: 'C3, R6',
    expected: 'EXPIRED_NOT_SELECTABLE with a message pointing to the expiration date',
    run() {
      for (const v of ['Expired', ' EXPIRED ', 'expired']) {
        const result = parseCsvRow({ Email: 'a', Active: v });
        expect(result.issues[0]?.code).toBe('EXPIRED_NOT_SELECTABLE');
        expect(result.issues[0]?.message).toMatch(/expiration date/);
      }
    },
  },
  {
    name: "'Never' in the Active column",
    rule: 'C3',
    expected: 'INVALID_ACTIVE_VALUE (Never belongs to the expiration column)',
    run() {
      expect(activeCode('Never')).toBe('INVALID_ACTIVE_VALUE');
    },
  },
  {
    name: 'straight quotes around Yes inside a quoted field ("""Yes""")',
    rule: 'C3',
    expected: 'the value is "Yes" with quotes: INVALID_ACTIVE_VALUE',
    async run() {
      expect(codes(await onlyRow(`${H}a@x.org,"""Yes"""\r\n`))).toEqual(['INVALID_ACTIVE_VALUE']);
    },
  },
  {
    name: 'blank Active and blank expiration',
    rule: 'C3, C5',
    expected: 'ok with only userId and a NO_CHANGE warning, never dropped',
    async run() {
      const row = await onlyRow(`${HE}a@x.org, ,\r\n`);
      expect(row.result).toMatchObject({ ok: true, update: { userId: 'a@x.org' } });
      expect(row.result.ok && 'status' in row.result.update).toBe(false);
      expect(row.result.issues.map((i) => [i.code, i.severity])).toEqual([
        ['NO_CHANGE', 'warning'],
      ]);
    },
  },
  {
    name: 'extra Active tokens by option; Expired as a token',
    rule: 'C3, R6',
    expected: "'true' accepted only when configured; activeValues with 'Expired' is INVALID_OPTION",
    run() {
      const options = { activeValues: { yes: ['TRUE'], no: ['FALSE'] } };
      expect(updateOf(parseCsvRow({ Email: 'a', Active: 'true' }, options)).status).toBe('active');
      expect(updateOf(parseCsvRow({ Email: 'a', Active: 'False' }, options)).status).toBe(
        'deactivated',
      );
      expect(
        thrown(() =>
          parseCsvRow({ Email: 'a', Active: 'x' }, { activeValues: { yes: ['Expired'] } }),
        ).code,
      ).toBe('INVALID_OPTION');
      expect(
        thrown(() =>
          parseCsvRow({ Email: 'a', Active: 'x' }, { activeValues: { yes: ['on'], no: ['ON'] } }),
        ).code,
      ).toBe('INVALID_OPTION');
    },
  },
  {
    name: 'full-width Ｙｅｓ',
    rule: 'C9',
    expected: 'LOOKALIKE_CHARACTER naming U+FF39',
    run() {
      const result = parseCsvRow({ Email: 'a', Active: '\uff39\uff45\uff53' });
      expect(result.issues[0]?.code).toBe('LOOKALIKE_CHARACTER');
      expect(result.issues[0]?.message).toMatch(/U\+FF39/);
    },
  },
  {
    name: 'Cyrillic е in Yеs and Cyrillic о in Nо',
    rule: 'C9',
    expected: 'LOOKALIKE_CHARACTER, never read as Yes / No',
    run() {
      expect(activeCode('Y\u0435s')).toBe('LOOKALIKE_CHARACTER');
      expect(activeCode('N\u043e')).toBe('LOOKALIKE_CHARACTER');
    },
  },
  {
    name: 'curly quotes around Yes',
    rule: 'C9',
    expected: 'LOOKALIKE_CHARACTER (a curly quote)',
    run() {
      const result = parseCsvRow({ Email: 'a', Active: '\u201cYes\u201d' });
      expect(result.issues[0]?.code).toBe('LOOKALIKE_CHARACTER');
      expect(result.issues[0]?.message).toMatch(/curly quote/);
    },
  },
  {
    name: "long s in Yeſ (U+017F upper-cases to 'S')",
    rule: 'C9',
    expected: 'LOOKALIKE_CHARACTER, not accepted through Unicode case mapping',
    run() {
      expect(activeCode('Ye\u017f')).toBe('LOOKALIKE_CHARACTER');
    },
  },
  {
    name: "Turkish dotless ı in 'expıred'",
    rule: 'C9, C3',
    expected: 'LOOKALIKE_CHARACTER naming U+0131',
    run() {
      const result = parseCsvRow({ Email: 'a', Active: 'exp\u0131red' });
      expect(result.issues[0]?.code).toBe('LOOKALIKE_CHARACTER');
      expect(result.issues[0]?.message).toMatch(/U\+0131/);
    },
  },
  {
    name: "Turkish dotted İ in 'EXPİRED' and 'İ' alone",
    rule: 'C9, C3',
    expected:
      'an error, never folded to i (no locale-aware case folding): a look-alike hint for EXPİRED',
    run() {
      expect(activeCode('EXP\u0130RED')).toBe('LOOKALIKE_CHARACTER');
      expect(activeCode('\u0130')).toBe('INVALID_ACTIVE_VALUE');
    },
  },
  {
    name: "Turkish İ and ı in header names ('ACTİVE', 'Actıve', 'EMAİL')",
    rule: 'C1, C9',
    expected: "never match 'active'/'email'; 'Actıve' gets a look-alike hint naming U+0131",
    run() {
      expect(thrown(() => parseCsvRow({ Email: 'a', 'ACT\u0130VE': 'Yes' })).code).toBe(
        'MISSING_CHANGE_COLUMN',
      );
      const dotless = thrown(() => parseCsvRow({ Email: 'a', 'Act\u0131ve': 'Yes' }));
      expect(dotless.code).toBe('MISSING_CHANGE_COLUMN');
      expect(dotless.message).toMatch(/U\+0131/);
      expect(thrown(() => parseCsvRow({ 'EMA\u0130L': 'a', Active: 'Yes' })).code).toBe(
        'MISSING_ID_COLUMN',
      );
    },
  },
  {
    name: "ASCII upper-case headers and values vs 'LOGİN' (Turkish İ)",
    rule: 'C1',
    expected:
      "'LOGIN'/'ACTIVE'/'yes' match in ASCII terms; 'LOGİN' is MISSING_ID_COLUMN (never folded)",
    run() {
      expect(updateOf(parseCsvRow({ LOGIN: 'a', ACTIVE: 'yes' })).userId).toBe('a');
      expect(thrown(() => parseCsvRow({ 'LOG\u0130N': 'a', Active: 'Yes' })).code).toBe(
        'MISSING_ID_COLUMN',
      );
    },
  },
  {
    name: "Kelvin sign in a configured token ('O\u212a' for 'ok')",
    rule: 'C9, C3',
    expected: 'LOOKALIKE_CHARACTER naming U+212A, though toLowerCase would fold it to k',
    run() {
      const options = { activeValues: { yes: ['ok'] } };
      const result = parseCsvRow({ Email: 'a', Active: 'O\u212a' }, options);
      expect(result.issues[0]?.code).toBe('LOOKALIKE_CHARACTER');
      expect(result.issues[0]?.message).toContain('U+212A');
      expect(updateOf(parseCsvRow({ Email: 'a', Active: 'OK' }, options)).status).toBe('active');
    },
  },
  {
    name: 'zero-width space after Yes',
    rule: 'C9',
    expected: 'CONTROL_CHARACTER; the message shows \\u200b',
    run() {
      const result = parseCsvRow({ Email: 'a', Active: 'Yes\u200b' });
      expect(result.issues[0]?.code).toBe('CONTROL_CHARACTER');
      expect(result.issues[0]?.message).toContain('U+200B');
    },
  },
  {
    name: 'NUL character inside an id',
    rule: 'C9',
    expected: 'CONTROL_CHARACTER for the id column; the message writes it as \\u0000',
    async run() {
      const row = await onlyRow(`${H}ada\u0000@x.org,Yes\r\n`);
      expect(row.result.issues[0]).toMatchObject({ code: 'CONTROL_CHARACTER', column: 'Email' });
      expect(row.result.issues[0]?.message).toContain('\\u0000');
    },
  },
  {
    name: 'tab and line break inside a quoted id',
    rule: 'C9',
    expected: 'CONTROL_CHARACTER (leading/trailing tabs are trimmed, inner ones are not)',
    async run() {
      const all = await rows(
        `${H}"ad\ta@x.org",Yes\r\n"ada@x.org\r\nbob",Yes\r\n"\tada@x.org\t",Yes\r\n`,
      );
      expect(codes(all[0]!)).toEqual(['CONTROL_CHARACTER']);
      expect(codes(all[1]!)).toEqual(['CONTROL_CHARACTER']);
      expect(all[2]?.result).toMatchObject({ ok: true, update: { userId: 'ada@x.org' } });
    },
  },
  {
    name: 'invisible characters inside an id (RLO U+202E, BOM U+FEFF, soft hyphen U+00AD)',
    rule: 'C9',
    expected: 'CONTROL_CHARACTER for each',
    run() {
      for (const id of ['ada\u202e@x.org', 'ad\ufeffa@x.org', 'ad\u00ada@x.org', 'ada\u2060']) {
        expect(parseCsvRow({ Email: id, Active: 'Yes' }).issues[0]?.code, id).toBe(
          'CONTROL_CHARACTER',
        );
      }
    },
  },
  {
    name: 'Cyrillic look-alike letter in an id',
    rule: 'C9, C2',
    expected: 'accepted as written (ids are not keywords) and never folded to the Latin id',
    run() {
      expect(updateOf(parseCsvRow({ Email: '\u0430da@x.org', Active: 'Yes' })).userId).toBe(
        '\u0430da@x.org',
      );
    },
  },
  {
    name: 'id with surrounding spaces and NBSP; id that looks like a number',
    rule: 'C2, C9, F6',
    expected:
      "trimmed only: ' 007\\u00A0' is '007', never 7; '1.5', '0x1F', '1e3a' as written; scientific notation ('1e3') is MANGLED_ID",
    run() {
      expect(updateOf(parseCsvRow({ 'User ID': ' 007\u00a0', Active: 'No' })).userId).toBe('007');
      for (const id of ['00123', '1.5', '1,234', '0x1F', '1_000', '1e3a', 'e5', '1e', 'Infinity']) {
        expect(updateOf(parseCsvRow({ 'User ID': id, Active: 'No' })).userId).toBe(id);
      }
      const result = parseCsvRow({ 'User ID': ' 1e3 ', Active: 'No' });
      expect(result.ok).toBe(false);
      expect(result.issues.map((i) => [i.code, i.column, i.value])).toEqual([
        ['MANGLED_ID', 'User ID', ' 1e3 '],
      ]);
    },
  },
  {
    name: 'id a spreadsheet rewrote in scientific notation (1.23457E+11, 1,23457E+11)',
    rule: 'C2, F6',
    expected:
      'MANGLED_ID, whose message says to format the column as Text; never matched as a number',
    async run() {
      for (const id of ['1.23457E+11', '1,23457E+11', '-1E-5', '+12e5', '12E+3']) {
        const result = parseCsvRow({ Email: id, Active: 'Yes' });
        expect(result.ok, id).toBe(false);
        expect(
          result.issues.map((i) => i.code),
          id,
        ).toEqual(['MANGLED_ID']);
        expect(result.issues[0]?.message, id).toMatch(/format the column as Text/i);
      }
      const row = await onlyRow(`${H}"1,23457E+11",Yes\r\n`);
      expect(row.values['Email']).toBe('1,23457E+11');
      expect(codes(row)).toEqual(['MANGLED_ID']);
    },
  },
  {
    name: 'blank id',
    rule: 'C2',
    expected: 'MISSING_ID',
    run() {
      expect(parseCsvRow({ Email: '  ', Active: 'Yes' }).issues[0]?.code).toBe('MISSING_ID');
    },
  },
  {
    name: 'row with several problems',
    rule: 'C6',
    expected: 'all of them reported: MISSING_ID, INVALID_ACTIVE_VALUE, INVALID_DATE',
    run() {
      const result = parseCsvRow({ Email: '', Active: 'maybe', Expires: '2026-02-30' });
      expect(result.issues.map((i) => i.code)).toEqual([
        'MISSING_ID',
        'INVALID_ACTIVE_VALUE',
        'INVALID_DATE',
      ]);
      expect(result.issues.map((i) => i.column)).toEqual(['Email', 'Active', 'Expires']);
    },
  },
  {
    name: 'huge unquoted field over maxFieldLength',
    rule: 'C9',
    expected: 'FIELD_TOO_LONG; values keep only maxFieldLength + 1 characters; next row read',
    async run() {
      const all = await rows(`${H}${'a'.repeat(5000)}@x.org,Yes\r\nb@x.org,No\r\n`, {
        maxFieldLength: 64,
      });
      expect(codes(all[0]!)).toEqual(['FIELD_TOO_LONG']);
      expect(all[0]?.values['Email']).toHaveLength(65);
      expect(all[1]?.result.ok).toBe(true);
    },
  },
  {
    name: 'huge quoted field with line breaks, split over chunks',
    rule: 'C9, C6',
    expected:
      'FIELD_TOO_LONG for the Note column; the next record starts on line 103 (100 breaks counted)',
    async run() {
      const note = `"${'x\n'.repeat(100)}"`;
      const text = `Email,Note,Active\na@x.org,${note},Yes\nb@x.org,,No\n`;
      const all = await rows(chunks(text.slice(0, 40), text.slice(40, 120), text.slice(120)), {
        maxFieldLength: 50,
      });
      expect(all.map((r) => r.line)).toEqual([2, 103]);
      expect(all[0]?.result.issues[0]).toMatchObject({ code: 'FIELD_TOO_LONG', column: 'Note' });
    },
  },
  {
    name: 'issue value of a long cell',
    rule: 'C6',
    expected: 'cut to 200 characters in the issue',
    run() {
      const result = parseCsvRow({ Email: 'a', Active: 'z'.repeat(500) });
      expect(result.issues[0]?.value).toHaveLength(200);
    },
  },
];

// --------------------------------------------------------------------------------------------
// 3. Dates and time zones
// --------------------------------------------------------------------------------------------

const dates: Case[] = [
  {
    name: "Excel serial date '45678' in the date column",
    rule: 'C4, C9',
    expected: 'INVALID_DATE whose message names a spreadsheet serial number',
    run() {
      const result = expiryOf('45678');
      expect(result.issues[0]?.code).toBe('INVALID_DATE');
      expect(result.issues[0]?.message).toMatch(/serial/);
    },
  },
  {
    name: "Excel serial with a time fraction '45678.5' and compact '20261231'",
    rule: 'C4, C9',
    expected: 'INVALID_DATE for both; never guessed',
    run() {
      expect(expiryOf('45678.5').issues[0]?.code).toBe('INVALID_DATE');
      expect(expiryOf('20261231').issues[0]?.code).toBe('INVALID_DATE');
    },
  },
  {
    name: "24:00 in a CSV instant ('2026-12-31T24:00:00Z')",
    rule: 'C4, C9',
    expected: 'INVALID_DATE: not a real instant',
    run() {
      expect(expiryOf('2026-12-31T24:00:00Z').issues[0]?.code).toBe('INVALID_DATE');
    },
  },
  {
    name: "leap second in a CSV instant ('2016-12-31T23:59:60Z')",
    rule: 'C4, C9',
    expected: 'INVALID_DATE',
    run() {
      expect(expiryOf('2016-12-31T23:59:60Z').issues[0]?.code).toBe('INVALID_DATE');
    },
  },
  {
    name: "24:00 in an instant given to parseUser ('2026-12-31T24:00:00Z')",
    rule: 'R12',
    expected: 'INVALID_USER naming expiresAt',
    run() {
      const error = thrown(() =>
        parseUser({ id: 'u', status: 'active', expiresAt: '2026-12-31T24:00:00Z' }),
      );
      expect([error.code, error.field]).toEqual(['INVALID_USER', 'expiresAt']);
    },
  },
  {
    name: 'leap second in an instant given to parseUser (expiresAt and accessRevokedAt)',
    rule: 'R12',
    expected: 'INVALID_USER naming the field',
    run() {
      expect(
        thrown(() => parseUser({ id: 'u', status: 'active', expiresAt: '2016-12-31T23:59:60Z' }))
          .field,
      ).toBe('expiresAt');
      expect(
        thrown(() =>
          parseUser({
            id: 'u',
            status: 'active',
            expiresAt: null,
            accessRevokedAt: '2016-12-31T23:59:60.000Z',
          }),
        ).field,
      ).toBe('accessRevokedAt');
    },
  },
  {
    name: 'parseUser with a date-time without offset, an Excel serial and epoch ms',
    rule: 'R12',
    expected: 'INVALID_USER for each: no new Date(string) guessing, no numbers',
    run() {
      for (const expiresAt of ['2026-12-31T17:00:00', 45678, Date.UTC(2026, 0, 1), '2026-12-31']) {
        expect(thrown(() => parseUser({ id: 'u', status: 'active', expiresAt })).code).toBe(
          'INVALID_USER',
        );
      }
    },
  },
  {
    name: 'parseUser at the extremes of the Date range (±8.64e15 ms)',
    rule: 'R12, R3',
    expected: 'both extremes accepted exactly; one millisecond beyond is INVALID_USER',
    run() {
      expect(
        parseUser({
          id: 'u',
          status: 'active',
          expiresAt: '+275760-09-13T00:00:00.000Z',
        }).expiresAt?.getTime(),
      ).toBe(MAX_MS);
      expect(
        parseUser({
          id: 'u',
          status: 'active',
          expiresAt: '-271821-04-20T00:00:00.000Z',
        }).expiresAt?.getTime(),
      ).toBe(-MAX_MS);
      expect(
        thrown(() =>
          parseUser({ id: 'u', status: 'active', expiresAt: '+275760-09-13T00:00:00.001Z' }),
        ).code,
      ).toBe('INVALID_USER');
      expect(
        thrown(() => parseUser({ id: 'u', status: 'active', expiresAt: '-000000-01-01T00:00:00Z' }))
          .code,
      ).toBe('INVALID_USER');
    },
  },
  {
    name: 'DST spring-forward day in America/New_York (2026-03-08, 23 hours)',
    rule: 'R11',
    expected: '03-07 ends 2026-03-08T05:00Z (EST); 03-08 ends 2026-03-09T04:00Z (EDT)',
    run() {
      expect(expirationInstant('2026-03-07', 'America/New_York').toISOString()).toBe(
        '2026-03-08T05:00:00.000Z',
      );
      expect(expirationInstant('2026-03-08', 'America/New_York').toISOString()).toBe(
        '2026-03-09T04:00:00.000Z',
      );
    },
  },
  {
    name: 'DST fall-back day in America/New_York (2026-11-01, 25 hours)',
    rule: 'R11',
    expected: '10-31 ends 2026-11-01T04:00Z; 11-01 ends 2026-11-02T05:00Z',
    run() {
      expect(expirationInstant('2026-10-31', 'America/New_York').toISOString()).toBe(
        '2026-11-01T04:00:00.000Z',
      );
      expect(expirationInstant('2026-11-01', 'America/New_York').toISOString()).toBe(
        '2026-11-02T05:00:00.000Z',
      );
    },
  },
  {
    name: 'DST days in Europe/London (2026-03-29 and 2026-10-25)',
    rule: 'R11',
    expected: 'start of the next local day: 03-29T00:00Z, 03-29T23:00Z, 10-24T23:00Z, 10-26T00:00Z',
    run() {
      const z = (d: string) => expirationInstant(d, 'Europe/London').toISOString();
      expect([z('2026-03-28'), z('2026-03-29'), z('2026-10-24'), z('2026-10-25')]).toEqual([
        '2026-03-29T00:00:00.000Z',
        '2026-03-29T23:00:00.000Z',
        '2026-10-24T23:00:00.000Z',
        '2026-10-26T00:00:00.000Z',
      ]);
    },
  },
  {
    name: 'half-hour DST shifts in Australia/Lord_Howe (2026-04-05 and 2026-10-04)',
    rule: 'R11',
    expected: 'next local midnight at +11:00 or +10:30 as the day requires',
    run() {
      const z = (d: string) => expirationInstant(d, 'Australia/Lord_Howe').toISOString();
      expect([z('2026-04-04'), z('2026-04-05'), z('2026-10-03'), z('2026-10-04')]).toEqual([
        '2026-04-04T13:00:00.000Z',
        '2026-04-05T13:30:00.000Z',
        '2026-10-03T13:30:00.000Z',
        '2026-10-04T13:00:00.000Z',
      ]);
    },
  },
  {
    name: 'day without a local midnight in America/Havana (2026-03-08 starts at 01:00)',
    rule: 'R11',
    expected: '03-07 ends at the first instant of 03-08 (01:00 CDT = 05:00Z), never 23:59:59',
    run() {
      expect(expirationInstant('2026-03-07', 'America/Havana').toISOString()).toBe(
        '2026-03-08T05:00:00.000Z',
      );
      expect(expirationInstant('2026-03-08', 'America/Havana').toISOString()).toBe(
        '2026-03-09T04:00:00.000Z',
      );
    },
  },
  {
    name: 'Havana date-only cell read through parseCsv with timeZone',
    rule: 'R11, C4',
    expected: 'the same instant as expirationInstant, and a learner is active until 04:59:59.999Z',
    async run() {
      const row = await onlyRow(`${HE}a@x.org,,2026-03-07\r\n`, { timeZone: 'America/Havana' });
      const at = row.result.ok ? row.result.update.expiresAt : undefined;
      expect(at?.toISOString()).toBe('2026-03-08T05:00:00.000Z');
      const learner = user('a', 'active', at ?? null);
      expect(effectiveStatus(learner, new Date('2026-03-08T04:59:59.999Z'))).toBe('active');
      expect(effectiveStatus(learner, new Date('2026-03-08T05:00:00.000Z'))).toBe('expired');
    },
  },
  {
    name: 'Feb 29 in a leap year (2024, 2000) and in common years (2026, 2100)',
    rule: 'R11, C4, C9',
    expected:
      'leap days end at Mar 1 00:00 in the zone; 2026-02-29 and 2100-02-29 are INVALID_DATE',
    run() {
      expect(updateOf(expiryOf('2024-02-29')).expiresAt?.toISOString()).toBe(
        '2024-03-01T00:00:00.000Z',
      );
      expect(updateOf(expiryOf('2000-02-29', 'Pacific/Kiritimati')).expiresAt?.toISOString()).toBe(
        '2000-02-29T10:00:00.000Z',
      );
      expect(expiryOf('2026-02-29').issues[0]?.code).toBe('INVALID_DATE');
      expect(expiryOf('2100-02-29').issues[0]?.code).toBe('INVALID_DATE');
      expect(thrown(() => expirationInstant('2026-02-29')).code).toBe('INVALID_DATE');
    },
  },
  {
    name: "impossible date '2026-02-30' (and 2026-13-01, 2026-04-31, 2026-00-10)",
    rule: 'C4, C9, R11',
    expected: 'INVALID_DATE, never rolled over to March',
    run() {
      for (const d of ['2026-02-30', '2026-13-01', '2026-04-31', '2026-00-10', '2026-01-00']) {
        expect(expiryOf(d).issues[0]?.code, d).toBe('INVALID_DATE');
        expect(thrown(() => expirationInstant(d, 'Europe/London')).code, d).toBe('INVALID_DATE');
      }
    },
  },
  {
    name: 'date-time without an offset in the CSV',
    rule: 'C4, C9',
    expected: 'INVALID_DATE with a hint to add Z or an offset',
    run() {
      for (const d of ['2026-12-31T17:00:00', '2026-12-31 17:00']) {
        const result = expiryOf(d);
        expect(result.issues[0]?.code).toBe('INVALID_DATE');
        expect(result.issues[0]?.message).toMatch(/offset/);
      }
    },
  },
  {
    name: 'ISO instant with an offset; impossible offset +24:00',
    rule: 'C4',
    expected: '2026-12-31T17:00:00+01:00 is 16:00Z whatever timeZone says; +24:00 is INVALID_DATE',
    run() {
      expect(
        updateOf(
          expiryOf('2026-12-31T17:00:00+01:00', 'America/New_York'),
        ).expiresAt?.toISOString(),
      ).toBe('2026-12-31T16:00:00.000Z');
      expect(expiryOf('2026-12-31T17:00:00+24:00').issues[0]?.code).toBe('INVALID_DATE');
    },
  },
  {
    name: "ambiguous '03/04/2026' without and with dateFormats",
    rule: 'C4',
    expected: "INVALID_DATE by default; with 'dd/MM/yyyy' it is 3 April (ends 2026-04-04T00:00Z)",
    run() {
      expect(expiryOf('03/04/2026').issues[0]?.code).toBe('INVALID_DATE');
      expect(updateOf(expiryOf('03/04/2026', 'UTC', ['dd/MM/yyyy'])).expiresAt?.toISOString()).toBe(
        '2026-04-04T00:00:00.000Z',
      );
    },
  },
  {
    name: "caller format round trip: '31/02/2026' and '1/2/2026' for dd/MM/yyyy",
    rule: 'C4, C9',
    expected: 'INVALID_DATE: no roll-over, no lenient single digits',
    run() {
      expect(expiryOf('31/02/2026', 'UTC', ['dd/MM/yyyy']).issues[0]?.code).toBe('INVALID_DATE');
      expect(expiryOf('1/2/2026', 'UTC', ['dd/MM/yyyy']).issues[0]?.code).toBe('INVALID_DATE');
    },
  },
  {
    name: 'dateFormats with a time token',
    rule: 'C4, C9',
    expected: 'INVALID_OPTION (a local date-time could be any instant)',
    run() {
      expect(thrown(() => expiryOf('x', 'UTC', ['dd/MM/yyyy HH:mm'])).code).toBe('INVALID_OPTION');
    },
  },
  {
    name: "'Never' spellings and look-alikes",
    rule: 'C4, C9',
    expected:
      "'Never', 'NEVER', ' never ' clear the date; Cyrillic / full-width forms are LOOKALIKE_CHARACTER",
    run() {
      for (const v of ['Never', 'NEVER', ' never '])
        expect(updateOf(expiryOf(v)).expiresAt).toBeNull();
      expect(expiryOf('Nev\u0435r').issues[0]?.code).toBe('LOOKALIKE_CHARACTER');
      expect(expiryOf('\uff2eever').issues[0]?.code).toBe('LOOKALIKE_CHARACTER');
      expect(expiryOf('NEVER\u0000').issues[0]?.code).toBe('CONTROL_CHARACTER');
    },
  },
  {
    name: 'full-width and Arabic-Indic digits in a date',
    rule: 'C4, C9',
    expected: 'INVALID_DATE: only ASCII digits are dates',
    run() {
      expect(expiryOf('\uff12\uff10\uff12\uff16-12-31').issues[0]?.code).toBe('INVALID_DATE');
      expect(expiryOf('\u0662\u0660\u0662\u0666-12-31').issues[0]?.code).toBe('INVALID_DATE');
    },
  },
  {
    name: "fixed offset '+05:30' or a made-up zone as the time zone",
    rule: 'R11',
    expected: 'INVALID_TIME_ZONE from expirationInstant, INVALID_OPTION from the CSV options',
    run() {
      expect(thrown(() => expirationInstant('2026-12-31', '+05:30')).code).toBe(
        'INVALID_TIME_ZONE',
      );
      expect(thrown(() => expirationInstant('2026-12-31', 'Mars/Olympus')).code).toBe(
        'INVALID_TIME_ZONE',
      );
      expect(thrown(() => parseCsv(HE, { timeZone: '+05:30' })).code).toBe('INVALID_OPTION');
    },
  },
  {
    name: "padded or loose date-only strings (' 2026-12-31', '2026-1-5', '20260105')",
    rule: 'R11',
    expected: 'expirationInstant throws INVALID_DATE for each',
    run() {
      for (const d of [' 2026-12-31', '2026-1-5', '20260105', '2026-12-31T00:00:00Z', 'NaN']) {
        expect(thrown(() => expirationInstant(d)).code, d).toBe('INVALID_DATE');
      }
    },
  },
  {
    name: 'years 0000 and 9999 in a date-only cell',
    rule: 'R11, C4',
    expected: '0000-01-01 ends 0000-01-02T00:00Z (not 1900); 9999-12-31 ends +010000-01-01',
    run() {
      expect(updateOf(expiryOf('0000-01-01')).expiresAt?.toISOString()).toBe(
        '0000-01-02T00:00:00.000Z',
      );
      expect(expirationInstant('0099-12-31').toISOString()).toBe('0100-01-01T00:00:00.000Z');
      expect(updateOf(expiryOf('9999-12-31')).expiresAt?.toISOString()).toBe(
        '+010000-01-01T00:00:00.000Z',
      );
    },
  },
];

// --------------------------------------------------------------------------------------------
// 4. Login and sessions
// --------------------------------------------------------------------------------------------

const EXPIRY = new Date('2026-06-01T17:00:00.000Z');
const ada = user('ada', 'active', EXPIRY);

const login: Case[] = [
  {
    name: 'the exact expiry instant (>= not >)',
    rule: 'R4',
    expected: "'expired' AT expiresAt; 'active' one millisecond before",
    run() {
      expect(effectiveStatus(ada, new Date(EXPIRY.getTime() - 1))).toBe('active');
      expect(effectiveStatus(ada, EXPIRY)).toBe('expired');
    },
  },
  {
    name: 'checkLogin at the exact expiry instant',
    rule: 'R4, R5, L1',
    expected:
      "refused 'expired' at the instant; 1 ms before allowed with sessionExpiresAt = expiresAt",
    run() {
      expect(checkLogin(ada, EXPIRY)).toMatchObject({ allowed: false, reason: 'expired' });
      expect(checkLogin(ada, new Date(EXPIRY.getTime() - 1))).toEqual({
        allowed: true,
        status: 'active',
        sessionExpiresAt: EXPIRY,
      });
    },
  },
  {
    name: 'deactivated and past the expiry',
    rule: 'R4',
    expected: "'expired' wins; the stored 'deactivated' survives underneath",
    run() {
      const bob = user('bob', 'deactivated', PAST);
      expect(effectiveStatus(bob, NOW)).toBe('expired');
      expect(setExpiration(bob, null, { now: NOW }).effective).toBe('deactivated');
    },
  },
  {
    name: 'Invalid Date as now',
    rule: 'R12, L1',
    expected:
      'INVALID_DATE thrown by effectiveStatus, checkLogin, checkSession and nextStatusChangeAt',
    run() {
      const bad = new Date(Number.NaN);
      expect(thrown(() => effectiveStatus(ada, bad)).code).toBe('INVALID_DATE');
      expect(thrown(() => checkLogin(ada, bad)).code).toBe('INVALID_DATE');
      expect(thrown(() => checkSession(ada, { issuedAt: NOW }, bad)).code).toBe('INVALID_DATE');
      expect(thrown(() => nextStatusChangeAt(ada, bad)).code).toBe('INVALID_DATE');
    },
  },
  {
    name: 'NaN, a number or a string as now',
    rule: 'R12, R9',
    expected: 'INVALID_DATE: now must be a valid Date (no hidden clock, no coercion)',
    run() {
      for (const now of [Number.NaN, Date.now(), '2026-06-01T00:00:00Z', undefined]) {
        expect(thrown(() => checkLogin(ada, now as never)).code).toBe('INVALID_DATE');
        expect(thrown(() => deactivate(ada, { now: now as never })).code).toBe('INVALID_DATE');
      }
    },
  },
  {
    name: 'Invalid Date as expiresAt',
    rule: 'R12, L1',
    expected: "effectiveStatus throws INVALID_USER (field expiresAt); checkLogin refuses 'invalid'",
    run() {
      const broken = user('u', 'active', new Date(Number.NaN));
      const error = thrown(() => effectiveStatus(broken, NOW));
      expect([error.code, error.field]).toEqual(['INVALID_USER', 'expiresAt']);
      expect(checkLogin(broken, NOW)).toMatchObject({ allowed: false, reason: 'invalid' });
      expect(checkSession(broken, { issuedAt: NOW }, NOW).allowed).toBe(false);
    },
  },
  {
    name: 'expiresAt as a string, a number, or missing',
    rule: 'R12',
    expected: "refused 'invalid' each time, never read as 'never expires'",
    run() {
      for (const expiresAt of ['2099-01-01T00:00:00Z', 4102444800000, undefined, {}]) {
        const record = { id: 'u', status: 'active', expiresAt } as unknown as User;
        expect(checkLogin(record, NOW)).toMatchObject({ allowed: false, reason: 'invalid' });
      }
    },
  },
  {
    name: "stored status 'Active', 'expired', ' active' or an empty id",
    rule: 'R2, R12',
    expected: "refused 'invalid' (no case folding, expired is never stored)",
    run() {
      for (const [id, status] of [
        ['u', 'Active'],
        ['u', 'expired'],
        ['u', ' active'],
        ['', 'active'],
      ]) {
        const record = { id, status, expiresAt: null } as unknown as User;
        expect(checkLogin(record, NOW)).toMatchObject({ allowed: false, reason: 'invalid' });
      }
    },
  },
  {
    name: 'a record with a throwing getter, and a Date look-alike',
    rule: 'R12',
    expected: "refused 'invalid'; checkLogin never throws for bad data",
    run() {
      const trap = {
        id: 'u',
        status: 'active',
        get expiresAt(): Date {
          throw new Error('boom');
        },
      };
      expect(checkLogin(trap as unknown as User, NOW)).toMatchObject({
        allowed: false,
        reason: 'invalid',
      });
      const fake = Object.create(Date.prototype) as Date;
      expect(checkLogin(user('u', 'active', fake), NOW)).toMatchObject({
        allowed: false,
        reason: 'invalid',
      });
    },
  },
  {
    name: 'a Date look-alike whose own getTime lies (object on Date.prototype, Date subclass)',
    rule: 'R12, R4',
    expected:
      "a pretend Date is refused 'invalid' / INVALID_USER; a subclass is judged by the date it holds",
    run() {
      const noValue = Object.assign(Object.create(Date.prototype) as Date, {
        getTime: () => undefined,
      });
      const farFuture = Object.assign(Object.create(Date.prototype) as Date, {
        getTime: () => 9e15,
      });
      class Forever extends Date {
        override getTime(): number {
          return Number.MAX_SAFE_INTEGER;
        }
      }
      const expiredLongAgo = new Forever('2020-01-01T00:00:00Z');
      for (const expiresAt of [noValue, farFuture]) {
        expect(checkLogin(user('u', 'active', expiresAt), NOW)).toMatchObject({ allowed: false });
        expect(thrown(() => effectiveStatus(user('u', 'active', expiresAt), NOW)).code).toBe(
          'INVALID_USER',
        );
      }
      // A real Date whose class overrides getTime: the date it holds is read, not the method.
      expect(checkLogin(user('u', 'active', expiredLongAgo), NOW)).toMatchObject({
        allowed: false,
        reason: 'expired',
      });
      expect(effectiveStatus(user('u', 'active', expiredLongAgo), NOW)).toBe('expired');
    },
  },
  {
    name: 'a Date look-alike as now or as accessRevokedAt',
    rule: 'R12, L3',
    expected:
      "INVALID_DATE for now (never an allowed login of an expired user); 'invalid' for accessRevokedAt",
    run() {
      const noValue = Object.assign(Object.create(Date.prototype) as Date, {
        getTime: () => undefined,
      });
      expect(thrown(() => checkLogin(user('u', 'active', PAST), noValue)).code).toBe(
        'INVALID_DATE',
      );
      expect(
        thrown(() => setExpiration(user('u', 'active', PAST), noValue, { now: NOW })).code,
      ).toBe('INVALID_DATE');
      const back = user('u', 'active', null, { accessRevokedAt: noValue });
      expect(checkSession(back, { issuedAt: PAST }, NOW)).toMatchObject({
        allowed: false,
        reason: 'invalid',
      });
    },
  },
  {
    name: 'a Date from another realm (vm context)',
    rule: 'R12',
    expected: "refused 'invalid' (fails closed)",
    run() {
      const foreign = runInNewContext('new Date(4102444800000)') as Date;
      expect(checkLogin(user('u', 'active', foreign), NOW)).toMatchObject({
        allowed: false,
        reason: 'invalid',
      });
    },
  },
  {
    name: 'no user at all (null, undefined)',
    rule: 'L1, R12',
    expected: "refused 'unknown-user'",
    run() {
      expect(checkLogin(null, NOW)).toMatchObject({ allowed: false, reason: 'unknown-user' });
      expect(checkSession(undefined, { issuedAt: NOW }, NOW)).toMatchObject({
        allowed: false,
        reason: 'unknown-user',
      });
    },
  },
  {
    name: 'now and expiresAt at the extremes of the Date range',
    rule: 'R4',
    expected: 'expired exactly at ±8.64e15; never-expiring users stay active at the last instant',
    run() {
      const last = new Date(MAX_MS);
      const first = new Date(-MAX_MS);
      expect(effectiveStatus(user('u', 'active', null), last)).toBe('active');
      expect(effectiveStatus(user('u', 'active', last), last)).toBe('expired');
      expect(effectiveStatus(user('u', 'active', last), new Date(MAX_MS - 1))).toBe('active');
      expect(effectiveStatus(user('u', 'active', first), first)).toBe('expired');
      expect(thrown(() => checkLogin(ada, new Date(MAX_MS + 1))).code).toBe('INVALID_DATE');
    },
  },
  {
    name: 'session cap beyond the end of the Date range',
    rule: 'L1',
    expected:
      'allowed; sessionExpiresAt is the account expiry if it is earlier, else null (unrepresentable)',
    run() {
      const now = new Date(MAX_MS - 1000);
      expect(
        checkLogin(user('u', 'active', new Date(MAX_MS)), now, { maxSessionMs: 3_600_000 }),
      ).toEqual({
        allowed: true,
        status: 'active',
        sessionExpiresAt: new Date(MAX_MS),
      });
      expect(checkLogin(user('u', 'active', null), now, { maxSessionMs: 3_600_000 })).toEqual({
        allowed: true,
        status: 'active',
        sessionExpiresAt: null,
      });
    },
  },
  {
    name: 'nextStatusChangeAt before, at and without the expiry',
    rule: 'L2, R4',
    expected: 'expiresAt before it; null at the instant (already expired) and for never',
    run() {
      expect(nextStatusChangeAt(ada, NOW)).toEqual(EXPIRY);
      expect(nextStatusChangeAt(ada, EXPIRY)).toBeNull();
      expect(nextStatusChangeAt(user('u', 'deactivated', null), NOW)).toBeNull();
    },
  },
  {
    name: 'session issued exactly at accessRevokedAt',
    rule: 'L3',
    expected: "'session-revoked' at the instant; allowed from one millisecond after",
    run() {
      const revokedAt = new Date('2026-06-01T08:00:00.000Z');
      const back = user('u', 'active', null, { accessRevokedAt: revokedAt });
      expect(checkSession(back, { issuedAt: revokedAt }, NOW)).toMatchObject({
        allowed: false,
        reason: 'session-revoked',
      });
      expect(checkSession(back, { issuedAt: new Date(revokedAt.getTime() + 1) }, NOW).allowed).toBe(
        true,
      );
      expect(checkLogin(back, NOW).allowed).toBe(true);
    },
  },
  {
    name: 'session issued before a deactivation, user reactivated since',
    rule: 'L3, R8',
    expected: "old session 'session-revoked'; a new login after the reactivation works",
    run() {
      const t0 = new Date('2026-06-01T08:00:00Z');
      const t1 = new Date('2026-06-01T09:00:00Z');
      const t2 = new Date('2026-06-01T10:00:00Z');
      const off = deactivate(ada, { now: t1 }).user;
      const on = reactivate(off, { now: t2 }).user;
      expect(checkSession(on, { issuedAt: t0 }, NOW)).toMatchObject({
        allowed: false,
        reason: 'session-revoked',
      });
      expect(checkSession(on, { issuedAt: new Date(t2.getTime() + 1) }, NOW).allowed).toBe(true);
    },
  },
  {
    name: 'session issued before the learner expired, expiry then moved',
    rule: 'L3, R7',
    expected: "access given back sets accessRevokedAt: the pre-expiry session is 'session-revoked'",
    run() {
      const expired = user('u', 'active', PAST);
      const { user: back, effective } = setExpiration(expired, FUTURE, { now: NOW });
      expect(effective).toBe('active');
      expect(back.accessRevokedAt).toEqual(NOW);
      expect(
        checkSession(
          back,
          { issuedAt: new Date('2025-12-31T00:00:00Z') },
          new Date(NOW.getTime() + 1),
        ),
      ).toMatchObject({ reason: 'session-revoked' });
    },
  },
  {
    name: 'session with an Invalid Date issuedAt, or accessRevokedAt Invalid Date',
    rule: 'L3, R12',
    expected: "refused 'invalid'",
    run() {
      expect(checkSession(ada, { issuedAt: new Date(Number.NaN) }, NOW)).toMatchObject({
        reason: 'invalid',
      });
      expect(
        checkSession(
          user('u', 'active', null, { accessRevokedAt: new Date(Number.NaN) }),
          { issuedAt: NOW },
          NOW,
        ),
      ).toMatchObject({ reason: 'invalid' });
    },
  },
  {
    name: 'session lifetime counted from issuedAt',
    rule: 'L1',
    expected: "'session-expired' exactly at issuedAt + maxSessionMs, allowed 1 ms before",
    run() {
      const issuedAt = new Date('2026-06-01T08:00:00Z');
      const learner = user('u', 'active', null);
      const max = 3_600_000;
      expect(
        checkSession(learner, { issuedAt }, new Date(issuedAt.getTime() + max), {
          maxSessionMs: max,
        }),
      ).toMatchObject({ reason: 'session-expired' });
      expect(
        checkSession(learner, { issuedAt }, new Date(issuedAt.getTime() + max - 1), {
          maxSessionMs: max,
        }).allowed,
      ).toBe(true);
    },
  },
  {
    name: 'a store that throws (synchronously and by rejecting)',
    rule: 'L4',
    expected: "refused 'unavailable', never treated as no restriction",
    async run() {
      const sync = await checkLoginWith(() => {
        throw new Error('connection refused');
      }, NOW);
      expect(sync).toMatchObject({ allowed: false, reason: 'unavailable' });
      const rejected = await checkLoginWith(() => Promise.reject(new Error('down')), NOW);
      expect(rejected).toMatchObject({ allowed: false, reason: 'unavailable' });
    },
  },
  {
    name: 'a store that hangs, with a small timeout',
    rule: 'L4',
    expected: "refused 'unavailable' after timeoutMs",
    async run() {
      const decision = await checkLoginWith(() => never<User>(), NOW, { timeoutMs: 15 });
      expect(decision).toMatchObject({ allowed: false, reason: 'unavailable' });
      if (!decision.allowed) expect(decision.detail).toMatch(/15 ms/);
    },
  },
  {
    name: 'a thenable that never calls back',
    rule: 'L4',
    expected: "refused 'unavailable' after timeoutMs",
    async run() {
      // A hand-made thenable on purpose: some drivers answer those instead of real promises.
      // biome-ignore lint/suspicious/noThenProperty: the thenable that never settles is the point.
      const thenable = { then() {} } as unknown as PromiseLike<User>;
      expect(await checkLoginWith(() => thenable, NOW, { timeoutMs: 10 })).toMatchObject({
        reason: 'unavailable',
      });
    },
  },
  {
    name: 'login guard with a hanging loader, for login and for a request',
    rule: 'L4, L1',
    expected: "'unavailable' with cookieMaxAgeMs 0; request refused 'unavailable'",
    async run() {
      const guard = createLoginGuard({ loadUser: () => never<User>(), timeoutMs: 10 });
      expect(await guard.login('ada', NOW)).toMatchObject({
        decision: { reason: 'unavailable' },
        cookieMaxAgeMs: 0,
      });
      expect(await guard.request('ada', { issuedAt: NOW }, NOW)).toMatchObject({
        allowed: false,
        reason: 'unavailable',
      });
    },
  },
  {
    name: 'login guard with a loader that answers a broken record',
    rule: 'L4, R12',
    expected: "'invalid' (data), not 'unavailable' (outage)",
    async run() {
      const guard = createLoginGuard({
        loadUser: () => ({ id: 'u', status: 'Active', expiresAt: null }) as unknown as User,
      });
      expect(await guard.login('u', NOW)).toMatchObject({
        decision: { reason: 'invalid' },
        cookieMaxAgeMs: 0,
      });
    },
  },
  {
    name: "misspelled login option 'maxSesionMs'",
    rule: 'L1',
    expected: 'INVALID_OPTION naming the key (sessions are never left uncapped silently)',
    run() {
      const error = thrown(() => checkLogin(ada, NOW, { maxSesionMs: 1000 } as never));
      expect([error.code, error.field]).toEqual(['INVALID_OPTION', 'maxSesionMs']);
      expect(
        thrown(() => checkSession(ada, { issuedAt: NOW }, NOW, { maxsessionms: 1 } as never)).code,
      ).toBe('INVALID_OPTION');
    },
  },
  {
    name: 'misspelled option inherited through a polluted prototype',
    rule: 'L1',
    expected: 'INVALID_OPTION (inherited enumerable keys are checked too)',
    run() {
      const options = Object.create({ maxSesionMs: 5 }) as object;
      expect(thrown(() => checkLogin(ada, NOW, options as never)).code).toBe('INVALID_OPTION');
    },
  },
  {
    name: "misspelled 'timeout' for checkLoginWith and 'loadUsers' for createLoginGuard",
    rule: 'L4',
    expected: 'INVALID_OPTION before the loader is ever called',
    async run() {
      let called = 0;
      const load = () => {
        called++;
        return ada;
      };
      expect((await rejectionOf(checkLoginWith(load, NOW, { timeout: 10 } as never))).code).toBe(
        'INVALID_OPTION',
      );
      expect(called).toBe(0);
      expect(thrown(() => createLoginGuard({ loadUsers: load } as never)).code).toBe(
        'INVALID_OPTION',
      );
      expect(thrown(() => createLoginGuard({ loadUser: load, timeoutMs: 0 })).code).toBe(
        'INVALID_OPTION',
      );
    },
  },
  {
    name: 'bad maxSessionMs values (0, -1, NaN, Infinity) and null options',
    rule: 'L1',
    expected: 'INVALID_OPTION for each',
    run() {
      for (const maxSessionMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1000']) {
        expect(thrown(() => checkLogin(ada, NOW, { maxSessionMs } as never)).code).toBe(
          'INVALID_OPTION',
        );
      }
      expect(thrown(() => checkLogin(ada, NOW, null as never)).code).toBe('INVALID_OPTION');
    },
  },
  {
    name: "misspelled transition context field 'reasn'",
    rule: 'R10',
    expected: 'INVALID_OPTION instead of silently dropping the reason from the audit event',
    run() {
      const error = thrown(() => deactivate(ada, { now: NOW, reasn: 'left' } as never));
      expect([error.code, error.field]).toEqual(['INVALID_OPTION', 'reasn']);
    },
  },
  {
    name: "'expired' chosen manually, any case and spacing",
    rule: 'R6',
    expected: 'EXPIRED_NOT_SELECTABLE telling to change the expiration date',
    run() {
      for (const status of ['expired', 'Expired', ' EXPIRED ']) {
        const error = thrown(() => setStatus(ada, status as never, { now: NOW }));
        expect(error.code).toBe('EXPIRED_NOT_SELECTABLE');
        expect(error.message).toMatch(/expiration date/);
      }
    },
  },
  {
    name: "Turkish 'EXPİRED' and 'ACTIVE' given to setStatus",
    rule: 'R6, R2',
    expected: 'INVALID_STATUS: no spelling other than exactly active/deactivated is accepted',
    run() {
      expect(thrown(() => setStatus(ada, 'EXP\u0130RED' as never, { now: NOW })).code).toBe(
        'INVALID_STATUS',
      );
      expect(thrown(() => setStatus(ada, 'ACTIVE' as never, { now: NOW })).code).toBe(
        'INVALID_STATUS',
      );
    },
  },
  {
    name: 'reactivating an expired learner',
    rule: 'R8',
    expected: "changed, effective 'expired' (stays expired until the date is moved)",
    run() {
      const result = reactivate(user('u', 'deactivated', PAST), { now: NOW });
      expect([result.changed, result.user.status, result.effective]).toEqual([
        true,
        'active',
        'expired',
      ]);
      expect(result.event?.endSessions).toBe(false);
    },
  },
  {
    name: 'moving the date of a deactivated, expired learner',
    rule: 'R7',
    expected: "effective 'deactivated': login is still refused and the result says so",
    run() {
      const result = setExpiration(user('u', 'deactivated', PAST), FUTURE, { now: NOW });
      expect(result.effective).toBe('deactivated');
      expect(checkLogin(result.user, NOW)).toMatchObject({ reason: 'deactivated' });
    },
  },
  {
    name: 'expiry moved to exactly now',
    rule: 'R4, R10',
    expected: 'the learner is expired at once and the event asks to end sessions',
    run() {
      const result = setExpiration(user('u', 'active', FUTURE), NOW, { now: NOW });
      expect(result.effective).toBe('expired');
      expect(result.event?.endSessions).toBe(true);
      expect(result.user.accessRevokedAt).toEqual(NOW);
    },
  },
  {
    name: 'Invalid Date or NaN as the new expiresAt',
    rule: 'R12, R7',
    expected: 'INVALID_DATE; the user is not changed',
    run() {
      expect(thrown(() => setExpiration(ada, new Date(Number.NaN), { now: NOW })).code).toBe(
        'INVALID_DATE',
      );
      expect(thrown(() => setExpiration(ada, Number.NaN as never, { now: NOW })).code).toBe(
        'INVALID_DATE',
      );
      expect(ada.expiresAt).toEqual(EXPIRY);
    },
  },
  {
    name: 'deactivating twice',
    rule: 'R9',
    expected: 'second call: changed false, no event, the very same object',
    run() {
      const off = deactivate(ada, { now: NOW }).user;
      const again = deactivate(off, { now: NOW });
      expect([again.changed, again.event, again.user === off]).toEqual([false, null, true]);
    },
  },
];

// --------------------------------------------------------------------------------------------
// 5. Bulk updates and stores
// --------------------------------------------------------------------------------------------

async function planOf(input: BulkInputRow[] | string, users: User[], extra: object = {}) {
  const store = storeOf(...users);
  const source = typeof input === 'string' ? parseCsv(input) : input;
  const plan = await planBulkUpdate(source, store, { now: NOW, actor: 'admin-7', ...extra });
  return { store, plan };
}

const bulk: Case[] = [
  {
    name: 'duplicates that agree',
    rule: 'C8, S4',
    expected:
      'applied once from the first line; the repeat is duplicate with DUPLICATE_ROW; one event',
    async run() {
      const { store, plan } = await planOf(`${H}a@x.org,No\r\nb@x.org,No\r\na@x.org,no\r\n`, [
        user('a@x.org'),
        user('b@x.org'),
      ]);
      expect(plan.rows.map((r) => r.outcome)).toEqual(['changed', 'changed', 'duplicate']);
      expect(plan.rows[2]?.issues.map((i) => i.code)).toEqual(['DUPLICATE_ROW']);
      expect(plan.rows[2]?.issues[0]?.message).toContain('line 2');
      await applyBulkUpdate(plan, store);
      expect(store.events().filter((e) => e.userId === 'a@x.org')).toHaveLength(1);
    },
  },
  {
    name: 'duplicates that disagree',
    rule: 'C8',
    expected: 'none applied; each invalid with CONFLICTING_DUPLICATE naming the other lines',
    async run() {
      const { store, plan } = await planOf(`${H}a@x.org,No\r\na@x.org,Yes\r\n\r\na@x.org,No\r\n`, [
        user('a@x.org'),
      ]);
      expect(plan.rows.map((r) => r.outcome)).toEqual(['invalid', 'invalid', 'invalid']);
      expect(plan.rows[0]?.issues[0]?.message).toMatch(/lines 3, 5/);
      const report = await applyBulkUpdate(plan, store);
      expect(report.totals.changed).toBe(0);
      expect(store.events()).toHaveLength(0);
    },
  },
  {
    name: 'same user by email in another ASCII case',
    rule: 'C8, C9',
    expected: "'Ada@Example.org' and 'ada@example.org' agreeing are one user: duplicate",
    async run() {
      const { plan } = await planOf(`${H}Ada@Example.org,No\r\nada@example.org,No\r\n`, [
        user('ada@example.org'),
      ]);
      expect(plan.rows.map((r) => [r.outcome, r.userId])).toEqual([
        ['changed', 'ada@example.org'],
        ['duplicate', 'ada@example.org'],
      ]);
    },
  },
  {
    name: 'the same instant written as a date and as an ISO instant',
    rule: 'C8, R11',
    expected: '2026-12-31 (UTC) and 2027-01-01T00:00:00Z agree: duplicate, not a conflict',
    async run() {
      const { plan } = await planOf(
        `Email,Expires\r\na@x.org,2026-12-31\r\na@x.org,2027-01-01T00:00:00Z\r\n`,
        [user('a@x.org')],
      );
      expect(plan.rows.map((r) => r.outcome)).toEqual(['changed', 'duplicate']);
    },
  },
  {
    name: "Turkish 'İ' in an email vs the stored ASCII email",
    rule: 'C9',
    expected: "'ADMİN@x.org' never matches 'admin@x.org' (ASCII-only folding): not-found",
    async run() {
      const { plan } = await planOf(`${H}ADM\u0130N@x.org,No\r\nADMIN@X.ORG,No\r\n`, [
        user('admin@x.org'),
      ]);
      expect(plan.rows.map((r) => r.outcome)).toEqual(['not-found', 'changed']);
      expect(plan.rows[0]?.issues.map((i) => i.code)).toEqual(['USER_NOT_FOUND']);
    },
  },
  {
    name: 'ids never matched by number or by prefix or case (non-email)',
    rule: 'C9',
    expected:
      "'7' and '7.0' do not find '007'; 'ada' does not find 'ada@x.org'; 'Bob' does not find 'bob'",
    async run() {
      const { plan } = await planOf(
        'User ID,Active\r\n7,No\r\n7.0,No\r\nada,No\r\nBob,No\r\n007,No\r\n',
        [user('007'), user('ada@x.org'), user('bob')],
      );
      expect(plan.rows.map((r) => r.outcome)).toEqual([
        'not-found',
        'not-found',
        'not-found',
        'not-found',
        'changed',
      ]);
    },
  },
  {
    name: 'Cyrillic look-alike letter in an id, looked up in the store',
    rule: 'C9',
    expected: "'аda' (Cyrillic а) does not find 'ada': not-found",
    async run() {
      const { plan } = await planOf('User ID,Active\r\n\u0430da,No\r\n', [user('ada')]);
      expect(plan.rows[0]?.outcome).toBe('not-found');
    },
  },
  {
    name: 'email in upper case, stored in lower case',
    rule: 'C9, S1',
    expected: 'found through the lower-case lookup; the row names the stored id and writes to it',
    async run() {
      const { store, plan } = await planOf(`${H}ADA@EXAMPLE.ORG,No\r\n`, [user('ada@example.org')]);
      expect(plan.rows[0]).toMatchObject({ outcome: 'changed', userId: 'ada@example.org' });
      await applyBulkUpdate(plan, store);
      expect(store.users()[0]?.status).toBe('deactivated');
    },
  },
  {
    name: 'running the same file twice',
    rule: 'S4, R9',
    expected: 'second run: every row unchanged (or duplicate), no write call, no new event',
    async run() {
      const file = `${HE}a@x.org,No,2026-12-31\r\nb@x.org,Yes,Never\r\na@x.org,No,2026-12-31\r\n`;
      const store = storeOf(user('a@x.org'), user('b@x.org', 'deactivated', PAST));
      const first = await bulkUpdateFromCsv(file, store, { now: NOW });
      expect(first.totals.changed).toBe(2);
      const events = store.events().length;
      const counted = wrapStore(store);
      const second = await bulkUpdateFromCsv(file, counted, {
        now: new Date(NOW.getTime() + 60_000),
      });
      expect(second.rows.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'duplicate']);
      expect(counted.writes).toBe(0);
      expect(store.events()).toHaveLength(events);
    },
  },
  {
    name: 'version conflict: someone changed the status after the plan',
    rule: 'S3, S1',
    expected: 'conflict with CONCURRENT_CHANGE; their change stands',
    async run() {
      const { store, plan } = await planOf(
        [okRow(2, 'a', { status: 'deactivated' })],
        [user('a', 'active', FUTURE)],
      );
      store.put(user('a', 'deactivated', FUTURE, { accessRevokedAt: NOW }));
      store.put(user('a', 'active', FUTURE, { accessRevokedAt: NOW }));
      const report = await applyBulkUpdate(plan, store);
      expect(report.rows[0]).toMatchObject({ outcome: 'changed' });
      // Same status again: the row is re-decided on the fresh record, never blindly written.
      const { store: s2, plan: p2 } = await planOf(
        [okRow(2, 'a', { status: 'deactivated' })],
        [user('a')],
      );
      s2.put(user('a', 'deactivated', null));
      const r2 = await applyBulkUpdate(p2, s2);
      expect(r2.rows[0]?.outcome).toBe('conflict');
      expect(r2.rows[0]?.issues.map((i) => i.code)).toEqual(['CONCURRENT_CHANGE']);
      expect(s2.events()).toHaveLength(0);
    },
  },
  {
    name: 'version conflict: someone changed only the other field',
    rule: 'S3',
    expected: 'the row is re-planned on the fresh record and written; their date stays',
    async run() {
      const { store, plan } = await planOf([okRow(2, 'a', { status: 'deactivated' })], [user('a')]);
      store.put(user('a', 'active', FUTURE));
      const report = await applyBulkUpdate(plan, store);
      expect(report.rows[0]?.outcome).toBe('changed');
      expect(store.users()[0]).toMatchObject({ status: 'deactivated', expiresAt: FUTURE });
    },
  },
  {
    name: 'user deleted between plan and apply',
    rule: 'S3, S4',
    expected: 'not-found with USER_NOT_FOUND; nothing recreated',
    async run() {
      const { store, plan } = await planOf([okRow(2, 'a', { status: 'deactivated' })], [user('a')]);
      store.delete('a');
      const report = await applyBulkUpdate(plan, store);
      expect(report.rows[0]?.outcome).toBe('not-found');
      expect(report.rows[0]?.issues.map((i) => i.code)).toContain('USER_NOT_FOUND');
      expect(store.users()).toHaveLength(0);
    },
  },
  {
    name: 'a store that answers conflict forever',
    rule: 'S3',
    expected: 'conflict after maxAttempts writes; never a blind overwrite',
    async run() {
      const inner = storeOf(user('a'));
      const stubborn = wrapStore(inner, {
        writeUsers: async (writes) => writes.map(() => ({ status: 'conflict' as const })),
      });
      const plan = await planBulkUpdate([okRow(2, 'a', { status: 'deactivated' })], stubborn, {
        now: NOW,
      });
      const report = await applyBulkUpdate(plan, stubborn, { maxAttempts: 2 });
      expect(report.rows[0]?.outcome).toBe('conflict');
      expect(stubborn.writes).toBe(2);
      expect(inner.users()[0]?.status).toBe('active');
    },
  },
  {
    name: 'AbortSignal already aborted',
    rule: 'S3, S4',
    expected: 'every change cancelled (CANCELLED), no write call, report.cancelled true',
    async run() {
      const inner = storeOf(user('a'), user('b'));
      const counted = wrapStore(inner);
      const plan = await planBulkUpdate(
        [okRow(2, 'a', { status: 'deactivated' }), okRow(3, 'b', { status: 'active' })],
        counted,
        { now: NOW },
      );
      const controller = new AbortController();
      controller.abort();
      const report = await applyBulkUpdate(plan, counted, { signal: controller.signal });
      expect(report.rows.map((r) => r.outcome)).toEqual(['cancelled', 'unchanged']);
      expect(report.rows[0]?.issues.map((i) => i.code)).toEqual(['CANCELLED']);
      expect([report.cancelled, counted.writes, inner.events().length]).toEqual([true, 0, 0]);
    },
  },
  {
    name: 'a store that throws while writing',
    rule: 'S3, S4',
    expected:
      "batch 'failed' (STORE_FAILED), the rest 'cancelled' (STOPPED_AFTER_FAILURE); every row once",
    async run() {
      const inner = storeOf(user('a'), user('b'), user('c'));
      let calls = 0;
      const flaky = wrapStore(inner, {
        writeUsers: async (writes) => {
          if (++calls === 2) throw new Error('disk full');
          return inner.writeUsers(writes);
        },
      });
      const rowsIn = ['a', 'b', 'c'].map((id, k) => okRow(k + 2, id, { status: 'deactivated' }));
      const plan = await planBulkUpdate(rowsIn, flaky, { now: NOW });
      const report = await applyBulkUpdate(plan, flaky, { batchSize: 1 });
      expect(report.rows.map((r) => r.outcome)).toEqual(['changed', 'failed', 'cancelled']);
      expect(report.rows[2]?.issues.map((i) => i.code)).toEqual(['STOPPED_AFTER_FAILURE']);
      expect(report.stoppedByFailure).toBe(true);
      const again = await applyBulkUpdate(
        await planBulkUpdate(rowsIn, inner, { now: NOW }),
        inner,
        {
          onStoreError: 'continue',
        },
      );
      expect(again.rows.map((r) => r.outcome)).toEqual(['unchanged', 'changed', 'changed']);
    },
  },
  {
    name: 'a store that throws while reading, or answers the wrong number of entries',
    rule: 'S1, S3',
    expected: 'planBulkUpdate rejects with STORE_FAILED; nothing written',
    async run() {
      const inner = storeOf(user('a'));
      const down = wrapStore(inner, { readUsers: () => Promise.reject(new Error('timeout')) });
      expect(
        (
          await rejectionOf(
            planBulkUpdate([okRow(2, 'a', { status: 'deactivated' })], down, { now: NOW }),
          )
        ).code,
      ).toBe('STORE_FAILED');
      const short = wrapStore(inner, { readUsers: async () => [] });
      expect(
        (
          await rejectionOf(
            planBulkUpdate([okRow(2, 'a', { status: 'deactivated' })], short, { now: NOW }),
          )
        ).code,
      ).toBe('STORE_FAILED');
      expect(inner.users()[0]?.status).toBe('active');
    },
  },
  {
    name: 'a store of another interface version, or not a store',
    rule: 'S1',
    expected: 'INVALID_OPTION',
    async run() {
      const other = wrapStore(storeOf(), { interfaceVersion: 2 });
      expect((await rejectionOf(planBulkUpdate([], other, { now: NOW }))).code).toBe(
        'INVALID_OPTION',
      );
      expect((await rejectionOf(planBulkUpdate([], {} as never, { now: NOW }))).code).toBe(
        'INVALID_OPTION',
      );
    },
  },
  {
    name: 'guard: more changes than maxChanges',
    rule: 'S4',
    expected: 'plan.guard.refused; applyBulkUpdate throws CHANGE_LIMIT_EXCEEDED and writes nothing',
    async run() {
      const { store, plan } = await planOf(
        [okRow(2, 'a', { status: 'deactivated' }), okRow(3, 'b', { status: 'deactivated' })],
        [user('a'), user('b')],
        { maxChanges: 1 },
      );
      expect(plan.guard).toMatchObject({ refused: true, changes: 2, limit: 1 });
      expect((await rejectionOf(applyBulkUpdate(plan, store))).code).toBe('CHANGE_LIMIT_EXCEEDED');
      expect(store.events()).toHaveLength(0);
    },
  },
  {
    name: "misspelled bulk options ('batchsize', 'maxChange', 'dryrun')",
    rule: 'S3, S4',
    expected: 'INVALID_OPTION naming the key; nothing written',
    async run() {
      const { store, plan } = await planOf([okRow(2, 'a', { status: 'deactivated' })], [user('a')]);
      expect(
        (await rejectionOf(applyBulkUpdate(plan, store, { batchsize: 10 } as never))).field,
      ).toBe('batchsize');
      expect(
        (await rejectionOf(planBulkUpdate([], store, { now: NOW, maxChange: 1 } as never))).code,
      ).toBe('INVALID_OPTION');
      const error = await rejectionOf(
        bulkUpdateFromCsv(`${H}a,No\r\n`, store, { now: NOW, dryrun: true } as never),
      );
      expect([error.code, error.field]).toEqual(['INVALID_OPTION', 'dryrun']);
      expect(store.events()).toHaveLength(0);
    },
  },
  {
    name: 'a copied plan (spread or JSON round trip)',
    rule: 'S3',
    expected: 'INVALID_INPUT: only the object planBulkUpdate returned can be applied',
    async run() {
      const { store, plan } = await planOf([okRow(2, 'a', { status: 'deactivated' })], [user('a')]);
      expect((await rejectionOf(applyBulkUpdate({ ...plan }, store))).code).toBe('INVALID_INPUT');
      expect(
        (await rejectionOf(applyBulkUpdate(JSON.parse(JSON.stringify(plan)), store))).code,
      ).toBe('INVALID_INPUT');
    },
  },
  {
    name: 'two input rows with the same line number, or line 0',
    rule: 'S4, C6',
    expected: 'INVALID_INPUT (the report could not name the row)',
    async run() {
      const store = storeOf(user('a'), user('b'));
      expect(
        (
          await rejectionOf(
            planBulkUpdate(
              [okRow(2, 'a', { status: 'deactivated' }), okRow(2, 'b', { status: 'deactivated' })],
              store,
              { now: NOW },
            ),
          )
        ).code,
      ).toBe('INVALID_INPUT');
      expect(
        (
          await rejectionOf(
            planBulkUpdate([okRow(0, 'a', { status: 'deactivated' })], store, { now: NOW }),
          )
        ).code,
      ).toBe('INVALID_INPUT');
    },
  },
  {
    name: 'a mixed file: every row appears exactly once with one outcome',
    rule: 'S4, C6',
    expected: 'rows ordered by line, totals add up to the number of records',
    async run() {
      const file = `${HE}a@x.org,No,\r\nnobody@x.org,Yes,\r\nb@x.org,Maybe,\r\nc@x.org,,\r\na@x.org,No,\r\nd@x.org,Yes,\r\n`;
      const result = await bulkUpdateFromCsv(
        file,
        storeOf(user('a@x.org'), user('c@x.org'), user('d@x.org')),
        { now: NOW },
      );
      expect(result.rows.map((r) => [r.line, r.outcome])).toEqual([
        [2, 'changed'],
        [3, 'not-found'],
        [4, 'invalid'],
        [5, 'unchanged'],
        [6, 'duplicate'],
        [7, 'unchanged'],
      ]);
      const total = Object.values(result.totals).reduce((sum, n) => sum + n, 0);
      expect(total).toBe(6);
    },
  },
  {
    name: 'a malformed file after valid rows',
    rule: 'C9, S3',
    expected: 'bulkUpdateFromCsv rejects with UNCLOSED_QUOTE; no user changed, no event',
    async run() {
      const store = storeOf(user('a@x.org'));
      const error = await rejectionOf(
        bulkUpdateFromCsv(`${H}a@x.org,No\r\nb@x.org,"No\r\n`, store, { now: NOW }),
      );
      expect(error.code).toBe('UNCLOSED_QUOTE');
      expect(store.users()[0]?.status).toBe('active');
      expect(store.events()).toHaveLength(0);
    },
  },
  {
    name: 'Active = Yes for an expired learner; new date for a deactivated one',
    rule: 'R8, R7, S3',
    expected: 'changed with warnings STAYS_EXPIRED and STAYS_DEACTIVATED',
    async run() {
      const { plan } = await planOf(
        [okRow(2, 'x', { status: 'active' }), okRow(3, 'y', { expiresAt: FUTURE })],
        [user('x', 'deactivated', PAST), user('y', 'deactivated', PAST)],
      );
      expect(plan.rows.map((r) => [r.outcome, r.issues.map((i) => i.code)])).toEqual([
        ['changed', ['STAYS_EXPIRED']],
        ['changed', ['STAYS_DEACTIVATED']],
      ]);
    },
  },
  {
    name: 'Invalid Date as now for plan and apply',
    rule: 'R12, S3',
    expected: 'INVALID_DATE; nothing written',
    async run() {
      const store = storeOf(user('a'));
      expect(
        (await rejectionOf(planBulkUpdate([], store, { now: new Date(Number.NaN) }))).code,
      ).toBe('INVALID_DATE');
      const plan = await planBulkUpdate([okRow(2, 'a', { status: 'deactivated' })], store, {
        now: NOW,
      });
      expect(
        (await rejectionOf(applyBulkUpdate(plan, store, { now: new Date(Number.NaN) }))).code,
      ).toBe('INVALID_DATE');
      expect(store.events()).toHaveLength(0);
    },
  },
  {
    name: "a stored record with status 'Active'",
    rule: 'R12, S4',
    expected: 'the row is invalid with INVALID_USER; nothing written',
    async run() {
      const broken = { id: 'a', status: 'Active', expiresAt: null } as unknown as User;
      const { store, plan } = await planOf([okRow(2, 'a', { status: 'deactivated' })], [broken]);
      expect(plan.rows[0]?.outcome).toBe('invalid');
      expect(plan.rows[0]?.issues.map((i) => i.code)).toEqual(['INVALID_USER']);
      await applyBulkUpdate(plan, store);
      expect(store.events()).toHaveLength(0);
    },
  },
  {
    name: 'dry run',
    rule: 'S3',
    expected: 'the report shows the change; the store keeps the user and records no event',
    async run() {
      const store = storeOf(user('a@x.org'));
      const counted = wrapStore(store);
      const result = await bulkUpdateFromCsv(`${H}a@x.org,No\r\n`, counted, {
        now: NOW,
        dryRun: true,
      });
      expect([result.dryRun, result.totals.changed, counted.writes]).toEqual([true, 1, 0]);
      expect(store.users()[0]?.status).toBe('active');
    },
  },
  {
    name: 'events of a bulk change, and sessions issued before it',
    rule: 'R10, L3',
    expected:
      "event with source 'csv', actor, CSV line, endSessions; older sessions 'session-revoked'",
    async run() {
      const store = storeOf(user('a@x.org'));
      const applyAt = new Date(NOW.getTime() + 5000);
      const plan = await planBulkUpdate(parseCsv(`${H}\r\na@x.org,No\r\n`), store, {
        now: NOW,
        actor: 'admin-7',
      });
      await applyBulkUpdate(plan, store, { now: applyAt });
      expect(store.events()[0]).toMatchObject({
        userId: 'a@x.org',
        source: 'csv',
        actor: 'admin-7',
        line: 3,
        at: applyAt,
        endSessions: true,
      });
      const stored = store.users()[0]!;
      const reactivated = reactivate(stored, { now: new Date(applyAt.getTime() + 1000) }).user;
      expect(
        checkSession(
          reactivated,
          { issuedAt: new Date(NOW.getTime() + 1000) },
          new Date(applyAt.getTime() + 2000),
        ),
      ).toMatchObject({ reason: 'session-revoked' });
    },
  },
];

// --------------------------------------------------------------------------------------------
// 6. CSV the library writes
// --------------------------------------------------------------------------------------------

/** The first (only) line of formatCsv([[cell]]), without its CRLF. */
const written = (cell: unknown) => formatCsv([[cell, 'x']]).replace(/\r\n$/, '');

const writing: Case[] = [
  {
    name: "formula cell '=1+1' and '=HYPERLINK(\"http://x\")'",
    rule: 'C10',
    expected: "written with a leading ' (and RFC 4180 quoting where needed)",
    run() {
      expect(written('=1+1')).toBe("'=1+1,x");
      expect(written('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")",x');
    },
  },
  {
    name: 'cells starting with +, - and @',
    rule: 'C10',
    expected: "each gets a leading '",
    run() {
      expect(written('+1')).toBe("'+1,x");
      expect(written('-2+3')).toBe("'-2+3,x");
      expect(written('@SUM(A1:A2)')).toBe("'@SUM(A1:A2),x");
    },
  },
  {
    name: 'cell starting with a tab',
    rule: 'C10',
    expected: "leading ' before the tab",
    run() {
      expect(written('\t=1+1')).toBe("'\t=1+1,x");
    },
  },
  {
    name: 'cell starting with a CR',
    rule: 'C10, C7',
    expected: "leading ' and quoted (it holds a line break)",
    run() {
      expect(written('\r=1+1')).toBe('"\'\r=1+1",x');
    },
  },
  {
    name: 'cell starting with a line feed before a formula',
    rule: 'C10, C7',
    expected: "leading ' and quoted",
    run() {
      expect(written('\n=1+1')).toBe('"\'\n=1+1",x');
      expect(written('\r\n@cmd')).toBe('"\'\r\n@cmd",x');
    },
  },
  {
    name: 'full-width ＝ ＋ － ＠ at the start of a cell',
    rule: 'C10',
    expected: "each gets a leading ' (some spreadsheets fold them to ASCII)",
    run() {
      for (const lead of ['\uff1d', '\uff0b', '\uff0d', '\uff20']) {
        expect(written(`${lead}1+1`)).toBe(`'${lead}1+1,x`);
      }
    },
  },
  {
    name: 'numbers, bigints and booleans',
    rule: 'C10',
    expected: 'written as they are: -5 is a value, not a formula',
    run() {
      expect(formatCsv([[-5, 10n, true, 0.5]])).toBe('-5,10,true,0.5\r\n');
    },
  },
  {
    name: 'cells that cannot be written (Invalid Date, object, symbol, function) and empty rows',
    rule: 'C10',
    expected: "INVALID_INPUT instead of 'Invalid Date' or '[object Object]'",
    run() {
      for (const cell of [new Date(Number.NaN), {}, Symbol('s'), () => 1, [1]]) {
        expect(thrown(() => formatCsv([[cell]])).code).toBe('INVALID_INPUT');
      }
      expect(thrown(() => formatCsv([[]])).code).toBe('INVALID_INPUT');
    },
  },
  {
    name: 'a row of one blank cell',
    rule: 'C10, C7',
    expected: 'written as "" so that it does not read back as a skipped blank line',
    run() {
      expect(formatCsv([[''], [null], ['  ']])).toBe('""\r\n""\r\n"  "\r\n');
    },
  },
  {
    name: 'round trip of hostile cells through parseCsv',
    rule: 'C10, C7',
    expected: "values read back exactly, with the ' prefix on formula cells only",
    async run() {
      const hostile = ['a,b', 'say "hi"', 'line\r\nbreak', 'lone\rcr', '=1', ' =1', "'=1"];
      const text = formatCsv([
        ['Email', 'Active', 'Note'],
        ...hostile.map((note, k) => [`u${k}`, 'Yes', note]),
      ]);
      const back = await rows(text);
      expect(back.map((r) => r.values['Note'])).toEqual([
        'a,b',
        'say "hi"',
        'line\r\nbreak',
        'lone\rcr',
        "'=1",
        ' =1',
        "'=1",
      ]);
    },
  },
  {
    name: 'Dates at the extremes of the Date range',
    rule: 'C10',
    expected:
      "no written cell starts with + or - ('+275760-09-13…' and '-271821-04-20…' are neutralised)",
    run() {
      const line = formatCsv([
        [new Date(MAX_MS), new Date(-MAX_MS), new Date('2026-12-31T00:00:00Z')],
      ]).replace(/\r\n$/, '');
      const cells = cellsOf(line);
      expect(cells[2]).toBe('2026-12-31T00:00:00.000Z');
      for (const cell of cells) expect(cell, cell).not.toMatch(/^[-+]/);
    },
  },
  {
    name: 'error report of a row whose id and Active cells are formulas',
    rule: 'C10, C6',
    expected: "the User and Value columns start with '; header is CSV_REPORT_HEADER",
    async run() {
      const all = await rows(`${H}=cmd|' /C calc'!A0,@SUM(1)\r\n`);
      const report = formatCsvReport(all).split('\r\n');
      expect(report[0]).toBe(CSV_REPORT_HEADER.join(','));
      expect(report[1]).toMatch(
        /^2,'=cmd\|' \/C calc'!A0,Active,'@SUM\(1\),INVALID_ACTIVE_VALUE,error,/,
      );
    },
  },
  {
    name: 'error report of a value with a line break, and of a negative-number-like value',
    rule: 'C10, C6',
    expected: "the value is quoted (one logical record); '-1' gets a ' prefix",
    async run() {
      const all = await rows(`${H}"a@x.org","Yes\r\nNo"\r\nb@x.org,-1\r\n`);
      const report = formatCsvReport(all);
      expect(report).toContain(',Active,"Yes\r\nNo",CONTROL_CHARACTER,error,');
      expect(report).toContain("\r\n4,b@x.org,Active,'-1,INVALID_ACTIVE_VALUE,error,");
      // Exactly three record ends outside quotes: header and two issues.
      expect(report.split('\r\n')).toHaveLength(5);
    },
  },
  {
    name: 'streamed report rows equal formatCsvReport; warnings: false',
    rule: 'C10, C6',
    expected: 'byte for byte the same; NO_CHANGE left out when warnings is false',
    async run() {
      const all = await rows(`${HE}a@x.org,,\r\n@b,TRUE,\r\n`);
      const format = csvReportRowFormatter();
      expect(formatCsv([CSV_REPORT_HEADER]) + all.map(format).join('')).toBe(formatCsvReport(all));
      const errorsOnly = formatCsvReport(all, { warnings: false });
      expect(errorsOnly).not.toContain('NO_CHANGE');
      expect(errorsOnly).toContain("3,'@b,Active,TRUE,INVALID_ACTIVE_VALUE");
    },
  },
  {
    name: 'bulk report with a formula-like user id',
    rule: 'C10, S4',
    expected: "User column '@evil' written as '@evil; expirations as ISO 8601 or 'never'",
    async run() {
      const { plan } = await planOf(
        [okRow(2, '@evil', { status: 'deactivated' }), okRow(3, '-1', { expiresAt: null })],
        [user('@evil', 'active', FUTURE), user('-1', 'active', null)],
      );
      const lines = formatBulkReportCsv(plan).split('\r\n');
      expect(lines[0]).toBe(BULK_REPORT_HEADER.join(','));
      expect(lines[1]).toBe(
        `2,'@evil,changed,active,${iso(FUTURE.getTime())},active,deactivated,${iso(FUTURE.getTime())},deactivated,,`,
      );
      expect(lines[2]?.startsWith("3,'-1,unchanged,active,never,active,active,never,active")).toBe(
        true,
      );
    },
  },
  {
    name: 'bulk report of a user whose expiresAt is the last representable instant',
    rule: 'C10, S4',
    expected: "the 'Expires' cells do not start with + (no formula-looking cell)",
    async run() {
      const { plan } = await planOf(
        [okRow(2, 'a', { status: 'deactivated' })],
        [user('a', 'active', new Date(MAX_MS))],
      );
      const cells = cellsOf(formatBulkReportCsv(plan).split('\r\n')[1] ?? '');
      expect(cells[3]).toBe('active');
      for (const cell of cells) expect(cell, cell).not.toMatch(/^[-+=@]/);
    },
  },
];

const GROUPS: CaseGroup[] = [
  { group: 'CSV structure', cases: csvStructure },
  { group: 'cell values', cases: cellValues },
  { group: 'dates and time zones', cases: dates },
  { group: 'login and sessions', cases: login },
  { group: 'bulk updates and stores', cases: bulk },
  { group: 'CSV the library writes', cases: writing },
];

describe('adversarial catalogue: the table itself', () => {
  const all = GROUPS.flatMap((g) => g.cases);
  it('has at least 90 cases, unique names, and a SPEC rule id on every case', () => {
    expect(all.length).toBeGreaterThanOrEqual(90);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    for (const c of all) {
      expect(c.rule, c.name).toMatch(/^[RCSLF]\d+(, [RCSLF]\d+)*$/);
      expect(c.expected.length, c.name).toBeGreaterThan(0);
    }
  });
});

for (const { group, cases } of GROUPS) {
  describe(`adversarial catalogue: ${group}`, () => {
    for (const c of cases) {
      it(`[${c.rule}] ${c.name}: ${c.expected}`, async () => {
        await c.run();
      });
    }
  });
}
