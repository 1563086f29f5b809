// Generators and oracles shared by the user fuzzers (schema, login): near-miss users (a valid
// user with one field made wrong), JSON-like and arbitrary values, exotic objects (throwing or
// changing getters, proxies), and an independent judge of what a valid user is (R2, R3, R12).
import fc from 'fast-check';
import type { User } from '../../src/index.js';
import { instantArb, userArb } from '../../src/testing/index.js';

/** The fields of a user, and `user` for the record as a whole. */
type UserField = 'id' | 'status' | 'expiresAt' | 'accessRevokedAt' | 'user';

const MAX_MS = 8.64e15;

/** A valid Date, judged by the Date's own internal value (never by an overridable method). */
export function isValidDate(value: unknown): value is Date {
  if (!(value instanceof Date)) return false;
  try {
    return !Number.isNaN(Date.prototype.getTime.call(value));
  } catch {
    return false; // an object with Date.prototype but no date inside
  }
}

/** What a valid user is for the core (R2, R3, R12), read once; undefined when it is not one. */
export interface UserSnapshot {
  readonly status: 'active' | 'deactivated';
  readonly expiresMs: number | null;
  readonly revokedMs: number | null;
}

export function judgeUser(value: unknown): UserSnapshot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    const { id, status, expiresAt, accessRevokedAt } = value as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') return undefined;
    if (status !== 'active' && status !== 'deactivated') return undefined;
    if (expiresAt !== null && !isValidDate(expiresAt)) return undefined;
    if (accessRevokedAt != null && !isValidDate(accessRevokedAt)) return undefined;
    return {
      status,
      expiresMs: expiresAt === null ? null : expiresAt.getTime(),
      revokedMs: accessRevokedAt == null ? null : accessRevokedAt.getTime(),
    };
  } catch {
    return undefined; // a throwing getter or proxy trap
  }
}

/** Wrong values for each field, as data from JSON, a database or a buggy caller brings them. */
const WRONG_ID: readonly unknown[] = ['', 0, 1, null, true, ['a'], {}, new String('u1'), 'MISSING'];
const WRONG_STATUS: readonly unknown[] = [
  'Active',
  'ACTIVE',
  'expired',
  'Expired',
  ' active',
  'active ',
  'deactivated\u0000',
  'Deactivated',
  'inactive',
  '',
  null,
  0,
  1,
  true,
  new String('active'),
  ['active'],
  'MISSING',
];
const WRONG_INSTANT: readonly unknown[] = [
  new Date(Number.NaN),
  Object.create(Date.prototype),
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  1_780_000_000_000,
  '2026-02-30T00:00:00Z',
  '2026-12-31',
  '2026-12-31T17:00:00',
  '2026-12-31 17:00:00Z',
  '2026-12-31T24:00:00Z',
  '2026-12-31T23:59:60Z',
  '+275760-09-13T00:00:00.001Z',
  '-000000-01-01T00:00:00Z',
  'Invalid Date',
  'never',
  'null',
  '',
  '46085',
  true,
  [],
  {},
  { getTime: () => 0 },
  new String('2026-12-31T17:00:00Z'),
];
/** Wrong for `expiresAt` only: it is required (null means never). */
const WRONG_EXPIRES_ONLY: readonly unknown[] = [undefined, 'MISSING'];

/** An instant written as a valid Date, or as the ISO strings parseUser accepts. */
function encodedInstantArb(): fc.Arbitrary<{ value: unknown; ms: number }> {
  return fc
    .tuple(
      instantArb(),
      fc.constantFrom('date', 'iso', 'lower', 'offset'),
      fc.integer({ min: -1439, max: 1439 }),
    )
    .map(([date, how, offsetMinutes]) => {
      const ms = date.getTime();
      if (how === 'date') return { value: new Date(ms), ms };
      const iso = date.toISOString();
      if (how === 'lower') return { value: iso.toLowerCase(), ms };
      const local = ms + offsetMinutes * 60_000;
      if (how === 'iso' || Math.abs(local) > MAX_MS) return { value: iso, ms };
      const sign = offsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(offsetMinutes);
      const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      return { value: new Date(local).toISOString().replace('Z', offset), ms };
    });
}

/**
 * A near-miss user: a valid user (dates as Date objects or ISO strings), maybe with extra keys,
 * an own `__proto__` key or no prototype, and maybe one field made wrong. `wrong` names that
 * field (what parseUser must name); `expected` is what parseUser must return when none is wrong.
 */
export interface NearMissUser {
  readonly value: unknown;
  readonly wrong: UserField | undefined;
  readonly expected: User | undefined;
}

