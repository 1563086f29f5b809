import { beforeEach, describe, expect, it } from 'vitest';
import { createLoginGuard, type LoginGuardOptions, type User } from '../../src/index.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-06-01T09:00:00.000Z');
const EXPIRY = at('2026-06-01T17:00:00.000Z');
const HOUR = 3_600_000;

const users = new Map<string, User>([
  ['ada', { id: 'ada', status: 'active', expiresAt: EXPIRY }],
  ['forever', { id: 'forever', status: 'active', expiresAt: null }],
  ['bob', { id: 'bob', status: 'deactivated', expiresAt: null }],
  [
    'back',
    { id: 'back', status: 'active', expiresAt: null, accessRevokedAt: at('2026-06-01T08:00:00Z') },
  ],
]);
const loadUser = async (id: string) => users.get(id);
const never = () => new Promise<User>(() => {});

describe('createLoginGuard: login (L1, L4)', () => {
  it('L1: allows an active learner; the cookie lives until the account expires', async () => {
    const guard = createLoginGuard({ loadUser });
    expect(await guard.login('ada', NOW)).toEqual({
      decision: { allowed: true, status: 'active', sessionExpiresAt: EXPIRY },
      cookieMaxAgeMs: 8 * HOUR,
    });
  });

  it('L1: maxSessionMs caps the cookie when it ends first', async () => {
    const guard = createLoginGuard({ loadUser, maxSessionMs: HOUR });
    const result = await guard.login('ada', NOW);
    expect(result.cookieMaxAgeMs).toBe(HOUR);
    expect(result.decision).toMatchObject({ sessionExpiresAt: at('2026-06-01T10:00:00.000Z') });
  });

  it('L1: no expiry and no maximum: cookieMaxAgeMs is null (a browser-session cookie)', async () => {
    const guard = createLoginGuard({ loadUser });
    expect(await guard.login('forever', NOW)).toMatchObject({ cookieMaxAgeMs: null });
  });

  it('L1, R4: refusals carry cookieMaxAgeMs 0 and the reason', async () => {
    const guard = createLoginGuard({ loadUser: (id: string) => users.get(id) });
    expect(await guard.login('bob', NOW)).toEqual({
      decision: expect.objectContaining({ allowed: false, reason: 'deactivated' }),
      cookieMaxAgeMs: 0,
    });
    expect((await guard.login('nobody', NOW)).decision).toMatchObject({ reason: 'unknown-user' });
    expect((await guard.login('ada', EXPIRY)).decision).toMatchObject({ reason: 'expired' });
  });

  it('loadUser receives the id', async () => {
    const seen: string[] = [];
    const guard = createLoginGuard({
      loadUser: (id) => {
        seen.push(id);
        return null;
      },
    });
    await guard.login('ada', NOW);
    expect(seen).toEqual(['ada']);
  });

  it('L4: a throwing, rejecting or hanging store refuses as unavailable', async () => {
    const throwing = createLoginGuard({
      loadUser: () => {
        throw new Error('connection refused');
      },
    });
    expect(await throwing.login('ada', NOW)).toEqual({
      decision: expect.objectContaining({ allowed: false, reason: 'unavailable' }),
      cookieMaxAgeMs: 0,
    });
    const rejecting = createLoginGuard({ loadUser: () => Promise.reject(new Error('down')) });
    expect((await rejecting.login('ada', NOW)).decision).toMatchObject({ reason: 'unavailable' });
    const hanging = createLoginGuard({ loadUser: never, timeoutMs: 5 });
    expect((await hanging.login('ada', NOW)).decision).toMatchObject({
      reason: 'unavailable',
      detail: expect.stringContaining('5 ms'),
    });
  });

  it('an invalid now rejects with INVALID_DATE (a bug, not an outage)', async () => {
    const guard = createLoginGuard({ loadUser });
    await expect(guard.login('ada', new Date(NaN))).rejects.toMatchObject({ code: 'INVALID_DATE' });
    await expect(guard.request('ada', { issuedAt: NOW }, new Date(NaN))).rejects.toMatchObject({
      code: 'INVALID_DATE',
    });
  });
});

