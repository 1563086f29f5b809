// Issue 17: the library's messages as the command line says them. Every pattern of
// src/cli/flags.ts on its own, then every library message that can reach the CLI, as the
// library words it today, so that a change of wording that leaves an option name shows here.
import { describe, expect, it } from 'vitest';
import {
  cliDateHint,
  cliErrorMessage,
  cliGuard,
  cliIssue,
  cliRow,
  OPTION_FLAGS,
  shellWord,
} from '../../src/cli/flags.js';
import { type CsvIssue, parseCsv, suggestDateFormats } from '../../src/csv/index.js';
import { applyBulkUpdate, createMemoryStore, planBulkUpdate } from '../../src/index.js';
import { createPostgresStore } from '../../src/postgres/index.js';
import { LIBRARY_OPTION } from './run.js';

const issue = (code: string, message: string, value?: string): CsvIssue =>
  ({ code, severity: 'error', message, ...(value === undefined ? {} : { value }) }) as CsvIssue;

const dateIssue = (message: string, value?: string) => issue('INVALID_DATE', message, value);

describe('each pattern', () => {
  it.each([
    // `dateFormats: [...]`, either quote, backticks or not, one flag per pattern
    ["read it with `dateFormats: ['dd/MM/yyyy']`.", 'read it with --date-format dd/MM/yyyy.'],
    ['pass dateFormats: ["M/d/yyyy"] here', 'pass --date-format M/d/yyyy here'],
    [
      "`dateFormats: ['d/M/yyyy', 'dd/MM/yyyy']`",
      '--date-format d/M/yyyy --date-format dd/MM/yyyy',
    ],
    // a pattern the shell would split is quoted
    ["`dateFormats: ['d MMM yyyy']`", "--date-format 'd MMM yyyy'"],
    // limits without a flag: the note and the advice to raise them go
    [
      'larger than 5 bytes (option maxBytes). Split it into smaller files, or raise maxBytes.',
      'larger than 5 bytes. Split it into smaller files.',
    ],
    [
      'more than 1 rows (option maxRows). Split it, or raise maxRows.',
      'more than 1 rows. Split it.',
    ],
    [
      'longer than 5 characters (option maxFieldLength). Shorten it.',
      'longer than 5 characters. Shorten it.',
    ],
    // an option followed by its value
    ["(option encoding, such as 'windows-1252' for Excel)", '(--encoding windows-1252 for Excel)'],
    ["(option encoding, 'utf-16le' or 'utf-16be')", '(--encoding utf-16le or --encoding utf-16be)'],
    // an option named in words
    ['Option `timeZone` must be an IANA name.', '--time-zone must be an IANA name.'],
    ['Rename the column or set the option idColumn.', 'Rename the column or set --id-column.'],
    ['Set the option idColumn to the one', 'Set --id-column to the one'],
    ["expected 'nope' (option idColumn)", "expected 'nope' (--id-column)"],
    ['saved in (option encoding).', 'saved in (--encoding).'],
    // raise, with one or more options
    ['or raise maxChanges/maxChangeRatio.', 'or raise --max-changes or --max-change-ratio.'],
    ['then raise batchSize.', 'then raise --batch-size.'],
    // an option in code quotes
    ['`batchSize` must be a whole number', '--batch-size must be a whole number'],
    ['`usersTable` must be a lower-case SQL name', '--users-table must be a lower-case SQL name'],
    ['`maxChangeRatio` needs', '--max-change-ratio needs'],
  ])('%j', (message, said) => {
    expect(cliIssue(issue('ANY', message)).message).toBe(said);
    expect(cliErrorMessage({ code: 'ANY', message })).toBe(said);
  });

  it.each([
    // words that only look like options are left alone
    'Unknown option `timezone`.',
    'the option is the second one',
    'raise the limit',
    '`expiresAt` must be a Date',
    // a limit named mid-sentence: no flag to name, and nothing precise to drop
    'raise maxBytes for this',
    // a bare dateFormats outside a date problem could be a person's data
    "the header 'dateFormats' is unknown",
  ])('leaves %j as it is', (message) => {
    const original = issue('ANY', message);
    expect(cliIssue(original)).toBe(original);
    expect(cliErrorMessage({ code: 'ANY', message })).toBe(message);
  });

  it('a date problem (by its code, whatever the wording): dateFormats is --date-format', () => {
    expect(
      cliIssue(dateIssue('Write YYYY-MM-DD, or configure the format in `dateFormats`.')).message,
    ).toBe('Write YYYY-MM-DD, or configure the format with --date-format.');
    expect(cliIssue(dateIssue('or pass dateFormats to read it')).message).toBe(
      'or pass --date-format to read it',
    );
    // A later code about dates is a date problem too; other codes are not.
    expect(cliIssue(issue('AMBIGUOUS_DATE', 'set dateFormats')).message).toBe('set --date-format');
    expect(cliIssue(issue('DATE_ORDER', 'set dateFormats')).message).toBe('set --date-format');
    expect(cliIssue(issue('UPDATED_USER', 'set dateFormats')).message).toBe('set dateFormats');
    expect(cliErrorMessage({ code: 'INVALID_DATE', message: 'in dateFormats' })).toBe(
      'with --date-format',
    );
  });

  it("the cell's own text, as the message quotes it, is never rewritten", () => {
    const value = 'option timeZone `dateFormats`';
    const said = cliIssue(
      dateIssue(
        `Column 'Expiration Date' has '${value}', which is not a date. Configure the format in \`dateFormats\`.`,
        value,
      ),
    );
    expect(said.message).toBe(
      `Column 'Expiration Date' has '${value}', which is not a date. Configure the format with --date-format.`,
    );
    // A long cell is quoted cut at 60 characters, as csv/issues.ts quote() does.
    const long = `${'x'.repeat(70)} \`idColumn\``;
    const cut = `'${long.slice(0, 60)}…'`;
    expect(cliIssue(issue('ANY', `has ${cut}; set \`idColumn\``, long)).message).toBe(
      `has ${cut}; set --id-column`,
    );
  });

  it('answers the same issue, row and array when nothing is said differently', () => {
    const plain = issue('INVALID_ACTIVE_VALUE', "Column 'Active' must be Yes or No.");
    expect(cliIssue(plain)).toBe(plain);
    const rows = [
      { line: 2, userId: 'u', outcome: 'invalid', before: null, after: null, issues: [plain] },
    ] as const;
    expect(cliRow(rows[0])).toBe(rows[0]);
    const said = cliRow({
      ...rows[0],
      issues: [plain, dateIssue('configure the format in `dateFormats`')],
    });
    expect(said.issues[0]).toBe(plain);
    expect(said.issues[1]?.message).toBe('configure the format with --date-format');
  });

  it('an INVALID_OPTION names the flag of its field, even when the wording does not', () => {
    expect(
      cliErrorMessage({ code: 'INVALID_OPTION', field: 'timeZone', message: 'Not a zone.' }),
    ).toBe('--time-zone: Not a zone.');
    expect(
      cliErrorMessage({
        code: 'INVALID_OPTION',
        field: 'timeZone',
        message: 'Option `timeZone` is not a zone.',
      }),
    ).toBe('--time-zone is not a zone.');
    // A field without a flag, or another code: the message as rewritten, nothing added.
    expect(cliErrorMessage({ code: 'INVALID_OPTION', field: 'maxRows', message: 'Bad.' })).toBe(
      'Bad.',
    );
    expect(cliErrorMessage({ code: 'SHEET_NOT_FOUND', field: 'sheet', message: 'No sheet.' })).toBe(
      'No sheet.',
    );
  });

  it('shellWord quotes what the shell would split or expand', () => {
    expect(shellWord('dd/MM/yyyy')).toBe('dd/MM/yyyy');
    expect(shellWord('d MMM yyyy')).toBe("'d MMM yyyy'");
    expect(shellWord("d 'de' MMMM")).toBe("'d '\\''de'\\'' MMMM'");
    expect(shellWord('$HOME')).toBe("'$HOME'");
  });

  it('every option with a flag has a flag the commands take', async () => {
    const { OPTIONS } = await import('../../src/cli/options.js');
    for (const flag of Object.values(OPTION_FLAGS)) {
      expect(Object.keys(OPTIONS)).toContain(flag.slice(2));
    }
  });
});

