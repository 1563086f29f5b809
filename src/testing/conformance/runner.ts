import type { User } from '../../status/types.js';
import { type StoreFactory, userStoreConformanceCases } from './cases.js';

/**
 * The two functions of a test runner the suite needs: vitest's, jest's and mocha's `describe`
 * and `it` fit as they are.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import type { ConformanceRunner } from 'learner-status/testing';
 *
 * const runner: ConformanceRunner = { describe, it };
 * ```
 */
export interface ConformanceRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>, timeout?: number): unknown;
}

/**
 * S2: registers the `UserStore` conformance suite with your test runner, under
 * `describe(name)`. Pass vitest's (or jest's, or mocha's) `describe` and `it`; when `runner`
 * is omitted the global `describe`/`it` are used (vitest with `globals: true`, jest, mocha).
 * Every store, yours included, should pass it: round trips of instants, copies, version
 * conflicts, not-found, batch semantics, events once, and a model-based test.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { createMemoryStore } from 'learner-status';
 * import { runUserStoreConformance } from 'learner-status/testing';
 *
 * runUserStoreConformance('memory store', {
 *   create: async (users) => {
 *     const store = createMemoryStore(users);
 *     return { store, events: async () => store.events() };
 *   },
 * }, { describe, it });
 * ```
 */
export function runUserStoreConformance<U extends User = User>(
  name: string,
  factory: StoreFactory<U>,
  runner?: ConformanceRunner,
  timeoutMs = 30_000,
): void {
  const resolved = runner ?? globalRunner();
  const cases = userStoreConformanceCases(factory);
  resolved.describe(`UserStore conformance (S1, S2): ${name}`, () => {
    for (const testCase of cases) resolved.it(testCase.name, () => testCase.run(), timeoutMs);
  });
}

function globalRunner(): ConformanceRunner {
  const host = globalThis as { describe?: unknown; it?: unknown };
  if (typeof host.describe !== 'function' || typeof host.it !== 'function') {
    throw new TypeError(
      'runUserStoreConformance: no test runner given and no global describe/it found. Pass { describe, it } from your runner (import { describe, it } from "vitest").',
    );
  }
  return host as ConformanceRunner;
}
