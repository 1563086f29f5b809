import { requireInstant } from '../dates/instant.js';
import { checkKeys } from '../options.js';
import type { StatusChangeEvent, TransitionContext } from './types.js';

/**
 * Validates a transition context: an object (else INVALID_OPTION `ctx`) whose `now` is a valid
 * Date, and an unknown (misspelled) field is refused with INVALID_OPTION rather than dropped
 * from the audit trail. Returns `now` in epoch milliseconds and the optional fields that the
 * event copies as given (R10); their types are TypeScript's to check, since they never decide
 * access.
 */
export function readContext(
  ctx: TransitionContext,
): [number, Pick<StatusChangeEvent, 'actor' | 'source' | 'reason' | 'line'>] {
  checkKeys('ctx', ctx, /^(now|actor|source|reason|line)$/);
  const nowMs = requireInstant(ctx.now, 'now');
  const { now, ...given } = ctx;
  return [nowMs, given as Pick<StatusChangeEvent, 'actor' | 'source' | 'reason' | 'line'>];
}
