import { LearnerStatusError } from '../errors.js';

const knownZones = /* @__PURE__ */ new Set<string>(['UTC']);

/**
 * Checks that `timeZone` is an IANA time zone name this runtime knows (`'UTC'`,
 * `'Europe/London'`, `'America/New_York'`), and throws `INVALID_TIME_ZONE` otherwise.
 * Fixed offsets such as `'+05:30'` are refused: a zone, not an offset, knows its DST rules.
 */
export function assertTimeZone(timeZone: unknown, field = 'timeZone'): asserts timeZone is string {
  if (typeof timeZone === 'string' && knownZones.has(timeZone)) return;
  let valid = typeof timeZone === 'string' && /^[A-Za-z]/.test(timeZone);
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timeZone as string });
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    throw new LearnerStatusError(
      'INVALID_TIME_ZONE',
      `\`${field}\` must be an IANA time zone name such as 'UTC' or 'Europe/London', but it is ${JSON.stringify(timeZone)}.`,
      { field },
    );
  }
  knownZones.add(timeZone as string);
}
