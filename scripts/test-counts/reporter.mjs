// A vitest reporter that prints nothing and writes how many tests passed, failed and were
// skipped to reports/test-counts/<TEST_COUNTS_LABEL>.json, for `node scripts/test-counts/total.mjs`
// to add up: CI closes on one plain line that counts every suite it ran (unit, time zones,
// Node 22 and 24), which a reader of the log (or a machine) finds at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default class TestCountsReporter {
  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules, unhandledErrors, reason) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      // A file that failed to load has no tests to count, and is a failure all the same.
      if (testModule.state() === 'failed' && testModule.children.size === 0) counts.failed += 1;
    }
    counts.failed += unhandledErrors.length;
    const label = process.env.TEST_COUNTS_LABEL || 'unit';
    const dir = join(this.root, 'reports', 'test-counts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${label.replace(/[^\w.-]+/g, '-')}.json`),
      `${JSON.stringify({ label, reason, ...counts })}\n`,
    );
  }
}
