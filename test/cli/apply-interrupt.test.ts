import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelledNote, progressLine } from '../../src/cli/apply.js';
import { createPostgresStore, type PostgresStore } from '../../src/postgres/index.js';
import type { User } from '../../src/status/index.js';
import { withPostgresServer } from '../support/pg-server.js';
import { cli, type Run, root, tempDir } from './run.js';

// Issue 18: a million-row apply says how fast it goes and how long is left, and a Ctrl-C
// says what was written and that the same file finishes the work (S4).

describe('the progress line: rate and time left (issue 18)', () => {
  it('counts the rows written since the writes began, not the unchanged ones', () => {
    // 1,000 unchanged rows settled at once; 5,000 written in 2 s: 2,500 rows/s, 16 s left.
    expect(progressLine(6000, 46_000, { from: 1000, elapsedMs: 2000 })).toBe(
      '[###---------------------]  13%  6000/46000 rows  2,500 rows/s  0:16 left',
    );
    expect(progressLine(46_000, 46_000, { from: 1000, elapsedMs: 9000 })).toMatch(
      /100% {2}46000\/46000 rows {2}5,000 rows\/s {2}done$/,
    );
    expect(progressLine(1000, 10_000_000, { from: 0, elapsedMs: 1000 })).toMatch(
      / {2}1,000 rows\/s {2}2:46:39 left$/,
    );
  });

  it('before the first written row, the bar alone', () => {
    expect(progressLine(1, 2)).toBe('[############------------]  50%  1/2 rows');
    expect(progressLine(1000, 2000, { from: 1000, elapsedMs: 50 })).toBe(
      '[############------------]  50%  1000/2000 rows',
    );
  });

  it('the note after Ctrl-C names what was applied and the re-run (S4)', () => {
    expect(cancelledNote(1, 2)).toBe(
      'Cancelled: 1 change of 2 applied before the interruption; the other 1 row was not written. Run the same file again to apply only the rest: the rows already applied plan as unchanged (S4).',
    );
  });
});

withPostgresServer('learner-status apply interrupted on PostgreSQL', (databaseUrl) => {
  describe('learner-status apply: Ctrl-C on a real server (issue 18, S4)', () => {
    const schema = `ls_sigint_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const db = ['--database-url', databaseUrl, '--schema', schema];
    const COUNT = 4000;
    let store: PostgresStore;
    let file: string;

    beforeAll(async () => {
      await pool.query(`CREATE SCHEMA ${schema}`);
      store = createPostgresStore(pool, { schema });
      await store.migrate();
      const users: User[] = [];
      let csv = 'Email,Active,Expiration Date\n';
      for (let i = 0; i < COUNT; i++) {
        users.push({ id: `learner${i}@example.org`, status: 'active', expiresAt: null });
        csv += `learner${i}@example.org,No,\n`;
      }
      await store.insertUsers(users);
      file = join(tempDir(), 'everyone.csv');
      writeFileSync(file, csv);
    });
    afterAll(async () => {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    });

    const events = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            `SELECT count(*)::text AS n FROM ${schema}.learner_status_events`,
          )
        ).rows[0]?.n,
      );

    /** Runs apply and sends it SIGINT once the first rows are written. */
    function interrupted(args: readonly string[]): Promise<Run> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
          cwd: root,
          env: { ...process.env, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
        });
        // Exactly one SIGINT, as from one Ctrl-C: several counts may be in flight at once on a
        // loaded machine, and a second signal would end the process (as a second Ctrl-C does).
        let sent = false;
        const poll = setInterval(() => {
          events().then((n) => {
            if (n > 0 && !sent) {
              sent = true;
              clearInterval(poll);
              child.kill('SIGINT');
            }
          }, reject);
        }, 10);
        child.on('error', reject);
        child.on('close', (code) => {
          clearInterval(poll);
          resolve({ code, stdout, stderr });
        });
      });
    }

    it('stops between batches, says how many rows were applied; the same file applies only the rest', async () => {
      // One row per write: the run takes long enough to be interrupted in its middle.
      const run = await interrupted(['apply', file, ...db, '--yes', '--batch-size', '1']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const applied = await events();
      expect(applied).toBeGreaterThan(0);
      expect(applied).toBeLessThan(COUNT);
      expect(run.stdout).toContain(cancelledNote(applied, COUNT));
      expect(run.stdout).toMatch(
        new RegExp(`Totals: ${applied} changed, 0 unchanged, .* ${COUNT - applied} cancelled`),
      );
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${schema}.learner_status_users WHERE status = 'deactivated'`,
      );
      expect(Number(rows[0]?.n)).toBe(applied);

      // S4: the re-run plans the applied rows unchanged and writes only the others.
      const again = await cli(['apply', file, ...db, '--yes']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(
        `Plan totals: ${COUNT - applied} changed, ${applied} unchanged`,
      );
      expect(again.stdout).toContain(`Applied ${COUNT - applied} changes.`);
      expect(await events()).toBe(COUNT);
    });
  });
});
