/**
 * Why login access is refused (L1, L4). Log it; show the person one generic message, and
 * show the reason only after their password was verified.
 *
 * - `unknown-user`: no such learner.
 * - `deactivated`: an administrator deactivated the learner.
 * - `expired`: the expiration date has passed (R4).
 * - `invalid`: the stored record is broken (R12): bad data never reads as access.
 * - `unavailable`: the store failed or timed out (L4): fail closed.
 * - `access-revoked`: `accessRevokedAt` is at or after `now` (L3): access was taken away or
 *   given back at an instant this clock has not reached, usually set by a server whose clock
 *   is ahead. Fail closed: a login then cannot be told apart from one the revocation was meant
 *   to stop, and `checkSession` would refuse the session it issued. Login works once `now`
 *   is past `accessRevokedAt`.
 *
 * @example
 * ```ts
 * import type { LoginRefusalReason } from 'learner-status';
 *
 * const reason: LoginRefusalReason = 'expired';
 * ```
 */
export type LoginRefusalReason =
  | 'unknown-user'
  | 'deactivated'
  | 'expired'
  | 'invalid'
  | 'unavailable'
  | 'access-revoked';

/**
 * Why an existing session is refused: a login refusal, or `session-revoked` (issued at or
 * before `accessRevokedAt`, the instant login access last changed, L3), or `session-expired`
 * (older than `maxSessionMs`). `checkSession` answers `session-revoked` where `checkLogin`
 * answers `access-revoked`.
 *
 * @example
 * ```ts
 * import type { SessionRefusalReason } from 'learner-status';
 *
 * const reason: SessionRefusalReason = 'session-revoked';
 * ```
 */
export type SessionRefusalReason = LoginRefusalReason | 'session-revoked' | 'session-expired';

/**
 * Access granted. `sessionExpiresAt` is the latest instant the session may last: the
 * earlier of the learner's `expiresAt` and the caller's maximum session length, or `null`
 * when neither limits it. When the account's expiry is the limit, it is that very `Date`
 * object (copying a Date costs more than the whole check): read it, don't mutate it.
 *
 * @example
 * ```ts
 * import { checkLogin, type LoginAllowed } from 'learner-status';
 *
 * const decision = checkLogin({ id: 'u1', status: 'active', expiresAt: null }, new Date());
 * if (decision.allowed) {
 *   const granted: LoginAllowed = decision;
 *   console.log(granted.sessionExpiresAt); // null: no limit
 * }
 * ```
 */
export interface LoginAllowed {
  readonly allowed: true;
  readonly status: 'active';
  readonly sessionExpiresAt: Date | null;
}

/**
 * Access refused, with the reason to log. `detail` says what exactly was wrong, for the log
 * (never for the person), when the reason alone does not: for `invalid` and `unavailable`.
 * For `invalid` it is the error as text, the same form for every fault of `checkLogin` and
 * `checkSession`: `LearnerStatusError: \`status\` must be 'active' or 'deactivated'.`
 *
 * @example
 * ```ts
 * import { checkLogin } from 'learner-status';
 *
 * const decision = checkLogin({ id: 'u1', status: 'Active', expiresAt: null } as never, new Date());
 * if (!decision.allowed) console.log(decision.reason, decision.detail); // invalid LearnerStatusError: `status` must be ...
 * ```
 */
export interface Refused<Reason extends string> {
  readonly allowed: false;
  readonly reason: Reason;
  readonly detail?: string | undefined;
}

/**
 * What `checkLogin` answers (L1).
 *
 * @example
 * ```ts
 * import { checkLogin, type LoginDecision } from 'learner-status';
 *
 * const decision: LoginDecision = checkLogin(undefined, new Date());
 * decision.allowed; // false
 * ```
 */
export type LoginDecision = LoginAllowed | Refused<LoginRefusalReason>;

/**
 * What `checkSession` answers (L1, L3).
 *
 * @example
 * ```ts
 * import { checkSession, type SessionDecision } from 'learner-status';
 *
 * const user = { id: 'u1', status: 'active' as const, expiresAt: null };
 * const decision: SessionDecision = checkSession(user, { issuedAt: new Date() }, new Date());
 * ```
 */
export type SessionDecision = LoginAllowed | Refused<SessionRefusalReason>;

/** A refusal; `detail` only where the reason alone does not say what was wrong. */
export function refusal<Reason extends string>(reason: Reason, detail?: string): Refused<Reason> {
  return Object.freeze({ allowed: false, reason, detail });
}

// Refusals that need no detail: made once, when the module loads, frozen and shared, so that
// refusing costs no allocation and no caller can change the answer for the others. One
// constant per reason rather than a table looked up by reason: each is then a constant the
// optimising compiler knows, where a lookup by a varying key is a hash probe.
export const UNKNOWN_USER = /* @__PURE__ */ refusal('unknown-user');
export const DEACTIVATED = /* @__PURE__ */ refusal('deactivated');
export const EXPIRED = /* @__PURE__ */ refusal('expired');
export const ACCESS_REVOKED = /* @__PURE__ */ refusal('access-revoked');
export const SESSION_REVOKED = /* @__PURE__ */ refusal('session-revoked');
export const SESSION_EXPIRED = /* @__PURE__ */ refusal('session-expired');

/** The answer for a learner with no limit on the session: shared and frozen, so free. */
export const ALLOWED_UNLIMITED: LoginAllowed = /* @__PURE__ */ Object.freeze({
  allowed: true,
  status: 'active',
  sessionExpiresAt: null,
});
