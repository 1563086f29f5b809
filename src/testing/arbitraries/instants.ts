import * as fc from 'fast-check';
import { MAX_INSTANT_MS, requireInstant } from '../../dates/instant.js';
import { mustBe } from '../../errors.js';
import { checkKeysSuggesting } from '../../options.js';

/**
 * The range of instants {@link instantArb} draws from. Both ends are inclusive and default to
 * the ends of the JavaScript Date range (±8.64e15 ms, ±100,000,000 days around the epoch).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { instantArb, type InstantArbConstraints } from 'learner-status/testing';
 *
 * const thisCentury: InstantArbConstraints = {
 *   min: new Date('2000-01-01T00:00:00Z'),
 *   max: new Date('2099-12-31T23:59:59.999Z'),
 * };
 * fc.assert(fc.property(instantArb(thisCentury), (now) => now.getUTCFullYear() >= 2000));
 * ```
 */
export interface InstantArbConstraints {
  /** The earliest instant drawn (inclusive). */
  readonly min?: Date | undefined;
  /** The latest instant drawn (inclusive). */
  readonly max?: Date | undefined;
}

/**
 * DST transitions (UTC) 2024-2027 in America/New_York (spring forward, fall back), Europe/London
 * and Australia/Lord_Howe (a 30-minute shift). test/testing/instants.test.ts checks each one
 * against the runtime's time zone data.
 */
export const DST_TRANSITIONS: readonly string[] = [
  '2024-03-10T07:00:00Z',
  '2024-11-03T06:00:00Z',
  '2025-03-09T07:00:00Z',
  '2025-11-02T06:00:00Z',
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2027-03-14T07:00:00Z',
  '2027-11-07T06:00:00Z',
  '2024-03-31T01:00:00Z',
  '2024-10-27T01:00:00Z',
  '2025-03-30T01:00:00Z',
  '2025-10-26T01:00:00Z',
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2027-03-28T01:00:00Z',
  '2027-10-31T01:00:00Z',
  '2024-04-06T15:00:00Z',
  '2024-10-05T15:30:00Z',
  '2025-04-05T15:00:00Z',
  '2025-10-04T15:30:00Z',
  '2026-04-04T15:00:00Z',
  '2026-10-03T15:30:00Z',
  '2027-04-03T15:00:00Z',
  '2027-10-02T15:30:00Z',
];

/** Leap days (their start and the start of the day after, in UTC and in New York) and years that are not leap years. */
const LEAP_DAYS: readonly string[] = [
  '2024-02-29T00:00:00Z',
  '2024-03-01T00:00:00Z',
  '2024-02-29T05:00:00Z',
  '2024-03-01T05:00:00Z',
  '2028-02-29T00:00:00Z',
  '2028-03-01T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '2000-03-01T00:00:00Z',
  '1900-03-01T00:00:00Z',
  '2100-03-01T00:00:00Z',
];

/** Epoch-adjacent and range-edge instants: four-digit years end, 32-bit seconds end. */
const EDGES: readonly number[] = [
  0,
  -MAX_INSTANT_MS,
  MAX_INSTANT_MS,
  -62_167_219_200_000, // 0000-01-01T00:00:00Z
  253_402_300_800_000, // 10000-01-01T00:00:00Z
  2_147_483_648_000, // 2038-01-19T03:14:08Z
];

/** Today's decades: where most real expiration dates are. */
const RECENT_MIN = 1_600_000_000_000;
const RECENT_MAX = 2_000_000_000_000;

/** The DST transition instants of {@link DST_TRANSITIONS} in epoch milliseconds. */
export function dstTransitionsMs(): number[] {
  return DST_TRANSITIONS.map((iso) => Date.parse(iso));
}

/** The inclusive epoch-millisecond bounds of `constraints`, checked. */
function instantBounds(constraints: InstantArbConstraints | undefined): [number, number] {
  if (constraints === undefined) return [-MAX_INSTANT_MS, MAX_INSTANT_MS];
  checkKeysSuggesting('constraints', constraints, /^(min|max)$/);
  const min =
    constraints.min === undefined ? -MAX_INSTANT_MS : requireInstant(constraints.min, 'min');
  const max =
    constraints.max === undefined ? MAX_INSTANT_MS : requireInstant(constraints.max, 'max');
  if (min > max) throw mustBe('INVALID_OPTION', 'min', 'at or before `max`');
  return [min, max];
}

/**
 * Epoch milliseconds of valid instants within `constraints`: uniform over the range, today's
 * decades, and the interesting instants (edges, DST transitions, leap days) and one
 * millisecond either side of them. Shrinks toward the epoch (or the nearest bound).
 */
export function instantMsArb(constraints?: InstantArbConstraints): fc.Arbitrary<number> {
  const [min, max] = instantBounds(constraints);
  const interesting = [
    ...EDGES,
    ...dstTransitionsMs(),
    ...LEAP_DAYS.map((iso) => Date.parse(iso)),
  ].flatMap((ms) => [ms, ms - 1, ms + 1]);
  const special = [...new Set([min, max, ...interesting])].filter((ms) => ms >= min && ms <= max);
  const arbitraries: fc.WeightedArbitrary<number>[] = [
    { arbitrary: fc.integer({ min, max }), weight: 4 },
    { arbitrary: fc.constantFrom(...special), weight: 3 },
  ];
  const recentMin = Math.max(min, RECENT_MIN);
  const recentMax = Math.min(max, RECENT_MAX);
  if (recentMin <= recentMax) {
    arbitraries.push({ arbitrary: fc.integer({ min: recentMin, max: recentMax }), weight: 3 });
  }
  return fc.oneof(...arbitraries);
}

/**
 * Valid `Date`s over the whole JavaScript range (±8.64e15 ms) or within `constraints`, never
 * an Invalid Date. Biased toward the instants where date code breaks: the epoch and the
 * range's ends, years 0000 and 10000, DST transitions in New York, London and Lord Howe
 * (±1 ms), leap days, and today's decades. Shrinks toward the epoch. Throws `INVALID_OPTION`
 * for unknown constraint keys or `min` after `max`, and `INVALID_DATE` for a bound that is not
 * a valid Date.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { effectiveStatus } from 'learner-status';
 * import { instantArb } from 'learner-status/testing';
 *
 * // Plain fast-check: a user who never expires is never expired.
 * fc.assert(
 *   fc.property(instantArb(), (now) =>
 *     effectiveStatus({ id: 'u1', status: 'active', expiresAt: null }, now) === 'active',
 *   ),
 * );
 * ```
 *
 * @example
 * ```ts
 * import { test } from '@fast-check/vitest';
 * import { expect } from 'vitest';
 * import { nextStatusChangeAt } from 'learner-status';
 * import { instantArb } from 'learner-status/testing';
 *
 * test.prop([instantArb(), instantArb()])('the next change is the expiry or nothing', (expiresAt, now) => {
 *   const next = nextStatusChangeAt({ id: 'u1', status: 'active', expiresAt }, now);
 *   expect(next === null ? now >= expiresAt : next.getTime() === expiresAt.getTime()).toBe(true);
 * });
 * ```
 */
export function instantArb(constraints?: InstantArbConstraints): fc.Arbitrary<Date> {
  return instantMsArb(constraints).map((ms) => new Date(ms));
}
