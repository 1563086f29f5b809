import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/index.js';
// The main entry re-exports this module (export line added by the maintainer).
import { dueReminder, type ReminderOptions } from '../../src/reminders/index.js';
import { instantArb, userAndNowArb, userArb } from '../../src/testing/index.js';
import { codeOf } from '../support/arbitraries.js';
import { thrown } from '../support/thrown.js';

const DAY = 86_400_000;
const MAX_MS = 8.64e15;

/**
 * A reminder schedule: 1-4 distinct offsets built from gaps of 1-10 units, so that the smallest
 * gap between reminder instants (offset differences and the smallest offset) is known.
 */
const scheduleArb = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom(1, 1000, 60_000, 3_600_000, DAY),
    fc.boolean(),
  )
  .map(([gaps, unit, reversed]) => {
    const offsets: number[] = [];
    let total = 0;
    for (const gap of gaps) {
      total += gap * unit;
      offsets.push(total);
    }
    return {
      offsetsMs: reversed ? [...offsets].reverse() : offsets,
      smallestGap: Math.min(...gaps) * unit,
      largest: total,
    };
  });

interface Send {
  readonly at: number;
  readonly offsetMs: number;
}

/**
 * Runs a reminder job for `user` from `startMs` at the given intervals (cycled) until past the
 * expiry, storing `lastSentAt` after each send as an app would.
 */
function simulate(
  user: User,
  offsetsMs: readonly number[],
  startMs: number,
  steps: readonly number[],
): Send[] {
  const sends: Send[] = [];
  const end = (user.expiresAt as Date).getTime() + 2 * Math.max(...steps);
  let lastSentAt: Date | null = null;
  for (let t = startMs, i = 0; t <= end && t <= MAX_MS; t += steps[i++ % steps.length] as number) {
    const due = dueReminder(user, new Date(t), { offsetsMs, lastSentAt });
    if (due !== null) {
      sends.push({ at: t, offsetMs: due.offsetMs });
      lastSentAt = new Date(t);
    }
  }
  return sends;
}

/** An active user expiring within the ordinary range, and a job start before the first reminder. */
const jobArb = fc
  .tuple(
    userArb({
      status: 'active',
      withExpiresAt: true,
      instants: { min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z') },
    }),
    scheduleArb,
    fc.integer({ min: 0, max: 1000 }),
  )
  .map(([user, schedule, lead]) => ({
    user,
    schedule,
    startMs:
      (user.expiresAt as Date).getTime() -
      schedule.largest -
      Math.floor((schedule.largest * lead) / 1000),
  }));

describe('dueReminder: the three laws, with a job running at random intervals', () => {
  test.prop([jobArb, fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 12 })], {
    numRuns: 150,
  })(
    'each reminder at most once, none at or after expiry (any interval)',
    ({ user, schedule, startMs }, percents) => {
      const steps = percents.map((p) => Math.max(1, Math.floor((schedule.smallestGap * p) / 100)));
      const sends = simulate(user, schedule.offsetsMs, startMs, steps);
      const expiry = (user.expiresAt as Date).getTime();
      const offsets = sends.map((send) => send.offsetMs);
      expect(new Set(offsets).size).toBe(offsets.length);
      for (const send of sends) {
        expect(send.at).toBeLessThan(expiry);
        expect(send.at).toBeGreaterThanOrEqual(expiry - send.offsetMs);
      }
    },
  );

  test.prop(
    [jobArb, fc.array(fc.integer({ min: 10, max: 100 }), { minLength: 1, maxLength: 12 })],
    {
      numRuns: 150,
    },
  )(
    'none missed when the job runs at least once per smallest gap',
    ({ user, schedule, startMs }, percents) => {
      const steps = percents.map((p) => Math.max(1, Math.floor((schedule.smallestGap * p) / 100)));
      const sends = simulate(user, schedule.offsetsMs, startMs, steps);
      // Every reminder, once, from the earliest (largest offset) to the latest.
      expect(sends.map((send) => send.offsetMs)).toEqual(
        [...schedule.offsetsMs].sort((a, b) => b - a),
      );
    },
  );

  test.prop([userAndNowArb(), scheduleArb])(
    'none at or after the expiry, none for users who cannot log in (R4, R5)',
    ({ user, now }, { offsetsMs }) => {
      const due = dueReminder(user, now, { offsetsMs });
      const expired = user.expiresAt !== null && now.getTime() >= user.expiresAt.getTime();
      if (expired || user.status !== 'active' || user.expiresAt === null) expect(due).toBeNull();
      if (due !== null) {
        expect(offsetsMs).toContain(due.offsetMs);
        expect(due.expiresAt).toEqual(user.expiresAt);
        expect(due.dueAt.getTime()).toBeLessThanOrEqual(now.getTime());
      }
    },
  );

  test.prop([userArb(), instantArb(), scheduleArb])(
    'is pure: same answer twice, input untouched',
    (user, now, { offsetsMs }) => {
      const before = structuredClone(user);
      const options: ReminderOptions = { offsetsMs };
      expect(dueReminder(user, now, options)).toEqual(dueReminder(user, now, options));
      expect(user).toEqual(before);
    },
  );
});

