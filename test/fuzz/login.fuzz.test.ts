// Fuzzing checkLogin and checkSession (L1, L3, R4, R5, R12): arbitrary values as the user, the
// session, `now` and the options. The documented contract (docs/login.md, src/login/check.ts):
// bad *data* (the user, the session) never throws and never grants access, it is refused with a
// reason; a bad `now` throws INVALID_DATE and bad options INVALID_OPTION (bugs in the calling
// code). Whenever access is granted, the user was valid and effectiveStatus(user, now) is
// 'active', `accessRevokedAt` (if any) lies before the session's start, and the session end
// lies after `now` and within every limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLogin,
  checkSession,
  effectiveStatus,
  LearnerStatusError,
  type LoginOptions,
  type SessionDecision,
  type SessionInfo,
  type User,
} from '../../src/index.js';
import { instantArb } from '../../src/testing/index.js';
import { ERROR_CODES, fuzzParameters, fuzzTimeout } from './runs.js';
import {
  anyNowArb,
  anyUserArb,
  exoticUserArb,
  isValidDate,
  judgeUser,
  type UserSnapshot,
} from './users.js';

const LOGIN_REASONS = new Set([
  'unknown-user',
  'deactivated',
  'expired',
  'invalid',
  'unavailable',
  'access-revoked',
]);
const SESSION_REASONS = new Set([...LOGIN_REASONS, 'session-revoked', 'session-expired']);
const MAX_MS = 8.64e15;

/** Options, with whether the documented contract accepts them (positive finite maxSessionMs). */
interface OptionsCase {
  readonly options: unknown;
  readonly maxMs: number | undefined;
  readonly valid: boolean;
}

const optionsArb: fc.Arbitrary<OptionsCase> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ options: undefined, maxMs: undefined, valid: true }) },
  fc.constantFrom<OptionsCase>(
    { options: {}, maxMs: undefined, valid: true },
    { options: { maxSessionMs: undefined }, maxMs: undefined, valid: true },
    { options: { maxSessionMs: 3_600_000, other: undefined }, maxMs: 3_600_000, valid: true },
  ),
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.integer({ min: 1, max: 2 ** 53 - 1 }),
        fc.constantFrom(1, 1000, 3_600_000, 8 * 3_600_000, MAX_MS, 2 * MAX_MS, Number.MAX_VALUE),
      )
      .map((maxMs) => ({ options: { maxSessionMs: maxMs }, maxMs, valid: true })),
  },
  fc
    .constantFrom<unknown>(
      null,
      'maxSessionMs',
      3_600_000,
      { maxSessionMs: 0 },
      { maxSessionMs: -1 },
      { maxSessionMs: -0 },
      { maxSessionMs: Number.NaN },
      { maxSessionMs: Number.POSITIVE_INFINITY },
      { maxSessionMs: '3600000' },
      { maxSessionMs: null },
      { maxSessionMs: 1n },
      { maxSession: 3_600_000 },
      { timeoutMs: 1000 },
    )
    .map((options) => ({ options, maxMs: undefined, valid: false })),
);

/**
 * Fractional milliseconds: refused with INVALID_OPTION (the contract is a positive whole number:
 * `now + 5e-324` is `now`, a session that would end as it starts). Whole numbers pass.
 */
const fractionalOptionsArb: fc.Arbitrary<OptionsCase> = fc
  .oneof(
    fc.double({ min: Number.MIN_VALUE, max: 1e9, noNaN: true }),
    fc.constantFrom(Number.MIN_VALUE, 1e-9, 0.25, 0.5, 0.999, 1, 1.5, 2),
  )
  .map((maxMs) =>
    Number.isInteger(maxMs)
      ? { options: { maxSessionMs: maxMs }, maxMs, valid: true }
      : { options: { maxSessionMs: maxMs }, maxMs: undefined, valid: false },
  );

/** Runs `call`; the only thing it may throw is a LearnerStatusError with a known code. */
function attempt<T>(call: () => T): { value: T } | { error: LearnerStatusError } {
  try {
    return { value: call() };
  } catch (error) {
    if (!(error instanceof LearnerStatusError)) {
      expect.fail(`threw something other than a LearnerStatusError: ${String(error)}`);
    }
    expect(ERROR_CODES.has(error.code), `unknown code ${error.code}`).toBe(true);
    return { error };
  }
}

/** What a refusal must say about a user the oracle judged (R4, R5, R12, L1). */
function expectedLoginReason(user: unknown, snapshot: UserSnapshot | undefined, nowMs: number) {
  if (user === null || user === undefined) return 'unknown-user';
  if (snapshot === undefined) return 'invalid';
  if (snapshot.expiresMs !== null && nowMs >= snapshot.expiresMs) return 'expired';
  return snapshot.status === 'active' ? undefined : 'deactivated';
}

