// Test helpers that are not domain arbitraries. The arbitraries of users, statuses and instants
// are the library's own, from learner-status/testing (src/testing), so every run exercises them.
import fc from 'fast-check';
import { instantArb } from '../../src/testing/index.js';

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