describe('createLoginGuard: request (L1, L3, L4)', () => {
  // Made in each test, not when the file is collected: an error there must fail tests (a
  // mutant that breaks createLoginGuard would otherwise only stop the file from loading).
  let guard: ReturnType<typeof createLoginGuard>;
  beforeEach(() => {
    guard = createLoginGuard({ loadUser, maxSessionMs: 4 * HOUR, timeoutMs: 1000 });
  });

  it('L1: a session of an active learner is allowed', async () => {
    expect(await guard.request('ada', { issuedAt: NOW }, at('2026-06-01T10:00:00Z'))).toEqual({
      allowed: true,
      status: 'active',
      sessionExpiresAt: at('2026-06-01T13:00:00.000Z'),
    });
  });

  it('L1: a deactivated, unknown or expired learner is refused on the next request', async () => {
    expect(await guard.request('bob', { issuedAt: NOW }, NOW)).toMatchObject({
      reason: 'deactivated',
    });
    expect(await guard.request('nobody', { issuedAt: NOW }, NOW)).toMatchObject({
      reason: 'unknown-user',
    });
    const long = createLoginGuard({ loadUser });
    expect(await long.request('ada', { issuedAt: NOW }, EXPIRY)).toMatchObject({
      reason: 'expired',
    });
  });

  it('L3: a session issued at or before accessRevokedAt stays refused after reactivation', async () => {
    expect(
      await guard.request('back', { issuedAt: at('2026-06-01T08:00:00Z') }, NOW),
    ).toMatchObject({ reason: 'session-revoked' });
    expect(
      await guard.request('back', { issuedAt: at('2026-06-01T08:00:00.001Z') }, NOW),
    ).toMatchObject({ allowed: true });
  });

  it('L1: maxSessionMs counts from issuedAt', async () => {
    expect(await guard.request('ada', { issuedAt: NOW }, at('2026-06-01T13:00:00Z'))).toMatchObject(
      { reason: 'session-expired' },
    );
  });

  it('R12: a session without a valid issuedAt is refused as invalid', async () => {
    expect(await guard.request('ada', { issuedAt: new Date(NaN) }, NOW)).toMatchObject({
      reason: 'invalid',
    });
  });

  it('L4: a throwing or hanging store refuses the request as unavailable', async () => {
    const throwing = createLoginGuard({
      loadUser: async () => {
        throw new Error('connection reset');
      },
    });
    expect(await throwing.request('ada', { issuedAt: NOW }, NOW)).toMatchObject({
      allowed: false,
      reason: 'unavailable',
      detail: expect.stringContaining('connection reset'),
    });
    const hanging = createLoginGuard({ loadUser: never, timeoutMs: 5 });
    expect(await hanging.request('ada', { issuedAt: NOW }, NOW)).toMatchObject({
      reason: 'unavailable',
    });
  });
});

describe('createLoginGuard: options are checked once, at creation', () => {
  const bad = (options: unknown) => () => createLoginGuard(options as LoginGuardOptions);

  it('refuses a non-object, an unknown key and a missing loadUser with INVALID_OPTION', () => {
    expect(bad(null)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(bad({ loadUser, maxSession: 5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'maxSession' }),
    );
    expect(bad({})).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', field: 'loadUser' }));
  });

  it('refuses a bad timeoutMs or maxSessionMs with INVALID_OPTION', () => {
    for (const timeoutMs of [0, -1, '100', NaN]) {
      expect(bad({ loadUser, timeoutMs })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', field: 'timeoutMs' }),
      );
    }
    for (const maxSessionMs of [0, Infinity, '1']) {
      expect(bad({ loadUser, maxSessionMs })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', field: 'maxSessionMs' }),
      );
    }
  });

  it('accepts undefined optional options', () => {
    expect(() =>
      createLoginGuard({ loadUser, maxSessionMs: undefined, timeoutMs: undefined }),
    ).not.toThrow();
  });
});