describe('the guard, from its numbers', () => {
  const guard = (refused: boolean, changes: number, limit: number) => ({
    refused,
    changes,
    limit,
    message: 'raise maxChanges/maxChangeRatio',
  });

  it.each([
    [
      { maxChanges: 1, maxChangeRatio: undefined, totalUsers: undefined },
      guard(true, 2, 1),
      'This file would change 2 users, more than the limit of 1 (--max-changes 1). Check that it is the file you meant (a truncated or stale export?), or raise --max-changes.',
    ],
    [
      { maxChanges: undefined, maxChangeRatio: 0.25, totalUsers: 4 },
      guard(true, 2, 1),
      'This file would change 2 users, more than the limit of 1 (--max-change-ratio 0.25 of 4 users). Check that it is the file you meant (a truncated or stale export?), or raise --max-change-ratio.',
    ],
    // both given: the one that sets the limit
    [
      { maxChanges: 3, maxChangeRatio: 0.25, totalUsers: 4 },
      guard(true, 2, 1),
      'This file would change 2 users, more than the limit of 1 (--max-change-ratio 0.25 of 4 users). Check that it is the file you meant (a truncated or stale export?), or raise --max-change-ratio.',
    ],
    [
      { maxChanges: 1, maxChangeRatio: 0.9, totalUsers: 4 },
      guard(true, 2, 1),
      'This file would change 2 users, more than the limit of 1 (--max-changes 1). Check that it is the file you meant (a truncated or stale export?), or raise --max-changes.',
    ],
    // both at the same limit: both must be raised
    [
      { maxChanges: 1, maxChangeRatio: 0.25, totalUsers: 4 },
      guard(true, 2, 1),
      'This file would change 2 users, more than the limit of 1 (--max-changes 1 and --max-change-ratio 0.25 of 4 users). Check that it is the file you meant (a truncated or stale export?), or raise --max-changes and --max-change-ratio.',
    ],
    [
      { maxChanges: 5, maxChangeRatio: undefined, totalUsers: undefined },
      guard(false, 1, 5),
      'This file changes 1 user, within the limit of 5 (--max-changes 5).',
    ],
    // numbers the flags do not explain (not from this run): both flags, no source
    [
      { maxChanges: undefined, maxChangeRatio: undefined, totalUsers: undefined },
      guard(true, 2, 1),
      'This file would change 2 users, more than the limit of 1. Check that it is the file you meant (a truncated or stale export?), or raise --max-changes or --max-change-ratio.',
    ],
  ])('%j', (flags, given, message) => {
    expect(cliGuard(given, flags)).toEqual({ ...given, message });
  });
});