/** The laws of an allowed decision: a valid, active user, and a session end inside the limits. */
function checkAllowed(
  decision: SessionDecision,
  user: unknown,
  snapshot: UserSnapshot | undefined,
  nowMs: number,
  startMs: number,
  maxMs: number | undefined,
): void {
  if (!decision.allowed) return;
  expect(snapshot, 'access granted to invalid data').toBeDefined();
  const valid = snapshot as UserSnapshot;
  expect(effectiveStatus(user as User, new Date(nowMs))).toBe('active');
  expect(valid.status).toBe('active');
  expect(decision.status).toBe('active');
  if (valid.revokedMs !== null) {
    expect(valid.revokedMs, 'L3: issued (or logging in) after accessRevokedAt').toBeLessThan(
      startMs,
    );
  }
  const limits: number[] = [];
  if (valid.expiresMs !== null) {
    expect(nowMs, 'R4: the expiry instant itself is expired').toBeLessThan(valid.expiresMs);
    limits.push(valid.expiresMs);
  }
  if (maxMs !== undefined) limits.push(startMs + maxMs);
  const end = decision.sessionExpiresAt;
  const limit = Math.min(...limits);
  if (end === null) {
    expect(limit > MAX_MS, 'sessionExpiresAt is null only when nothing limits the session').toBe(
      true,
    );
  } else {
    expect(isValidDate(end), 'sessionExpiresAt is a valid Date').toBe(true);
    expect(end.getTime(), 'L1: the session ends at the earliest limit').toBeLessThanOrEqual(limit);
    expect(end.getTime(), 'L1: the session ends after now').toBeGreaterThan(nowMs);
  }
}

/**
 * A user whose getter turns broken after the first read: the decision must be the one for the
 * user as first read (a decision that reads a field twice lets the second, broken read in:
 * an Invalid Date as the session end, or a revocation that disappears).
 */
function sameAsFirstRead(decision: SessionDecision, expected: SessionDecision): void {
  expect(decision, 'the decision for the user as it was first read').toEqual(expected);
}

/**
 * checkLogin(user, now, options) against the contract. Returns nothing; fails on a breach.
 * `nowValue` and `options` may be anything: then the call must throw the documented code.
 */
function checkLoginContract(
  user: unknown,
  nowValue: unknown,
  options: OptionsCase,
  asFirstRead?: User,
): void {
  const outcome = attempt(() =>
    checkLogin(user as User, nowValue as Date, options.options as LoginOptions),
  );
  if (!isValidDate(nowValue)) {
    expect('error' in outcome && outcome.error.code, 'a bad `now` throws').toBe('INVALID_DATE');
    return;
  }
  if (!options.valid) {
    expect('error' in outcome && outcome.error.code, 'bad options throw').toBe('INVALID_OPTION');
    return;
  }
  if ('error' in outcome) {
    expect.fail(`checkLogin threw ${outcome.error.code} for data: ${outcome.error.message}`);
  }
  const decision = outcome.value;
  const nowMs = nowValue.getTime();
  if (asFirstRead !== undefined) {
    sameAsFirstRead(decision, checkLogin(asFirstRead, nowValue, options.options as LoginOptions));
    return;
  }
  const snapshot = judgeUser(user);
  checkAllowed(decision, user, snapshot, nowMs, nowMs, options.maxMs);
  const revokedMs = snapshot?.revokedMs ?? null;
  // L3, fail closed: access changed at an instant this clock has not passed.
  const reason =
    expectedLoginReason(user, snapshot, nowMs) ??
    (revokedMs !== null && revokedMs >= nowMs ? 'access-revoked' : undefined);
  if (decision.allowed) {
    expect(reason).toBeUndefined();
  } else {
    expect(LOGIN_REASONS.has(decision.reason), `L1: checkLogin reason ${decision.reason}`).toBe(
      true,
    );
    expect(decision.reason).toBe(reason ?? 'a granted login');
  }
}

