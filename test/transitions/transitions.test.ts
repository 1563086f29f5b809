import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSession,
  deactivate,
  effectiveStatus,
  reactivate,
  type StoredStatus,
  setExpiration,
  setStatus,
  type TransitionResult,
  type User,
} from '../../src/index.js';
import { instantArb, storedStatusArb, userAndNowArb } from '../../src/testing/index.js';
import { codeOf, deepFreeze } from '../support/arbitraries.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-06-01T12:00:00.000Z');
const PAST = at('2026-01-01T00:00:00.000Z');
const FUTURE = at('2027-01-01T00:00:00.000Z');

const activeUser = {
  id: 'u1',
  status: 'active' as const,
  expiresAt: FUTURE,
  email: 'ada@example.org',
};
const expiredActive: User = { id: 'u2', status: 'active', expiresAt: PAST };
const expiredDeactivated: User = { id: 'u3', status: 'deactivated', expiresAt: PAST };

type Transition = (user: User, now: Date) => TransitionResult<User>;
const transitionArb = (): fc.Arbitrary<[string, Transition]> =>
  fc.oneof(
    fc.constant<[string, Transition]>(['deactivate', (u, now) => deactivate(u, { now })]),
    fc.constant<[string, Transition]>(['reactivate', (u, now) => reactivate(u, { now })]),
    storedStatusArb().map<[string, Transition]>((s) => [
      `setStatus(${s})`,
      (u, now) => setStatus(u, s, { now }),
    ]),
    fc
      .option(instantArb(), { nil: null })
      .map<[string, Transition]>((d) => [
        `setExpiration(${d?.toISOString()})`,
        (u, now) => setExpiration(u, d, { now }),
      ]),
  );

describe('R6: expired cannot be selected', () => {
  it.each(['expired', 'Expired', 'EXPIRED', ' expired '])(
    'R6: %j throws EXPIRED_NOT_SELECTABLE',
    (status) => {
      expect(codeOf(() => setStatus(activeUser, status as StoredStatus, { now: NOW }))).toBe(
        'EXPIRED_NOT_SELECTABLE',
      );
    },
  );

  it('R6: the message says to change the expiration date instead', () => {
    expect(() => setStatus(activeUser, 'expired' as StoredStatus, { now: NOW })).toThrow(
      /expiration date/,
    );
  });

  it('R6: a type error at compile time', () => {
    // @ts-expect-error 'expired' is not a StoredStatus
    expect(codeOf(() => setStatus(activeUser, 'expired', { now: NOW }))).toBe(
      'EXPIRED_NOT_SELECTABLE',
    );
  });

  it.each(['Active', 'yes', '', null, 1])(
    'R6: any other value %j throws INVALID_STATUS',
    (status) => {
      expect(codeOf(() => setStatus(activeUser, status as StoredStatus, { now: NOW }))).toBe(
        'INVALID_STATUS',
      );
    },
  );
});

