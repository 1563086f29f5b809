import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcess, tempDir } from './run.js';

// Issue 17 through the command line: a row refused for its Active or date cell names its user
// in check --json and in preview (table and JSON); a row whose new date is already past is
// warned with EXPIRES_IN_PAST; a day-first date is not called ambiguous.

const NOW = '2026-11-25T09:00:00Z';
const dir = tempDir();
const file = join(dir, 'bulk.csv');
writeFileSync(
  file,
  [
    'Email,Active,Expiration Date',
    'ada@example.org,TRUE,', // 2: INVALID_ACTIVE_VALUE
    'grace@example.org,,31/12/2026', // 3: INVALID_DATE, day first
    ',No,', // 4: MISSING_ID
    'alan@example.org,,2025-11-30', // 5: a mistyped year: EXPIRES_IN_PAST
    '',
  ].join('\n'),
);
const users = join(dir, 'users.json');
writeFileSync(
  users,
  JSON.stringify([
    { id: 'ada@example.org', status: 'active', expiresAt: null },
    { id: 'grace@example.org', status: 'active', expiresAt: null },
    { id: 'alan@example.org', status: 'active', expiresAt: '2027-01-01T00:00:00Z' },
  ]),
);

interface Problem {
  line: number;
  userId: string | null;
  code: string;
  message: string;
}

describe('check: a refused row names its user (C6)', () => {
  it('--json names the user of a row refused for its Active or date cell; null for a blank id', async () => {
    const run = await inProcess(['check', file, '--json']);
    expect(run.code).toBe(1);
    const { problems } = JSON.parse(run.stdout) as { problems: Problem[] };
    expect(problems.map((p) => [p.line, p.userId, p.code])).toEqual([
      [2, 'ada@example.org', 'INVALID_ACTIVE_VALUE'],
      [3, 'grace@example.org', 'INVALID_DATE'],
      [4, null, 'MISSING_ID'],
    ]);
  });

  it('C4: 31/12/2026 is not called ambiguous; the message says what reads it', async () => {
    const run = await inProcess(['check', file, '--json']);
    const { problems } = JSON.parse(run.stdout) as { problems: Problem[] };
    const date = problems.find((p) => p.code === 'INVALID_DATE');
    expect(date?.message).not.toContain('ambiguous');
    expect(date?.message).toContain('reads only day first (31 is not a month), as 2026-12-31');
    expect(date?.message).toMatch(/dd\/MM\/yyyy/);
  });
});

describe('preview: the user of a refused row and EXPIRES_IN_PAST (C6, R4)', () => {
  const args = ['preview', file, '--users', users, '--now', NOW];

  it('the table and the problems name the user of a refused row; EXPIRES_IN_PAST is shown', async () => {
    const run = await inProcess(args);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^2\s+ada@example\.org\s+invalid\s*$/));
    expect(lines).toContainEqual(expect.stringMatching(/^3\s+grace@example\.org\s+invalid\s*$/));
    expect(lines).toContainEqual(expect.stringMatching(/^4\s+invalid\s*$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^5\s+alan@example\.org\s+changed\s.*Active ✓ → Expired$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^5\s+warning\s+EXPIRES_IN_PAST\s+The new expiration date is already past/,
      ),
    );
    // Counted in the totals, not only listed among the problems.
    expect(lines).toContainEqual(
      expect.stringMatching(/^Totals: 4 rows: 1 changed, .*; warnings: 1 EXPIRES_IN_PAST$/),
    );
  });

  it('--json: userId on the rows and their issues; the warning on the changed row', async () => {
    const run = await inProcess([...args, '--json']);
    const result = JSON.parse(run.stdout) as {
      totals: Record<string, number>;
      warnings: Record<string, number>;
      rows: { line: number; userId: string | null; outcome: string; issues: Problem[] }[];
    };
    expect(result.rows.map((r) => [r.line, r.userId, r.outcome])).toEqual([
      [2, 'ada@example.org', 'invalid'],
      [3, 'grace@example.org', 'invalid'],
      [4, null, 'invalid'],
      [5, 'alan@example.org', 'changed'],
    ]);
    expect(result.rows[0]?.issues[0]?.userId).toBe('ada@example.org');
    expect(result.rows[3]?.issues.map((i) => [i.code, i.userId])).toEqual([
      ['EXPIRES_IN_PAST', 'alan@example.org'],
    ]);
    expect(result.totals).toMatchObject({ changed: 1, invalid: 3 });
    expect(result.warnings).toEqual({ EXPIRES_IN_PAST: 1 });
  });
});
