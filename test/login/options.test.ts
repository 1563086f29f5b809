// L1, L3, L4: the options of checkLogin, checkSession, checkLoginWith and createLoginGuard are
// validated when called (never ignored, never read loosely), every error names its field, and
// the edges that a wrong operator would move: the end of the Date range and the time limit.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  checkLogin,
  checkLoginWith,
  checkSession,
  createLoginGuard,
  type LoginGuardOptions,
  type User,
} from '../../src/index.js';
import { expectError } from '../support/errors.js';

const NOW = new Date('2026-06-01T09:00:00.000Z');
const HOUR = 3_600_000;
const active: User = { id: 'u1', status: 'active', expiresAt: null };
const session = { issuedAt: NOW };
const anyOptions = (value: unknown) => value as { maxSessionMs?: number };

describe('L1: options of checkLogin and checkSession', () => {
  const calls = [
    ['checkLogin', (options: unknown) => checkLogin(active, NOW, anyOptions(options))],
    ['checkSession', (options: unknown) => checkSession(active, session, NOW, anyOptions(options))],
  ] as const;

  it.each(calls)(
    '%s: names an unknown option exactly, prefix and suffix included',
    async (_, call) => {
      for (const key of ['xmaxSessionMs', 'maxSessionMsx', 'maxsessionms']) {
        await expectError(() => call({ [key]: HOUR }), 'INVALID_OPTION', key);
      }
    },
  );

  it.each(calls)('%s: options that are not an object are `options`', async (_, call) => {
    await expectError(() => call(5), 'INVALID_OPTION', 'options');
    await expectError(() => call(null), 'INVALID_OPTION', 'options');
  });

  it.each(calls)(
    '%s: a bad maxSessionMs is `maxSessionMs`, saying what it must be',
    async (_, call) => {
      for (const maxSessionMs of [0, -1, 0.5, Number.NaN, '1000']) {
        const error = await expectError(
          () => call({ maxSessionMs }),
          'INVALID_OPTION',
          'maxSessionMs',
        );
        expect(error.message).toContain('a positive integer');
      }
    },
  );

  it('a bad now is INVALID_DATE naming `now`', async () => {
    const bad = new Date(Number.NaN);
    await expectError(() => checkLogin(active, bad), 'INVALID_DATE', 'now');
    await expectError(() => checkSession(active, session, bad), 'INVALID_DATE', 'now');
  });

  it('L3: a session whose issuedAt is not a Date is refused as invalid, saying so', () => {
    expect(checkSession(active, { issuedAt: new Date(Number.NaN) }, NOW)).toEqual({
      allowed: false,
      reason: 'invalid',
      detail: 'LearnerStatusError: `issuedAt` must be a valid Date.',
    });
  });

  it('R12, L3: every invalid detail of checkLogin and checkSession has one form, the error as text', () => {
    const broken = { ...active, status: 'Active' } as never;
    const issued = { issuedAt: new Date(NOW.getTime() - 1) };
    const details = [
      checkLogin(broken, NOW),
      checkSession(broken, issued, NOW),
      checkSession(active, { issuedAt: 'yesterday' } as never, NOW),
    ].map((decision) => (decision.allowed ? '' : decision.detail));
    for (const detail of details)
      expect(detail).toMatch(/^LearnerStatusError: `\w+` must be .+\.$/);
    expect(details[0]).toBe(details[1]);
  });

  it('L1: an account that expires at the last instant a Date can hold ends the session then', () => {
    const last = new Date(8.64e15);
    const user: User = { id: 'u1', status: 'active', expiresAt: last };
    expect(checkLogin(user, NOW)).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: last,
    });
    expect(checkLogin(user, NOW, { maxSessionMs: 8.64e15 })).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: last,
    });
  });
});