describe('dueReminder: examples', () => {
  const user: User = { id: 'u1', status: 'active', expiresAt: new Date('2027-01-01T00:00:00Z') };
  const offsetsMs = [7 * DAY, DAY];

  it('answers the reminder whose window contains now', () => {
    expect(dueReminder(user, new Date('2026-12-24T23:59:59.999Z'), { offsetsMs })).toBeNull();
    expect(dueReminder(user, new Date('2026-12-25T00:00:00Z'), { offsetsMs })).toEqual({
      offsetMs: 7 * DAY,
      dueAt: new Date('2026-12-25T00:00:00Z'),
      expiresAt: user.expiresAt,
    });
    expect(dueReminder(user, new Date('2026-12-31T00:00:00Z'), { offsetsMs })?.offsetMs).toBe(DAY);
    expect(dueReminder(user, new Date('2026-12-31T23:59:59.999Z'), { offsetsMs })?.offsetMs).toBe(
      DAY,
    );
    expect(dueReminder(user, new Date('2027-01-01T00:00:00Z'), { offsetsMs })).toBeNull();
  });

  it('skips a reminder whose window a late job missed, and sends the urgent one', () => {
    const lastSentAt = new Date('2026-12-20T00:00:00Z'); // a reminder of an earlier expiry
    expect(
      dueReminder(user, new Date('2026-12-31T12:00:00Z'), { offsetsMs, lastSentAt })?.offsetMs,
    ).toBe(DAY);
  });

  it('starts over when the expiry moves later (R7)', () => {
    const lastSentAt = new Date('2026-12-31T06:00:00Z');
    const moved = { ...user, expiresAt: new Date('2027-02-01T00:00:00Z') };
    expect(
      dueReminder(user, new Date('2026-12-31T12:00:00Z'), { offsetsMs, lastSentAt }),
    ).toBeNull();
    expect(
      dueReminder(moved, new Date('2027-01-25T12:00:00Z'), { offsetsMs, lastSentAt })?.offsetMs,
    ).toBe(7 * DAY);
  });

  it('answers nothing for deactivated and never-expiring users', () => {
    const now = new Date('2026-12-31T12:00:00Z');
    expect(dueReminder({ ...user, status: 'deactivated' }, now, { offsetsMs })).toBeNull();
    expect(dueReminder({ ...user, expiresAt: null }, now, { offsetsMs })).toBeNull();
  });

  it('keeps dueAt a valid Date at the start of the Date range', () => {
    const early: User = { id: 'u1', status: 'active', expiresAt: new Date(-MAX_MS + 5) };
    const due = dueReminder(early, new Date(-MAX_MS), { offsetsMs: [DAY] });
    expect(due?.dueAt.getTime()).toBe(-MAX_MS);
  });
});

