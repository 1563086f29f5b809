import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccountStatus,
  canLogIn,
  effectiveStatus,
  LearnerStatusError,
  nextStatusChangeAt,
  STATUS_INFO,
  type User,
} from '../../src/index.js';
import { instantArb, userAndNowArb, userArb } from '../../src/testing/index.js';
import { codeOf, deepFreeze } from '../support/arbitraries.js';

const at = (iso: string) => new Date(iso);
const EXPIRY = at('2027-01-01T00:00:00.000Z');
const active: User = { id: 'u1', status: 'active', expiresAt: EXPIRY };
const deactivated: User = { id: 'u2', status: 'deactivated', expiresAt: EXPIRY };

describe('R1/R2: the three statuses and STATUS_INFO', () => {
  it('R1: labels are the portal’s', () => {
    expect(STATUS_INFO.active.label).toBe('Active');
    expect(STATUS_INFO.deactivated.label).toBe('Deactivated');
    expect(STATUS_INFO.expired.label).toBe('Expired');
  });

  it('R5/R6: only active can log in; expired is not selectable', () => {
    expect(STATUS_INFO).toEqual({
      active: { label: 'Active', canLogIn: true, selectable: true },
      deactivated: { label: 'Deactivated', canLogIn: false, selectable: true },
      expired: { label: 'Expired', canLogIn: false, selectable: false },
    });
  });

  it('STATUS_INFO cannot be changed at run time', () => {
    expect(Object.isFrozen(STATUS_INFO)).toBe(true);
    expect(Object.isFrozen(STATUS_INFO.active)).toBe(true);
  });
});

