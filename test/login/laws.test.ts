// The laws of the login path (L1, L3, R4): checkLogin and checkSession agree at every instant,
// clock skew included. A login that checkLogin allows at `now` is a session (issuedAt = now)
// that checkSession allows from `now` until just before `sessionExpiresAt` and refuses from
// then on; an `accessRevokedAt` at or after `now` (recorded by a clock ahead of ours) refuses
// both: fail closed (docs/login.md).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLogin,
  checkLoginWith,
  checkSession,
  createLoginGuard,
  type LoginOptions,
  reactivate,
  type User,
} from '../../src/index.js';
import { instantArb, userAndNowArb, userArb } from '../../src/testing/index.js';

const MAX_MS = 8.64e15;
const HOUR = 3_600_000;
const clamp = (ms: number): number => Math.max(-MAX_MS, Math.min(MAX_MS, ms));

/** Where `accessRevokedAt` lies relative to `now`: as drawn, or moved near `now` (skew). */
type Skew = { readonly kind: 'as-drawn' } | { readonly kind: 'from-now'; readonly deltaMs: number };

const skewArb: fc.Arbitrary<Skew> = fc.oneof(
  fc.constant<Skew>({ kind: 'as-drawn' }),
  fc
    .oneof(
      fc.integer({ min: -2, max: 2 }),
      fc.integer({ min: -HOUR, max: HOUR }),
      fc.integer({ min: -366 * 24 * HOUR, max: 366 * 24 * HOUR }),
    )
    .map((deltaMs): Skew => ({ kind: 'from-now', deltaMs })),
);

const optionsArb: fc.Arbitrary<LoginOptions | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc
    .oneof(
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 1, max: 30 * 24 * HOUR }),
      fc.constantFrom(HOUR, 8 * HOUR, MAX_MS, 2 * MAX_MS, Number.MAX_SAFE_INTEGER),
    )
    .map((maxSessionMs): LoginOptions => ({ maxSessionMs })),
);

interface Case {
  readonly user: User;
  readonly now: Date;
  readonly options: LoginOptions | undefined;
}

/** userAndNowArb (biased to the expiry boundary), with accessRevokedAt before, at or after now. */
const caseArb: fc.Arbitrary<Case> = fc
  .tuple(userAndNowArb(), skewArb, optionsArb)
  .map(([{ user, now }, skew, options]): Case => {
    if (skew.kind === 'as-drawn') return { user, now, options };
    const accessRevokedAt = new Date(clamp(now.getTime() + skew.deltaMs));
    return { user: { ...user, accessRevokedAt }, now, options };
  });

/** The instant a `fraction` (0 to 1) of the way from `min` to `max`, never outside them. */
const within = (min: number, max: number, fraction: number): number =>
  Math.min(max, Math.max(min, Math.floor(min + (max - min) * fraction)));

const revokedMsOf = (user: User): number =>
  user.accessRevokedAt?.getTime() ?? Number.NEGATIVE_INFINITY;

