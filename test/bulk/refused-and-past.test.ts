import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BulkInputRow,
  bulkUpdateFromCsv,
  formatBulkReportCsv,
  planBulkUpdate,
} from '../../src/bulk/index.js';
import { parseCsv } from '../../src/csv/index.js';
import { effectiveStatus, type StoredStatus, type User } from '../../src/status/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { FUTURE, NOW, PAST, row, user } from './helpers.js';

// Issue 17, through the public API: a refused row keeps its user in the plan and the reports,
// and a row whose new expiration date has already passed says that it takes access away.

const code = (c: string) => expect.objectContaining({ code: c });
const codesOf = (issues: readonly { code: string }[]) => issues.map((issue) => issue.code);

describe('S3, C6: a row refused for a bad Active or date cell still names its user', () => {
  const FILE = [
    'Email,Active,Expiration Date',
    'Ada@Example.org,TRUE,', // INVALID_ACTIVE_VALUE: named as the cell gives it
    'grace@example.org,Yes,31/12/2026', // INVALID_DATE
    ',No,', // MISSING_ID: no user
    '1.23457E+11,No,', // MANGLED_ID: no user
    'alan@example.org,No,', // valid: named as the store answered
  ].join('\r\n');
  const store = () =>
    createMemoryStore([
      user('ada@example.org'),
      user('grace@example.org'),
      user('alan@example.org'),
    ]);
  const EXPECTED: [number, string, string | null][] = [
    [2, 'invalid', 'Ada@Example.org'],
    [3, 'invalid', 'grace@example.org'],
    [4, 'invalid', null],
    [5, 'invalid', null],
    [6, 'changed', 'alan@example.org'],
  ];

  it('in the plan of parseCsv rows: the id as the cell gives it; null when the id cell is refused', async () => {
    const plan = await planBulkUpdate(parseCsv(FILE), store(), { now: NOW });
    expect(plan.rows.map((r) => [r.line, r.outcome, r.userId])).toEqual(EXPECTED);
    expect(codesOf(plan.rows[0]?.issues ?? [])).toEqual(['INVALID_ACTIVE_VALUE']);
    expect(plan.totals).toMatchObject({ invalid: 4, changed: 1 });
  });

  it('in the report of bulkUpdateFromCsv, applied or not', async () => {
    for (const dryRun of [true, false]) {
      const report = await bulkUpdateFromCsv(FILE, store(), { now: NOW, dryRun });
      expect(report.rows.map((r) => [r.line, r.outcome, r.userId])).toEqual(EXPECTED);
    }
  });

  it('in formatBulkReportCsv: the User cell is filled for such a row, blank for a refused id', async () => {
    const plan = await planBulkUpdate(parseCsv(FILE), store(), { now: NOW });
    const lines = formatBulkReportCsv(plan).split('\r\n');
    expect(lines[1]).toMatch(/^2,Ada@Example\.org,invalid,/);
    expect(lines[2]).toMatch(/^3,grace@example\.org,invalid,/);
    expect(lines[3]).toMatch(/^4,,invalid,/);
    expect(lines[4]).toMatch(/^5,,invalid,/);
  });

  it('rows of another source: userId names the user of a refused row; an empty one is no user', async () => {
    const refused = (line: number, userId: string | undefined): BulkInputRow => ({
      line,
      result: { ok: false, issues: [{ code: 'X', severity: 'error', message: 'bad' }] },
      userId,
    });
    const plan = await planBulkUpdate(
      [refused(2, 'u1'), refused(3, ''), refused(4, undefined)],
      createMemoryStore(),
      { now: NOW },
    );
    expect(plan.rows.map((r) => r.userId)).toEqual(['u1', null, null]);
  });
});

const EXPIRES_IN_PAST = {
  code: 'EXPIRES_IN_PAST',
  severity: 'warning',
  message:
    'The new expiration date is already past, so this row takes login access away from an active learner now. Check the date (a mistyped year?); write a later date, Never, or leave the cell blank to keep the current date.',
};

