import { describe, expect, it } from 'vitest';
import type { User } from '../../src/status/index.js';
import { createMemoryStore, type UserWrite } from '../../src/store/index.js';
import { ConformanceFailure, userStoreConformanceCases } from '../../src/testing/index.js';

// S2 (issue 19): a store may document a narrower range of instants than the whole Date range
// (a SQL DATETIME from year 1000 to 9999). With `instantRange`, the suite checks the ends of
// that range, and that an instant outside it is refused or kept exactly, never changed.

const EXTREMES =
  'S2 extreme instants round-trip in every field and in events: year 1, 9999-12-31, year 10000, +275760-09-13 (or the ends of instantRange)';
const DATETIME = {
  min: new Date('1000-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
};

const instantsOf = ({ user, event }: UserWrite): Date[] =>
  [
    user.expiresAt,
    user.accessRevokedAt,
    event?.at,
    event?.before.expiresAt,
    event?.after.expiresAt,
  ].filter((value): value is Date => value instanceof Date);

/** The memory store behind a DATETIME-like column: outside the range, write as `outside` says. */
function datetimeStore(outside: 'refuse' | 'clamp') {
  return async (users: readonly User[]) => {
    const inner = createMemoryStore(users);
    const clamp = (value: Date | null | undefined) =>
      value instanceof Date && value.getTime() > DATETIME.max.getTime()
        ? new Date(DATETIME.max)
        : value;
    return {
      store: {
        ...inner,
        writeUsers: async (writes: readonly UserWrite[]) => {
          const beyond = writes.some((write) =>
            instantsOf(write).some((d) => d < DATETIME.min || d > DATETIME.max),
          );
          if (beyond && outside === 'refuse') throw new RangeError('DATETIME out of range');
          return inner.writeUsers(
            writes.map((w) => ({
              ...w,
              user: { ...w.user, expiresAt: clamp(w.user.expiresAt) ?? null },
            })),
          );
        },
      },
      events: async () => inner.events(),
    };
  };
}

describe('S2 instantRange: a store with a documented range of instants (issue 19)', () => {
  it('S2 a store that refuses instants outside its documented range passes every case', async () => {
    const cases = userStoreConformanceCases({
      create: datetimeStore('refuse'),
      instantRange: DATETIME,
      numRuns: 25,
    });
    for (const testCase of cases) await testCase.run();
  });

  it('S2 without instantRange, the same store fails on the first instant beyond its range', async () => {
    const cases = userStoreConformanceCases({ create: datetimeStore('refuse') });
    const roundTrip = cases.find((c) => c.name.startsWith('S2 round-trips instants'));
    await expect(roundTrip?.run()).rejects.toThrow('DATETIME out of range');
  });

  it('S2 a store that clamps instead of refusing fails the extreme case, and only it', async () => {
    const cases = userStoreConformanceCases({
      create: datetimeStore('clamp'),
      instantRange: DATETIME,
      numRuns: 25,
    });
    for (const testCase of cases) {
      if (testCase.name !== EXTREMES) {
        await expect(testCase.run(), testCase.name).resolves.toBeUndefined();
        continue;
      }
      const error = await testCase.run().then(
        () => expect.fail('the case passed'),
        (failure: unknown) => failure as Error,
      );
      expect(error).toBeInstanceOf(ConformanceFailure);
      expect(error.message).toBe(
        'S2: writeUsers([x1 with expiresAt +010000-01-01T00:00:00.000Z, 1 ms after instantRange.max]) did not throw, so it must keep the instant: readUsers(["x1"]).expiresAt (epoch ms): expected 253402300800000, got 253402300799999.',
      );
    }
  });

  it('S2 refuses a range that does not hold 1970 to 9999', () => {
    const create = async (users: readonly User[]) => ({ store: createMemoryStore(users) });
    const message =
      'userStoreConformanceCases: `instantRange` must be { min, max } Dates with min no later than 1969-12-31T23:59:59.999Z and max no earlier than 9999-12-31T23:59:59.999Z.';
    for (const instantRange of [
      { min: new Date('1970-01-01T00:00:00.000Z'), max: DATETIME.max },
      { min: DATETIME.min, max: new Date('2038-01-19T03:14:07.000Z') },
      { min: new Date(Number.NaN), max: DATETIME.max },
      { min: '1000-01-01', max: DATETIME.max },
      null,
    ]) {
      expect(() =>
        userStoreConformanceCases({ create, instantRange: instantRange as never }),
      ).toThrow(new TypeError(message));
    }
  });
});
