import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROWS_SHOWN } from '../../src/cli/rows-table.js';
import { cli, fixture, inProcess, LIBRARY_OPTION, oneLine, tempDir } from './run.js';

const NOW = '2026-11-25T09:00:00Z';

interface PreviewJson {
  valid: boolean;
  now: string;
  totals: Record<string, number>;
  guard: { refused: boolean; message: string } | null;
  rows: {
    line: number;
    userId: string | null;
    outcome: string;
    before: { status: string; expiresAt: string | null; effective: string } | null;
    after: { status: string; expiresAt: string | null; effective: string } | null;
    issues: { code: string }[];
  }[];
}

describe('learner-status preview (spawned)', () => {
  it('shows before and after per row, problems and totals for the bundled examples; exit 1', async () => {
    const run = await cli([
      'preview',
      'examples/bulk-update.csv',
      '--users',
      'examples/users.csv',
      '--now',
      NOW,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      `Preview of examples/bulk-update.csv (delimiter comma, encoding utf-8) against examples/users.csv (6 users) at 2026-11-25T09:00:00.000Z`,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^2\s+ada@example\.org\s+changed\s+active → deactivated\s+2027-07-01T00:00:00\.000Z\s+Active ✓ → Deactivated$/,
      ),
    );
    // C9: the email in another case names the stored user.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^3\s+alan@example\.org\s+changed\s+deactivated → active\s+never → 2028-01-01T00:00:00\.000Z\s+Deactivated → Active ✓$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^4\s+grace@example\.org\s+unchanged\s+active\s+\S+\s+Expired$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^4\s+warning\s+STAYS_EXPIRED\s+Set to active, but the learner stays expired/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^8\s+warning\s+DUPLICATE_ROW/));
    expect(lines).toContainEqual(expect.stringMatching(/^9\s+error\s+USER_NOT_FOUND/));
    expect(run.stdout).toContain(
      'Totals: 8 rows: 2 changed, 2 unchanged, 1 duplicate, 1 not-found, 2 invalid',
    );
  });

  it('exits 0 for a clean plan against a JSON export, and --json carries before/after', async () => {
    const run = await cli([
      'preview',
      fixture('clean.csv'),
      '--users',
      fixture('users.json'),
      '--now',
      NOW,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as PreviewJson;
    expect(result.valid).toBe(true);
    expect(result.now).toBe('2026-11-25T09:00:00.000Z');
    expect(result.totals).toMatchObject({ changed: 2, invalid: 0 });
    expect(result.rows[1]).toMatchObject({
      line: 3,
      userId: 'grace@example.org',
      outcome: 'changed',
      before: { status: 'active', expiresAt: '2026-01-01T00:00:00.000Z', effective: 'expired' },
      after: { status: 'active', expiresAt: '2027-07-01T00:00:00.000Z', effective: 'active' },
    });
  });

  it('--max-change-ratio: the guard trips, exit 1', async () => {
    const run = await cli([
      'preview',
      fixture('clean.csv'),
      '--users',
      fixture('users.json'),
      '--now',
      NOW,
      '--max-change-ratio',
      '0.25',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Guard: .*2/);
    const ok = await cli([
      'preview',
      fixture('clean.csv'),
      '--users',
      fixture('users.json'),
      '--now',
      NOW,
      '--max-change-ratio',
      '0.5',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as PreviewJson).guard).toMatchObject({ refused: false });
  });

  it('--report writes the bulk report CSV', async () => {
    const report = join(tempDir(), 'preview.csv');
    const run = await cli([
      'preview',
      'examples/bulk-update.csv',
      '--users',
      'examples/users.csv',
      '--now',
      NOW,
      '--report',
      report,
    ]);
    expect(run.code).toBe(1);
    const text = readFileSync(report, 'utf8');
    expect(text.split('\r\n')[0]).toMatch(/^Line,User,Outcome,Status Before/);
    expect(text).toContain(
      '2,ada@example.org,changed,active,2027-07-01T00:00:00.000Z,active,deactivated,',
    );
  });

  it.each([
    [['preview', fixture('clean.csv')], /missing --users/],
    [
      ['preview', fixture('clean.csv'), '--users', fixture('users-no-id.csv')],
      /users-no-id\.csv: the users export has no usable id column/,
    ],
    [
      ['preview', fixture('clean.csv'), '--users', fixture('nope.json')],
      /cannot read the users export/,
    ],
    [
      ['preview', fixture('clean.csv'), '--users', fixture('errors.csv')],
      /errors\.csv: line 3: .*INVALID_ACTIVE_VALUE/,
    ],
    [['preview', fixture('unclosed.csv'), '--users', fixture('users.json')], /UNCLOSED_QUOTE/],
    [
      [
        'preview',
        fixture('clean.csv'),
        '--users',
        fixture('users.json'),
        '--max-change-ratio',
        'half',
      ],
      /--max-change-ratio must be a number/,
    ],
    [
      ['preview', fixture('clean.csv'), '--users', fixture('users.json'), '--max-changes', '1.5'],
      /^learner-status: error: --max-changes must be a whole number, 0 or more, but it is '1\.5'\.$/,
    ],
  ])('bad usage %j: one line on stderr, exit 2', async (args, message) => {
    // In-process: what is checked is main()'s answer; the spawned tests above cover the bin.
    const run = await inProcess(args);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(message);
  });
});

describe('learner-status preview (in-process main)', () => {
  it('a JSON export that is not an array of users is one line, exit 2', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'bad.json'), '[{"id":"u1","status":"Active","expiresAt":null}]');
    const run = await inProcess([
      'preview',
      fixture('clean.csv'),
      '--users',
      join(dir, 'bad.json'),
    ]);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(
      /bad\.json: user 1 of the array: Invalid user record: `status`/,
    );
  });

  it('shows the statuses as the portal does, with colour on a terminal', async () => {
    const run = await inProcess(
      ['preview', fixture('clean.csv'), '--users', fixture('users.json'), '--now', NOW],
      { tty: true },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\u001b[32m');
    expect(run.stdout).toContain('Active ✓');
  });

  it(`a large file: the table lists the first ${ROWS_SHOWN} rows, --json has them all`, async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    const count = ROWS_SHOWN + 7;
    const users = [];
    let csv = 'Email,Active,Expiration Date\n';
    for (let i = 0; i < count; i++) {
      users.push({ id: `bulk${i}@example.org`, status: 'active', expiresAt: null });
      csv += `bulk${i}@example.org,No,\n`;
    }
    writeFileSync(join(dir, 'users.json'), JSON.stringify(users));
    writeFileSync(join(dir, 'large.csv'), csv);
    const args = ['preview', join(dir, 'large.csv'), '--users', join(dir, 'users.json')];
    const run = await inProcess([...args, '--now', NOW]);
    expect(run.code).toBe(0);
    const rows = run.stdout
      .split('\n')
      .filter((l) => /^\d+\s+bulk\d+@example\.org\s+changed/.test(l));
    expect(rows).toHaveLength(ROWS_SHOWN);
    expect(rows.at(-1)).toMatch(new RegExp(`^${ROWS_SHOWN + 1}\\s`));
    expect(run.stdout).toContain('… and 7 more rows: see --report or use --json\n');
    expect(run.stdout).toContain(`Totals: ${count} rows: ${count} changed`);
    const json = await inProcess([...args, '--now', NOW, '--json']);
    expect((JSON.parse(json.stdout) as PreviewJson).rows).toHaveLength(count);
  });
});

describe('learner-status preview: every message names the flag, not the library option (issue 17)', () => {
  const dir = tempDir();
  const file = join(dir, 'bulk.csv');
  // Two changes (ada, alan) and a date read only day first (grace).
  writeFileSync(
    file,
    'Email,Active,Expiration Date\nada@example.org,No,\nalan@example.org,Yes,\ngrace@example.org,Yes,31/12/2027\n',
  );
  const base = ['preview', file, '--users', fixture('users.json'), '--now', NOW];

  it('--max-changes trips the guard: the table, --json and the exit code say --max-changes', async () => {
    const run = await inProcess([...base, '--max-changes', '1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Guard: This file would change 2 users, more than the limit of 1 (--max-changes 1). Check that it is the file you meant (a truncated or stale export?), or raise --max-changes.',
    );
    expect(run.stdout).toContain('read this form with --date-format dd/MM/yyyy.');
    expect(run.stdout).not.toMatch(LIBRARY_OPTION);
    const json = await inProcess([...base, '--max-changes', '1', '--json']);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as PreviewJson;
    expect(result.guard).toMatchObject({ refused: true, changes: 2, limit: 1 });
    expect(result.guard?.message).toMatch(/or raise --max-changes\.$/);
    expect(result.rows[2]?.issues[0]).toMatchObject({ code: 'INVALID_DATE' });
    expect(json.stdout).toContain('--date-format dd/MM/yyyy');
    expect(json.stdout).not.toMatch(LIBRARY_OPTION);
    // Within the limit: exit 1 only for the refused date.
    const within = await inProcess([...base, '--max-changes', '2', '--json']);
    expect((JSON.parse(within.stdout) as PreviewJson).guard).toMatchObject({
      refused: false,
      message: 'This file changes 2 users, within the limit of 2 (--max-changes 2).',
    });
  });

  it('--max-change-ratio names the share and the users it is of', async () => {
    const run = await inProcess([...base, '--max-change-ratio', '0.25']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'more than the limit of 1 (--max-change-ratio 0.25 of 4 users). Check that it is the file you meant (a truncated or stale export?), or raise --max-change-ratio.',
    );
    expect(run.stdout).not.toMatch(LIBRARY_OPTION);
  });

  it('--report', async () => {
    const report = join(dir, 'preview.csv');
    const run = await inProcess([...base, '--max-changes', '1', '--report', report]);
    expect(run.code).toBe(1);
    const text = readFileSync(report, 'utf8');
    expect(text).toContain('4,grace@example.org,invalid,');
    expect(text).toContain('--date-format dd/MM/yyyy');
    expect(text).not.toMatch(LIBRARY_OPTION);
  });

  it('a refused row of the users export, on stderr', async () => {
    const users = join(dir, 'users.csv');
    writeFileSync(users, 'Email,Active,Expiration Date\nada@example.org,Yes,1/2/2027\n');
    const run = await inProcess(['preview', file, '--users', users]);
    expect(run.code).toBe(2);
    const line = oneLine(run.stderr);
    expect(line).toContain('--date-format d/M/yyyy (day first) or --date-format M/d/yyyy');
    expect(line).not.toMatch(LIBRARY_OPTION);
  });
});
