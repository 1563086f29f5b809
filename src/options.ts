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
 * {@link checkKeys} with a suggestion: an unknown key is refused naming the closest known one
 * ("did you mean `withExpiresAt`?"). Off the login path only: the suggestion costs more bytes
 * than the login path's budget has left (docs/performance.md, size of the login path).
 */
export function checkKeysSuggesting(name: string, options: unknown, known: RegExp): void {
  try {
    checkKeys(name, options, known);
  } catch (error) {
    const key = (error as LearnerStatusError).field;
    // The names are those of the pattern itself, so no caller keeps a second list.
    const near =
      key === name ? undefined : closestName(key as string, known.source.match(/\w+/g) ?? []);
    if (near === undefined) throw error;
    throw mustBe('INVALID_OPTION', key as string, `left out (unknown; did you mean \`${near}\`?)`);
  }
}

/**
 * The known name closest to a misspelt `key`: equal but for case, or at most two edits away
 * (insert, delete, replace one character, case ignored), for a message such as "did you mean
 * `maxSessionMs`?". Undefined when nothing is that close. Internal.
 *
 * @example
 * ```ts
 * closestName('maxSessionMS', ['maxSessionMs', 'timeoutMs']); // 'maxSessionMs'
 * closestName('batchsize', ['batchSize']); // 'batchSize'
 * closestName('colour', ['timeZone']); // undefined
 * ```
 */
export function closestName(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const candidate = name.toLowerCase();
    // Levenshtein distance, one row at a time.
    let row = Array.from({ length: candidate.length + 1 }, (_, i) => i);
    for (let i = 1; i <= wanted.length; i++) {
      const next = [i];
      for (let j = 1; j <= candidate.length; j++) {
        next[j] = Math.min(
          (row[j] as number) + 1,
          (next[j - 1] as number) + 1,
          (row[j - 1] as number) + (wanted[i - 1] === candidate[j - 1] ? 0 : 1),
        );
      }
      row = next;
    }
    const distance = row[candidate.length] as number;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = name;
    }
  }
  return best;
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
        `Unknown option ${JSON.stringify(key)} of ${where}${didYouMean(key, known)}; the options are ${known.join(', ')}.`,
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

/** " (did you mean `x`?)" for the closest known name, or nothing. Internal. */
function didYouMean(key: string, known: readonly string[]): string {
  const near = closestName(key, known);
  return near === undefined ? '' : ` (did you mean \`${near}\`?)`;
}