describe('L4: options of checkLoginWith', () => {
  const load = () => active;

  it('names an unknown option exactly, and `options` when they are not an object', async () => {
    for (const key of ['xtimeoutMs', 'timeoutMsx', 'xmaxSessionMs', 'maxSessionMsx']) {
      await expectError(
        () => checkLoginWith(load, NOW, { [key]: 1 } as never),
        'INVALID_OPTION',
        key,
      );
    }
    await expectError(() => checkLoginWith(load, NOW, 5 as never), 'INVALID_OPTION', 'options');
  });

  it('a load that is not a function is `load`; a bad now is `now`', async () => {
    const error = await expectError(
      () => checkLoginWith(null as never, NOW),
      'INVALID_OPTION',
      'load',
    );
    expect(error.message).toContain('a function that returns the user');
    await expectError(() => checkLoginWith(load, new Date(Number.NaN)), 'INVALID_DATE', 'now');
  });

  it('a bad timeoutMs is `timeoutMs`, saying what it must be; maxSessionMs alone is fine', async () => {
    for (const timeoutMs of [0, -5, Number.NaN, '100']) {
      const error = await expectError(
        () => checkLoginWith(load, NOW, { timeoutMs } as never),
        'INVALID_OPTION',
        'timeoutMs',
      );
      expect(error.message).toContain('a positive number of milliseconds');
    }
    expect(await checkLoginWith(load, NOW, { maxSessionMs: HOUR })).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: new Date(NOW.getTime() + HOUR),
    });
  });

  it('without timeoutMs there is no time limit: a slow load still answers', async () => {
    const slow = () => new Promise<User>((resolve) => setTimeout(() => resolve(active), 30));
    expect(await checkLoginWith(slow, NOW)).toMatchObject({ allowed: true });
  });

  describe('with timeoutMs', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('the timer is cleared once the user is loaded: nothing is left pending', async () => {
      vi.useFakeTimers();
      const decision = checkLoginWith(async () => active, NOW, { timeoutMs: 60_000 });
      await vi.advanceTimersByTimeAsync(0);
      expect(await decision).toMatchObject({ allowed: true });
      expect(vi.getTimerCount()).toBe(0);
    });

    it('a load slower than timeoutMs is unavailable, naming the limit', async () => {
      vi.useFakeTimers();
      const decision = checkLoginWith(() => new Promise<User>(() => {}), NOW, { timeoutMs: 250 });
      await vi.advanceTimersByTimeAsync(250);
      expect(await decision).toEqual({
        allowed: false,
        reason: 'unavailable',
        detail: 'Loading the user failed: no answer within 250 ms',
      });
    });
  });
});

describe('L1, L4: options of createLoginGuard', () => {
  const loadUser = async () => active;
  const create = (options: unknown) => () => createLoginGuard(options as LoginGuardOptions);

  it('names an unknown option exactly, and `options` when they are not an object', async () => {
    for (const key of ['xloadUser', 'loadUserx', 'xtimeoutMs', 'timeoutMsx', 'maxSessionMsx']) {
      await expectError(create({ loadUser, [key]: 1 }), 'INVALID_OPTION', key);
    }
    await expectError(create(null), 'INVALID_OPTION', 'options');
  });

  it('loadUser must be a function; timeoutMs a positive number; maxSessionMs a positive integer', async () => {
    const error = await expectError(create({}), 'INVALID_OPTION', 'loadUser');
    expect(error.message).toContain('a function that loads a user by id');
    for (const timeoutMs of [0, -1, Number.NaN, '5']) {
      const bad = await expectError(create({ loadUser, timeoutMs }), 'INVALID_OPTION', 'timeoutMs');
      expect(bad.message).toContain('a positive number of milliseconds');
    }
    await expectError(create({ loadUser, maxSessionMs: 0.5 }), 'INVALID_OPTION', 'maxSessionMs');
    expect(() => createLoginGuard({ loadUser, timeoutMs: 1 })).not.toThrow();
  });

  it('L3: request checks the session even for a refused user: a broken issuedAt is invalid', async () => {
    const guard = createLoginGuard({
      loadUser: async (): Promise<User> => ({ id: 'u2', status: 'deactivated', expiresAt: null }),
    });
    expect(await guard.request('u2', { issuedAt: new Date(Number.NaN) }, NOW)).toMatchObject({
      allowed: false,
      reason: 'invalid',
    });
    expect(await guard.request('u2', session, NOW)).toMatchObject({ reason: 'deactivated' });
  });
});
