import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveStatus } from '../../src/index.js';
import { DST_TRANSITIONS } from '../../src/testing/arbitraries/instants.js';
import {
  accountStatusArb,
  instantArb,
  storedStatusArb,
  userAndNowArb,
  userArb,
} from '../../src/testing/index.js';
import { codeOf } from '../support/arbitraries.js';
import { thrown } from '../support/thrown.js';

const MAX_MS = 8.64e15;
const SEED = 20_260_105;

/** The UTC offset of `zone` at `ms`, as Intl writes it (GMT-05:00). */
function offsetAt(zone: string, ms: number): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  return (
    parts.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? ''
  );
}

describe('status arbitraries', () => {
  it('storedStatusArb draws both stored statuses, never expired (R2)', () => {
    expect(new Set(fc.sample(storedStatusArb(), { numRuns: 200, seed: SEED }))).toEqual(
      new Set(['active', 'deactivated']),
    );
  });

  it('accountStatusArb draws all three statuses (R1)', () => {
    expect(new Set(fc.sample(accountStatusArb(), { numRuns: 200, seed: SEED }))).toEqual(
      new Set(['active', 'deactivated', 'expired']),
    );
  });
});

describe('instantArb', () => {
  test.prop([instantArb()])('draws valid Dates within the JS range', (date) => {
    expect(date).toBeInstanceOf(Date);
    expect(Math.abs(date.getTime())).toBeLessThanOrEqual(MAX_MS);
  });

  it('reaches the epoch, both ends of the range and the DST transitions', () => {
    const seen = new Set(
      fc.sample(instantArb(), { numRuns: 5000, seed: SEED }).map((d) => d.getTime()),
    );
    for (const ms of [0, MAX_MS, -MAX_MS, Date.parse('2024-02-29T00:00:00Z')]) {
      expect(seen.has(ms), String(ms)).toBe(true);
    }
    const dst = DST_TRANSITIONS.map((iso) => Date.parse(iso)).filter((ms) => seen.has(ms));
    expect(dst.length).toBeGreaterThan(DST_TRANSITIONS.length / 2);
  });

  it('its DST transitions are real in New York, London and Lord Howe', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe'];
    for (const iso of DST_TRANSITIONS) {
      const ms = Date.parse(iso);
      const changed = zones.filter((zone) => offsetAt(zone, ms - 1) !== offsetAt(zone, ms));
      expect(changed.length, iso).toBe(1);
    }
  });

  test.prop([fc.integer({ min: -MAX_MS, max: MAX_MS }), fc.integer({ min: 0, max: 2 * MAX_MS })])(
    'stays within min and max',
    (lo, width) => {
      const hi = Math.min(MAX_MS, lo + width);
      const arb = instantArb({ min: new Date(lo), max: new Date(hi) });
      for (const date of fc.sample(arb, { numRuns: 20, seed: SEED })) {
        expect(date.getTime()).toBeGreaterThanOrEqual(lo);
        expect(date.getTime()).toBeLessThanOrEqual(hi);
      }
    },
  );

  it('refuses bad constraints with typed errors', () => {
    expect(codeOf(() => instantArb({ min: new Date(1), max: new Date(0) }))).toBe('INVALID_OPTION');
    expect(codeOf(() => instantArb({ min: new Date(Number.NaN) }))).toBe('INVALID_DATE');
    expect(codeOf(() => instantArb({ mni: new Date(0) } as never))).toBe('INVALID_OPTION');
  });

  it('shrinks to the epoch', () => {
    const details = fc.check(
      fc.property(instantArb(), () => false),
      { seed: SEED },
    );
    expect((details.counterexample?.[0] as Date | undefined)?.getTime()).toBe(0);
  });
});

