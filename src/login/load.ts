import { requireInstant } from '../dates/instant.js';
import { mustBe } from '../errors.js';
import { checkKeys } from '../options.js';
import type { User } from '../status/types.js';
import { checkLogin } from './check.js';
import { type LoginDecision, refusal } from './decision.js';
import type { LoginOptions } from './options.js';

/**
 * Options of {@link checkLoginWith}: the login options, and how long the store may take.
 *
 * @example
 * ```ts
 * import type { LoadLoginOptions } from 'learner-status';
 *
 * const options: LoadLoginOptions = { timeoutMs: 2000, maxSessionMs: 3600_000 };
 * ```
 */
export interface LoadLoginOptions extends LoginOptions {
  /** Refuse with `unavailable` when loading takes longer than this. Default: no time limit. */
  readonly timeoutMs?: number | undefined;
}

interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * L4: loads the learner with your function and decides, failing closed. When `load` throws,
 * rejects or takes longer than `timeoutMs`, access is refused with reason `unavailable`,
 * never treated as "no restriction". Otherwise the answer is {@link checkLogin}'s.
 *
 * @example
 * ```ts
 * import { checkLoginWith } from 'learner-status';
 *
 * const users = new Map([['ada', { id: 'ada', status: 'active' as const, expiresAt: null }]]);
 * const decision = await checkLoginWith(async () => users.get('ada'), new Date(), { timeoutMs: 2000 });
 * decision.allowed; // true
 * const down = await checkLoginWith(async () => { throw new Error('connection refused'); }, new Date());
 * down.allowed ? undefined : down.reason; // 'unavailable'
 * ```
 */
export async function checkLoginWith<U extends User>(
  load: () => U | null | undefined | PromiseLike<U | null | undefined>,
  now: Date,
  options: LoadLoginOptions = {},
): Promise<LoginDecision> {
  requireInstant(now, 'now');
  if (typeof load !== 'function')
    throw mustBe('INVALID_OPTION', 'load', 'a function that returns the user');
  // Stryker disable next-line Regex: equivalent, any other key reaches checkLogin's own check below, which names it the same way.
  checkKeys('options', options, /^(maxSessionMs|timeoutMs)$/);
  const { timeoutMs, ...loginOptions } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw mustBe('INVALID_OPTION', 'timeoutMs', 'a positive number of milliseconds');
  }
  // Validate the login options before any I/O, so that a bug is not reported as an outage.
  checkLogin(null, now, loginOptions);
  let user: U | null | undefined;
  try {
    user = await withTimeout(Promise.resolve().then(load), timeoutMs);
  } catch (error) {
    return refusal('unavailable', `Loading the user failed: ${describeFailure(error)}`);
  }
  return checkLogin(user, now, loginOptions);
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (timeoutMs === undefined) return promise;
  const timers = globalThis as unknown as TimerHost;
  let handle: unknown;
  const timeout = new Promise<never>((_, reject) => {
    handle = timers.setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => timers.clearTimeout(handle));
}
