import { requireInstant } from '../dates/instant.js';
import { LearnerStatusError } from '../errors.js';
import type { TransitionContext } from './types.js';

const TEXT_FIELDS = ['actor', 'source', 'reason'] as const;
const KNOWN_FIELDS = new Set(['now', 'actor', 'source', 'reason', 'line']);

/** Validates a transition context and returns `now` in epoch milliseconds. */
export function readContext(ctx: TransitionContext): number {
  if (typeof ctx !== 'object' || ctx === null) {
    throw new LearnerStatusError(
      'INVALID_DATE',
      'A transition needs a context with the current instant: { now: new Date() }.',
      { field: 'now' },
    );
  }
  const nowMs = requireInstant(ctx.now, 'now');
  for (const key of Object.keys(ctx)) {
    if (!KNOWN_FIELDS.has(key)) {
      throw new LearnerStatusError(
        'INVALID_OPTION',
        `Unknown transition context field ${JSON.stringify(key)}; use now, actor, source, reason and line.`,
        { field: key },
      );
    }
  }
  for (const key of TEXT_FIELDS) {
    const value = ctx[key];
    if (value !== undefined && typeof value !== 'string') {
      throw new LearnerStatusError('INVALID_OPTION', `\`${key}\` must be a string when given.`, {
        field: key,
      });
    }
  }
  const line = ctx.line;
  if (line !== undefined && !(Number.isSafeInteger(line) && line >= 1)) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `\`line\` must be a positive whole number (the CSV line), but it is ${String(line)}.`,
      { field: 'line' },
    );
  }
  return nowMs;
}
