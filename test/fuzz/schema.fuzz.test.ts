// Fuzzing parseUser (R2, R3, R12): arbitrary values, JSON, near-miss users (one field made
// wrong), extra and prototype keys, exotic objects. parseUser either returns a valid user
// (effectiveStatus works on it) or throws a LearnerStatusError INVALID_USER naming the field;
// nothing else, ever.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLogin, effectiveStatus, LearnerStatusError, type User } from '../../src/index.js';
import { parseUser } from '../../src/schema/index.js';
import { instantArb, userArb } from '../../src/testing/index.js';
import { ERROR_CODES, fuzzParameters, fuzzTimeout } from './runs.js';
import { anyUserArb, exoticUserArb, isValidDate, nearMissUserArb } from './users.js';

const USER_KEYS = new Set(['id', 'status', 'expiresAt', 'accessRevokedAt']);

/** parseUser's outcome; the only thing it may throw is INVALID_USER. */
function parse(input: unknown): { user: User } | { error: LearnerStatusError } {
  try {
    return { user: parseUser(input) };
  } catch (error) {
    if (!(error instanceof LearnerStatusError)) {
      expect.fail(`parseUser threw something other than a LearnerStatusError: ${String(error)}`);
    }
    expect(ERROR_CODES.has(error.code)).toBe(true);
    expect(error.code, 'R12: parseUser refuses with INVALID_USER').toBe('INVALID_USER');
    expect(typeof error.field).toBe('string');
    return { error };
  }
}

/** A returned user is a plain, valid User that the core reads without throwing. */
function checkParsed(user: User, now: Date): void {
  expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
  for (const key of Object.keys(user)) expect(USER_KEYS.has(key), `extra key ${key}`).toBe(true);
  expect(typeof user.id === 'string' && user.id !== '').toBe(true);
  expect(['active', 'deactivated']).toContain(user.status);
  expect(user.expiresAt === null || isValidDate(user.expiresAt)).toBe(true);
  if ('accessRevokedAt' in user) {
    expect(user.accessRevokedAt === null || isValidDate(user.accessRevokedAt)).toBe(true);
  }
  const status = effectiveStatus(user, now);
  expect(status).toBe(
    user.expiresAt !== null && now.getTime() >= user.expiresAt.getTime() ? 'expired' : user.status,
  );
  // R5, and L3 fail closed: no login while accessRevokedAt is at or after now.
  const revokedMs = user.accessRevokedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  expect(checkLogin(user, now).allowed).toBe(status === 'active' && revokedMs < now.getTime());
}

describe('fuzz: parseUser', () => {
  it(
    'R2, R3, R12: any value: a valid user that effectiveStatus reads, or INVALID_USER, nothing else',
    () => {
      fc.assert(
        fc.property(anyUserArb(), instantArb(), (input, now) => {
          const outcome = parse(input);
          if ('user' in outcome) checkParsed(outcome.user, now);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'R12: a near-miss user (one field of the wrong type, an impossible date, NaN, Infinity, an Invalid Date) is refused naming that field; extra and __proto__ keys are dropped',
    () => {
      fc.assert(
        fc.property(nearMissUserArb(), instantArb(), ({ value, wrong, expected }, now) => {
          const outcome = parse(value);
          if (wrong !== undefined) {
            expect(outcome, `the wrong ${wrong} is refused`).toHaveProperty('error');
            if ('error' in outcome) expect(outcome.error.field).toBe(wrong);
            return;
          }
          if ('error' in outcome) expect.fail(`a valid user refused: ${outcome.error.message}`);
          checkParsed(outcome.user, now);
          expect(outcome.user).toEqual(expected);
          expect(Object.getPrototypeOf(outcome.user)).toBe(Object.prototype);
          expect(Object.hasOwn(outcome.user, '__proto__')).toBe(false);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'R3, R12: every valid user survives JSON (dates as ISO strings, expanded years too)',
    () => {
      fc.assert(
        fc.property(userArb(), instantArb(), (user, now) => {
          const outcome = parse(JSON.parse(JSON.stringify(user)));
          if ('error' in outcome) expect.fail(`refused: ${outcome.error.message}`);
          checkParsed(outcome.user, now);
          const expected: User =
            user.accessRevokedAt === undefined
              ? { id: user.id, status: user.status, expiresAt: user.expiresAt }
              : { ...user };
          expect(outcome.user).toEqual(expected);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'R12: throwing getters, throwing proxy traps and revoked proxies give INVALID_USER, never a raw error',
    () => {
      fc.assert(
        fc.property(exoticUserArb(), instantArb(), (exotic, now) => {
          const outcome = parse(exotic.make());
          if ('user' in outcome) checkParsed(outcome.user, now);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );
});
