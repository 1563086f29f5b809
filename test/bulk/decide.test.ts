import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeFor } from '../../src/bulk/change.js';
import { planBulkUpdate } from '../../src/bulk/index.js';
import type { User } from '../../src/status/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { userArb } from '../../src/testing/index.js';
import type { UserUpdate } from '../../src/transitions/index.js';

// Issue 18: the plan decides an ordinary row (a stored status and/or a valid date or null)
// without running the transitions, for speed; it must decide exactly as they do (R4, R7-R9,
// R12): the same outcome, before and after, and warnings, for any user, row and instant.

const NOW_MS = Date.UTC(2026, 5, 1, 12);
// Instants near now (the boundary itself included, R4) and far from it.
const msArb = fc.oneof(
  fc.constantFrom(NOW_MS, NOW_MS - 1, NOW_MS + 1),
  fc.integer({ min: NOW_MS - 3 * 86_400_000, max: NOW_MS + 3 * 86_400_000 }),
);
const dateArb = fc.oneof(
  fc.constant(null),
  msArb.map((ms) => new Date(ms)),
);
const updateArb = fc.record(
  {
    status: fc.constantFrom('active' as const, 'deactivated' as const),
    expiresAt: dateArb,
  },
  { requiredKeys: [] },
);
const usersArb: fc.Arbitrary<User> = fc.oneof(
  userArb(),
  fc.record({
    id: fc.constant('u'),
    status: fc.constantFrom('active' as const, 'deactivated' as const),
    expiresAt: dateArb,
  }),
);

describe('the plan decides ordinary rows as the transitions do (issue 18; R4, R7-R9)', () => {
  it('outcome, before, after and warnings agree with changeFor', async () => {
    await fc.assert(
      fc.asyncProperty(usersArb, updateArb, msArb, async (user, change, nowMs) => {
        const now = new Date(nowMs);
        const update: UserUpdate = { userId: user.id, ...change };
        const plan = await planBulkUpdate(
          [{ line: 2, result: { ok: true, update, issues: [] } }],
          createMemoryStore([user]),
          { now },
        );
        const row = plan.rows[0];
        const expected = changeFor(user, change, { now, line: 2 });
        expect(row?.outcome).toBe(expected.event === null ? 'unchanged' : 'changed');
        expect(row?.before).toEqual(expected.before);
        expect(row?.after).toEqual(expected.after);
        expect(row?.issues.map((issue) => issue.code)).toEqual(
          expected.warnings.map((issue) => issue.code),
        );
        expect(plan.totals.changed).toBe(expected.event === null ? 0 : 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('a stored record that is not valid is refused as the transitions refuse it (R12)', async () => {
    const broken = { id: 'u', status: 'Active', expiresAt: null } as unknown as User;
    const plan = await planBulkUpdate(
      [{ line: 2, result: { ok: true, update: { userId: 'u', status: 'active' }, issues: [] } }],
      createMemoryStore([broken]),
      { now: new Date(NOW_MS) },
    );
    expect(plan.rows[0]).toMatchObject({ outcome: 'invalid', before: null, after: null });
    expect(plan.rows[0]?.issues.map((issue) => issue.code)).toEqual(['INVALID_USER']);
  });
});
