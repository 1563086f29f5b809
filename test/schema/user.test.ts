import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLearnerStatusError, LearnerStatusError } from '../../src/index.js';
import { parseUser, userSchema } from '../../src/schema/index.js';
import { userArb } from '../../src/testing/index.js';
import { anythingArb } from '../support/arbitraries.js';
import { thrown } from '../support/thrown.js';

function fieldOf(input: unknown): string | undefined {
  try {
    parseUser(input);
  } catch (error) {
    expect(isLearnerStatusError(error)).toBe(true);
    expect((error as LearnerStatusError).code).toBe('INVALID_USER');
    return (error as LearnerStatusError).field;
  }
  return undefined;
}

describe('parseUser (R2, R3, R12)', () => {
  it('reads ISO strings with Z or an offset, and null for never', () => {
    expect(
      parseUser({
        id: 'u1',
        status: 'active',
        expiresAt: '2026-12-31T23:00:00+01:00',
        accessRevokedAt: null,
      }),
    ).toEqual({
      id: 'u1',
      status: 'active',
      expiresAt: new Date('2026-12-31T22:00:00.000Z'),
      accessRevokedAt: null,
    });
    expect(parseUser({ id: 'u1', status: 'deactivated', expiresAt: null })).toEqual({
      id: 'u1',
      status: 'deactivated',
      expiresAt: null,
    });
  });

  it('accepts expanded years, as toISOString writes them', () => {
    expect(
      parseUser({
        id: 'u',
        status: 'active',
        expiresAt: '+275760-09-13T00:00:00.000Z',
      }).expiresAt?.getTime(),
    ).toBe(8.64e15);
  });

  it('drops unknown fields (extend userSchema to keep yours)', () => {
    expect(
      parseUser({ id: 'u', status: 'active', expiresAt: null, role: 'admin' }),
    ).not.toHaveProperty('role');
  });

  it('property: round-trips every valid user through JSON', () => {
    fc.assert(
      fc.property(userArb(), (user) => {
        const parsed = parseUser(JSON.parse(JSON.stringify(user)));
        expect(parsed.id).toBe(user.id);
        expect(parsed.status).toBe(user.status);
        expect(parsed.expiresAt?.getTime()).toBe(user.expiresAt?.getTime());
        expect(parsed.accessRevokedAt?.getTime()).toBe(user.accessRevokedAt?.getTime());
      }),
    );
  });

  it('accepts Date objects from database drivers', () => {
    const expiresAt = new Date('2027-01-01T00:00:00Z');
    expect(parseUser({ id: 'u', status: 'active', expiresAt }).expiresAt).toEqual(expiresAt);
  });

  it.each([
    [{ id: 'u', status: 'Active', expiresAt: null }, 'status'],
    [{ id: 'u', status: 'expired', expiresAt: null }, 'status'],
    [{ id: '', status: 'active', expiresAt: null }, 'id'],
    [{ status: 'active', expiresAt: null }, 'id'],
    [{ id: 'u', status: 'active' }, 'expiresAt'],
    [{ id: 'u', status: 'active', expiresAt: '2026-12-31' }, 'expiresAt'],
    [{ id: 'u', status: 'active', expiresAt: '2026-12-31T17:00:00' }, 'expiresAt'],
    [{ id: 'u', status: 'active', expiresAt: '2026-02-30T00:00:00Z' }, 'expiresAt'],
    [{ id: 'u', status: 'active', expiresAt: 1_900_000_000_000 }, 'expiresAt'],
    [{ id: 'u', status: 'active', expiresAt: new Date(Number.NaN) }, 'expiresAt'],
    [
      { id: 'u', status: 'active', expiresAt: null, accessRevokedAt: 'yesterday' },
      'accessRevokedAt',
    ],
    [null, 'user'],
    ['u', 'user'],
  ])('R12: %j is refused naming %s', (input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('R12: a record whose getter throws is refused as INVALID_USER', () => {
    const hostile = {
      id: 'u',
      get status(): string {
        throw new Error('boom');
      },
      expiresAt: null,
    };
    expect(fieldOf(hostile)).toBe('user');
  });

  it('R12: the message names the field', () => {
    expect(() => parseUser({ id: 'u', status: 'active', expiresAt: '2026-12-31' })).toThrow(
      /`expiresAt`.*2026-12-31/,
    );
  });

  it('R12 property: anything parseUser accepts is a valid user', () => {
    fc.assert(
      fc.property(anythingArb(), (value) => {
        let user: ReturnType<typeof parseUser>;
        try {
          user = parseUser(value);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('INVALID_USER');
          return;
        }
        expect(['active', 'deactivated']).toContain(user.status);
        expect(user.id.length).toBeGreaterThan(0);
        expect(user.expiresAt === null || !Number.isNaN(user.expiresAt.getTime())).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('the schema is exported for callers that extend it', () => {
    expect(userSchema.safeParse({ id: 'u', status: 'active', expiresAt: null }).success).toBe(true);
  });
});

describe('LearnerStatusError', () => {
  it('carries code, field, line and cause, and is recognised without instanceof', () => {
    const cause = new Error('inner');
    const error = new LearnerStatusError('TOO_LARGE', 'too big', {
      field: 'maxBytes',
      line: 3,
      cause,
    });
    expect(error).toMatchObject({
      name: 'LearnerStatusError',
      code: 'TOO_LARGE',
      field: 'maxBytes',
      line: 3,
    });
    expect(error.cause).toBe(cause);
    const foreign = Object.assign(new Error('x'), {
      name: 'LearnerStatusError',
      code: 'INVALID_USER',
    });
    expect(isLearnerStatusError(foreign)).toBe(true);
    expect(isLearnerStatusError(new Error('x'))).toBe(false);
    expect(isLearnerStatusError({ name: 'LearnerStatusError', code: 'X' })).toBe(false);
    // Node's own errors carry a string code too (ENOENT, ECONNRESET): they are not ours.
    expect(isLearnerStatusError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(
      isLearnerStatusError(Object.assign(new Error('x'), { name: 'LearnerStatusError', code: 7 })),
    ).toBe(false);
  });
});

describe('parseUser says what a wrong date was, briefly (R12)', () => {
  const tail =
    "not a Date or an ISO-8601 instant with Z or an offset such as '2026-12-31T17:00:00Z'.";
  it.each([
    ['text, quoted', 'tomorrow', '"tomorrow"'],
    ['long text, cut at 40 characters', 'x'.repeat(50), `"${'x'.repeat(40)}"`],
    ['a number', 1234567, '1234567'],
    ['a huge number, cut at 40 characters', 1e300, String(1e300).slice(0, 40)],
    ['a boolean', true, 'true'],
    ['an Invalid Date', new Date(Number.NaN), 'an Invalid Date'],
    ['an object, never printed', { toString: () => 'secret' }, 'an object'],
    ['an object without prototype', Object.create(null), 'an object'],
  ])('%s', (_name, expiresAt, described) => {
    const error = thrown(() => parseUser({ id: 'u1', status: 'active', expiresAt }));
    expect(error).toEqual({
      code: 'INVALID_USER',
      field: 'expiresAt',
      line: undefined,
      message: `Invalid user record: \`expiresAt\` is ${described}, ${tail}`,
    });
  });
});

describe('parseUser names the field and what it must be (R12)', () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  it.each([
    [
      'an id that is a number',
      { id: 5, status: 'active', expiresAt: null },
      'id',
      '`id` must be a non-empty string',
    ],
    [
      'an empty id',
      { id: '', status: 'active', expiresAt: null },
      'id',
      '`id` must be a non-empty string',
    ],
    [
      'a status in capitals',
      { id: 'u1', status: 'Active', expiresAt: null },
      'status',
      "`status` must be 'active' or 'deactivated' (in lower case; 'expired' is never stored)",
    ],
    [
      'the status expired',
      { id: 'u1', status: 'expired', expiresAt: null },
      'status',
      "`status` must be 'active' or 'deactivated' (in lower case; 'expired' is never stored)",
    ],
    ['no object', null, 'user', '`user` must be an object with id, status and expiresAt'],
    ['a list', [], 'user', '`user` must be an object with id, status and expiresAt'],
  ])('%s', (_name, input, field, said) => {
    expect(thrown(() => parseUser(input))).toEqual({
      code: 'INVALID_USER',
      field,
      line: undefined,
      message: `Invalid user record: ${said}.`,
    });
  });

  it('a record that cannot be read says so, with the cause', () => {
    const boom = new Error('boom');
    const input = {
      id: 'u1',
      get status(): string {
        throw boom;
      },
      expiresAt: null,
    };
    let error: unknown;
    try {
      parseUser(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'INVALID_USER',
      field: 'user',
      message: 'Invalid user record: reading it failed (Error: boom).',
      cause: boom,
    });
    expect(thrown(() => parseUser(revoked.proxy))).toMatchObject({
      code: 'INVALID_USER',
      field: 'user',
    });
  });
});

describe('parseUser returns exactly the fields of a User (R12)', () => {
  it('no accessRevokedAt key when the record has none; null and a date kept', () => {
    const without = parseUser({ id: 'u1', status: 'active', expiresAt: null, extra: 1 });
    expect(Object.keys(without)).toEqual(['id', 'status', 'expiresAt']);
    const withNull = parseUser({
      id: 'u1',
      status: 'active',
      expiresAt: null,
      accessRevokedAt: null,
    });
    expect(withNull).toEqual({
      id: 'u1',
      status: 'active',
      expiresAt: null,
      accessRevokedAt: null,
    });
    expect('accessRevokedAt' in withNull).toBe(true);
  });
});
