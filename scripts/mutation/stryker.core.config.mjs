// The modules that decide access (status R1-R5/R12, transitions R6-R10, login L1-L4) must
// keep a mutation score of 100%: every boundary mutant killed, by their own suites alone
// (scripts/mutation/vitest.core.config.ts). `npm test` runs this with a break threshold of 100, so
// the score cannot silently fall.
import base from './stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'scripts/mutation/vitest.core.config.ts', related: true },
  mutate: [
    'src/status/**/*.ts',
    'src/transitions/**/*.ts',
    'src/login/**/*.ts',
    '!src/**/index.ts',
  ],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/core.json' },
  thresholds: { high: 100, low: 100, break: 100 },
  // Results are kept with the code: a run re-tests only the mutants whose code or covering
  // tests changed since, so CI pays for the initial test run and what a change touched.
  incremental: true,
  incrementalFile: 'reports/mutation/core.incremental.json',
};
