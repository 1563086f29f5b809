// Helpers both worked adapters share (copy this file with the adapter you take): instants as
// PostgreSQL text to the millisecond over timestamptz's whole range, and ids as one array
// literal. Both are sent as strings, so no driver converts them (PGlite sends a Date as
// `toISOString()`, which PostgreSQL refuses beyond year 9999, and parses year 1 as 2001).

/** PostgreSQL's timestamptz starts in 4714 BC; a JavaScript Date goes further back. */
export const PG_INSTANT_RANGE = {
  min: new Date('-004713-11-24T00:00:00.000Z'),
  max: new Date(8.64e15),
} as const;

// 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: between them, toISOString() is valid input.
const ISO_MIN_MS = -62_135_596_800_000;
const ISO_END_MS = 253_402_300_800_000;

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * An instant as timestamptz input text: `toISOString()` for years 1 to 9999, else
 * `275760-09-13 00:00:00.000+00` or `0002-06-15 00:00:00.000+00 BC` (astronomical year y <= 0
 * is year 1 - y BC). Throws for an invalid Date or one before 4714 BC: never store another
 * instant than the one given.
 */
export function pgInstant(value: Date, field: string): string {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!(ms >= PG_INSTANT_RANGE.min.getTime())) {
    throw new RangeError(
      `${field} must be a valid Date from 4714 BC on (PostgreSQL's timestamptz range), but it is ${Number.isNaN(ms) ? 'invalid' : new Date(ms).toISOString()}.`,
    );
  }
  if (ms >= ISO_MIN_MS && ms < ISO_END_MS) return value.toISOString();
  const year = value.getUTCFullYear();
  const bc = year <= 0;
  return `${pad(bc ? 1 - year : year, 4)}-${pad(value.getUTCMonth() + 1, 2)}-${pad(value.getUTCDate(), 2)} ${pad(value.getUTCHours(), 2)}:${pad(value.getUTCMinutes(), 2)}:${pad(value.getUTCSeconds(), 2)}.${pad(value.getUTCMilliseconds(), 3)}+00${bc ? ' BC' : ''}`;
}

/** `pgInstant` for an optional instant: `null` and absent are SQL NULL. */
export function pgInstantOrNull(value: Date | null | undefined, field: string): string | null {
  return value === null || value === undefined ? null : pgInstant(value, field);
}

/**
 * The instant of `ceil(extract(epoch FROM col) * 1000)::text`, the way to read a timestamptz
 * back to the millisecond whatever the driver does with dates (`ceil`: a value written by other
 * SQL with microseconds reads as the next millisecond, as the shipped store does).
 */
export function instantFromMs(value: string | null): Date | null {
  return value === null ? null : new Date(Number(value));
}

/** Ids as one PostgreSQL array literal, `{"a","b\"c"}`, to cast with `::text[]`. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
