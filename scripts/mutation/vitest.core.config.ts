import { defineConfig } from 'vitest/config';

// The test run of the core mutation run (`npm run mutation:core`, in `npm test`): the suites
// that exercise the modules deciding access (status, transitions, login), including their
// fuzz properties and the adversarial catalogue. Every mutant of those modules must be killed
// by these alone, so the run stays short enough for every CI run.
process.env.FUZZ_RUNS ??= '200';

export default defineConfig({
  test: {
    include: [
      'test/status/**/*.test.ts',
      'test/transitions/**/*.test.ts',
      'test/login/**/*.test.ts',
      'test/fuzz/login.fuzz.test.ts',
    ],
    testTimeout: 60_000,
  },
});
