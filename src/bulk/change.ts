import { timeOf } from '../dates/instant.js';
import { isLearnerStatusError } from '../errors.js';
import { effectiveStatus } from '../status/effective.js';
import type { User } from '../status/types.js';
import { setExpiration, setStatus } from '../transitions/transitions.js';
import type {
  StatusChangeEvent,
  StatusSnapshot,
  TransitionContext,
  UserUpdate,
} from '../transitions/types.js';
import type { BulkIssue } from './types.js';

/** What one row does to one user, computed by the core transitions. */
export interface RowChange<U extends User> {
  readonly user: U;
  readonly event: StatusChangeEvent | null;
  readonly before: StatusSnapshot;
  readonly after: StatusSnapshot;
  readonly warnings: readonly BulkIssue[];
}

/** What a row changes: its status and/or expiration (the user it names is known apart). */
export type FieldChange = Pick<UserUpdate, 'status' | 'expiresAt'>;

const NONE: readonly BulkIssue[] = /* @__PURE__ */ Object.freeze([]);

// R7, R8: a row that does not give access back although it seems to ask for it. Decided from
// the final state, so the wording never depends on the order of the two steps. One frozen
// object each: a million rows share them.
const STAYS_EXPIRED: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'STAYS_EXPIRED',
  severity: 'warning' as const,
  message:
    'Set to active, but the learner stays expired until the expiration date is moved to a later date or cleared.',
});
const STAYS_DEACTIVATED: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'STAYS_DEACTIVATED',
  severity: 'warning' as const,
  message:
    'The expiration date no longer blocks this learner, but they are deactivated: login is still refused until they are reactivated.',
});

// The opposite case: a row whose new expiration date has already passed takes login
// away from a learner who had it, most often because of a mistyped year. It stays a change (the
// date is what the file says), but never a silent one.
const EXPIRES_IN_PAST: BulkIssue = /* @__PURE__ */ Object.freeze({
  code: 'EXPIRES_IN_PAST',
  severity: 'warning' as const,
  message:
    'The new expiration date is already past, so this row takes login access away from an active learner now. Check the date (a mistyped year?); write a later date, Never, or leave the cell blank to keep the current date.',
});

// Frozen one-issue lists, shared by every row they apply to.
const STAYS_EXPIRED_LIST: readonly BulkIssue[] = /* @__PURE__ */ Object.freeze([STAYS_EXPIRED]);
const STAYS_DEACTIVATED_LIST: readonly BulkIssue[] = /* @__PURE__ */ Object.freeze([
  STAYS_DEACTIVATED,
]);
const EXPIRES_IN_PAST_LIST: readonly BulkIssue[] = /* @__PURE__ */ Object.freeze([EXPIRES_IN_PAST]);
// `Yes` with a past date for an active learner: both are true, STAYS_EXPIRED first as before.
const STAYS_EXPIRED_IN_PAST_LIST: readonly BulkIssue[] = /* @__PURE__ */ Object.freeze([
  STAYS_EXPIRED,
  EXPIRES_IN_PAST,
]);

/**
 * Issue 17: whether a row turns login access off through its date cell: it sets an expiration
 * date (not `Never`) at or before `now`, the learner was effectively active before, and the
 * row does not also deactivate. Then the learner is expired afterwards; a date that did not
 * change cannot do this, as an active learner's date is after `now`.
 */
function expiresInPast(
  update: FieldChange,
  before: StatusSnapshot,
  after: StatusSnapshot,
): boolean {
  return (
    update.expiresAt instanceof Date &&
    update.status !== 'deactivated' &&
    before.effective === 'active' &&
    after.effective === 'expired'
  );
}

/**
 * R7, R8 and issue 17: the warnings of a row that changes `before` into `after` by `update`:
 * it asks for access the learner still will not have (STAYS_EXPIRED, STAYS_DEACTIVATED), or
 * takes access away through a past date (EXPIRES_IN_PAST). Shared frozen lists.
 *
 * @example
 * ```ts
 * warningsFor({ status: 'active' }, before, after); // [STAYS_EXPIRED] when after.effective is 'expired'
 * ```
 */
export function warningsFor(
  update: FieldChange,
  before: StatusSnapshot,
  after: StatusSnapshot,
): readonly BulkIssue[] {
  if (update.status === 'active' && after.effective === 'expired') {
    return expiresInPast(update, before, after) ? STAYS_EXPIRED_IN_PAST_LIST : STAYS_EXPIRED_LIST;
  }
  if (expiresInPast(update, before, after)) return EXPIRES_IN_PAST_LIST;
  if (
    update.status === undefined &&
    update.expiresAt !== undefined &&
    after.effective === 'deactivated'
  ) {
    return STAYS_DEACTIVATED_LIST;
  }
  return NONE;
}

export function snapshotOf(user: User, now: Date): StatusSnapshot {
  return { status: user.status, expiresAt: user.expiresAt, effective: effectiveStatus(user, now) };
}

/**
 * Applies a row's update through the core transitions: the expiration first, then the status.
 * When both fields change, the two events become one, from the first `before` to the last
 * `after`, and it ends sessions exactly when the learner had access before: a status change
 * from active can only deactivate, and one from deactivated starts without access.
 */
export function changeFor<U extends User>(
  user: U,
  update: FieldChange,
  ctx: TransitionContext,
): RowChange<U> {
  const before = snapshotOf(user, ctx.now);
  let current = user;
  let expirationEvent: StatusChangeEvent | null = null;
  let statusEvent: StatusChangeEvent | null = null;
  if (update.expiresAt !== undefined) {
    const result = setExpiration(current, update.expiresAt, ctx);
    current = result.user;
    expirationEvent = result.event;
  }
  if (update.status !== undefined) {
    const result = setStatus(current, update.status, ctx);
    current = result.user;
    statusEvent = result.event;
  }
  const event: StatusChangeEvent | null =
    expirationEvent === null || statusEvent === null
      ? (statusEvent ?? expirationEvent)
      : {
          ...statusEvent,
          before: expirationEvent.before,
          endSessions: expirationEvent.before.effective === 'active',
        };
  const after = event === null ? before : event.after;
  const warnings = warningsFor(update, before, after);
  return { user: current, event, before, after, warnings };
}

/**
 * Whether two expiration values say the same: both absent (`undefined`), both "never"
 * (`null`), or the same instant. timeOf gives NaN for anything but a valid Date, and NaN
 * equals nothing, so `null`, `undefined` and a date never compare equal to each other.
 */
export function sameExpiry(a: Date | null | undefined, b: Date | null | undefined): boolean {
  return a === b || timeOf(a) === timeOf(b);
}

/** Whether two rows ask for exactly the same change (C8): same fields, same values. */
export function sameUpdate(a: UserUpdate, b: UserUpdate): boolean {
  return a.status === b.status && sameExpiry(a.expiresAt, b.expiresAt);
}

/**
 * Whether someone else changed a field this row sets, between the read the row was planned
 * from and a fresh read (S3): then their change stands and the row is a conflict.
 */
export function touchedByOthers(update: FieldChange, planned: User, fresh: User): boolean {
  if (update.status !== undefined && planned.status !== fresh.status) return true;
  return update.expiresAt !== undefined && !sameExpiry(planned.expiresAt, fresh.expiresAt);
}

/** A LearnerStatusError raised by a row's data becomes that row's issue; anything else is a bug. */
export function issueFromError(error: unknown): BulkIssue {
  if (!isLearnerStatusError(error)) throw error;
  // No `column`: the error names a field of the user record, not a column of the file.
  return { code: error.code, severity: 'error', message: error.message };
}
