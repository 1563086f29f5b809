import { describe, expect, it } from 'vitest';

// R11: the suites that touch dates run again under other process time zones
// (scripts/test-time-zones.mjs). That run is worth something only if the zone it asked for is
// the one Date uses in the test process; this proves it.

/** Minutes that `zone` is behind UTC at `instant`, the sign of Date#getTimezoneOffset. */
function offsetIn(zone: string, instant: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(
    parts.year ?? Number.NaN,
    (parts.month ?? Number.NaN) - 1,
    parts.day,
    parts.hour,
    parts.minute,
  );
  return (instant.getTime() - wall) / 60_000;
}

// Winter and summer on both hemispheres, so a zone with daylight saving time is told apart
// from its neighbour without.
const INSTANTS = ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'].map((text) => new Date(text));

describe('the process time zone of this run (R11)', () => {
  it("is the zone the time-zone run asked for, or the machine's own in the main run", () => {
    const asked = process.env.LEARNER_STATUS_EXPECT_TZ;
    const zone =
      asked === undefined || asked === ''
        ? Intl.DateTimeFormat().resolvedOptions().timeZone
        : asked;
    for (const instant of INSTANTS) {
      expect(instant.getTimezoneOffset(), `${zone} at ${instant.toISOString()}`).toBe(
        offsetIn(zone, instant),
      );
    }
  });
});
