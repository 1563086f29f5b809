export { checkLogin, checkSession, type SessionInfo } from './check.js';
export type {
  LoginAllowed,
  LoginDecision,
  LoginRefusalReason,
  Refused,
  SessionDecision,
  SessionRefusalReason,
} from './decision.js';
export {
  createLoginGuard,
  type GuardedLogin,
  type LoginGuard,
  type LoginGuardOptions,
} from './guard.js';
export { checkLoginWith, type LoadLoginOptions } from './load.js';
export type { LoginOptions } from './options.js';