describe('dueReminder: invalid input throws typed errors', () => {
  const user: User = { id: 'u1', status: 'active', expiresAt: new Date('2027-01-01T00:00:00Z') };
  const now = new Date('2026-12-31T00:00:00Z');
  const call = (u: unknown, n: unknown, o: unknown) => () =>
    dueReminder(u as User, n as Date, o as ReminderOptions);

  it.each([
    [
      'a user with an unknown status',
      call({ ...user, status: 'expired' }, now, { offsetsMs: [DAY] }),
      'INVALID_USER',
      'status',
    ],
    [
      'a user with an Invalid Date',
      call({ ...user, expiresAt: new Date(Number.NaN) }, now, { offsetsMs: [DAY] }),
      'INVALID_USER',
      'expiresAt',
    ],
    ['no user', call(null, now, { offsetsMs: [DAY] }), 'INVALID_USER'],
    [
      'an invalid now',
      call(user, new Date(Number.NaN), { offsetsMs: [DAY] }),
      'INVALID_DATE',
      'now',
    ],
    ['a string now', call(user, '2026-12-31', { offsetsMs: [DAY] }), 'INVALID_DATE', 'now'],
    [
      'an invalid lastSentAt',
      call(user, now, { offsetsMs: [DAY], lastSentAt: new Date(Number.NaN) }),
      'INVALID_DATE',
      'lastSentAt',
    ],
    ['no options', call(user, now, undefined), 'INVALID_OPTION', 'options'],
    [
      'an unknown option',
      call(user, now, { offsetsMs: [DAY], lastSent: now }),
      'INVALID_OPTION',
      'lastSent',
    ],
    ['no offsets', call(user, now, { offsetsMs: [] }), 'INVALID_OPTION', 'offsetsMs'],
    ['offsets not an array', call(user, now, { offsetsMs: DAY }), 'INVALID_OPTION', 'offsetsMs'],
    ['a zero offset', call(user, now, { offsetsMs: [0] }), 'INVALID_OPTION', 'offsetsMs'],
    ['a negative offset', call(user, now, { offsetsMs: [-DAY] }), 'INVALID_OPTION', 'offsetsMs'],
    ['a fractional offset', call(user, now, { offsetsMs: [1.5] }), 'INVALID_OPTION', 'offsetsMs'],
    ['a NaN offset', call(user, now, { offsetsMs: [Number.NaN] }), 'INVALID_OPTION', 'offsetsMs'],
    ['a string offset', call(user, now, { offsetsMs: ['7d'] }), 'INVALID_OPTION', 'offsetsMs'],
    [
      'a key that ends in an option name',
      call(user, now, { offsetsMs: [DAY], xoffsetsMs: [DAY] }),
      'INVALID_OPTION',
      'xoffsetsMs',
    ],
    [
      'a key that starts with an option name',
      call(user, now, { offsetsMs: [DAY], lastSentAtX: now }),
      'INVALID_OPTION',
      'lastSentAtX',
    ],
  ])('%s', (_name, fn, code, field?: string) => {
    expect(codeOf(fn)).toBe(code);
    if (field !== undefined) expect(thrown(fn)).toMatchObject({ field });
  });

  it.each([
    [{ offsetsMs: [] }, '`offsetsMs` must be a non-empty array of milliseconds before expiry.'],
    [{ offsetsMs: [0] }, '`offsetsMs` must be positive whole numbers of milliseconds.'],
  ])('says what offsetsMs must be (%j)', (options, message) => {
    expect(thrown(call(user, now, options))).toMatchObject({ message });
  });

  it('checks options even for users who get no reminder', () => {
    expect(codeOf(call({ ...user, expiresAt: null }, now, { offsetsMs: [0] }))).toBe(
      'INVALID_OPTION',
    );
  });
});
