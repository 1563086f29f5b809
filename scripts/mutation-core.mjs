// Runs the core mutation test (stryker.core.config.mjs: status, transitions, login; break at
// 100%) and keeps its incremental results portable: Stryker records the absolute project root,
// which says nothing useful to another checkout, so it is written as '.'.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const INCREMENTAL = '.ci/mutation-core.incremental.json';

const result = spawnSync('npx', ['stryker', 'run', 'stryker.core.config.mjs'], {
  stdio: 'inherit',
});
if (existsSync(INCREMENTAL)) {
  const report = JSON.parse(readFileSync(INCREMENTAL, 'utf8'));
  if (report.projectRoot !== '.') {
    report.projectRoot = '.';
    writeFileSync(INCREMENTAL, `${JSON.stringify(report, null, 2)}\n`);
  }
}
process.exitCode = result.status ?? 1;