describe('R7: restoring access by moving the expiration date', () => {
  it('R7: an expired active learner is active again', () => {
    const { user, changed, event, effective } = setExpiration(expiredActive, FUTURE, { now: NOW });
    expect(changed).toBe(true);
    expect(effectiveStatus(user, NOW)).toBe('active');
    expect(effective).toBe('active');
    expect(event?.before.effective).toBe('expired');
    expect(event?.after).toEqual({ status: 'active', expiresAt: FUTURE, effective: 'active' });
  });

  it('R7: null (never) restores too', () => {
    expect(effectiveStatus(setExpiration(expiredActive, null, { now: NOW }).user, NOW)).toBe(
      'active',
    );
  });

  it('R7: a deactivated learner stays deactivated, and the result says so', () => {
    const { user, event, effective } = setExpiration(expiredDeactivated, FUTURE, { now: NOW });
    expect(effectiveStatus(user, NOW)).toBe('deactivated');
    expect(event?.after.effective).toBe('deactivated');
    expect(effective).toBe('deactivated');
  });

  it('R7: moving the date to now is not a restoration (the instant is expired)', () => {
    const { user } = setExpiration(expiredActive, new Date(NOW.getTime()), { now: NOW });
    expect(effectiveStatus(user, NOW)).toBe('expired');
  });

  it('R7 property: for every stored status, moving the date into the future gives that status back', () => {
    fc.assert(
      fc.property(
        storedStatusArb(),
        instantArb(),
        fc.integer({ min: 1, max: 1e12 }),
        (status, now, ahead) => {
          fc.pre(now.getTime() + ahead <= 8.64e15 && now.getTime() > -8.64e15);
          const expired: User = { id: 'u', status, expiresAt: new Date(now.getTime() - 1) };
          expect(effectiveStatus(expired, now)).toBe('expired');
          const { user } = setExpiration(expired, new Date(now.getTime() + ahead), { now });
          expect(effectiveStatus(user, now)).toBe(status);
        },
      ),
    );
  });

  it('R7/R9: a new expiration Date is copied, not aliased', () => {
    const date = new Date(FUTURE);
    const { user } = setExpiration(expiredActive, date, { now: NOW });
    date.setTime(0);
    expect(user.expiresAt).toEqual(FUTURE);
  });

  it.each([
    ['an Invalid Date', new Date(Number.NaN)],
    ['a number', 1_900_000_000_000],
    ['a string', '2027-01-01'],
    ['undefined', undefined],
  ])('R7: %s as the new expiration throws INVALID_DATE', (_, value) => {
    expect(codeOf(() => setExpiration(activeUser, value as Date, { now: NOW }))).toBe(
      'INVALID_DATE',
    );
  });
});

describe('R8: deactivate and reactivate from every effective status', () => {
  it('R8: deactivating an active learner takes access away and asks to end sessions', () => {
    const { user, changed, event } = deactivate(activeUser, {
      now: NOW,
      actor: 'admin-7',
      source: 'admin',
    });
    expect(changed).toBe(true);
    expect(user.status).toBe('deactivated');
    expect(event?.endSessions).toBe(true);
    expect(user.accessRevokedAt).toEqual(NOW);
  });

  it('R8: reactivating an expired learner keeps them expired and says so', () => {
    const { user, changed, event, effective } = reactivate(expiredDeactivated, { now: NOW });
    expect(changed).toBe(true);
    expect(user.status).toBe('active');
    expect(effectiveStatus(user, NOW)).toBe('expired');
    expect(effective).toBe('expired');
    expect(event?.before.effective).toBe('expired');
    expect(event?.after.effective).toBe('expired');
    expect(event?.endSessions).toBe(false);
  });

  it('R8: reactivating an already active but expired learner changes nothing and still says so', () => {
    const result = reactivate(expiredActive, { now: NOW });
    expect(result.changed).toBe(false);
    expect(result.effective).toBe('expired');
  });

  it('R8: deactivating an expired learner changes only the stored status', () => {
    const { user, event } = deactivate(expiredActive, { now: NOW });
    expect(user.status).toBe('deactivated');
    expect(user.expiresAt).toEqual(PAST);
    expect(event?.endSessions).toBe(false);
    expect(user.accessRevokedAt).toBeUndefined();
  });

  it('R8: reactivating a deactivated learner gives access back', () => {
    const deactivated = deactivate(activeUser, { now: NOW }).user;
    const { user, event } = reactivate(deactivated, { now: at('2026-06-02T00:00:00Z') });
    expect(effectiveStatus(user, NOW)).toBe('active');
    expect(event?.endSessions).toBe(false);
  });
});

