import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The test run of one mutation slice (scripts/mutation/stryker.slice.config.mjs): the suites that
// scripts/mutation/slices.json names for MUTATION_SLICE. Fuzz properties run 100 times each,
// as in the full mutation run's spirit: a mutant that survives them and every example test is
// reported, not hidden by a long run.
process.env.FUZZ_RUNS ??= '100';

const slices = JSON.parse(readFileSync('scripts/mutation/slices.json', 'utf8')) as Record<
  string,
  { readonly tests: readonly string[] }
>;
const slice = slices[process.env.MUTATION_SLICE ?? ''];
if (slice === undefined)
  throw new Error('MUTATION_SLICE must name a slice of scripts/mutation/slices.json.');

export default defineConfig({
  test: { include: [...slice.tests], testTimeout: 60_000 },
});
