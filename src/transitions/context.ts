import { requireInstant } from '../dates/instant.js';
import { checkKeys } from '../options.js';
import type { TransitionContext } from './types.js';

/**
 * Validates a transition context: an object (else INVALID_OPTION `ctx`) whose `now` is a valid
 * Date, and an unknown (misspelled) field is refused with INVALID_OPTION rather than dropped
 * from the audit trail. Returns `now` in epoch milliseconds; the event copies the optional
 * fields as given (R10), their types being TypeScript's to check, since they never decide
 * access.
 */
export function readNow(ctx: TransitionContext): number {
  checkKeys('ctx', ctx, /^(now|actor|source|reason|line)$/);
  return requireInstant(ctx.now, 'now');
}
