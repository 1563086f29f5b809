// Adds up what the suites of a run wrote to reports/test-counts/ (see reporter.mjs) and prints
// one plain line, "tests: N passed, N failed" (", N skipped" when any were): .ci/run's last.
// Exits 1 when no suite was counted or any test failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', '..', 'reports', 'test-counts');
const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
const total = { passed: 0, failed: 0, skipped: 0 };
for (const name of files) {
  const counts = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  for (const key of Object.keys(total)) total[key] += counts[key];
}
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
console.log(`tests: ${total.passed} passed, ${total.failed} failed${skipped}`);
process.exitCode = files.length === 0 || total.failed > 0 || total.passed === 0 ? 1 : 0;
