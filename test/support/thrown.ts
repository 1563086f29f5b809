import { expect } from 'vitest';

/**
 * What `fn` throws, with its code, message and the field and line it names, for comparing
 * errors whole (`toEqual`) in tests of exact messages. Fails when nothing is thrown.
 */
export function thrown(fn: () => unknown): {
  code: unknown;
  message: unknown;
  field: unknown;
  line: unknown;
} {
  try {
    fn();
  } catch (error) {
    const { code, message, field, line } = error as Record<string, unknown>;
    return { code, message, field, line };
  }
  return expect.fail('expected an error, but nothing was thrown');
}

/** What the promise of `fn` rejects with, like {@link thrown}. Fails when it resolves. */
export async function rejection(fn: () => Promise<unknown>): Promise<ReturnType<typeof thrown>> {
  try {
    await fn();
  } catch (error) {
    const { code, message, field, line } = error as Record<string, unknown>;
    return { code, message, field, line };
  }
  return expect.fail('expected a rejection, but the promise resolved');
}