describe('userArb', () => {
  test.prop([userArb()])('draws valid users only (R12)', (user) => {
    expect(() => effectiveStatus(user, new Date(0))).not.toThrow();
  });

  it('draws every shape: expiresAt set and null, accessRevokedAt missing, undefined, null and set', () => {
    const shapes = new Set(
      fc.sample(userArb(), { numRuns: 500, seed: SEED }).map((user) => {
        const revoked = !('accessRevokedAt' in user)
          ? 'missing'
          : user.accessRevokedAt instanceof Date
            ? 'date'
            : String(user.accessRevokedAt);
        return `${user.expiresAt === null ? 'never' : 'expires'}/${revoked}`;
      }),
    );
    expect(shapes.size).toBe(8);
  });

  test.prop([userArb({ status: 'deactivated', withExpiresAt: true, withAccessRevokedAt: true })])(
    'honours its constraints',
    (user) => {
      expect(user.status).toBe('deactivated');
      expect(user.expiresAt).toBeInstanceOf(Date);
      expect(user.accessRevokedAt).toBeInstanceOf(Date);
    },
  );

  test.prop([userArb({ withExpiresAt: false, withAccessRevokedAt: false })])(
    'honours its negative constraints',
    (user) => {
      expect(user.expiresAt).toBeNull();
      expect(user.accessRevokedAt ?? null).toBeNull();
    },
  );

  it('shrinks to the simplest user', () => {
    const details = fc.check(
      fc.property(userArb(), () => false),
      { seed: SEED },
    );
    expect(details.counterexample?.[0]).toEqual({ id: 'a', status: 'active', expiresAt: null });
  });

  it('refuses unknown constraints', () => {
    expect(codeOf(() => userArb({ stauts: 'active' } as never))).toBe('INVALID_OPTION');
  });
});

