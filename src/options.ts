import { mustBe } from './errors.js';

/**
 * Refuses an options object that is not an object, or that has a key `known` does not match
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