describe('fuzz: checkLogin', () => {
  it(
    'L1, R4, R5, R12: any user-like data, any now, any options: refused or valid and active, never throws for data',
    () => {
      fc.assert(
        fc.property(anyUserArb(), anyNowArb(), optionsArb, (user, now, options) => {
          checkLoginContract(user, now, options);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'L1, R12: users with throwing or changing getters, proxies and inherited fields are never let in broken',
    () => {
      fc.assert(
        fc.property(exoticUserArb(), instantArb(), optionsArb, (exotic, now, options) => {
          checkLoginContract(exotic.make(), now, options, exotic.asFirstRead);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'L1: fractional maxSessionMs is INVALID_OPTION; whole ones give only login reasons and a session that ends after now',
    () => {
      fc.assert(
        fc.property(anyUserArb(), instantArb(), fractionalOptionsArb, (user, now, options) => {
          checkLoginContract(user, now, options);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );
});

// ---------------------------------------------------------------------------------------------
// checkSession

/** A session: issued at an instant near the interesting ones, or not a session at all. */
type SessionPlan =
  | { readonly kind: 'at'; readonly date: Date }
  | { readonly kind: 'revoked'; readonly delta: number }
  | { readonly kind: 'before-now'; readonly delta: number }
  | { readonly kind: 'raw'; readonly value: unknown };

const sessionPlanArb: fc.Arbitrary<SessionPlan> = fc.oneof(
  instantArb().map((date): SessionPlan => ({ kind: 'at', date })),
  fc.integer({ min: -2, max: 2 }).map((delta): SessionPlan => ({ kind: 'revoked', delta })),
  fc
    .oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: 0, max: 10 * 86_400_000 }))
    .map((delta): SessionPlan => ({ kind: 'before-now', delta })),
  fc
    .oneof(
      anyNowArb().map((issuedAt) => ({ issuedAt })),
      fc.constantFrom<unknown>(
        null,
        undefined,
        'token',
        0,
        {},
        { issuedAt: '2026-06-01T09:00:00Z' },
      ),
      fc.anything({ maxDepth: 1 }),
    )
    .map((value): SessionPlan => ({ kind: 'raw', value })),
);

function sessionOf(plan: SessionPlan, user: unknown, nowMs: number): unknown {
  const clamp = (ms: number) => new Date(Math.max(-MAX_MS, Math.min(MAX_MS, ms)));
  switch (plan.kind) {
    case 'at':
      return { issuedAt: plan.date };
    case 'raw':
      return plan.value;
    case 'before-now':
      return { issuedAt: clamp(nowMs - plan.delta) };
    case 'revoked': {
      const revokedMs = judgeUser(user)?.revokedMs;
      return { issuedAt: clamp((revokedMs ?? nowMs) + plan.delta) };
    }
  }
}

function checkSessionContract(
  user: unknown,
  plan: SessionPlan,
  nowValue: unknown,
  options: OptionsCase,
  asFirstRead?: User,
): void {
  const nowMs = isValidDate(nowValue) ? nowValue.getTime() : 0;
  const session = sessionOf(plan, asFirstRead ?? user, nowMs);
  const outcome = attempt(() =>
    checkSession(
      user as User,
      session as SessionInfo,
      nowValue as Date,
      options.options as LoginOptions,
    ),
  );
  if (!isValidDate(nowValue)) {
    expect('error' in outcome && outcome.error.code, 'a bad `now` throws').toBe('INVALID_DATE');
    return;
  }
  if (!options.valid) {
    expect('error' in outcome && outcome.error.code, 'bad options throw').toBe('INVALID_OPTION');
    return;
  }
  if ('error' in outcome) {
    expect.fail(`checkSession threw ${outcome.error.code} for data`);
  }
  const decision = outcome.value;
  if (!decision.allowed) {
    expect(SESSION_REASONS.has(decision.reason), decision.reason).toBe(true);
  }
  if (asFirstRead !== undefined) {
    sameAsFirstRead(
      decision,
      checkSession(asFirstRead, session as SessionInfo, nowValue, options.options as LoginOptions),
    );
    return;
  }
  const issuedAt = (session as { issuedAt?: unknown } | null | undefined)?.issuedAt;
  if (!isValidDate(issuedAt)) {
    expect(decision, 'a session without a valid issuedAt').toMatchObject({
      allowed: false,
      reason: 'invalid',
    });
    return;
  }
  const issuedMs = issuedAt.getTime();
  const snapshot = judgeUser(user);
  checkAllowed(decision, user, snapshot, nowMs, issuedMs, options.maxMs);
  const loginReason = expectedLoginReason(user, snapshot, nowMs);
  if (loginReason !== undefined) {
    expect(decision).toMatchObject({ allowed: false, reason: loginReason });
    return;
  }
  const revokedMs = (snapshot as UserSnapshot).revokedMs;
  if (revokedMs !== null && issuedMs <= revokedMs) {
    expect(decision, 'L3: issued at or before the revocation').toMatchObject({
      allowed: false,
      reason: 'session-revoked',
    });
  } else if (options.maxMs !== undefined && nowMs >= issuedMs + options.maxMs) {
    expect(decision).toMatchObject({ allowed: false, reason: 'session-expired' });
  } else {
    expect(decision.allowed, 'a valid, active, unrevoked, unexpired session').toBe(true);
  }
}

describe('fuzz: checkSession', () => {
  it(
    'L1, L3, R4, R5, R12: any user-like data, any session, any now: refused or valid, active, issued after the last revocation and within maxSessionMs',
    () => {
      fc.assert(
        fc.property(
          anyUserArb(),
          sessionPlanArb,
          anyNowArb(),
          optionsArb,
          (user, plan, now, options) => {
            checkSessionContract(user, plan, now, options);
          },
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'L3, R12: users with throwing or changing getters, proxies and inherited fields: no broken or revived session',
    () => {
      fc.assert(
        fc.property(
          exoticUserArb(),
          sessionPlanArb,
          instantArb(),
          optionsArb,
          (exotic, plan, now, options) => {
            checkSessionContract(exotic.make(), plan, now, options, exotic.asFirstRead);
          },
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );
});
