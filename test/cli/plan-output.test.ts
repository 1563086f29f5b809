import { describe, expect, it } from 'vitest';
import { cliIssue } from '../../src/cli/flags.js';
import { snapshotJson } from '../../src/cli/format.js';
import { nestedJson, rowJsonWriter } from '../../src/cli/plan-output.js';
import { problemJson } from '../../src/cli/problems.js';
import type { BulkIssue, BulkRow } from '../../src/index.js';

// Issue 18: preview's --json rows are built by hand, for speed; each must be the text
// JSON.stringify lays out for the same row, two levels down (`{ rows: [row] }`).

const active = { status: 'active', expiresAt: null, effective: 'active' } as const;
const expired = {
  status: 'active',
  expiresAt: new Date('2026-01-01T00:00:00Z'),
  effective: 'expired',
} as const;
const warning: BulkIssue = {
  code: 'STAYS_EXPIRED',
  severity: 'warning',
  message: 'Stays "expired".',
};
const dated: BulkIssue = {
  code: 'INVALID_DATE',
  severity: 'error',
  column: 'Expiration Date',
  value: '31/12/2026\t',
  message: 'Not a date: configure the format in `dateFormats`.',
};

const ROWS: BulkRow[] = [
  {
    line: 2,
    userId: 'ada@example.org',
    outcome: 'changed',
    before: active,
    after: expired,
    issues: [warning],
  },
  {
    line: 3,
    userId: null,
    outcome: 'invalid',
    before: null,
    after: null,
    issues: [dated, warning],
  },
  {
    line: 4,
    userId: 'ünïcødé "x"\u2028',
    outcome: 'unchanged',
    before: expired,
    after: expired,
    issues: [],
  },
  { line: 5, userId: 'b', outcome: 'conflict', before: active, after: null, issues: [warning] },
];

describe('rowJsonWriter (issue 18)', () => {
  it('writes each row as JSON.stringify would, problems said with the flags', () => {
    const write = rowJsonWriter();
    for (const row of [...ROWS, ...ROWS]) {
      const expected = nestedJson(
        {
          line: row.line,
          userId: row.userId,
          outcome: row.outcome,
          before: snapshotJson(row.before),
          after: snapshotJson(row.after),
          issues: row.issues.map((issue) =>
            problemJson({ line: row.line, userId: row.userId, ...cliIssue(issue) }),
          ),
        },
        2,
      );
      expect(write(row)).toBe(expected);
    }
    expect(write(ROWS[1]!)).toContain('configure the format with --date-format');
  });
});