describe('R9: pure, idempotent transitions', () => {
  it('R9: the caller’s extra fields survive and the input is not mutated', () => {
    const input = deepFreeze({ ...activeUser });
    const { user } = deactivate(input, { now: NOW });
    expect(user.email).toBe('ada@example.org');
    expect(input.status).toBe('active');
    expect(user).not.toBe(input);
  });

  it('R9: no change reports changed: false, no event, and the same user', () => {
    const result = reactivate(activeUser, { now: NOW });
    expect(result).toEqual({ user: activeUser, changed: false, event: null, effective: 'active' });
    expect(setExpiration(activeUser, new Date(FUTURE), { now: NOW }).changed).toBe(false);
  });

  it('R9 property: applying any transition twice: the second reports no change', () => {
    fc.assert(
      fc.property(userAndNowArb(), transitionArb(), ({ user, now }, [, transition]) => {
        const first = transition(user, now);
        const second = transition(first.user, now);
        expect(second.changed).toBe(false);
        expect(second.event).toBeNull();
        expect(second.user).toBe(first.user);
      }),
    );
  });

  it('R9 property: a deep-frozen input is never mutated and repeated calls agree', () => {
    fc.assert(
      fc.property(userAndNowArb(), transitionArb(), ({ user, now }, [, transition]) => {
        const snapshot = structuredClone(user);
        const frozen = deepFreeze(user);
        const first = transition(frozen, now);
        expect(transition(frozen, now)).toEqual(first);
        expect(frozen).toEqual(snapshot);
      }),
    );
  });

  it('R9/R10 property: changed exactly when the stored status or expiry differs, and then an event', () => {
    fc.assert(
      fc.property(userAndNowArb(), transitionArb(), ({ user, now }, [, transition]) => {
        const { user: after, changed, event } = transition(user, now);
        const differs =
          after.status !== user.status || after.expiresAt?.getTime() !== user.expiresAt?.getTime();
        expect(changed).toBe(differs);
        expect(event !== null).toBe(changed);
        if (event !== null) {
          expect(event.before.effective).toBe(effectiveStatus(user, now));
          expect(event.after.effective).toBe(effectiveStatus(after, now));
          expect(event.endSessions).toBe(
            event.before.effective === 'active' && event.after.effective !== 'active',
          );
        }
      }),
    );
  });

  it('R9: a missing or invalid now throws INVALID_DATE, a missing context INVALID_OPTION; invalid users INVALID_USER', () => {
    expect(codeOf(() => deactivate(activeUser, { now: new Date(Number.NaN) }))).toBe(
      'INVALID_DATE',
    );
    expect(codeOf(() => deactivate(activeUser, {} as { now: Date }))).toBe('INVALID_DATE');
    // No context at all is the context's own error (R10), not one of its fields.
    expect(codeOf(() => deactivate(activeUser, undefined as unknown as { now: Date }))).toBe(
      'INVALID_OPTION',
    );
    expect(
      codeOf(() =>
        deactivate({ id: 'u', status: 'expired', expiresAt: null } as unknown as User, {
          now: NOW,
        }),
      ),
    ).toBe('INVALID_USER');
  });

  it.each([
    [{ now: NOW, actr: 'typo' }, 'actr'],
    [{ now: NOW, constructor: 'x' }, 'constructor'],
  ])(
    'R10: an unknown context field %j throws INVALID_OPTION naming %s, never dropped silently',
    (ctx, field) => {
      try {
        deactivate(activeUser, ctx as unknown as { now: Date });
        expect.unreachable();
      } catch (error) {
        expect((error as { code: string }).code).toBe('INVALID_OPTION');
        expect((error as { field: string }).field).toBe(field);
      }
    },
  );

  it('R10: an unknown field set to undefined counts as absent', () => {
    expect(
      deactivate(activeUser, { now: NOW, other: undefined } as unknown as { now: Date }).changed,
    ).toBe(true);
  });
});

