import { timeOf } from '../dates/instant.js';
import type { AccountStatus, StoredStatus, User } from '../status/types.js';
import { requireExpiry } from '../status/validate.js';
import { readContext } from './context.js';
import type {
  StatusChangeEvent,
  StatusSnapshot,
  TransitionContext,
  TransitionNotice,
  TransitionResult,
} from './types.js';

const NEVER = Number.POSITIVE_INFINITY;

const STAYS_EXPIRED: TransitionNotice = Object.freeze({
  code: 'STAYS_EXPIRED',
  message:
    'The learner is active but stays expired until the expiration date is moved to a later date (or cleared).',
});
const STAYS_DEACTIVATED: TransitionNotice = Object.freeze({
  code: 'STAYS_DEACTIVATED',
  message:
    'The expiration date no longer blocks the learner, but they are deactivated: login is still refused until they are reactivated.',
});

/** What a transition asks for: a stored status, and/or a new expiry (epoch ms, NaN = keep). */
export interface Target {
  readonly status: StoredStatus | undefined;
  readonly expiryMs: number;
}

function effectiveAt(status: StoredStatus, expiryMs: number, nowMs: number): AccountStatus {
  return nowMs >= expiryMs ? 'expired' : status;
}

function dateOrNull(ms: number): Date | null {
  return ms === NEVER ? null : new Date(ms);
}

/**
 * The one place where a change is decided (R7-R10, L3). Every public transition validates its
 * own argument and then calls this.
 */
export function applyTransition<U extends User>(
  user: U,
  target: Target,
  ctx: TransitionContext,
  kind: 'status' | 'expiration',
): TransitionResult<U> {
  const nowMs = readContext(ctx);
  const beforeExpiry = requireExpiry(user);
  const beforeStatus = user.status;
  const afterStatus = target.status ?? beforeStatus;
  const afterExpiry = !Number.isNaN(target.expiryMs) ? target.expiryMs : beforeExpiry;
  const beforeEffective = effectiveAt(beforeStatus, beforeExpiry, nowMs);
  const afterEffective = effectiveAt(afterStatus, afterExpiry, nowMs);

  let notice: TransitionNotice | null = null;
  if (kind === 'status' && afterStatus === 'active' && afterEffective === 'expired') {
    notice = STAYS_EXPIRED;
  } else if (kind === 'expiration' && afterEffective === 'deactivated') {
    notice = STAYS_DEACTIVATED;
  }

  if (afterStatus === beforeStatus && afterExpiry === beforeExpiry) {
    return { user, changed: false, event: null, notice };
  }

  const endSessions = beforeEffective === 'active' && afterEffective !== 'active';
  const next: Record<string, unknown> = { ...(user as object), status: afterStatus };
  if (afterExpiry !== beforeExpiry) next['expiresAt'] = dateOrNull(afterExpiry);
  if (endSessions) {
    next['accessRevokedAt'] = new Date(nowMs);
  } else if (beforeEffective !== 'active' && afterEffective === 'active') {
    next['accessRevokedAt'] = new Date(accessLostAt(user, beforeEffective, beforeExpiry, nowMs));
  }

  const before: StatusSnapshot = {
    status: beforeStatus,
    expiresAt: dateOrNull(beforeExpiry),
    effective: beforeEffective,
  };
  const after: StatusSnapshot = {
    status: afterStatus,
    expiresAt: dateOrNull(afterExpiry),
    effective: afterEffective,
  };
  const event: StatusChangeEvent = {
    userId: user.id,
    at: new Date(nowMs),
    ...(ctx.actor === undefined ? {} : { actor: ctx.actor }),
    ...(ctx.source === undefined ? {} : { source: ctx.source }),
    ...(ctx.reason === undefined ? {} : { reason: ctx.reason }),
    ...(ctx.line === undefined ? {} : { line: ctx.line }),
    before,
    after,
    endSessions,
  };
  return { user: next as U, changed: true, event, notice };
}

/**
 * L3 when access comes back: the instant the learner last lost it, so that sessions from
 * before then stay refused. An expired learner lost access when they expired (no transition
 * recorded that); a deactivated one when `accessRevokedAt` says, or, when that was never
 * recorded, at the latest possible instant: now.
 */
function accessLostAt(
  user: User,
  beforeEffective: AccountStatus,
  beforeExpiry: number,
  nowMs: number,
): number {
  const recorded = timeOf(user.accessRevokedAt);
  if (beforeEffective === 'expired') {
    return recorded > beforeExpiry ? recorded : beforeExpiry;
  }
  return !Number.isNaN(recorded) ? recorded : nowMs;
}
