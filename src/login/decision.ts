/**
 * Why login access is refused (L1, L4). Log it; show the person one generic message, and
 * show the reason only after their password was verified.
 *
 * - `unknown-user`: no such learner.
 * - `deactivated`: an administrator deactivated the learner.
 * - `expired`: the expiration date has passed (R4).
 * - `invalid`: the stored record is broken (R12): bad data never reads as access.
 * - `unavailable`: the store failed or timed out (L4): fail closed.
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
  | 'unavailable';

/**
 * Why an existing session is refused: a login refusal, or `session-revoked` (issued at or
 * before the learner last lost access, L3), or `session-expired` (older than `maxSessionMs`).
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
 * when neither limits it.
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
 * Access refused, with the reason to log and a message for the log (not for the person).
 *
 * @example
 * ```ts
 * import { checkLogin } from 'learner-status';
 *
 * const decision = checkLogin(null, new Date());
 * if (!decision.allowed) console.log(decision.reason, decision.message); // unknown-user ...
 * ```
 */
export interface Refused<Reason extends string> {
  readonly allowed: false;
  readonly reason: Reason;
  readonly message: string;
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

function refusal<Reason extends string>(reason: Reason, message: string): Refused<Reason> {
  return Object.freeze({ allowed: false, reason, message });
}

// Shared, frozen answers: the common refusals cost no allocation.
export const REFUSED_UNKNOWN = refusal('unknown-user', 'No such user.');
export const REFUSED_DEACTIVATED = refusal(
  'deactivated',
  'The user is deactivated; an administrator can reactivate them.',
);
export const REFUSED_EXPIRED = refusal(
  'expired',
  'The account expiration date has passed; move the expiration date to restore access.',
);
export const REFUSED_REVOKED = refusal(
  'session-revoked',
  'The session was issued before the user last lost access; they must log in again.',
);
export const REFUSED_SESSION_EXPIRED = refusal(
  'session-expired',
  'The session is older than the maximum session length; the user must log in again.',
);
export const ALLOWED_UNLIMITED: LoginAllowed = Object.freeze({
  allowed: true,
  status: 'active',
  sessionExpiresAt: null,
});

export { refusal };
