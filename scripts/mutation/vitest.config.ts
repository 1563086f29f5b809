import { defineConfig } from 'vitest/config';

// The test run Stryker uses for mutation testing (`npm run mutation`, `npm run mutation:core`).
// It runs the suites that exercise `src/` in process. Suites that test the built package or
// spawn processes (CLI, docs snippets, package checks) cannot see a mutant, so they stay out.
// Fuzz properties run at a lower count here: a mutant that survives 200 runs of every property
// and every example test is reported, not hidden by a long run.
process.env.FUZZ_RUNS ??= '200';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/cli/**', 'test/docs/**', 'test/examples/**', '**/node_modules/**'],
    testTimeout: 60_000,
  },
});
