// Mutation testing over all of src/ (`npm run mutation`). The score and surviving mutants are
// reported in docs/quality.md. CI runs the stricter core configuration instead:
// scripts/mutation/stryker.core.config.mjs (`npm run mutation:core`).
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'scripts/mutation/vitest.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  checkers: [],
  coverageAnalysis: 'perTest',
  mutate: ['src/**/*.ts', '!src/**/index.ts', '!src/cli/**'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 95, low: 90, break: 90 },
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
