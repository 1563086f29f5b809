import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
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