export function nearMissUserArb(): fc.Arbitrary<NearMissUser> {
  const revokedArb = fc.oneof(
    fc.constant({ value: 'MISSING' as unknown, ms: undefined as number | null | undefined }),
    fc.constant({ value: undefined as unknown, ms: undefined }),
    fc.constant({ value: null as unknown, ms: null }),
    encodedInstantArb(),
  );
  const mutationArb = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    fc.tuple(fc.constant<UserField>('id'), fc.constantFrom(...WRONG_ID)),
    fc.tuple(fc.constant<UserField>('status'), fc.constantFrom(...WRONG_STATUS)),
    fc.tuple(
      fc.constant<UserField>('expiresAt'),
      fc.constantFrom(...WRONG_INSTANT, ...WRONG_EXPIRES_ONLY),
    ),
    fc.tuple(fc.constant<UserField>('accessRevokedAt'), fc.constantFrom(...WRONG_INSTANT)),
  );
  return fc
    .record({
      user: userArb(),
      expires: fc.option(encodedInstantArb(), { freq: 3 }),
      revoked: revokedArb,
      extras: fc.dictionary(
        fc.string({ maxLength: 6 }).map((key) => `x${key}`),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 2 },
      ),
      proto: fc.constantFrom('plain', 'null-prototype', 'own __proto__', 'constructor key'),
      mutation: mutationArb,
    })
    .map(({ user, expires, revoked, extras, proto, mutation }): NearMissUser => {
      const fields: Record<string, unknown> = {
        id: user.id,
        status: user.status,
        expiresAt: expires === null ? null : expires.value,
        accessRevokedAt: revoked.value,
        ...extras,
      };
      let wrong: UserField | undefined;
      if (mutation !== undefined) {
        const [field, bad] = mutation;
        fields[field] = bad;
        wrong = field;
      }
      const target: Record<string, unknown> = proto === 'null-prototype' ? Object.create(null) : {};
      for (const [key, value] of Object.entries(fields)) {
        if (value !== 'MISSING' || (key !== 'id' && key !== 'status' && !key.endsWith('At'))) {
          target[key] = value;
        }
      }
      if (proto === 'own __proto__') {
        // As JSON.parse makes it: an own, enumerable data property named __proto__.
        Object.defineProperty(target, '__proto__', {
          value: { status: 'active', expiresAt: null, isAdmin: true },
          enumerable: true,
          configurable: true,
          writable: true,
        });
      } else if (proto === 'constructor key') {
        target['constructor'] = { prototype: { status: 'active' } };
      }
      let expected: User | undefined;
      if (wrong === undefined) {
        const base = {
          id: user.id,
          status: user.status,
          expiresAt: expires === null ? null : new Date(expires.ms),
        };
        expected =
          revoked.ms === undefined
            ? base
            : { ...base, accessRevokedAt: revoked.ms === null ? null : new Date(revoked.ms) };
      }
      return { value: target, wrong, expected };
    });
}

/** Values that are not users at all, or almost: anything, JSON, and valid users. */
export function anyUserArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc.anything({
        withDate: true,
        withNullPrototype: true,
        withBoxedValues: true,
        withMap: true,
        withSet: true,
        withTypedArray: true,
        withSparseArray: true,
        maxDepth: 2,
      }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 4, arbitrary: nearMissUserArb().map((sample) => sample.value) },
    { weight: 3, arbitrary: userArb() },
  );
}

/**
 * An exotic user, built fresh for each run by `make` (a revoked proxy cannot even be inspected
 * by fast-check). `flaky`: a getter answers a valid value on the first read and a broken one
 * afterwards, so only a decision that reads each field once is safe.
 */
export interface ExoticUser {
  readonly kind: string;
  /** For a flaky getter: the plain user as the first read saw it. */
  readonly asFirstRead: User | undefined;
  make(): unknown;
}

function exotic(
  kind: string,
  user: User,
  asFirstRead: User | undefined,
  make: () => unknown,
): ExoticUser {
  return {
    kind,
    asFirstRead,
    make,
    [fc.toStringMethod]: () => `${kind} of ${fc.stringify(user)}`,
  } as ExoticUser;
}

/**
 * Exotic objects: a getter or proxy trap that throws, a revoked proxy, a getter that answers
 * a valid value the first time and a broken one afterwards, a user inherited through the
 * prototype chain. Real code meets them with ORM entities, lazy-loading proxies and mocks.
 */
export function exoticUserArb(): fc.Arbitrary<ExoticUser> {
  const fieldArb = fc.constantFrom('id', 'status', 'expiresAt', 'accessRevokedAt');
  return fc.oneof(
    fc.tuple(userArb(), fieldArb).map(([user, field]) =>
      exotic(`a throwing getter for ${field}`, user, undefined, () =>
        Object.defineProperty({ ...user }, field, {
          enumerable: true,
          get() {
            throw new Error(`${field} is not loaded`);
          },
        }),
      ),
    ),
    fc
      .tuple(userArb(), fc.constantFrom('get', 'has', 'ownKeys', 'getOwnPropertyDescriptor'))
      .map(([user, trap]) =>
        exotic(
          `a proxy whose ${trap} trap throws`,
          user,
          undefined,
          () =>
            new Proxy(
              { ...user },
              {
                [trap]() {
                  throw new Error(`proxy trap ${trap}`);
                },
              },
            ),
        ),
      ),
    userArb().map((user) =>
      exotic('a revoked proxy', user, undefined, () => {
        const { proxy, revoke } = Proxy.revocable({ ...user }, {});
        revoke();
        return proxy;
      }),
    ),
    userArb().map((user) =>
      exotic('an object inheriting', user, undefined, () => Object.create(user)),
    ),
    fc
      .tuple(
        userArb({ status: 'active' }),
        fc.constantFrom('expiresAt', 'accessRevokedAt'),
        fc.constantFrom(...WRONG_INSTANT),
        instantArb(),
      )
      .map(([user, field, broken, first]) =>
        exotic(
          `a getter for ${field}: ${fc.stringify(first)}, then ${fc.stringify(broken)}`,
          user,
          { ...user, [field]: first },
          () => {
            let reads = 0;
            return Object.defineProperty({ ...user }, field, {
              enumerable: true,
              get: () => (reads++ === 0 ? first : broken),
            });
          },
        ),
      ),
  );
}

/** `now` values: valid instants over the whole range, and values that are not valid Dates. */
export function anyNowArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: instantArb() },
    { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(
        new Date(Number.NaN),
        Object.create(Date.prototype),
        new Date(MAX_MS),
        new Date(-MAX_MS),
        0,
        1_780_000_000_000,
        '2026-06-01T09:00:00Z',
        null,
        undefined,
        {},
        { getTime: () => 0 },
      ),
    },
  );
}