describe('userAndNowArb', () => {
  it('has now exactly at expiresAt in at least 5% of samples (fixed seed)', () => {
    const samples = fc.sample(userAndNowArb(), { numRuns: 2000, seed: SEED });
    const kinds: Record<string, number> = {};
    for (const { user, now } of samples) {
      const expiry = user.expiresAt?.getTime();
      const kind =
        expiry === undefined
          ? 'no expiry'
          : now.getTime() === expiry
            ? 'at expiry'
            : Math.abs(now.getTime() - expiry) === 1
              ? '1 ms off'
              : 'elsewhere';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    expect(kinds['at expiry'] ?? 0).toBeGreaterThanOrEqual(0.05 * samples.length);
    expect(kinds['1 ms off'] ?? 0).toBeGreaterThanOrEqual(0.05 * samples.length);
    const dst = new Set(DST_TRANSITIONS.map((iso) => Date.parse(iso)));
    expect(samples.filter(({ now }) => dst.has(now.getTime())).length).toBeGreaterThan(0);
  });

  it('the share is also visible with fc.statistics', () => {
    const lines: string[] = [];
    fc.statistics(
      userAndNowArb(),
      ({ user, now }) => (user.expiresAt?.getTime() === now.getTime() ? 'at expiry' : 'other'),
      { numRuns: 2000, seed: SEED, logger: (line) => lines.push(line) },
    );
    const share = Number(/at expiry\.*\s*([\d.]+)%/.exec(lines.join('\n'))?.[1]);
    expect(share).toBeGreaterThanOrEqual(5);
  });

  test.prop([userAndNowArb()])('draws valid users and instants', ({ user, now }) => {
    expect(() => effectiveStatus(user, now)).not.toThrow();
  });
});

describe('instantArb draws every instant it promises, and a millisecond either side', () => {
  // Written out again here, independently of the generator.
  const LEAP = [
    '2024-02-29T00:00:00Z',
    '2024-03-01T00:00:00Z',
    '2024-02-29T05:00:00Z',
    '2024-03-01T05:00:00Z',
    '2028-02-29T00:00:00Z',
    '2028-03-01T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2000-03-01T00:00:00Z',
    '1900-03-01T00:00:00Z',
    '2100-03-01T00:00:00Z',
  ];
  const EDGES = [
    0,
    -MAX_MS,
    MAX_MS,
    Date.parse('0000-01-01T00:00:00Z'),
    Date.parse('+010000-01-01T00:00:00Z'),
    Date.parse('2038-01-19T03:14:08Z'),
  ];

  it('the edges of the Date range and of years, the DST transitions, the leap days', () => {
    const seen = new Set(
      fc.sample(instantArb(), { numRuns: 30_000, seed: SEED }).map((d) => d.getTime()),
    );
    const promised = [...EDGES, ...DST_TRANSITIONS.map(Date.parse), ...LEAP.map(Date.parse)];
    const missing = promised
      .flatMap((ms) => [ms - 1, ms, ms + 1])
      .filter((ms) => Math.abs(ms) <= MAX_MS && !seen.has(ms));
    expect(missing.map((ms) => new Date(ms).toISOString())).toEqual([]);
  });

  it('a third of the draws are recent (2020 to 2033)', () => {
    const draws = fc.sample(instantArb(), { numRuns: 3000, seed: SEED }).map((d) => d.getTime());
    const recent = draws.filter((ms) => ms >= 1_600_000_000_000 && ms <= 2_000_000_000_000);
    expect(recent.length / draws.length).toBeGreaterThan(0.25);
    const constrained = fc
      .sample(instantArb({ min: new Date(0), max: new Date(1_700_000_000_000) }), {
        numRuns: 3000,
        seed: SEED,
      })
      .map((d) => d.getTime());
    expect(constrained.filter((ms) => ms >= 1_600_000_000_000).length).toBeGreaterThan(600);
  });

  it('min and max are drawn themselves; no recent draws when the range excludes them', () => {
    const min = 1_000;
    const max = 5_000;
    const draws = fc
      .sample(instantArb({ min: new Date(min), max: new Date(max) }), { numRuns: 2000, seed: SEED })
      .map((d) => d.getTime());
    expect(draws).toContain(min);
    expect(draws).toContain(max);
    expect(draws.every((ms) => ms >= min && ms <= max)).toBe(true);
    const one = fc.sample(instantArb({ min: new Date(7), max: new Date(7) }), { numRuns: 20 });
    expect(new Set(one.map((d) => d.getTime()))).toEqual(new Set([7]));
  });

  it('names the bad constraint', () => {
    expect(thrown(() => instantArb({ min: new Date(1), max: new Date(0) }))).toEqual({
      code: 'INVALID_OPTION',
      field: 'min',
      line: undefined,
      message: '`min` must be at or before `max`.',
    });
    expect(thrown(() => instantArb({ max: new Date(Number.NaN) }))).toMatchObject({
      code: 'INVALID_DATE',
      field: 'max',
    });
    expect(thrown(() => instantArb({ min: 'soon' as never }))).toMatchObject({
      code: 'INVALID_DATE',
      field: 'min',
    });
  });
});

describe('userArb and userAndNowArb draw everything they promise', () => {
  it('ids of 1 to 12 characters from the whole alphabet, spaces, accents, CJK and emoji included', () => {
    const users = fc.sample(userArb(), { numRuns: 3000, seed: SEED });
    const used = new Set(users.flatMap((u) => [...u.id]));
    const alphabet = [...'abcdefghijklmnopqrstuvwxyz0123456789@.-_+ ', 'é', '李', '😀'];
    expect(alphabet.filter((ch) => !used.has(ch))).toEqual([]);
    expect([...used].filter((ch) => !alphabet.includes(ch))).toEqual([]);
    const lengths = new Set(users.map((u) => [...u.id].length));
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBe(12);
    expect(new Set(users.map((u) => u.status))).toEqual(new Set(['active', 'deactivated']));
  });

  it('honours status and the range of instants, for both dates', () => {
    const min = new Date('2030-01-01T00:00:00Z');
    const max = new Date('2030-12-31T00:00:00Z');
    const users = fc.sample(
      userArb({
        status: 'active',
        withExpiresAt: true,
        withAccessRevokedAt: true,
        instants: { min, max },
      }),
      { numRuns: 300, seed: SEED },
    );
    for (const u of users) {
      expect(u.status).toBe('active');
      for (const date of [u.expiresAt, u.accessRevokedAt]) {
        expect(date!.getTime()).toBeGreaterThanOrEqual(min.getTime());
        expect(date!.getTime()).toBeLessThanOrEqual(max.getTime());
      }
    }
  });

  it('without accessRevokedAt means missing, undefined or null, each drawn', () => {
    const shapes = new Set(
      fc
        .sample(userArb({ withAccessRevokedAt: false }), { numRuns: 300, seed: SEED })
        .map((u) => ('accessRevokedAt' in u ? String(u.accessRevokedAt) : 'missing')),
    );
    expect(shapes).toEqual(new Set(['missing', 'undefined', 'null']));
  });

  it('now at, just before and just after the expiry, and at and around DST transitions', () => {
    const samples = fc.sample(userAndNowArb(), { numRuns: 3000, seed: SEED });
    const offsets = new Set(
      samples
        .filter(({ user }) => user.expiresAt !== null)
        .map(({ user, now }) => now.getTime() - user.expiresAt!.getTime())
        .filter((d) => Math.abs(d) <= 1),
    );
    expect(offsets).toEqual(new Set([-1, 0, 1]));
    const dst = DST_TRANSITIONS.map((iso) => Date.parse(iso));
    const aroundDst = new Set(
      samples.flatMap(({ now }) =>
        dst.flatMap((ms) => [-1, 0, 1].filter((d) => now.getTime() === ms + d)),
      ),
    );
    expect(aroundDst).toEqual(new Set([-1, 0, 1]));
    // Users without an expiration date are drawn too.
    expect(samples.some(({ user }) => user.expiresAt === null)).toBe(true);
  });

  it('names an unknown constraint', () => {
    expect(thrown(() => userArb({ stauts: 'active' } as never))).toEqual({
      code: 'INVALID_OPTION',
      field: 'stauts',
      line: undefined,
      message: `\`stauts\` must be left out (unknown; did you mean \`status\`?).`,
    });
  });
});

describe('the generators refuse unknown constraints by name, and draw every kind they promise', () => {
  it.each([
    ['instantArb', () => instantArb('x' as never), 'constraints', 'an object'],
    [
      'instantArb',
      () => instantArb({ xmin: new Date(0) } as never),
      'xmin',
      'left out (unknown; did you mean `min`?)',
    ],
    [
      'instantArb',
      () => instantArb({ maxx: new Date(0) } as never),
      'maxx',
      'left out (unknown; did you mean `max`?)',
    ],
    ['userArb', () => userArb(5 as never), 'constraints', 'an object'],
    [
      'userArb',
      () => userArb({ xstatus: 'active' } as never),
      'xstatus',
      'left out (unknown; did you mean `status`?)',
    ],
    [
      'userArb',
      () => userArb({ instantsx: {} } as never),
      'instantsx',
      'left out (unknown; did you mean `instants`?)',
    ],
  ])('%s refuses %#', (_name, make, field, expectation) => {
    expect(thrown(make)).toEqual({
      code: 'INVALID_OPTION',
      field,
      line: undefined,
      message: `\`${field}\` must be ${expectation}.`,
    });
  });

  it('instantArb with one bound keeps the other at the end of the Date range', () => {
    const before = fc.sample(instantArb({ max: new Date(0) }), { numRuns: 500, seed: SEED });
    expect(before.some((d) => d.getTime() === -8.64e15)).toBe(true);
    expect(before.every((d) => d.getTime() <= 0)).toBe(true);
    const after = fc.sample(instantArb({ min: new Date(0) }), { numRuns: 500, seed: SEED });
    expect(after.some((d) => d.getTime() === 8.64e15)).toBe(true);
    expect(after.every((d) => d.getTime() >= 0)).toBe(true);
  });

  it('userArb draws users without expiry as null, never undefined', () => {
    const users = fc.sample(userArb(), { numRuns: 500, seed: SEED });
    expect(users.some((u) => u.expiresAt === null)).toBe(true);
    expect(users.every((u) => u.expiresAt !== undefined)).toBe(true);
  });

  it('userAndNowArb draws now a millisecond before and after an expiry and a DST change', () => {
    const samples = fc.sample(userAndNowArb(), { numRuns: 3000, seed: SEED });
    const offsets = new Set(
      samples.flatMap(({ user, now }) =>
        user.expiresAt === null || user.expiresAt === undefined
          ? []
          : [now.getTime() - user.expiresAt.getTime()],
      ),
    );
    expect([-1, 0, 1].every((offset) => offsets.has(offset))).toBe(true);
    const dst = DST_TRANSITIONS.map((iso) => Date.parse(iso));
    const nearDst = new Set(
      samples.flatMap(({ now }) =>
        dst.flatMap((ms) => (Math.abs(now.getTime() - ms) <= 1 ? [now.getTime() - ms] : [])),
      ),
    );
    expect([...nearDst].sort()).toEqual([-1, 0, 1]);
  });
});
