import { mustBe } from '../errors.js';
import { checkKeys } from '../options.js';
import type { User } from '../status/types.js';
import { checkSession, type SessionInfo } from './check.js';
import type { LoginAllowed, LoginRefusalReason, Refused, SessionDecision } from './decision.js';
import { checkLoginWith } from './load.js';
import { maxSessionOf } from './options.js';

/**
 * Options of {@link createLoginGuard}: how to load a learner by id, and the limits.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type LoginGuardOptions, type User } from 'learner-status';
 *
 * const store = createMemoryStore<User>([{ id: 'ada', status: 'active', expiresAt: null }]);
 * const options: LoginGuardOptions<User> = {
 *   loadUser: async (id) => (await store.readUsers([id]))[0]?.user,
 *   maxSessionMs: 8 * 3_600_000,
 *   timeoutMs: 2000,
 * };
 * ```
 */
export interface LoginGuardOptions<U extends User = User> {
  /**
   * Loads the learner with this id from your store: `null` or `undefined` when there is none.
   * Throwing, rejecting or taking longer than `timeoutMs` refuses access as `unavailable` (L4).
   */
  readonly loadUser: (id: string) => U | null | undefined | PromiseLike<U | null | undefined>;
  /** The longest a session may last, counted from login (see `LoginOptions`). */
  readonly maxSessionMs?: number | undefined;
  /** Refuse with `unavailable` when `loadUser` takes longer than this. Default: no limit. */
  readonly timeoutMs?: number | undefined;
}

/**
 * What {@link LoginGuard.login} answers: the decision of `checkLogin` and, when access is
 * granted, how long the session cookie may live: `sessionExpiresAt - now` in milliseconds
 * (`null` when nothing limits the session: a browser-session cookie). A refusal carries
 * `cookieMaxAgeMs: 0`: set no session cookie, and clear any old one.
 *
 * @example
 * ```ts
 * import type { GuardedLogin } from 'learner-status';
 *
 * function cookieSeconds(result: GuardedLogin): number | null {
 *   return result.cookieMaxAgeMs === null ? null : Math.floor(result.cookieMaxAgeMs / 1000);
 * }
 * ```
 */
export type GuardedLogin =
  | { readonly decision: LoginAllowed; readonly cookieMaxAgeMs: number | null }
  | { readonly decision: Refused<LoginRefusalReason>; readonly cookieMaxAgeMs: 0 };

/**
 * The login checks of one application, bound to its user loader and limits; made by
 * {@link createLoginGuard}. Both methods fail closed: a store that throws or hangs refuses
 * access as `unavailable` (L4). They reject only for bugs in the calling code (an invalid
 * `now`), never for data or outages.
 *
 * @example
 * ```ts
 * import { createLoginGuard, type LoginGuard } from 'learner-status';
 *
 * const guard: LoginGuard = createLoginGuard({ loadUser: () => undefined });
 * const { decision } = await guard.login('nobody', new Date());
 * decision.allowed; // false: unknown-user
 * ```
 */
export interface LoginGuard {
  /** L1, L4: call after the password was verified. */
  login(id: string, now: Date): Promise<GuardedLogin>;
  /** L1, L3, L4: call on every request of a session issued to the learner `id`. */
  request(id: string, session: SessionInfo, now: Date): Promise<SessionDecision>;
}

/**
 * Builds a framework-neutral {@link LoginGuard} from a `loadUser` function: `login(id, now)`
 * answers the `checkLogin` decision with the session cookie's max-age, capped at
 * `sessionExpiresAt` (L1); `request(id, session, now)` answers the `checkSession` decision for
 * every request (L1, L3). When `loadUser` throws, rejects or takes longer than `timeoutMs`,
 * both refuse with reason `unavailable` (L4). Options are checked here, once: an unknown key,
 * a `loadUser` that is not a function, or a bad `maxSessionMs`/`timeoutMs` throws
 * `INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { createLoginGuard, type User } from 'learner-status';
 *
 * const users = new Map<string, User>([
 *   ['ada', { id: 'ada', status: 'active', expiresAt: new Date('2026-06-01T17:00:00Z') }],
 * ]);
 * const guard = createLoginGuard({
 *   loadUser: async (id) => users.get(id),
 *   maxSessionMs: 8 * 3_600_000,
 *   timeoutMs: 2000,
 * });
 * const now = new Date('2026-06-01T12:00:00Z');
 * const { decision, cookieMaxAgeMs } = await guard.login('ada', now); // after the password check
 * cookieMaxAgeMs; // 18000000: five hours, until the account expires
 * if (decision.allowed) {
 *   const later = new Date('2026-06-01T13:00:00Z');
 *   (await guard.request('ada', { issuedAt: now }, later)).allowed; // true
 * }
 * ```
 */
export function createLoginGuard<U extends User>(options: LoginGuardOptions<U>): LoginGuard {
  checkKeys('options', options, /^(loadUser|maxSessionMs|timeoutMs)$/);
  const { loadUser, maxSessionMs, timeoutMs } = options;
  if (typeof loadUser !== 'function') {
    throw mustBe('INVALID_OPTION', 'loadUser', 'a function that loads a user by id');
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw mustBe('INVALID_OPTION', 'timeoutMs', 'a positive number of milliseconds');
  }
  const loginOptions = { maxSessionMs };
  maxSessionOf(loginOptions);
  const loadOptions = { maxSessionMs, timeoutMs };

  return {
    async login(id, now) {
      const decision = await checkLoginWith(() => loadUser(id), now, loadOptions);
      if (!decision.allowed) return { decision, cookieMaxAgeMs: 0 };
      const end = decision.sessionExpiresAt;
      return { decision, cookieMaxAgeMs: end === null ? null : end.getTime() - now.getTime() };
    },
    async request(id, session, now) {
      // checkLoginWith loads with the time limit and fails closed; the session rules follow.
      let user: U | null | undefined;
      const loaded = await checkLoginWith(
        async () => {
          user = await loadUser(id);
          return user;
        },
        now,
        loadOptions,
      );
      if (!loaded.allowed && loaded.reason === 'unavailable') return loaded;
      return checkSession(user, session, now, loginOptions);
    },
  };
}
