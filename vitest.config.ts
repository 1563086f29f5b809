import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

/** What every run of the suites shares: the unit projects below, and the browser tests. */
export const shared = {
  // The admin example imports the package by its name (see tsconfig.json's paths).
  resolve: {
    alias: [
      { find: /^learner-status$/, replacement: `${src}index.ts` },
      { find: /^learner-status\/(\w+)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    testTimeout: 60_000,
    // Starting PGlite (WebAssembly) in a beforeAll can take more than the default 10 s on a
    // loaded machine.
    hookTimeout: 60_000,
  },
} satisfies ViteUserConfig;

// Suites that check what a fresh module graph has loaded (date-fns on first use): only a
// file of its own, isolated, gives them one.
const NEEDS_ISOLATION = ['test/csv/date-fns.test.ts'];

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // where many files wait on a child process or a database. Two workers there take the suite
    // from about 190 s to about 125 s. (Set here, not in the projects, so that --maxWorkers on
    // the command line still applies: the time-zone run uses one per zone.)
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Without isolation, the files of a worker share one module graph: the sources are
    // imported once per worker instead of once per file, which takes the suite from about
    // 127 s to about 87 s here. Every suite leaves the globals it touches as it found them
    // (fake timers are restored after each test); the few that need a fresh graph run apart.
    projects: [
      {
        ...shared,
        test: {
          ...shared.test,
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: NEEDS_ISOLATION,
          isolate: false,
        },
      },
      { ...shared, test: { ...shared.test, name: 'isolated', include: NEEDS_ISOLATION } },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.d.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        // R1-R12, L1-L4: the modules that decide access are covered completely.
        'src/status/**': { lines: 100, branches: 100, functions: 100, statements: 100 },
        'src/transitions/**': { lines: 100, branches: 100, functions: 100, statements: 100 },
        'src/login/**': { lines: 100, branches: 100, functions: 100, statements: 100 },
      },
    },
  },
});
