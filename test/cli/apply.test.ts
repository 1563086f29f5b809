import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROWS_SHOWN } from '../../src/cli/rows-table.js';
import { createPostgresStore, type PostgresStore } from '../../src/postgres/index.js';
import type { User } from '../../src/status/index.js';
import { withPostgresServer } from '../support/pg-server.js';
import {
  cli,
  fixture,
  inProcess,
  LIBRARY_OPTION,
  oneLine,
  type Run,
  root,
  tempDir,
} from './run.js';

// `learner-status apply` against a real PostgreSQL server (see test/support/pg-server.ts).

const NOW = '2026-11-25T09:00:00Z';

/** The users of test/cli/fixtures/users.json and examples/users.csv, as stored. */
const USERS: readonly User[] = [
  { id: 'ada@example.org', status: 'active', expiresAt: new Date('2027-07-01T00:00:00Z') },
  { id: 'alan@example.org', status: 'deactivated', expiresAt: null },
  { id: 'grace@example.org', status: 'active', expiresAt: new Date('2026-01-01T00:00:00Z') },
  { id: 'katherine@example.org', status: 'active', expiresAt: null },
];

describe('learner-status apply without a database', () => {
  it('without pg installed: one line "install pg to use apply", exit 2', async () => {
    const run = await cli(
      ['apply', fixture('clean.csv'), '--database-url', 'postgres://nobody@127.0.0.1:1/x', '--yes'],
      {},
      ['--import', './test/cli/fixtures/no-pg.mjs'],
    );
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(/install pg to use apply/);
  });

  it.each([
    [['apply', fixture('clean.csv')], /missing --database-url/],
    [['apply', '--database-url', 'postgres://x@127.0.0.1:1/x'], /missing <file\.csv>/],
    [
      ['apply', fixture('nope.csv'), '--database-url', 'postgres://x@127.0.0.1:1/x'],
      /cannot read the file/,
    ],
    [['apply', fixture('clean.csv'), '--database-url', 'mysql://x@h/db'], /postgres:\/\//],
    [
      ['apply', fixture('clean.csv'), '--database-url', 'postgres://x@127.0.0.1:1/x', '--yes'],
      /cannot connect to the database: .*ECONNREFUSED/,
    ],
    [
      ['apply', fixture('clean.csv'), '--database-url', 'postgres://x@h/x', '--batch-size', '0'],
      /--batch-size must be a whole number/,
    ],
    [
      [
        'apply',
        fixture('clean.csv'),
        '--database-url',
        'postgres://x@h/x',
        '--batch-size',
        '100001',
      ],
      /--batch-size must be a whole number, from 1 to 100000, but it is '100001'/,
    ],
    [
      ['apply', fixture('clean.csv'), '--database-url', 'postgres://x@h/x', '--max-changes', 'x'],
      /^learner-status: error: --max-changes must be a whole number, 0 or more, but it is 'x'\.$/,
    ],
    [['apply', fixture('clean.csv'), '--bogus'], /apply: Unknown option '--bogus'/],
  ])('bad usage %j: one line on stderr, exit 2', async (args, message) => {
    const run = await inProcess(args, { env: { DATABASE_URL: '' } });
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(message);
  });

  it('--help describes apply', async () => {
    const run = await inProcess(['apply', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Usage: learner-status apply <file\.csv\|file\.xlsx> --database-url/,
    );
    expect(run.stdout).toContain('--yes');
  });
});

withPostgresServer('learner-status apply on PostgreSQL', applyTests);

/**
 * Runs the CLI in a pseudo-terminal, answering `answer` at the confirmation prompt; when
 * `beforeAnswer` is given, the answer waits until it has run (the plan is made, nothing
 * written yet).
 */
function inTerminal(
  args: readonly string[],
  answer: string,
  beforeAnswer?: () => Promise<void>,
): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  }
  const go = join(tempDir(), 'answer-now');
  if (beforeAnswer !== undefined) env['TERMINAL_ANSWER_WHEN'] = go;
  let asked = false;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'python3',
      [
        'test/cli/terminal.py',
        'Type y to confirm',
        answer,
        process.execPath,
        '--import',
        'tsx',
        'src/cli/main.ts',
        ...args,
      ],
      { cwd: root, env: { ...env, TERM: 'xterm' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (beforeAnswer !== undefined && !asked && stdout.includes('Type y to confirm')) {
        asked = true;
        beforeAnswer().then(() => writeFileSync(go, ''), reject);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The line of the before/after table for CSV line `line` (`^line  user  outcome ...`). */
function tableLine(stdout: string, line: number, user: string): string | undefined {
  return stdout
    .split('\n')
    .find((l) => new RegExp(`^${line}\\s+${user.replace(/\./g, '\\.')}\\s`).test(l));
}

function applyTests(databaseUrl: string): void {
  describe('learner-status apply on PostgreSQL (spawned, --yes)', () => {
    // A schema of its own per run, so that concurrent runs against one server never meet.
    const schema = `ls_cli_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    let store: PostgresStore;
    const db = ['--database-url', databaseUrl, '--schema', schema];

    beforeAll(async () => {
      await pool.query(`CREATE SCHEMA ${schema}`);
      store = createPostgresStore(pool, { schema });
      await store.migrate();
    });
    afterAll(async () => {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    });
    beforeEach(async () => {
      await pool.query(`TRUNCATE ${schema}.learner_status_users, ${schema}.learner_status_events`);
      await store.insertUsers(USERS);
    });

    async function stored(): Promise<Record<string, { status: string; expiresAt: string | null }>> {
      const found = await store.readUsers(USERS.map((u) => u.id));
      const out: Record<string, { status: string; expiresAt: string | null }> = {};
      for (const entry of found) {
        if (entry === null) continue;
        out[entry.user.id] = {
          status: entry.user.status,
          expiresAt: entry.user.expiresAt?.toISOString() ?? null,
        };
      }
      return out;
    }

    async function eventCount(): Promise<number> {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${schema}.learner_status_events`,
      );
      return Number(rows[0]?.n);
    }

    it('a clean file: applies every change, exit 0; a second run changes nothing, exit 0', async () => {
      const report = join(tempDir(), 'applied.csv');
      const run = await cli([
        'apply',
        fixture('clean.csv'),
        ...db,
        '--now',
        NOW,
        '--yes',
        '--report',
        report,
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Plan totals: 2 changed, 0 unchanged');
      // The per-row table, as preview prints it, before the totals and the writes.
      expect(run.stdout).toMatch(
        /^Line\s+User\s+Outcome\s+Stored status\s+Expires\s+Effective status$/m,
      );
      expect(tableLine(run.stdout, 2, 'ada@example.org')).toMatch(
        /^2\s+ada@example\.org\s+changed\s+active → deactivated\s+2027-07-01T00:00:00\.000Z\s+Active ✓ → Deactivated$/,
      );
      expect(tableLine(run.stdout, 3, 'grace@example.org')).toMatch(
        /^3\s+grace@example\.org\s+changed\s+active\s+2026-01-01T00:00:00\.000Z → 2027-07-01T00:00:00\.000Z\s+Expired → Active ✓$/,
      );
      expect(run.stdout.indexOf('ada@example.org')).toBeLessThan(run.stdout.indexOf('Plan totals'));
      expect(run.stdout).not.toContain('Not applied as planned');
      expect(run.stdout).toContain(
        'Totals: 2 changed, 0 unchanged, 0 duplicate, 0 not-found, 0 invalid, 0 conflict, 0 failed, 0 cancelled',
      );
      expect(run.stdout).toContain('Applied 2 changes.');
      expect(await stored()).toMatchObject({
        'ada@example.org': { status: 'deactivated', expiresAt: '2027-07-01T00:00:00.000Z' },
        'grace@example.org': { status: 'active', expiresAt: '2027-07-01T00:00:00.000Z' },
        'alan@example.org': { status: 'deactivated', expiresAt: null },
      });
      expect(await eventCount()).toBe(2);
      const text = readFileSync(report, 'utf8');
      expect(text.split('\r\n')[0]).toMatch(/^Line,User,Outcome,Status Before/);
      expect(text).toContain('2,ada@example.org,changed,active,');

      const before = await stored();
      const again = await cli(['apply', fixture('clean.csv'), ...db, '--now', NOW, '--yes']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Plan totals: 0 changed, 2 unchanged');
      expect(again.stdout).toContain('Nothing to apply');
      // Unchanged rows without a warning are not listed: there is no table at all.
      expect(again.stdout).not.toMatch(/^Line\s+User\s+Outcome/m);
      expect(await stored()).toEqual(before);
      expect(await eventCount()).toBe(2);
    });

    it('a file with row errors: applies the valid changes, exit 1; --json on the second run', async () => {
      const run = await cli(['apply', 'examples/bulk-update.csv', ...db, '--now', NOW, '--yes']);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^5\s+error\s+Active\s+TRUE\s+INVALID_ACTIVE_VALUE/m);
      // The table lists the changes and the rows with problems, not the clean unchanged ones.
      expect(tableLine(run.stdout, 3, 'alan@example.org')).toMatch(
        /changed\s+deactivated → active\s+never → 2028-01-01T00:00:00\.000Z\s+Deactivated → Active ✓$/,
      );
      expect(tableLine(run.stdout, 4, 'grace@example.org')).toMatch(
        /unchanged\s+active\s+\S+\s+Expired$/,
      );
      // A refused row still names its user when its identifier cell is valid.
      expect(run.stdout).toMatch(/^5\s+katherine@example\.org\s+invalid$/m);
      expect(tableLine(run.stdout, 9, 'barbara@example.org')).toMatch(/not-found$/);
      expect(run.stdout).toContain('Applied 2 changes.');
      expect(await stored()).toMatchObject({
        'ada@example.org': { status: 'deactivated' },
        'alan@example.org': { status: 'active', expiresAt: '2028-01-01T00:00:00.000Z' },
      });
      const before = await stored();
      const events = await eventCount();

      const again = await cli([
        'apply',
        'examples/bulk-update.csv',
        ...db,
        '--now',
        NOW,
        '--yes',
        '--json',
      ]);
      expect(again.code).toBe(1);
      const result = JSON.parse(again.stdout) as {
        applied: boolean;
        valid: boolean;
        totals: Record<string, number>;
        problems: { code: string }[];
      };
      expect(result).toMatchObject({ applied: false, valid: false });
      expect(result.totals['changed']).toBe(0);
      expect(result.problems.map((p) => p.code)).toContain('INVALID_ACTIVE_VALUE');
      expect(await stored()).toEqual(before);
      expect(await eventCount()).toBe(events);
    });

    it('without a terminal and without --yes: refuses, exit 2, nothing written', async () => {
      const before = await stored();
      const run = await cli(['apply', fixture('clean.csv'), ...db, '--now', NOW]);
      expect(run.code).toBe(2);
      expect(oneLine(run.stderr)).toMatch(/stdin is not a terminal; pass --yes/);
      expect(await stored()).toEqual(before);
      expect(await eventCount()).toBe(0);
    });

    it('--max-change-ratio: the guard trips, exit 1, nothing written', async () => {
      const before = await stored();
      const run = await cli([
        'apply',
        fixture('clean.csv'),
        ...db,
        '--now',
        NOW,
        '--yes',
        '--max-change-ratio',
        '0.25',
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/Guard: /);
      expect(run.stdout).toContain('Nothing was written');
      expect(await stored()).toEqual(before);
    });

    it('--max-changes: the guard trips naming the flag in the text, --json and --report; nothing written', async () => {
      const before = await stored();
      const file = join(tempDir(), 'bulk.csv');
      writeFileSync(
        file,
        'Email,Active,Expiration Date\nada@example.org,No,\nalan@example.org,Yes,\ngrace@example.org,Yes,31/12/2027\n',
      );
      const report = join(tempDir(), 'refused.csv');
      const args = ['apply', file, ...db, '--now', NOW, '--yes', '--max-changes', '1'];
      const run = await cli([...args, '--report', report]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'Guard: This file would change 2 users, more than the limit of 1 (--max-changes 1). Check that it is the file you meant (a truncated or stale export?), or raise --max-changes.',
      );
      expect(run.stdout).toContain('read this form with --date-format dd/MM/yyyy.');
      expect(run.stdout).toContain('Nothing was written');
      expect(run.stdout).not.toMatch(LIBRARY_OPTION);
      const text = readFileSync(report, 'utf8');
      expect(text).toContain('--date-format dd/MM/yyyy');
      expect(text).not.toMatch(LIBRARY_OPTION);
      const json = await cli([...args, '--max-change-ratio', '0.9', '--json']);
      expect(json.code).toBe(1);
      const result = JSON.parse(json.stdout) as {
        applied: boolean;
        guard: { refused: boolean; message: string };
        problems: { message: string }[];
      };
      expect(result.applied).toBe(false);
      expect(result.guard).toMatchObject({ refused: true, limit: 1 });
      expect(result.guard.message).toMatch(/\(--max-changes 1\)\..* or raise --max-changes\.$/);
      expect(json.stdout).not.toMatch(LIBRARY_OPTION);
      // The ratio is of the users in the store, counted for the message.
      const ratio = await cli([
        'apply',
        file,
        ...db,
        '--now',
        NOW,
        '--yes',
        '--max-change-ratio',
        '0.25',
      ]);
      expect(ratio.stdout).toContain('(--max-change-ratio 0.25 of 4 users)');
      expect(await stored()).toEqual(before);
    });

    it('tables missing: one line naming them, exit 2, nothing created', async () => {
      const run = await cli([
        'apply',
        fixture('clean.csv'),
        ...db,
        '--users-table',
        'no_such_users',
        '--yes',
      ]);
      expect(run.code).toBe(2);
      expect(oneLine(run.stderr)).toMatch(
        new RegExp(`has no table ${schema}\\.no_such_users.*migrate`),
      );
      const { rows } = await pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
        `${schema}.no_such_users`,
      ]);
      expect(rows[0]?.t).toBeNull();
    });

    it('in a terminal: asks for confirmation, answered y, shows the progress bar, exit 0', async () => {
      const run = await inTerminal(
        ['apply', fixture('clean.csv'), ...db, '--now', NOW, '--batch-size', '1'],
        'y',
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Apply 2 changes to the database? Type y to confirm [y/N]:');
      expect(run.stdout).toMatch(/Applying \[#{12}-{12}\]\s+50%\s+1\/2 rows/);
      expect(run.stdout).toMatch(/Applying \[#{24}\] 100%\s+2\/2 rows/);
      expect(run.stdout).toContain('Applied 2 changes.');
      expect(await stored()).toMatchObject({ 'ada@example.org': { status: 'deactivated' } });
    });

    it('in a terminal: any other answer declines, exit 1, nothing written', async () => {
      const before = await stored();
      const run = await inTerminal(['apply', fixture('clean.csv'), ...db, '--now', NOW], 'n');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('Type y to confirm');
      expect(run.stdout).toContain('Declined: nothing was written.');
      expect(run.stdout).not.toContain('Applying [');
      expect(await stored()).toEqual(before);
    });

    it('in a terminal: the table is shown before the question; a change made meanwhile is listed as not applied, exit 1', async () => {
      const run = await inTerminal(
        ['apply', fixture('clean.csv'), ...db, '--now', NOW],
        'y',
        async () => {
          // Someone else deactivates ada between the plan and the confirmation.
          const [ada] = await store.readUsers(['ada@example.org']);
          if (ada === null || ada === undefined) throw new Error('ada is missing');
          const [answer] = await store.writeUsers([
            {
              user: { ...ada.user, status: 'deactivated' },
              expectedVersion: ada.version,
              event: null,
            },
          ]);
          expect(answer?.status).toBe('ok');
        },
      );
      expect(run.code).toBe(1);
      // A terminal: coloured, with \r\n line ends.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the SGR escape is what is removed
      const stdout = run.stdout.replace(/\u001b\[[0-9;]*m|\r/g, '');
      const planned = stdout.search(
        /^2\s+ada@example\.org\s+changed\s+active → deactivated\s+2027-07-01T00:00:00\.000Z\s+Active ✓ → Deactivated$/m,
      );
      expect(planned).toBeGreaterThan(-1);
      expect(planned).toBeLessThan(stdout.indexOf('Type y to confirm'));
      const missed = stdout.indexOf('Not applied as planned: 1 row');
      expect(missed).toBeGreaterThan(stdout.indexOf('Type y to confirm'));
      const after = stdout.slice(missed);
      // The row as it is stored now: their change stands.
      expect(after).toMatch(
        /^2\s+ada@example\.org\s+conflict\s+deactivated\s+2027-07-01T00:00:00\.000Z\s+Deactivated$/m,
      );
      expect(after).not.toMatch(/^3\s+grace@example\.org/m);
      expect(after).toMatch(/CONCURRENT_CHANGE/);
      expect(after).toContain(
        'Totals: 1 changed, 0 unchanged, 0 duplicate, 0 not-found, 0 invalid, 1 conflict, 0 failed, 0 cancelled',
      );
      expect(await stored()).toMatchObject({
        'ada@example.org': { status: 'deactivated' },
        'grace@example.org': { status: 'active', expiresAt: '2027-07-01T00:00:00.000Z' },
      });
    });

    it(`a large file: the table lists the first ${ROWS_SHOWN} rows and says how many more`, async () => {
      const extra = ROWS_SHOWN + 5;
      const users: User[] = [];
      let csv = 'Email,Active,Expiration Date\n';
      for (let i = 0; i < extra; i++) {
        users.push({ id: `bulk${i}@example.org`, status: 'active', expiresAt: null });
        csv += `bulk${i}@example.org,No,\n`;
      }
      csv += 'nobody@example.org,No,\n';
      await store.insertUsers(users);
      const file = join(tempDir(), 'large.csv');
      writeFileSync(file, csv);
      const run = await cli(['apply', file, ...db, '--now', NOW, '--yes']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const rows = run.stdout
        .split('\n')
        .filter((l) => /^\d+\s+\S+@example\.org\s+(changed|not-found)/.test(l));
      expect(rows).toHaveLength(ROWS_SHOWN);
      // extra changed rows plus the unknown user, minus the ones shown.
      expect(run.stdout).toContain(
        `… and ${extra + 1 - ROWS_SHOWN} more rows: see --report or use --json\n`,
      );
      expect(run.stdout).toContain(`Applied ${extra} changes.`);
    });
  });
}
