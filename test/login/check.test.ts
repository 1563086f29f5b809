import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLogin,
  checkLoginWith,
  checkSession,
  effectiveStatus,
  type User,
} from '../../src/index.js';
import { parseUser } from '../../src/schema/index.js';
import { userAndNowArb } from '../../src/testing/index.js';
import { anythingArb, codeOf } from '../support/arbitraries.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-06-01T09:00:00.000Z');
const EXPIRY = at('2026-06-01T17:00:00.000Z');
const HOUR = 3_600_000;
const active: User = { id: 'u1', status: 'active', expiresAt: EXPIRY };

describe('L1: checkLogin', () => {
  it('L1: allows an active learner until their expiry', () => {
    expect(checkLogin(active, NOW)).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: EXPIRY,
    });
  });

  it('L1: the session ends at the earlier of expiresAt and now + maxSessionMs', () => {
    expect(checkLogin(active, NOW, { maxSessionMs: HOUR })).toMatchObject({
      sessionExpiresAt: at('2026-06-01T10:00:00.000Z'),
    });
    expect(checkLogin(active, NOW, { maxSessionMs: 24 * HOUR })).toMatchObject({
      sessionExpiresAt: EXPIRY,
    });
    expect(
      checkLogin({ id: 'u', status: 'active', expiresAt: null }, NOW, { maxSessionMs: HOUR }),
    ).toMatchObject({ sessionExpiresAt: at('2026-06-01T10:00:00.000Z') });
  });

  it('L1: no expiry and no maximum: sessionExpiresAt is null', () => {
    expect(checkLogin({ id: 'u', status: 'active', expiresAt: null }, NOW)).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: null,
    });
  });

  it('L1: a maximum beyond the Date range is no limit', () => {
    const user: User = { id: 'u', status: 'active', expiresAt: null };
    expect(checkLogin(user, new Date(8.64e15 - 1), { maxSessionMs: HOUR })).toMatchObject({
      sessionExpiresAt: null,
    });
  });

  it('L1: when the account expiry is the limit, sessionExpiresAt is that Date itself (no copy)', () => {
    const decision = checkLogin(active, NOW);
    expect(decision.allowed && decision.sessionExpiresAt).toBe(EXPIRY);
    const capped = checkLogin(active, NOW, { maxSessionMs: HOUR });
    expect(capped.allowed && capped.sessionExpiresAt).not.toBe(EXPIRY);
  });

  it.each([
    ['unknown-user', null],
    ['unknown-user', undefined],
    ['deactivated', { id: 'u', status: 'deactivated', expiresAt: null }],
    ['expired', { id: 'u', status: 'active', expiresAt: NOW }],
    ['expired', { id: 'u', status: 'deactivated', expiresAt: at('2020-01-01T00:00:00Z') }],
    ['invalid', { id: 'u', status: 'Active', expiresAt: null }],
    ['invalid', { id: 'u', status: 'active', expiresAt: new Date(Number.NaN) }],
    ['invalid', { id: 'u', status: 'active', expiresAt: '2099-01-01T00:00:00Z' }],
    ['invalid', { id: 'u', status: 'active' }],
    ['invalid', 'u1'],
  ])('L1/R12: refuses with %s for %j', (reason, user) => {
    const decision = checkLogin(user as User, NOW);
    expect(decision).toMatchObject({ allowed: false, reason });
    if (reason === 'invalid') expect(decision.allowed ? '' : decision.detail).toMatch(/must be/);
  });

  it('R12: a user whose getters throw is refused as invalid, not thrown', () => {
    const hostile = {
      id: 'u',
      get status(): 'active' {
        throw new Error('boom');
      },
      expiresAt: null,
    };
    expect(checkLogin(hostile, NOW)).toMatchObject({ allowed: false, reason: 'invalid' });
  });

  it('R12: the status is read once, so a getter cannot answer the check and the decision differently', () => {
    let reads = 0;
    const shifty = {
      id: 'u',
      get status() {
        reads += 1;
        return (reads === 1 ? 'root' : 'active') as 'active';
      },
      expiresAt: null,
    };
    expect(checkLogin(shifty, NOW)).toMatchObject({ allowed: false, reason: 'invalid' });
    expect(reads).toBe(1);
  });

  it('R12: every field is read once: an expiresAt getter that turns invalid on a second read changes nothing', () => {
    let reads = 0;
    const expiry = new Date(NOW.getTime() + HOUR);
    const shifty = {
      id: 'u',
      status: 'active' as const,
      get expiresAt() {
        reads += 1;
        return reads === 1 ? expiry : new Date(Number.NaN);
      },
      accessRevokedAt: null,
    };
    expect(checkLogin(shifty, NOW, { maxSessionMs: 2 * HOUR })).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: expiry,
    });
    expect(reads).toBe(1);
    reads = 0;
    const session = { issuedAt: NOW };
    expect(checkSession(shifty, session, NOW)).toMatchObject({ sessionExpiresAt: expiry });
    expect(reads).toBe(1);
  });

  it('L1: the epoch itself is a valid now, for a login and for a session', () => {
    const user: User = { id: 'u', status: 'active', expiresAt: new Date(HOUR) };
    expect(checkLogin(user, new Date(0))).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: user.expiresAt,
    });
    expect(checkSession(user, { issuedAt: new Date(-1) }, new Date(0)).allowed).toBe(true);
    expect(checkLogin(user, new Date(HOUR))).toMatchObject({ reason: 'expired' });
  });

  it('R12: a Date is judged by the date it holds: the real getTime, its property read at most once', () => {
    let reads = 0;
    // A Date whose getTime answers the real function first and a lie afterwards.
    const shifty = (ms: number, lie: number): Date =>
      Object.defineProperty(new Date(ms), 'getTime', {
        get: () => {
          reads += 1;
          return reads === 1 ? Date.prototype.getTime : () => lie;
        },
      });
    const user = { id: 'u', status: 'active' as const, expiresAt: shifty(NOW.getTime(), 8.64e15) };
    expect(checkLogin(user, NOW)).toMatchObject({ allowed: false, reason: 'expired' });
    expect(reads).toBeLessThanOrEqual(1);
    reads = 0;
    const revoked = {
      id: 'u',
      status: 'active' as const,
      expiresAt: null,
      accessRevokedAt: shifty(NOW.getTime(), -8.64e15),
    };
    expect(checkLogin(revoked, NOW)).toMatchObject({ allowed: false, reason: 'access-revoked' });
    expect(reads).toBeLessThanOrEqual(1);
  });

  it('L3, R12: a Date subclass whose getTime lies is judged by the date it holds', () => {
    class Forever extends Date {
      override getTime(): number {
        return 8.64e15;
      }
    }
    const reactivated = { ...active, accessRevokedAt: new Forever(NOW.getTime() - HOUR) };
    expect(checkLogin(reactivated, NOW)).toMatchObject({ allowed: true });
    expect(checkLogin({ ...active, expiresAt: new Forever(NOW.getTime()) }, NOW)).toMatchObject({
      reason: 'expired',
    });
  });

  it('L1: a fraction of a millisecond is not a session length: maxSessionMs must be a whole number', () => {
    for (const maxSessionMs of [Number.MIN_VALUE, 0.5, 1.5]) {
      expect(codeOf(() => checkLogin(active, NOW, { maxSessionMs }))).toBe('INVALID_OPTION');
    }
    expect(checkLogin(active, NOW, { maxSessionMs: 1 })).toMatchObject({
      allowed: true,
      sessionExpiresAt: new Date(NOW.getTime() + 1),
    });
  });

  it('L1: a bad now or bad options throw: they are bugs in the caller, not data', () => {
    expect(codeOf(() => checkLogin(active, new Date(Number.NaN)))).toBe('INVALID_DATE');
    expect(codeOf(() => checkLogin(active, NOW, { maxSessionMs: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => checkLogin(active, NOW, { maxSessionMs: Number.NaN }))).toBe(
      'INVALID_OPTION',
    );
    expect(codeOf(() => checkLogin(active, NOW, { maxSessionMs: Number.POSITIVE_INFINITY }))).toBe(
      'INVALID_OPTION',
    );
    expect(codeOf(() => checkLogin(active, NOW, { maxSesionMs: 5 } as object))).toBe(
      'INVALID_OPTION',
    );
    expect(codeOf(() => checkLogin(active, NOW, null as unknown as object))).toBe('INVALID_OPTION');
    expect(checkLogin(active, NOW, { maxSessionMs: undefined }).allowed).toBe(true);
  });

  it('L1/R5/L3 property: allows exactly when effectiveStatus is active and accessRevokedAt is before now', () => {
    fc.assert(
      fc.property(userAndNowArb(), ({ user, now }) => {
        const revokedMs = user.accessRevokedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
        expect(checkLogin(user, now).allowed).toBe(
          effectiveStatus(user, now) === 'active' && revokedMs < now.getTime(),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('R12 property: no input of any shape makes checkLogin allow invalid data, nor throw', () => {
    fc.assert(
      fc.property(anythingArb(), (value) => {
        const decision = checkLogin(value as User, NOW);
        if (decision.allowed) {
          expect(parseUser(value).status).toBe('active');
          expect(
            (value as User).expiresAt === null || (value as User).expiresAt instanceof Date,
          ).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('L3: checkSession', () => {
  const issuedAt = at('2026-06-01T08:00:00.000Z');
  const revokedAt = at('2026-06-01T08:30:00.000Z');
  const reactivated: User = {
    id: 'u',
    status: 'active',
    expiresAt: null,
    accessRevokedAt: revokedAt,
  };

  it('L3: a session issued before the revocation is refused even though the user is active again', () => {
    expect(checkSession(reactivated, { issuedAt }, NOW)).toMatchObject({
      allowed: false,
      reason: 'session-revoked',
    });
  });

  it('L3: issued at the very instant of the revocation is refused; one ms later is fine', () => {
    expect(checkSession(reactivated, { issuedAt: revokedAt }, NOW).allowed).toBe(false);
    expect(
      checkSession(reactivated, { issuedAt: new Date(revokedAt.getTime() + 1) }, NOW).allowed,
    ).toBe(true);
  });

  it('L3: null or absent accessRevokedAt revokes nothing', () => {
    expect(checkSession({ ...reactivated, accessRevokedAt: null }, { issuedAt }, NOW).allowed).toBe(
      true,
    );
    expect(
      checkSession({ id: 'u', status: 'active', expiresAt: null }, { issuedAt }, NOW).allowed,
    ).toBe(true);
  });

  it('L1: status refusals come first', () => {
    expect(
      checkSession({ ...reactivated, status: 'deactivated' }, { issuedAt }, NOW),
    ).toMatchObject({
      reason: 'deactivated',
    });
    expect(checkSession(null, { issuedAt }, NOW)).toMatchObject({ reason: 'unknown-user' });
  });

  it('maxSessionMs counts from issuedAt: an old session is refused, activity does not extend it', () => {
    const user: User = { id: 'u', status: 'active', expiresAt: null };
    expect(checkSession(user, { issuedAt }, NOW, { maxSessionMs: HOUR })).toMatchObject({
      allowed: false,
      reason: 'session-expired',
    });
    expect(checkSession(user, { issuedAt }, NOW, { maxSessionMs: 2 * HOUR })).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: at('2026-06-01T10:00:00.000Z'),
    });
  });

  it.each([
    ['no session', undefined],
    ['no issuedAt', {}],
    ['an Invalid Date', { issuedAt: new Date(Number.NaN) }],
    ['a string', { issuedAt: '2026-06-01T08:00:00Z' }],
  ])('refuses %s as invalid', (_, session) => {
    expect(checkSession(reactivated, session as { issuedAt: Date }, NOW)).toMatchObject({
      allowed: false,
      reason: 'invalid',
    });
  });

  it('a session object whose getter throws is the caller’s own bug: the error propagates', () => {
    const session = {
      get issuedAt(): Date {
        throw new Error('bad cookie');
      },
    };
    expect(() => checkSession(reactivated, session, NOW)).toThrow('bad cookie');
  });

  it('R12: an accessRevokedAt getter is read once: the decision rests on that one read', () => {
    let reads = 0;
    const user = {
      id: 'u',
      status: 'active' as const,
      expiresAt: null,
      get accessRevokedAt() {
        reads += 1;
        if (reads > 1) throw new Error('flaky');
        return null;
      },
    };
    expect(checkSession(user, { issuedAt }, NOW)).toMatchObject({ allowed: true });
    expect(reads).toBe(1);
  });

  it('L3 property: never allows what checkLogin refuses, nor a session issued at or before accessRevokedAt', () => {
    fc.assert(
      fc.property(
        userAndNowArb(),
        fc.integer({ min: -1e12, max: 1e12 }),
        ({ user, now }, offset) => {
          const issuedAt = new Date(
            Math.max(-8.64e15, Math.min(8.64e15, now.getTime() - Math.abs(offset))),
          );
          const decision = checkSession(user, { issuedAt }, now);
          if (!checkLogin(user, now).allowed) expect(decision.allowed).toBe(false);
          const revoked = user.accessRevokedAt?.getTime();
          if (revoked !== undefined && issuedAt.getTime() <= revoked)
            expect(decision.allowed).toBe(false);
        },
      ),
    );
  });
});

describe('L4: checkLoginWith fails closed', () => {
  it('L4: a loaded user is decided as checkLogin does', async () => {
    expect(await checkLoginWith(() => active, NOW)).toEqual(checkLogin(active, NOW));
    expect(await checkLoginWith(async () => null, NOW)).toMatchObject({ reason: 'unknown-user' });
  });

  it('L4: a store that throws or rejects is unavailable', async () => {
    expect(
      await checkLoginWith(() => {
        throw new Error('ECONNREFUSED');
      }, NOW),
    ).toMatchObject({
      allowed: false,
      reason: 'unavailable',
      detail: expect.stringContaining('ECONNREFUSED'),
    });
    expect(await checkLoginWith(() => Promise.reject('down'), NOW)).toMatchObject({
      reason: 'unavailable',
    });
  });

  it('L4: a store that hangs is unavailable after timeoutMs', async () => {
    const decision = await checkLoginWith(() => new Promise<User>(() => {}), NOW, {
      timeoutMs: 20,
    });
    expect(decision).toMatchObject({ allowed: false, reason: 'unavailable' });
  });

  it('L4: a store that answers in time is decided normally, with maxSessionMs', async () => {
    const decision = await checkLoginWith(async () => active, NOW, {
      timeoutMs: 1000,
      maxSessionMs: HOUR,
    });
    expect(decision).toMatchObject({
      allowed: true,
      sessionExpiresAt: at('2026-06-01T10:00:00.000Z'),
    });
  });

  it('L4: bugs in the call are thrown before any I/O, never reported as an outage', async () => {
    let loads = 0;
    const load = () => {
      loads += 1;
      return active;
    };
    await expect(checkLoginWith(load, NOW, { timeoutMs: 0 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(
      checkLoginWith(load, NOW, { timeoutMs: 'soon' as unknown as number }),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(checkLoginWith(load, NOW, { maxSesionMs: 1 } as object)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(checkLoginWith('nope' as unknown as () => User, NOW)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(checkLoginWith(load, new Date(Number.NaN))).rejects.toMatchObject({
      code: 'INVALID_DATE',
    });
    expect(loads).toBe(0);
  });
});

describe('L4: checkLoginWith option validation', () => {
  it('null options are refused, not read as no options', async () => {
    await expect(
      checkLoginWith(() => null, new Date(), null as unknown as object),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});