describe('the laws of the login path (L1, L3, R4)', () => {
  it('L1/L3: checkLogin(user, now) decides exactly as checkSession does for a session issued at now', () => {
    fc.assert(
      fc.property(caseArb, ({ user, now, options }) => {
        const login = checkLogin(user, now, options);
        const session = checkSession(user, { issuedAt: now }, now, options);
        if (login.allowed || session.allowed) {
          expect(session).toEqual(login);
        } else {
          // The same refusal, named for what was checked: a login, or a session.
          expect(session.reason).toBe(
            login.reason === 'access-revoked' ? 'session-revoked' : login.reason,
          );
          expect(login.reason === 'access-revoked').toBe(session.reason === 'session-revoked');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('L1/L3: a login allowed at now is a session allowed at now and until just before sessionExpiresAt, refused at it and after', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ user, now, options }, during, after) => {
          const login = checkLogin(user, now, options);
          if (!login.allowed) return;
          const nowMs = now.getTime();
          const session = { issuedAt: now };
          expect(checkSession(user, session, now, options)).toEqual(login);
          const end = login.sessionExpiresAt;
          const lastMs = end === null ? MAX_MS : end.getTime() - 1;
          expect(lastMs).toBeGreaterThanOrEqual(nowMs);
          // Every instant of [now, sessionExpiresAt): the same session end throughout.
          for (const ms of [lastMs, within(nowMs, lastMs, during)]) {
            expect(checkSession(user, session, new Date(ms), options)).toEqual(login);
          }
          if (end === null) return;
          // From sessionExpiresAt on: refused, to the end of time.
          const endMs = end.getTime();
          for (const ms of [endMs, within(endMs, MAX_MS, after)]) {
            const later = checkSession(user, session, new Date(ms), options);
            expect(later.allowed).toBe(false);
            expect(later.allowed ? '' : later.reason).toMatch(/^(expired|session-expired)$/);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('L1/L3: checkLogin allowed at now implies checkSession allowed at now', () => {
    fc.assert(
      fc.property(caseArb, ({ user, now, options }) => {
        if (checkLogin(user, now, options).allowed) {
          expect(checkSession(user, { issuedAt: now }, now, options).allowed).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('R4: never allowed at or after expiresAt, whatever the session', () => {
    fc.assert(
      fc.property(
        caseArb,
        instantArb(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ user, options }, issuedAt, after) => {
          if (user.expiresAt === null) return;
          const expiryMs = user.expiresAt.getTime();
          for (const ms of [expiryMs, within(expiryMs, MAX_MS, after)]) {
            const at = new Date(ms);
            expect(checkLogin(user, at, options)).toMatchObject({
              allowed: false,
              reason: 'expired',
            });
            expect(checkSession(user, { issuedAt }, at, options)).toMatchObject({
              allowed: false,
              reason: 'expired',
            });
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('L3: accessRevokedAt at or after now refuses both, fail closed', () => {
    fc.assert(
      fc.property(caseArb, ({ user, now, options }) => {
        fc.pre(revokedMsOf(user) >= now.getTime());
        const login = checkLogin(user, now, options);
        const session = checkSession(user, { issuedAt: now }, now, options);
        expect(login.allowed).toBe(false);
        expect(session.allowed).toBe(false);
        if (checkLogin({ ...user, accessRevokedAt: null }, now, options).allowed) {
          expect(login).toMatchObject({ reason: 'access-revoked' });
          expect(session).toMatchObject({ reason: 'session-revoked' });
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('L3: accessRevokedAt before now takes nothing away from a login', () => {
    fc.assert(
      fc.property(caseArb, ({ user, now, options }) => {
        fc.pre(revokedMsOf(user) < now.getTime());
        expect(checkLogin(user, now, options)).toEqual(
          checkLogin({ ...user, accessRevokedAt: null }, now, options),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('L1/L3/L4: checkLoginWith and the guard decide as checkLogin does, skew included', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ user, now, options }) => {
        const login = checkLogin(user, now, options);
        expect(await checkLoginWith(() => user, now, options ?? {})).toEqual(login);
        const guard = createLoginGuard({
          loadUser: () => user,
          maxSessionMs: options?.maxSessionMs,
        });
        const guarded = await guard.login(user.id, now);
        expect(guarded.decision).toEqual(login);
        const request = await guard.request(user.id, { issuedAt: now }, now);
        expect(request.allowed).toBe(login.allowed);
      }),
      { numRuns: 300 },
    );
  });
});

describe('L3: the instant of revocation, exactly (clock skew)', () => {
  const NOW = new Date('2026-06-01T09:00:00.000Z');
  const nowMs = NOW.getTime();
  const withRevokedAt = (ms: number): User => ({
    id: 'ada',
    status: 'active',
    expiresAt: null,
    accessRevokedAt: new Date(ms),
  });

  it.each([
    ['at now', 0],
    ['one millisecond after now', 1],
    ['an hour after now', HOUR],
  ])(
    'accessRevokedAt %s: login refused as access-revoked, its session as session-revoked',
    (_, delta) => {
      const user = withRevokedAt(nowMs + delta);
      expect(checkLogin(user, NOW)).toEqual({ allowed: false, reason: 'access-revoked' });
      expect(checkLogin(user, NOW, { maxSessionMs: HOUR })).toEqual({
        allowed: false,
        reason: 'access-revoked',
      });
      expect(checkSession(user, { issuedAt: NOW }, NOW)).toEqual({
        allowed: false,
        reason: 'session-revoked',
      });
    },
  );

  it('accessRevokedAt one millisecond before now: login allowed, and its session with it', () => {
    const user = withRevokedAt(nowMs - 1);
    const allowed = { allowed: true, status: 'active', sessionExpiresAt: null };
    expect(checkLogin(user, NOW)).toEqual(allowed);
    expect(checkSession(user, { issuedAt: NOW }, NOW)).toEqual(allowed);
    expect(checkSession(user, { issuedAt: NOW }, new Date(nowMs + 1))).toEqual(allowed);
  });

  it('the refusal is shared and frozen: refusing allocates nothing', () => {
    const user = withRevokedAt(nowMs);
    const first = checkLogin(user, NOW);
    expect(checkLogin(withRevokedAt(nowMs + 5), NOW)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('a server whose clock is behind the one that reactivated the learner: refused until its clock passes, then no loop', async () => {
    const reactivatedAt = new Date(nowMs + 5_000); // by a server 5 s ahead of this one
    const off: User = { id: 'ada', status: 'deactivated', expiresAt: null };
    const { user } = reactivate(off, { now: reactivatedAt });
    const guard = createLoginGuard({ loadUser: () => user, maxSessionMs: 8 * HOUR });
    expect(await guard.login('ada', NOW)).toEqual({
      decision: { allowed: false, reason: 'access-revoked' },
      cookieMaxAgeMs: 0,
    });
    const atReactivation = await guard.login('ada', reactivatedAt);
    expect(atReactivation.decision).toMatchObject({ allowed: false, reason: 'access-revoked' });
    const later = new Date(reactivatedAt.getTime() + 1);
    const login = await guard.login('ada', later);
    expect(login).toMatchObject({ decision: { allowed: true }, cookieMaxAgeMs: 8 * HOUR });
    expect(await guard.request('ada', { issuedAt: later }, later)).toEqual(login.decision);
    expect(await guard.request('ada', { issuedAt: later }, new Date(later.getTime() + 1))).toEqual(
      login.decision,
    );
  });

  it('userArb users with no accessRevokedAt are never refused as access-revoked', () => {
    fc.assert(
      fc.property(userArb({ withAccessRevokedAt: false }), instantArb(), (user, now) => {
        const decision = checkLogin(user, now);
        expect(decision.allowed ? undefined : decision.reason).not.toBe('access-revoked');
      }),
    );
  });
});
