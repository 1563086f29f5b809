// The core mutation gate of `npm test` (scripts/mutation/stryker.core.config.mjs: status,
// transitions, login; break at 100%).
//
// It reuses the results recorded in scripts/mutation/core.incremental.json only while the code
// they were recorded against is unchanged: the record carries a SHA-256 of the core modules and
// of what they import (CORE_SOURCES). When any of those files differs, every mutant is tested
// afresh (--force), because Stryker's own reuse looks at a mutant's file and its covering tests
// only, not at a helper the mutant's behaviour depends on.
//
// A test run changes no tracked file: Stryker works on a copy under reports/ (git-ignored).
// `npm run mutation:core -- --record` writes the results back into the record, to commit with
// a change to those modules. A passing run prints one line; a failing one prints Stryker's
// whole report.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const RECORD = 'scripts/mutation/core.incremental.json';
const WORKING = 'reports/mutation/core.incremental.json';
const REPORT = 'reports/mutation/core.json';
const CORE_SOURCES = [
  'src/status',
  'src/transitions',
  'src/login',
  'src/options.ts',
  'src/errors.ts',
];

const record = process.argv.includes('--record');

function filesUnder(path) {
  if (path.endsWith('.ts')) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((entry) => filesUnder(join(path, entry.name)))
    .sort();
}

/** SHA-256 over the names and contents of the core sources, in a fixed order. */
function sourcesHash() {
  const hash = createHash('sha256');
  for (const file of CORE_SOURCES.flatMap(filesUnder)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const hash = sourcesHash();
const recorded = existsSync(RECORD) ? JSON.parse(readFileSync(RECORD, 'utf8')) : undefined;
const reuse = recorded !== undefined && recorded.sourcesSha256 === hash;
mkdirSync('reports/mutation', { recursive: true });
if (reuse) copyFileSync(RECORD, WORKING);
else rmSync(WORKING, { force: true });

const started = Date.now();
const result = spawnSync(
  'npx',
  ['stryker', 'run', 'scripts/mutation/stryker.core.config.mjs', ...(reuse ? [] : ['--force'])],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
);
const seconds = Math.round((Date.now() - started) / 1000);
if (result.status !== 0) {
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  console.error(`mutation:core: FAILED (exit ${result.status}) after ${seconds} s`);
  process.exit(result.status ?? 1);
}

// One line from the JSON report: the score and where the results came from.
const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const counts = {};
for (const file of Object.values(report.files)) {
  for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
}
// Mutants marked equivalent in the source (`Stryker disable`, with the reason) are Ignored:
// not part of the score, as in Stryker's own.
const total = Object.values(counts).reduce((sum, n) => sum + n, 0) - (counts.Ignored ?? 0);
const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
const reused = /(\d+) of (\d+) mutant result\(s\) are reused/.exec(result.stdout);
console.log(
  `mutation:core: ${((100 * detected) / total).toFixed(2)}% of ${total} mutants detected (${counts.Killed ?? 0} killed, ${counts.Timeout ?? 0} timed out, ${counts.Survived ?? 0} survived, ${counts.NoCoverage ?? 0} without coverage, ${counts.Ignored ?? 0} marked equivalent); ${
    reuse
      ? `${reused?.[1] ?? 0} results reused from the record`
      : 'every mutant tested afresh: the core sources differ from the record'
  }; ${seconds} s`,
);

if (record) {
  const fresh = JSON.parse(readFileSync(WORKING, 'utf8'));
  // Stryker records the absolute project root, which says nothing to another checkout.
  fresh.projectRoot = '.';
  fresh.sourcesSha256 = hash;
  writeFileSync(RECORD, `${JSON.stringify(fresh, null, 2)}\n`);
  console.log(`mutation:core: recorded in ${RECORD}`);
} else if (!reuse) {
  console.log(
    'mutation:core: run `npm run mutation:core -- --record` and commit the record with the change',
  );
}
