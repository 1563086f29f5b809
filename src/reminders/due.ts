import { MAX_INSTANT_MS, requireInstant } from '../dates/instant.js';
import { mustBe } from '../errors.js';
import { checkKeysSuggesting } from '../options.js';
import type { User } from '../status/types.js';
import { requireStatusAt } from '../status/validate.js';

const OPTION_KEYS = /^(offsetsMs|lastSentAt)$/;

/**
 * The reminder schedule of an app and what it has already sent, for {@link dueReminder}.
 *
 * - `offsetsMs`: how long before `expiresAt` each reminder is due, in milliseconds, such as
 *   `[7 * DAY, DAY]` for "a week before" and "a day before". Positive whole numbers, in any
 *   order; at least one.
 * - `lastSentAt`: when the last expiry reminder was sent to this user (store it with the user
 *   when you send one), or `null`/absent when none was sent.
 *
 * @example
 * ```ts
 * import type { ReminderOptions } from 'learner-status';
 *
 * const DAY = 86_400_000;
 * const options: ReminderOptions = { offsetsMs: [7 * DAY, DAY], lastSentAt: null };
 * ```
 */
export interface ReminderOptions {
  readonly offsetsMs: readonly number[];
  readonly lastSentAt?: Date | null | undefined;
}

/**
 * The reminder {@link dueReminder} says to send now: which offset, the instant it became due
 * (`expiresAt` minus the offset), and the expiry it announces.
 *
 * @example
 * ```ts
 * import type { DueReminder } from 'learner-status';
 *
 * function subject(reminder: DueReminder): string {
 *   return `Your access ends on ${reminder.expiresAt.toISOString().slice(0, 10)}`;
 * }
 * ```
 */
export interface DueReminder {
  /** The entry of `offsetsMs` this reminder belongs to. */
  readonly offsetMs: number;
  /** When the reminder became due: `expiresAt - offsetMs` (never before the earliest Date). */
  readonly dueAt: Date;
  /** The expiry the reminder announces. */
  readonly expiresAt: Date;
}

/**
 * Which expiry reminder to send to `user` at `now`, or `null` when none is due. Pure: `now`
 * and what was sent (`lastSentAt`) are passed in, so a job that runs at any interval can ask
 * for every user and send what it answers, then store `lastSentAt = now`.
 *
 * A reminder with offset `o` is due from `expiresAt - o` until the next reminder's instant or
 * the expiry. The answer is the latest reminder that is due and was not sent after it became
 * due (`lastSentAt` before `dueAt`); a reminder whose window a job missed entirely is skipped
 * rather than sent late next to a more urgent one. Hence:
 *
 * - each reminder is sent at most once per expiry (moving `expiresAt` later starts over);
 * - none at or after the expiry (R4), and none for a user who cannot log in anyway (their
 *   effective status is not `active`), nor for a user who never expires;
 * - none is missed when the job runs at least once per smallest gap between reminder
 *   instants (the smallest difference between two offsets, and the smallest offset).
 *
 * Throws `INVALID_USER` for an invalid user (R12), `INVALID_DATE` for an invalid `now` or
 * `lastSentAt`, and `INVALID_OPTION` for unknown options or offsets that are not positive
 * whole milliseconds.
 *
 * @example
 * ```ts
 * import { dueReminder } from 'learner-status';
 *
 * const DAY = 86_400_000;
 * const user = { id: 'u1', status: 'active' as const, expiresAt: new Date('2027-01-01T00:00:00Z') };
 * const offsetsMs = [7 * DAY, DAY];
 *
 * dueReminder(user, new Date('2026-12-20T00:00:00Z'), { offsetsMs }); // null: too early
 * dueReminder(user, new Date('2026-12-26T09:00:00Z'), { offsetsMs })?.offsetMs; // 7 * DAY
 * dueReminder(user, new Date('2026-12-27T09:00:00Z'), {
 *   offsetsMs,
 *   lastSentAt: new Date('2026-12-26T09:00:00Z'),
 * }); // null: the week reminder was sent
 * dueReminder(user, new Date('2027-01-01T00:00:00Z'), { offsetsMs }); // null: expired (R4)
 * ```
 */
export function dueReminder(user: User, now: Date, options: ReminderOptions): DueReminder | null {
  const nowMs = requireInstant(now, 'now');
  const status = requireStatusAt(user, nowMs);
  checkKeysSuggesting('options', options, OPTION_KEYS);
  const { offsetsMs, lastSentAt } = options;
  if (!Array.isArray(offsetsMs) || offsetsMs.length === 0) {
    throw mustBe('INVALID_OPTION', 'offsetsMs', 'a non-empty array of milliseconds before expiry');
  }
  let best = 0; // the smallest offset that is already due: the latest due reminder
  for (const offset of offsetsMs as readonly unknown[]) {
    // Number.isSafeInteger is false for anything but a number.
    if (!Number.isSafeInteger(offset) || (offset as number) <= 0) {
      throw mustBe('INVALID_OPTION', 'offsetsMs', 'positive whole numbers of milliseconds');
    }
  }
  const sentMs = lastSentAt == null ? -Infinity : requireInstant(lastSentAt, 'lastSentAt');
  if (status !== 'active' || user.expiresAt === null) return null;
  const expiry = user.expiresAt.getTime();
  for (const offset of offsetsMs) {
    if (expiry - offset <= nowMs) best = best === 0 ? offset : Math.min(best, offset);
  }
  if (best === 0) return null;
  const dueMs = expiry - best;
  if (sentMs >= dueMs) return null;
  return {
    offsetMs: best,
    dueAt: new Date(Math.max(dueMs, -MAX_INSTANT_MS)),
    expiresAt: new Date(expiry),
  };
}