describe('R4: effectiveStatus', () => {
  it('R3: null expiresAt never expires, even at the end of time', () => {
    expect(effectiveStatus({ id: 'u', status: 'active', expiresAt: null }, new Date(8.64e15))).toBe(
      'active',
    );
    expect(
      effectiveStatus({ id: 'u', status: 'deactivated', expiresAt: null }, new Date(8.64e15)),
    ).toBe('deactivated');
  });

  it('R4: one millisecond before the instant keeps the stored status', () => {
    const before = new Date(EXPIRY.getTime() - 1);
    expect(effectiveStatus(active, before)).toBe('active');
    expect(effectiveStatus(deactivated, before)).toBe('deactivated');
  });

  it('R4: the instant itself is already expired (JWT exp style)', () => {
    expect(effectiveStatus(active, new Date(EXPIRY.getTime()))).toBe('expired');
    expect(effectiveStatus(deactivated, new Date(EXPIRY.getTime()))).toBe('expired');
  });

  it('R4: expired overrides both stored statuses, which survive underneath', () => {
    const later = at('2030-01-01T00:00:00Z');
    expect(effectiveStatus(active, later)).toBe('expired');
    expect(active.status).toBe('active');
    expect(effectiveStatus(deactivated, later)).toBe('expired');
  });

  it('R4: works at the extremes of the Date range', () => {
    const first: User = { id: 'u', status: 'active', expiresAt: new Date(-8.64e15) };
    expect(effectiveStatus(first, new Date(-8.64e15))).toBe('expired');
    const last: User = { id: 'u', status: 'active', expiresAt: new Date(8.64e15) };
    expect(effectiveStatus(last, new Date(8.64e15 - 1))).toBe('active');
  });

  it('R4: keeps working for the caller’s own user type', () => {
    const mine = { id: 'u', status: 'active' as const, expiresAt: null, email: 'a@example.org' };
    const status: AccountStatus = effectiveStatus(mine, new Date());
    expect(status).toBe('active');
  });

  it('R4 property: expired exactly when expiresAt is set and now >= expiresAt', () => {
    fc.assert(
      fc.property(userAndNowArb(), ({ user, now }) => {
        const expected =
          user.expiresAt !== null && now.getTime() >= user.expiresAt.getTime()
            ? 'expired'
            : user.status;
        expect(effectiveStatus(user, now)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('R4 property: the exact boundary (expiresAt - 1 ms stored status, expiresAt expired)', () => {
    fc.assert(
      fc.property(userArb(), instantArb(), (user, expiresAt) => {
        const ms = expiresAt.getTime();
        fc.pre(ms > -8.64e15);
        const withExpiry = { ...user, expiresAt };
        expect(effectiveStatus(withExpiry, new Date(ms - 1))).toBe(user.status);
        expect(effectiveStatus(withExpiry, new Date(ms))).toBe('expired');
      }),
    );
  });

  it('R4 property: monotonic expiry: once expired at t, expired at every later t', () => {
    fc.assert(
      fc.property(userAndNowArb(), fc.integer({ min: 0, max: 8.64e15 }), ({ user, now }, delta) => {
        const later = new Date(Math.min(8.64e15, now.getTime() + delta));
        if (effectiveStatus(user, now) === 'expired') {
          expect(effectiveStatus(user, later)).toBe('expired');
        }
      }),
    );
  });

  it('R9 property: pure: a deep-frozen input is not mutated and repeated calls agree', () => {
    fc.assert(
      fc.property(userAndNowArb(), ({ user, now }) => {
        const snapshot = structuredClone(user);
        const frozen = deepFreeze(user);
        const first = effectiveStatus(frozen, now);
        expect(effectiveStatus(frozen, now)).toBe(first);
        expect(frozen).toEqual(snapshot);
      }),
    );
  });
});

describe('R12: bad data never reads as access', () => {
  const cases: [string, unknown][] = [
    ['unknown status', { id: 'u', status: 'expired', expiresAt: null }],
    ['status in another case', { id: 'u', status: 'Active', expiresAt: null }],
    ['missing status', { id: 'u', expiresAt: null }],
    ['Invalid Date', { id: 'u', status: 'active', expiresAt: new Date(Number.NaN) }],
    ['a number for a date', { id: 'u', status: 'active', expiresAt: 1_900_000_000_000 }],
    ['a string for a date', { id: 'u', status: 'active', expiresAt: '2030-01-01T00:00:00Z' }],
    ['undefined expiresAt', { id: 'u', status: 'active', expiresAt: undefined }],
    ['a fake Date', { id: 'u', status: 'active', expiresAt: Object.create(Date.prototype) }],
    ['a bad accessRevokedAt', { id: 'u', status: 'active', expiresAt: null, accessRevokedAt: 'x' }],
    ['an empty id', { id: '', status: 'active', expiresAt: null }],
    ['a number id', { id: 7, status: 'active', expiresAt: null }],
    ['null', null],
    ['a string', 'active'],
  ];
  it.each(cases)('R12: %s throws INVALID_USER', (_, user) => {
    expect(codeOf(() => effectiveStatus(user as User, new Date()))).toBe('INVALID_USER');
    expect(codeOf(() => canLogIn(user as User, new Date()))).toBe('INVALID_USER');
    expect(codeOf(() => nextStatusChangeAt(user as User, new Date()))).toBe('INVALID_USER');
  });

  it('R12: the message names the field and what to do', () => {
    try {
      effectiveStatus({ id: 'u', status: 'active', expiresAt: new Date(Number.NaN) }, new Date());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LearnerStatusError);
      expect((error as LearnerStatusError).field).toBe('expiresAt');
      expect((error as Error).message).toBe('`expiresAt` must be a valid Date or null.');
    }
  });

  it.each([
    ['an Invalid Date', new Date(Number.NaN)],
    ['a number', 1_700_000_000_000],
    ['a string', '2026-01-01'],
    ['undefined', undefined],
  ])('a bad now (%s) throws INVALID_DATE', (_, now) => {
    expect(codeOf(() => effectiveStatus(active, now as Date))).toBe('INVALID_DATE');
    expect(codeOf(() => nextStatusChangeAt(active, now as Date))).toBe('INVALID_DATE');
  });
});

describe('R12: what counts as a user and as a Date', () => {
  it('R12: any object is a user, a function with the fields included; what matters is the fields', () => {
    const asFunction = Object.assign(() => undefined, {
      id: 'u',
      status: 'active',
      expiresAt: null,
    });
    expect(effectiveStatus(asFunction as unknown as User, new Date())).toBe('active');
    const bare = Object.assign(Object.create(null) as object, active);
    expect(effectiveStatus(bare as User, at('2026-06-01T00:00:00Z'))).toBe('active');
  });

  it('R4: the epoch itself is a valid now', () => {
    const user: User = { id: 'u', status: 'active', expiresAt: new Date(0) };
    expect(effectiveStatus(user, new Date(0))).toBe('expired');
    expect(effectiveStatus(user, new Date(-1))).toBe('active');
    expect(nextStatusChangeAt(user, new Date(-1))).toEqual(new Date(0));
  });

  it('R12: the getTime of a Date is read at most once, and only the real one is ever called', () => {
    let reads = 0;
    // A Date whose getTime answers the real function first and a lie afterwards.
    const shifty = Object.defineProperty(new Date('2020-01-01T00:00:00Z'), 'getTime', {
      get: () => {
        reads += 1;
        return reads === 1 ? Date.prototype.getTime : () => 8.64e15;
      },
    });
    const user: User = { id: 'u', status: 'active', expiresAt: shifty };
    expect(effectiveStatus(user, at('2026-06-01T00:00:00Z'))).toBe('expired');
    expect(reads).toBeLessThanOrEqual(1);
  });

  it('R4, R12: a Date subclass whose getTime lies is judged by the date it holds', () => {
    class Forever extends Date {
      override getTime(): number {
        return 8.64e15;
      }
    }
    const user: User = {
      id: 'u',
      status: 'active',
      expiresAt: new Forever('2020-01-01T00:00:00Z'),
    };
    expect(effectiveStatus(user, at('2026-06-01T00:00:00Z'))).toBe('expired');
    expect(effectiveStatus(active, new Forever('2027-01-01T00:00:00Z'))).toBe('expired');
    const revokedLongAgo = { ...active, accessRevokedAt: new Forever('2020-01-01T00:00:00Z') };
    expect(effectiveStatus(revokedLongAgo, at('2026-06-01T00:00:00Z'))).toBe('active');
  });

  it('R12: a Date whose prototype is no longer Date.prototype is refused, even with the real getTime', () => {
    const moved = Object.setPrototypeOf(new Date('2099-01-01T00:00:00Z'), {
      getTime: Date.prototype.getTime,
    }) as Date;
    expect(codeOf(() => effectiveStatus({ ...active, expiresAt: moved }, new Date()))).toBe(
      'INVALID_USER',
    );
    expect(codeOf(() => effectiveStatus(active, moved))).toBe('INVALID_DATE');
  });
});

describe('R5: canLogIn', () => {
  it('R5: exactly when effective status is active', () => {
    fc.assert(
      fc.property(userAndNowArb(), ({ user, now }) => {
        expect(canLogIn(user, now)).toBe(effectiveStatus(user, now) === 'active');
      }),
    );
  });
});

describe('L2: nextStatusChangeAt', () => {
  it('L2: the future expiresAt, as a copy', () => {
    const next = nextStatusChangeAt(active, at('2026-06-01T00:00:00Z'));
    expect(next).toEqual(EXPIRY);
    expect(next).not.toBe(EXPIRY);
  });

  it('L2: null when never expiring or already expired (the instant included)', () => {
    expect(
      nextStatusChangeAt({ id: 'u', status: 'active', expiresAt: null }, new Date()),
    ).toBeNull();
    expect(nextStatusChangeAt(active, new Date(EXPIRY.getTime()))).toBeNull();
    expect(nextStatusChangeAt(active, at('2030-01-01T00:00:00Z'))).toBeNull();
  });

  it('L2 property: the status is the same until then and changes at that instant', () => {
    fc.assert(
      fc.property(userAndNowArb(), ({ user, now }) => {
        const next = nextStatusChangeAt(user, now);
        if (next === null) {
          expect(effectiveStatus(user, new Date(8.64e15))).toBe(effectiveStatus(user, now));
        } else {
          expect(next.getTime()).toBeGreaterThan(now.getTime());
          expect(effectiveStatus(user, new Date(next.getTime() - 1))).toBe(
            effectiveStatus(user, now),
          );
          expect(effectiveStatus(user, next)).toBe('expired');
        }
      }),
    );
  });
});
