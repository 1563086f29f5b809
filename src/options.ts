import { LearnerStatusError, mustBe } from './errors.js';

/**
 * The compact check used on the login path, where every byte counts (see
 * docs/performance.md): refuses an options object that is not an object, or that has a key `known` does not match
 * (a misspelled option is never silently ignored): INVALID_OPTION naming the key. Keys whose
 * value is `undefined` count as absent. The values' types are the caller's contract (checked
 * by TypeScript, and by each function where a wrong value would cost access).
 */
export function checkKeys(name: string, options: unknown, known: RegExp): void {
  // Object(x) !== x: a primitive or null.
  if (Object(options) !== options) throw mustBe('INVALID_OPTION', name, 'an object');
  // for-in, not Object.keys: an inherited enumerable key (a polluted prototype) is refused too.
  for (const key in options as object) {
    if (!known.test(key) && (options as Record<string, unknown>)[key] !== undefined) {
      throw mustBe('INVALID_OPTION', key, 'left out (unknown)');
    }
  }
}

/**
 * The check for everything off the login path, with messages that list the known options:
 * refuses an options argument that is not a plain object or that has a key the function does
 * not know, so that a misspelt option (`batchsize`) fails loudly instead of being ignored.
 * Returns the options as a record for further checks.
 */
export function checkOptionKeys(
  options: unknown,
  known: readonly string[],
  where: string,
): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `The options of ${where} must be an object, but they are ${options === null ? 'null' : Array.isArray(options) ? 'an array' : `a ${typeof options}`}.`,
      { field: 'options' },
    );
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new LearnerStatusError(
        'INVALID_OPTION',
        `Unknown option ${JSON.stringify(key)} of ${where}; the options are ${known.join(', ')}.`,
        { field: key },
      );
    }
  }
  return options as Record<string, unknown>;
}

/** Whether `value` is a whole number (a safe integer) of at least `min`; false for non-numbers. */
export function isWholeNumber(value: unknown, min: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= min;
}

/** A positive whole number option, or its default when absent. */
export function positiveInteger(
  value: unknown,
  field: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!isWholeNumber(value, 1) || value > max) {
    throw new LearnerStatusError(
      'INVALID_OPTION',
      `\`${field}\` must be a whole number from 1 to ${max}, but it is ${String(value)}.`,
      { field },
    );
  }
  return value;
}
