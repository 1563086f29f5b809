// `npm run test:e2e`: the browser tests of the admin example, apart from `npm test` because
// they need Chromium (bash .ci/run installs it) and a few seconds more than the unit suite.
import { defineConfig } from 'vitest/config';
import { shared } from '../../../vitest.config.js';

export default defineConfig({
  ...shared,
  root: new URL('../../../', import.meta.url).pathname,
  test: {
    ...shared.test,
    include: ['test/**/*.e2e.ts'],
    // One browser, one server: the files run one after the other.
    maxWorkers: 1,
  },
});
