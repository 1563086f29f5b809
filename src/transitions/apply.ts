import type { StoredStatus, User } from '../status/types.js';
import { expiryOf, requireStatusAt } from '../status/validate.js';
import { readNow } from './context.js';
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
  const nowMs = readNow(ctx);
  requireStatusAt(user, nowMs);
  const oldExpiry = expiryOf(user.expiresAt);
  const newExpiry = expiryMs ?? oldExpiry;
  const before = snapshot(user.status, oldExpiry, nowMs);
  const after = snapshot(status ?? before.status, newExpiry, nowMs);
  const changed = after.status !== before.status || newExpiry !== oldExpiry;
  let next: U & { accessRevokedAt?: Date | null | undefined } = user;
  let event: StatusChangeEvent | null = null;
  if (changed) {
    const hadAccess = before.effective === 'active';
    const hasAccess = after.effective === 'active';
    next = { ...user, status: after.status, expiresAt: after.expiresAt };
    // L3: whenever login access is lost or given back, sessions issued until now stop
    // counting. Given back too: a learner who expired on their own recorded no loss, and no
    // session can have been issued while they had no access.
    if (hadAccess !== hasAccess) next.accessRevokedAt = new Date(nowMs);
    const { now, ...given } = ctx;
    event = {
      userId: user.id,
      at: new Date(nowMs),
      ...(given as Pick<StatusChangeEvent, 'actor' | 'source' | 'reason' | 'line'>),
      before,
      after,
      endSessions: hadAccess && !hasAccess,
    };
  }
  return { user: next, changed, event, effective: after.effective } as TransitionResult<U>;
}