describe('S3, R4: EXPIRES_IN_PAST, a row whose date cell takes access away', () => {
  const JUST_BEFORE = new Date(NOW.getTime() - 1);
  const JUST_AFTER = new Date(NOW.getTime() + 1);

  it.each([
    ['a past date for an active learner', user('a'), { expiresAt: PAST }, ['EXPIRES_IN_PAST']],
    [
      'a past date for an active learner whose date was in the future',
      user('a', 'active', FUTURE),
      { expiresAt: PAST },
      ['EXPIRES_IN_PAST'],
    ],
    // R4: the expiration instant itself is already expired.
    ['the date now itself', user('a'), { expiresAt: NOW }, ['EXPIRES_IN_PAST']],
    ['1 ms before now', user('a'), { expiresAt: JUST_BEFORE }, ['EXPIRES_IN_PAST']],
    ['1 ms after now', user('a'), { expiresAt: JUST_AFTER }, []],
    [
      'Yes and a past date for an active learner (STAYS_EXPIRED as before, then this)',
      user('a'),
      { status: 'active', expiresAt: PAST },
      ['STAYS_EXPIRED', 'EXPIRES_IN_PAST'],
    ],
    [
      'No and a past date: the row deactivates anyway',
      user('a'),
      { status: 'deactivated', expiresAt: PAST },
      [],
    ],
    ['a past date for a deactivated learner', user('a', 'deactivated'), { expiresAt: PAST }, []],
    [
      'a learner already expired, another past date',
      user('a', 'active', PAST),
      { expiresAt: JUST_BEFORE },
      [],
    ],
    [
      'the same past date again: nothing changes',
      user('a', 'active', PAST),
      { expiresAt: PAST },
      [],
    ],
    ['Never for an active learner', user('a', 'active', FUTURE), { expiresAt: null }, []],
    ['a future date', user('a'), { expiresAt: FUTURE }, []],
  ] as const)('%s', async (_name, stored, change, codes) => {
    const plan = await planBulkUpdate([row(2, 'a', change)], createMemoryStore([stored]), {
      now: NOW,
    });
    expect(codesOf(plan.rows[0]?.issues ?? [])).toEqual(codes);
    if (codes.includes('EXPIRES_IN_PAST' as never)) {
      // A warning: the row is still a change, counted in the totals as `changed`.
      expect(plan.rows[0]).toMatchObject({
        outcome: 'changed',
        before: { effective: 'active' },
        after: { effective: 'expired' },
      });
      expect(plan.rows[0]?.issues).toContainEqual(EXPIRES_IN_PAST);
      expect(plan.totals.changed).toBe(1);
    }
  });

  it('from a file with a mistyped year: changed, warned, and in the report CSV', async () => {
    const store = createMemoryStore([user('ada@example.org', 'active', FUTURE)]);
    const csv = 'Email,Expiration Date\r\nada@example.org,2020-12-31\r\n';
    const report = await bulkUpdateFromCsv(csv, store, { now: NOW, dryRun: true });
    expect(report.rows[0]).toMatchObject({
      outcome: 'changed',
      userId: 'ada@example.org',
      issues: [code('EXPIRES_IN_PAST')],
    });
    expect(formatBulkReportCsv(report).split('\r\n')[1]).toContain(',EXPIRES_IN_PAST,');
  });

  it('rows with the warning share one frozen issue list (memory)', async () => {
    const store = createMemoryStore([user('a'), user('b')]);
    const plan = await planBulkUpdate(
      [row(2, 'a', { expiresAt: PAST }), row(3, 'b', { expiresAt: PAST })],
      store,
      { now: NOW },
    );
    expect(plan.rows[0]?.issues).toBe(plan.rows[1]?.issues);
    expect(Object.isFrozen(plan.rows[0]?.issues)).toBe(true);
    expect(Object.isFrozen(plan.rows[0]?.issues[0])).toBe(true);
  });

  // The law of the warning: it appears exactly when the learner had access before the row, the
  // row does not deactivate, and its date cell sets a date at or before now, which is when the
  // row moves the effective status from active to expired by its date cell. The other
  // warnings keep their own rules.
  const dateArb = fc.constantFrom<Date | null>(
    null,
    PAST,
    FUTURE,
    NOW,
    new Date(NOW.getTime() - 1),
    new Date(NOW.getTime() + 1),
  );
  const storedArb = fc.record({
    status: fc.constantFrom<StoredStatus>('active', 'deactivated'),
    expiresAt: dateArb,
  });
  const changeArb = fc.record(
    { status: fc.constantFrom<StoredStatus>('active', 'deactivated'), expiresAt: dateArb },
    { requiredKeys: [] },
  );

  it('EXPIRES_IN_PAST appears iff the row moves the effective status from active to expired by its date cell', async () => {
    await fc.assert(
      fc.asyncProperty(storedArb, changeArb, async (stored, change) => {
        const learner: User = { id: 'a', ...stored };
        const plan = await planBulkUpdate([row(2, 'a', change)], createMemoryStore([learner]), {
          now: NOW,
        });
        const planned = plan.rows[0]!;
        const codes = codesOf(planned.issues);
        const hadAccess = effectiveStatus(learner, NOW) === 'active';
        const dateCell = change.expiresAt;
        const byDateCell =
          hadAccess &&
          change.status !== 'deactivated' &&
          dateCell instanceof Date &&
          dateCell.getTime() <= NOW.getTime();
        expect(codes.includes('EXPIRES_IN_PAST')).toBe(byDateCell);
        if (byDateCell) {
          expect(planned.outcome).toBe('changed');
          expect(planned.before?.effective).toBe('active');
          expect(planned.after?.effective).toBe('expired');
        }
        // The other warnings are as before: STAYS_EXPIRED for Yes that leaves the learner
        // expired; STAYS_DEACTIVATED for a date alone that leaves them deactivated.
        expect(codes.includes('STAYS_EXPIRED')).toBe(
          change.status === 'active' && planned.after?.effective === 'expired',
        );
        expect(codes.includes('STAYS_DEACTIVATED')).toBe(
          change.status === undefined &&
            change.expiresAt !== undefined &&
            planned.after?.effective === 'deactivated',
        );
      }),
      { numRuns: 300 },
    );
  });
});
