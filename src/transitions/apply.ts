import type { StoredStatus, User } from '../status/types.js';
import { expiryOf, requireStatusAt } from '../status/validate.js';
import { readContext } from './context.js';
import type {
  StatusChangeEvent,
  StatusSnapshot,
  TransitionContext,
  TransitionResult,
} from './types.js';

function snapshot(status: StoredStatus, expiryMs: number, nowMs: number): StatusSnapshot {
  return {
    status,
    expiresAt: expiryMs === Infinity ? null : new Date(expiryMs),
    effective: nowMs >= expiryMs ? 'expired' : status,
  };
}

/**
 * The one place where a change is decided (R7-R10, L3). `status` undefined keeps the stored
 * status; `expiryMs` undefined keeps the expiry (Infinity: never). Every public transition
 * validates its own argument and then calls this.
 */
export function applyTransition<U extends User>(
  user: U,
  status: StoredStatus | undefined,
  expiryMs: number | undefined,
  ctx: TransitionContext,
): TransitionResult<U> {
  const [nowMs, given] = readContext(ctx);
  requireStatusAt(user, nowMs);
  const oldExpiry = expiryOf(user.expiresAt);
  const newExpiry = expiryMs ?? oldExpiry;
  const before = snapshot(user.status, oldExpiry, nowMs);
  const after = snapshot(status ?? before.status, newExpiry, nowMs);
  if (after.status === before.status && newExpiry === oldExpiry) {
    return { user, changed: false, event: null, effective: after.effective };
  }
  const hadAccess = before.effective === 'active';
  const hasAccess = after.effective === 'active';
  const next: U & { accessRevokedAt?: Date | null | undefined } = {
    ...user,
    status: after.status,
    expiresAt: after.expiresAt,
  };
  // L3: whenever login access is lost or given back, sessions issued until now stop counting.
  // Given back too: a learner who expired on their own recorded no loss, and no session can
  // have been issued while they had no access.
  if (hadAccess !== hasAccess) next.accessRevokedAt = new Date(nowMs);
  const event: StatusChangeEvent = {
    userId: user.id,
    at: new Date(nowMs),
    ...given,
    before,
    after,
    endSessions: hadAccess && !hasAccess,
  };
  return { user: next, changed: true, event, effective: after.effective };
}
