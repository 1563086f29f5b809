import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_LIMIT } from '../../src/cli/check.js';
import { type CsvRow, formatCsvReport, parseCsv } from '../../src/csv/index.js';
import {
  cli,
  cliClosingStdout,
  fixture,
  inProcess,
  LIBRARY_OPTION,
  oneLine,
  root,
  tempDir,
} from './run.js';

describe('learner-status check (spawned)', () => {
  it('exits 0 on a clean file and prints the summary', async () => {
    const run = await cli(['check', fixture('clean.csv')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 rows, 2 ok, 0 with errors, 0 with warnings');
    expect(run.stderr).toBe('');
  });

  it('exits 1 when rows have errors and lists every problem with line, column and value', async () => {
    const run = await cli(['check', fixture('errors.csv')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('4 rows, 2 ok, 2 with errors, 1 with warnings');
    const lines = run.stdout.split('\n');
    const header = lines.find((line) => line.startsWith('Line'));
    expect(header).toMatch(/^Line\s+Severity\s+Column\s+Value\s+Code\s+Message$/);
    const row3 = lines.find((line) => line.startsWith('3 '));
    expect(row3).toMatch(
      /^3\s+error\s+Active\s+=HYPERLINK\("x"\)\s+INVALID_ACTIVE_VALUE\s+Column 'Active'/,
    );
    // Aligned: every problem's Code column starts where the header's does.
    const codeAt = header?.indexOf('Code');
    const codes = lines.filter((l) => /^[345] /.test(l)).map((l) => l.slice(codeAt).split(' ')[0]);
    expect(codes).toEqual(['INVALID_ACTIVE_VALUE', 'INVALID_DATE', 'NO_CHANGE']);
    expect(
      lines.some((line) => /^4\s+error\s+Expiration Date\s+2026-02-30\s+INVALID_DATE/.test(line)),
    ).toBe(true);
    expect(lines.some((line) => /^5\s+warning\s+NO_CHANGE/.test(line))).toBe(true);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('--json prints the summary and problems for machines', async () => {
    const run = await cli(['check', fixture('errors.csv'), '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      valid: boolean;
      rows: number;
      errors: number;
      problems: { line: number; code: string; column: string | null }[];
    };
    expect(result).toMatchObject({ valid: false, rows: 4, ok: 2, errors: 2, warnings: 1 });
    expect(result.problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'INVALID_ACTIVE_VALUE'],
      [4, 'INVALID_DATE'],
      [5, 'NO_CHANGE'],
    ]);
  });

  it('--report writes the formula-safe error report (C10)', async () => {
    const report = join(tempDir(), 'errors.csv');
    const run = await cli(['check', fixture('errors.csv'), '--report', report]);
    expect(run.code).toBe(1);
    const text = readFileSync(report, 'utf8');
    expect(text.split('\r\n')[0]).toBe('Line,User,Column,Value,Code,Severity,Message');
    expect(text).toContain(`3,u2,Active,"'=HYPERLINK(""x"")",INVALID_ACTIVE_VALUE,error,`);
    expect(text).not.toMatch(/(^|,)"?=/m);
  });

  it('exits 2 with one line on stderr for a file refused whole (C9)', async () => {
    const run = await cli(['check', fixture('unclosed.csv')]);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(/unclosed\.csv: Line 2: .*\(UNCLOSED_QUOTE\)$/);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['check'], /check: missing <file\.csv>/],
    [
      ['check', 'test/cli/fixtures/missing.csv'],
      /cannot read the file 'test\/cli\/fixtures\/missing\.csv': no such file/,
    ],
    [['check', 'test/cli/fixtures'], /it is a directory/],
    [['check', fixture('clean.csv'), '--colour'], /Unknown option '--colour'/],
    [
      ['check', fixture('clean.csv'), '--now', '2026-11-25T09:00:00Z'],
      /check: Unknown option '--now' \(preview and apply take it\)/,
    ],
    [
      ['check', fixture('clean.csv'), '--time-zone', 'Mars/Olympus'],
      /^learner-status: error: --time-zone must be an IANA time zone name .*Mars\/Olympus/,
    ],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('bad usage %j: one line on stderr, exit 2', async (args, message) => {
    // In-process: what is checked is main()'s answer; the spawned tests above cover the bin.
    const run = await inProcess(args);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(message);
  });

  it('--help on every command, --version from package.json', async () => {
    const version = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const [help, checkHelp, previewHelp, ver] = await Promise.all([
      inProcess(['--help']),
      inProcess(['check', '--help']),
      inProcess(['preview', '--help']),
      inProcess(['--version']),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: learner-status <command>');
    expect(checkHelp.stdout).toContain('Usage: learner-status check <file.csv|file.xlsx>');
    expect(previewHelp.stdout).toContain('--max-change-ratio');
    expect(ver.stdout.trim()).toBe(version);
  });
});

describe('learner-status check (in-process main)', () => {
  it('uses colour only on a terminal without NO_COLOR', async () => {
    const tty = await inProcess(['check', 'test/cli/fixtures/errors.csv'], { tty: true });
    expect(tty.stdout).toContain('\u001b[31m');
    const noColor = await inProcess(['check', 'test/cli/fixtures/errors.csv'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(noColor.code).toBe(1);
    const pipe = await inProcess(['check', 'test/cli/fixtures/errors.csv']);
    expect(pipe.stdout).not.toContain('\u001b[');
  });

  it('--id-column and --date-format are passed to the parser', async () => {
    const dir = tempDir();
    const file = join(dir, 'custom.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'Employee,Email,Active,Expiration Date\ne1,a@x.org,Yes,31/12/2026\n');
    const named = await inProcess([
      'check',
      file,
      '--id-column',
      'Employee',
      '--date-format',
      'dd/MM/yyyy',
      '--json',
    ]);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({ valid: true, rows: 1 });
    const withoutFormat = await inProcess(['check', file, '--json']);
    expect(withoutFormat.code).toBe(1);
    expect(JSON.parse(withoutFormat.stdout)).toMatchObject({ valid: false, errors: 1 });
  });
});

async function wholeReport(path: string): Promise<string> {
  const rows: CsvRow[] = [];
  for await (const row of parseCsv(readFileSync(path))) rows.push(row);
  return formatCsvReport(rows);
}

describe('learner-status check: memory does not grow with the flagged rows', () => {
  const ROWS = 20_000;
  const dir = tempDir();
  const file = join(dir, 'all-invalid.csv');
  let text = 'Email,Active,Expiration Date\n';
  for (let i = 1; i <= ROWS; i++)
    text += `u${i}@x.org,${i % 2 === 0 ? 'Maybe' : '=1+1'},${i % 3 === 0 ? '2026-02-30' : ''}\n`;
  writeFileSync(file, text);
  // Rows 2..ROWS+1: one Active error each, and an INVALID_DATE for every third.
  const problems = ROWS + Math.floor(ROWS / 3);

  it('--report is byte for byte formatCsvReport of the whole input', async () => {
    const report = join(tempDir(), 'report.csv');
    const run = await cli(['check', fixture('errors.csv'), '--report', report]);
    expect(run.code).toBe(1);
    expect(readFileSync(report, 'utf8')).toBe(await wholeReport(fixture('errors.csv')));
  });

  it('an all-invalid file: every problem in --report, the table cut with a note', async () => {
    const report = join(dir, 'report.csv');
    const run = await inProcess(['check', file, '--report', report]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${ROWS} rows, 0 ok, ${ROWS} with errors, 0 with warnings`);
    const written = readFileSync(report, 'utf8');
    expect(written).toBe(await wholeReport(file));
    expect(written.split('\r\n').length).toBe(problems + 2);
    const tableLines = run.stdout.split('\n').filter((line) => /^\d+\s+error\s/.test(line));
    expect(tableLines).toHaveLength(TABLE_LIMIT);
    expect(run.stdout).toContain(
      `… and ${problems - TABLE_LIMIT} more problems: see --report or use --json\n`,
    );
    expect(run.stdout).toContain('Report written to');
  });

  it('an all-invalid file: every problem in --json, streamed', async () => {
    const run = await cli(['check', file, '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      file: string;
      valid: boolean;
      rows: number;
      problems: { line: number; userId: string | null; code: string; value: string | null }[];
    };
    expect(result).toMatchObject({ file, valid: false, rows: ROWS, ok: 0, errors: ROWS });
    expect(result.problems).toHaveLength(problems);
    expect(result.problems[0]).toMatchObject({ line: 2, code: 'INVALID_ACTIVE_VALUE' });
    expect(result.problems[0]?.value).toBe('=1+1');
    expect(result.problems.at(-1)?.line).toBe(ROWS + 1);
    expect(run.stdout).not.toContain('more problems');
  });

  it('--json on a clean file has an empty problems array', async () => {
    const run = await inProcess(['check', fixture('clean.csv'), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: true, rows: 2, problems: [] });
  });

  it('a report that cannot be written is one line, exit 2; a refused file leaves no report', async () => {
    const bad = await cli(['check', fixture('errors.csv'), '--report', join(dir, 'no', 'r.csv')]);
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toMatch(/cannot write the report '.*r\.csv': no such file/);
    const report = join(dir, 'refused.csv');
    const refused = await cli(['check', fixture('unclosed.csv'), '--report', report]);
    expect(refused.code).toBe(2);
    expect(existsSync(report)).toBe(false);
  });
});

describe('learner-status check: the reader of stdout goes away (EPIPE)', () => {
  // Far more output than a pipe holds (64 KiB), so the command is still writing when the
  // reader closes: the table of 1,000 problems is about 150 KB, the JSON about 5 MB.
  const dir = tempDir();
  const file = join(dir, 'many-problems.csv');
  let text = 'Email,Active,Expiration Date\n';
  for (let i = 1; i <= 20_000; i++) text += `u${i}@x.org,Maybe,\n`;
  writeFileSync(file, text);

  it.each([
    ['the table', [] as string[]],
    ['--json', ['--json']],
  ])('%s: exits quietly with 141 (as after SIGPIPE), no stack trace, no hang', async (_, extra) => {
    const run = await cliClosingStdout(['check', file, ...extra]);
    expect(run.read).toBeGreaterThan(0);
    expect(run.stderr).toBe('');
    expect(run.signal).toBeNull();
    expect(run.code).toBe(141);
  });
});

describe('learner-status check: every message names the flag, not the library option (issue 17)', () => {
  const dir = tempDir();
  const file = join(dir, 'dates.csv');
  // Day first, both orders, year first, and a cell past the parser's 10,000 characters.
  writeFileSync(
    file,
    [
      'Email,Active,Expiration Date',
      'ada@example.org,Yes,31/12/2026',
      'alan@example.org,Yes,1/2/2026',
      'grace@example.org,Yes,2026/12/31',
      `katherine@example.org,${'Y'.repeat(10_001)},`,
      '',
    ].join('\n'),
  );

  it('the table', async () => {
    const run = await inProcess(['check', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('or read this form with --date-format dd/MM/yyyy.');
    expect(run.stdout).toContain(
      'name the order the file uses: --date-format d/M/yyyy (day first) or --date-format M/d/yyyy (month first).',
    );
    expect(run.stdout).toContain('--date-format yyyy/MM/dd');
    expect(run.stdout).toMatch(
      /FIELD_TOO_LONG\s+Column 'Active' is longer than 10000 characters\. Shorten/,
    );
    expect(run.stdout).not.toMatch(LIBRARY_OPTION);
  });

  it('--json', async () => {
    const run = await inProcess(['check', file, '--json']);
    const result = JSON.parse(run.stdout) as { problems: { code: string; message: string }[] };
    expect(result.problems.map((p) => p.code)).toEqual([
      'INVALID_DATE',
      'INVALID_DATE',
      'INVALID_DATE',
      'FIELD_TOO_LONG',
    ]);
    expect(result.problems[0]?.message).toMatch(/--date-format dd\/MM\/yyyy\.$/);
    expect(run.stdout).not.toMatch(LIBRARY_OPTION);
  });

  it('--report', async () => {
    const report = join(dir, 'report.csv');
    const run = await inProcess(['check', file, '--report', report]);
    expect(run.code).toBe(1);
    const text = readFileSync(report, 'utf8');
    expect(text).toContain('--date-format dd/MM/yyyy');
    expect(text).toContain('--date-format d/M/yyyy (day first)');
    expect(text).not.toMatch(LIBRARY_OPTION);
  });

  const bytes = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const enc = (text: string) => new TextEncoder().encode(text);

  it.each([
    [
      'an id column the file does not have',
      () => ['check', fixture('clean.csv'), '--id-column', 'Employee'],
      /expected 'employee' \(--id-column\), .* Rename the column or set --id-column\./,
    ],
    [
      'two id columns',
      () => ['check', bytes('two-ids.csv', 'Email,Login,Active\na,b,Yes\n')],
      /Set --id-column to the one that identifies users/,
    ],
    [
      'bytes that are not UTF-8',
      () => [
        'check',
        bytes('latin1.csv', Uint8Array.from([...enc('Email,Active\na@x.org,'), 0xe9, 0x0a])),
      ],
      /\(--encoding windows-1252 for Excel's "CSV \(Comma delimited\)"\)/,
    ],
    [
      'UTF-16 without a byte order mark',
      () => ['check', bytes('utf16.csv', enc('E\0m\0a\0i\0l\0,\0A\0c\0t\0i\0v\0e\0\n\0'))],
      /Pass its encoding \(--encoding utf-16le or --encoding utf-16be\)/,
    ],
    [
      'a date format with a time',
      () => ['check', fixture('clean.csv'), '--date-format', 'yyyy-MM-dd HH'],
      /^learner-status: error: --date-format: "yyyy-MM-dd HH" uses 'H'/,
    ],
    [
      'a reserved id column',
      () => ['check', fixture('clean.csv'), '--id-column', 'Active'],
      /^learner-status: error: --id-column cannot be "Active"/,
    ],
  ])('stderr, %s: one line naming the flag, exit 2', async (_, args, message) => {
    const run = await inProcess(args());
    expect(run.code).toBe(2);
    const line = oneLine(run.stderr);
    expect(line).toMatch(message);
    expect(line).not.toMatch(LIBRARY_OPTION);
    expect(line).not.toMatch(/unexpected failure|\boption\b/i);
  });
});