describe('every library message that reaches the command line, as the library words it', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  async function outcome(input: Uint8Array, options: object) {
    const issues: CsvIssue[] = [];
    try {
      for await (const row of parseCsv(input, options)) issues.push(...row.result.issues);
    } catch (error) {
      return { error: error as { code: string; message: string; field?: string }, issues };
    }
    return { error: undefined, issues };
  }

  it.each([
    ['maxBytes', bytes('Email,Active\na@x.org,Yes\n'), { maxBytes: 5 }],
    ['maxRows', bytes('Email,Active\na@x.org,Yes\nb@x.org,No\n'), { maxRows: 1 }],
    ['not UTF-8', Uint8Array.from([...bytes('Email,Active\na@x.org,'), 0xe9, 0x0a]), {}],
    [
      'not UTF-16',
      Uint8Array.from([...bytes('Email,Active\na@x.org,'), 0xe9, 0x0a]),
      { encoding: 'utf-16le' },
    ],
    ['UTF-16 without a byte order mark', bytes('E\0m\0a\0i\0l\0,\0A\0c\0t\0i\0v\0e\0\n\0'), {}],
    ['two id columns', bytes('Email,Login,Active\na,b,Yes\n'), {}],
    ['no id column', bytes('Name,Active\na,Yes\n'), { idColumn: 'Employee' }],
    ['a bad time zone', bytes('Email,Active\n'), { timeZone: 'Mars/Olympus' }],
    ['a date format with a time', bytes('Email,Active\n'), { dateFormats: ['yyyy HH'] }],
    ['a reserved id column', bytes('Email,Active\n'), { idColumn: 'Active' }],
    ['a blank id column', bytes('Email,Active\n'), { idColumn: ' ' }],
  ])('a file refused whole: %s', async (_, input, options) => {
    const { error } = await outcome(input, options);
    expect(error).toBeDefined();
    const said = cliErrorMessage(error as NonNullable<typeof error>);
    expect(said).not.toMatch(LIBRARY_OPTION);
    expect(said).not.toMatch(/\boption\b/i);
  });

  it('the problems of rows: long cells and every kind of refused date', async () => {
    const file = bytes(
      [
        'Email,Active,Expiration Date',
        'a@x.org,Yes and more than twenty characters,',
        'b@x.org,Yes,31/12/2026',
        'c@x.org,Yes,1/2/2026',
        'd@x.org,Yes,2026/12/31',
        'e@x.org,Yes,13/13/2026',
        'f@x.org,Yes,31.12.2026',
        'g@x.org,Yes,12-31-2026',
        '',
      ].join('\n'),
    );
    for (const options of [{ maxFieldLength: 20 }, { dateFormats: ['MM/dd/yyyy'] }]) {
      const { error, issues } = await outcome(file, options);
      expect(error).toBeUndefined();
      expect(issues.length).toBeGreaterThan(4);
      for (const found of issues) expect(cliIssue(found).message).not.toMatch(LIBRARY_OPTION);
    }
    const { issues } = await outcome(file, {});
    const said = issues.map((found) => cliIssue(found).message).join('\n');
    expect(said).toContain('--date-format dd/MM/yyyy');
    expect(said).toContain('--date-format d/M/yyyy (day first) or --date-format M/d/yyyy');
  });

  it('the guard refusing at apply time, and the bulk options the CLI passes', async () => {
    const store = createMemoryStore([{ id: 'u1', status: 'active', expiresAt: null }]);
    const rows = [
      {
        line: 2,
        result: {
          ok: true as const,
          update: { userId: 'u1', status: 'deactivated' as const },
          issues: [],
        },
      },
    ];
    const plan = await planBulkUpdate(rows, store, { now: new Date(), maxChanges: 0 });
    const errors: unknown[] = [];
    await applyBulkUpdate(plan, store).catch((error: unknown) => errors.push(error));
    const fine = await planBulkUpdate(rows, store, { now: new Date() });
    await applyBulkUpdate(fine, store, { batchSize: 100_001 }).catch((error: unknown) =>
      errors.push(error),
    );
    await planBulkUpdate(rows, store, { now: new Date(), maxChanges: -1 }).catch((error: unknown) =>
      errors.push(error),
    );
    await planBulkUpdate(rows, store, { now: new Date(), maxChangeRatio: 2 }).catch(
      (error: unknown) => errors.push(error),
    );
    try {
      createPostgresStore({ query: async () => ({ rows: [] }) } as never, {
        usersTable: 'Bad Name',
      });
    } catch (error) {
      errors.push(error);
    }
    expect(errors).toHaveLength(5);
    const said = errors.map((error) =>
      cliErrorMessage(error as { code: string; message: string; field?: string }),
    );
    for (const text of said) expect(text).not.toMatch(LIBRARY_OPTION);
    expect(said[0]).toContain('raise --max-changes or --max-change-ratio');
    expect(said[1]).toMatch(/^--batch-size must be/);
    expect(said[2]).toMatch(/^--max-changes must be/);
    expect(said[3]).toMatch(/^--max-change-ratio must be/);
    expect(said[4]).toMatch(/^--users-table must be/);
  });

  it('the F7 hint names the flag, for one order and for both', async () => {
    expect(cliDateHint(await suggestDateFormats(['12/31/2026', '1/5/2026']))).toBe(
      'Every date refused reads as M/d/yyyy (month first). Run again with --date-format M/d/yyyy.',
    );
    expect(cliDateHint(await suggestDateFormats(['1/2/2026', '3/4/2026']))).toMatch(
      /check one date in the spreadsheet and run again with --date-format M\/d\/yyyy or d\/M\/yyyy\.$/,
    );
    expect(cliDateHint(await suggestDateFormats(['nonsense']))).toBeUndefined();
  });
});
