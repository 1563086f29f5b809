import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBulkUpdate, type BulkInputRow, planBulkUpdate } from '../../src/bulk/index.js';
import type { User } from '../../src/status/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { badRow, FUTURE, NOW, PAST } from './helpers.js';

const IDS = ['u0', 'u1', 'u2', 'u3', 'u4', 'ghost'];
const dateArb = fc.constantFrom<Date | null>(null, PAST, FUTURE, NOW);
const userArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    status: fc.constantFrom('active', 'deactivated' as const),
    expiresAt: dateArb,
  });
const usersArb = fc.tuple(...IDS.slice(0, 5).map(userArb)) as fc.Arbitrary<User[]>;
const changeArb = fc.record(
  { status: fc.constantFrom('active', 'deactivated' as const), expiresAt: dateArb },
  { requiredKeys: [] },
);
const rowsArb = fc
  .array(
    fc.oneof(
      { weight: 9, arbitrary: fc.tuple(fc.constantFrom(...IDS), changeArb) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    {
      maxLength: 14,
    },
  )
  .map((specs) =>
    specs.map(
      (spec, i): BulkInputRow =>
        spec === null
          ? badRow(i + 2)
          : {
              line: i + 2,
              result: { ok: true, update: { userId: spec[0], ...spec[1] }, issues: [] },
            },
    ),
  );

describe('bulk invariants (S3, S4, C8), property-based', () => {
  it('S4 every row once with one outcome; events match changes; a re-run changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(usersArb, rowsArb, async (users, rows) => {
        const store = createMemoryStore(users);
        const plan = await planBulkUpdate(rows, store, { now: NOW, actor: 'prop' });
        expect(plan.rows.map((r) => r.line)).toEqual(rows.map((r) => r.line));
        expect(Object.values(plan.totals).reduce((a, b) => a + b, 0)).toBe(rows.length);
        expect(store.events()).toEqual([]);

        // C8: per user, at most one row is `changed`, and only when all its valid rows agree.
        const changedUsers = plan.rows.filter((r) => r.outcome === 'changed').map((r) => r.userId);
        expect(new Set(changedUsers).size).toBe(changedUsers.length);

        const report = await applyBulkUpdate(plan, store, { batchSize: 2 });
        expect(report.rows.map((r) => r.line)).toEqual(rows.map((r) => r.line));
        expect(report.totals.changed).toBe(plan.totals.changed);
        const events = store.events();
        expect(events.length).toBe(report.totals.changed);
        const finalUsers = new Map(store.users().map((u) => [u.id, u]));
        for (const r of report.rows.filter((x) => x.outcome === 'changed')) {
          const event = events.find((e) => e.line === r.line)!;
          expect(event.userId).toBe(r.userId);
          expect(event.after).toEqual(r.after);
          const stored = finalUsers.get(r.userId!)!;
          expect(stored.status).toBe(r.after!.status);
          expect(stored.expiresAt).toEqual(r.after!.expiresAt);
        }

        const again = await planBulkUpdate(rows, store, { now: NOW });
        expect(again.totals.changed).toBe(0);
        await applyBulkUpdate(again, store);
        expect(store.events().length).toBe(events.length);
      }),
      { numRuns: 150 },
    );
  });
});
