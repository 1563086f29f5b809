import fc from 'fast-check';
import type { StoredStatus, User } from '../../src/index.js';

export const MAX_MS = 8.64e15;

export const storedStatusArb = (): fc.Arbitrary<StoredStatus> =>
  fc.constantFrom<StoredStatus>('active', 'deactivated');

/** Valid instants over the full Date range, biased toward the epoch, the extremes and today. */
export const instantMsArb = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: -MAX_MS, max: MAX_MS }),
    fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
    fc.constantFrom(-MAX_MS, MAX_MS, 0, -1, 1, MAX_MS - 1, -MAX_MS + 1),
  );

export const instantArb = (): fc.Arbitrary<Date> => instantMsArb().map((ms) => new Date(ms));

export const userArb = (): fc.Arbitrary<User> =>
  fc
    .record({
      id: fc.string({ minLength: 1, maxLength: 12 }),
      status: storedStatusArb(),
      expiresAt: fc.option(instantArb(), { nil: null }),
      revoked: fc.oneof(
        fc.constant('missing' as const),
        fc.constant(undefined),
        fc.constant(null),
        instantArb(),
      ),
    })
    .map(
      ({ revoked, ...rest }): User =>
        revoked === 'missing' ? rest : { ...rest, accessRevokedAt: revoked },
    );

/** A user and a `now`, with `now` on, just before and just after the expiry a good share of the time. */
export const userAndNowArb = (): fc.Arbitrary<{ user: User; now: Date }> =>
  fc
    .tuple(userArb(), instantMsArb(), fc.constantFrom(-1, 0, 0, 1, null))
    .map(([user, nowMs, nudge]) => {
      const expiry = user.expiresAt?.getTime();
      const ms =
        expiry === undefined || nudge === null
          ? nowMs
          : Math.max(-MAX_MS, Math.min(MAX_MS, expiry + nudge));
      return { user, now: new Date(ms) };
    });

/** Anything at all: JSON-like values, Dates valid and not, objects that look almost like users. */
export const anythingArb = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.anything({ withDate: true, withNullPrototype: true, withBoxedValues: true }),
    fc.record(
      {
        id: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
        status: fc.oneof(
          fc.constantFrom(
            'active',
            'deactivated',
            'expired',
            'Active',
            'ACTIVE',
            ' active',
            '',
            null,
          ),
          fc.string(),
        ),
        expiresAt: fc.oneof(
          fc.constant(null),
          fc.constant(undefined),
          fc.constant(new Date(Number.NaN)),
          instantArb(),
          fc.integer(),
          fc.string(),
          fc.constant(Object.create(Date.prototype) as unknown),
        ),
        accessRevokedAt: fc.oneof(
          fc.constant(new Date(Number.NaN)),
          fc.constant('2026-01-01T00:00:00Z'),
          instantArb(),
          fc.constant(null),
        ),
      },
      { requiredKeys: [] },
    ),
  );

/** Freezes an object and everything reachable from it, Dates included (their setters then throw). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    if (value instanceof Date) {
      const date = value as Date;
      for (const key of Object.getOwnPropertyNames(Date.prototype)) {
        if (key.startsWith('set')) {
          Object.defineProperty(date, key, {
            value: () => {
              throw new Error(`mutated a Date with ${key}`);
            },
          });
        }
      }
    }
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Asserts that `fn` throws a LearnerStatusError with `code`, and returns it. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}
