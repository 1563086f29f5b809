import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  // The admin example imports the package by its name (see tsconfig.json's paths).
  resolve: {
    alias: [
      { find: /^learner-status$/, replacement: `${src}index.ts` },
      { find: /^learner-status\/(\w+)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Starting PGlite (WebAssembly) in a beforeAll can take more than the default 10 s on a
    // loaded machine.
    hookTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // where many files wait on a child process or a database. Two workers there take the suite
    // from about 190 s to about 125 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
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