describe('R10: audit events', () => {
  it('R10: carries who, when, where from, why, the CSV line and before/after', () => {
    const { event } = deactivate(activeUser, {
      now: NOW,
      actor: 'admin-7',
      source: 'csv',
      reason: 'left',
      line: 12,
    });
    expect(event).toEqual({
      userId: 'u1',
      at: NOW,
      actor: 'admin-7',
      source: 'csv',
      reason: 'left',
      line: 12,
      before: { status: 'active', expiresAt: FUTURE, effective: 'active' },
      after: { status: 'deactivated', expiresAt: FUTURE, effective: 'deactivated' },
      endSessions: true,
    });
  });

  it('R10: optional fields are absent, not undefined, when not given', () => {
    const { event } = deactivate(activeUser, { now: NOW });
    expect(Object.keys(event ?? {}).sort()).toEqual([
      'after',
      'at',
      'before',
      'endSessions',
      'userId',
    ]);
  });

  it('R10: dates in the event are copies', () => {
    const { event } = deactivate(activeUser, { now: NOW });
    expect(event?.at).not.toBe(NOW);
    expect(event?.before.expiresAt).not.toBe(FUTURE);
  });

  it('R10: moving the date into the past takes access away and asks to end sessions', () => {
    const { user, event } = setExpiration(activeUser, PAST, { now: NOW });
    expect(event?.endSessions).toBe(true);
    expect(user.accessRevokedAt).toEqual(NOW);
  });
});

describe('L3: sessions from before a loss of access stay refused', () => {
  const issuedAt = at('2026-05-01T00:00:00Z');

  it('L3: deactivate then reactivate: the old session is refused, a new login works', () => {
    const off = deactivate(activeUser, { now: NOW }).user;
    const back = reactivate(off, { now: at('2026-06-02T00:00:00Z') }).user;
    const later = at('2026-06-03T00:00:00Z');
    expect(checkSession(back, { issuedAt }, later)).toMatchObject({
      allowed: false,
      reason: 'session-revoked',
    });
    expect(checkSession(back, { issuedAt: at('2026-06-02T01:00:00Z') }, later).allowed).toBe(true);
  });

  it('L3: a natural expiry counts as a loss of access when the date is moved later', () => {
    const user: User = { id: 'u', status: 'active', expiresAt: at('2026-05-15T00:00:00Z') };
    const restored = setExpiration(user, FUTURE, { now: NOW }).user;
    expect(restored.accessRevokedAt).toEqual(NOW);
    expect(checkSession(restored, { issuedAt }, NOW).allowed).toBe(false);
  });

  it('L3: giving access back marks the instant, so no session from before counts', () => {
    const user: User = {
      id: 'u',
      status: 'deactivated',
      expiresAt: null,
      accessRevokedAt: at('2026-05-20T00:00:00Z'),
    };
    const back = reactivate(user, { now: NOW }).user;
    expect(back.accessRevokedAt).toEqual(NOW);
    expect(checkSession(back, { issuedAt: at('2026-05-25T00:00:00Z') }, NOW).allowed).toBe(false);
    expect(checkSession(back, { issuedAt: new Date(NOW.getTime() + 1) }, NOW).allowed).toBe(true);
  });

  it('L3: a deactivation recorded elsewhere (no accessRevokedAt) refuses every older session on reactivation', () => {
    const user: User = { id: 'u', status: 'deactivated', expiresAt: null };
    expect(reactivate(user, { now: NOW }).user.accessRevokedAt).toEqual(NOW);
  });

  it('L3 property: after any sequence of transitions, a session issued before the last loss of access is refused', () => {
    fc.assert(
      fc.property(
        userAndNowArb(),
        fc.array(fc.tuple(transitionArb(), fc.integer({ min: 1, max: 1e10 })), { maxLength: 6 }),
        ({ user, now }, steps) => {
          fc.pre(now.getTime() < 8e15 && now.getTime() > -8e15);
          let current = user;
          let t = now.getTime();
          let lostAt = Number.NaN;
          for (const [[, transition], gap] of steps) {
            t += gap;
            const result = transition(current, new Date(t));
            if (result.event?.endSessions) lostAt = t;
            current = result.user;
          }
          if (!Number.isNaN(lostAt)) {
            expect(checkSession(current, { issuedAt: new Date(lostAt) }, new Date(t)).allowed).toBe(
              false,
            );
          }
        },
      ),
    );
  });
});
