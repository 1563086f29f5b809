import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The testing kit builds its arbitraries when its modules load. A module that throws while
// loading would make every file importing it fail before any test runs, which some runners
// (Stryker's among them) do not count as a failing test. Here the kit is loaded inside tests,
// so such a fault fails these tests by name.

describe('the testing kit loads and every generator draws', () => {
  it('exports the documented generators and conformance helpers', async () => {
    const kit = await import('../../src/testing/index.js');
    expect(Object.keys(kit).sort()).toEqual([
      'CONFORMANCE_INSTANTS',
      'ConformanceFailure',
      'LearnerStatusError',
      'accountStatusArb',
      'csvFileArb',
      'csvValuesArb',
      'instantArb',
      'isLearnerStatusError',
      'runUserStoreConformance',
      'storedStatusArb',
      'userAndNowArb',
      'userArb',
      'userStoreConformanceCases',
    ]);
  });

  it('each generator draws values', async () => {
    const kit = await import('../../src/testing/index.js');
    for (const arb of [
      kit.accountStatusArb(),
      kit.storedStatusArb(),
      kit.instantArb(),
      kit.userArb(),
      kit.userAndNowArb(),
      kit.csvValuesArb(),
      kit.csvFileArb(),
    ] as fc.Arbitrary<unknown>[]) {
      expect(fc.sample(arb, { numRuns: 20, seed: 1 })).toHaveLength(20);
    }
  });
});
