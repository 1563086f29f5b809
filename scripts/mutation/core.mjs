// The core mutation gate of `npm test` (scripts/mutation/stryker.core.config.mjs: status,
// transitions, login; break at 100%).
//
// It reuses the results recorded in scripts/mutation/core.incremental.json only while the code
// they were recorded against is unchanged: the record carries a SHA-256 of the core modules and
// of what they import (CORE_SOURCES). When any of those files differs, every mutant is tested
// afresh (--force), because Stryker's own reuse looks at a mutant's file and its covering tests
// only, not at a helper the mutant's behaviour depends on.
//
// The record also carries a SHA-256 of everything a result depends on (INPUTS: every source,
// the suites Stryker runs and their helpers, the configurations, the lock file). While that is
// unchanged too, the gate reads the score from the record and does not start Stryker: it would
// compute the same results.
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
  statSync,
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

// Everything a recorded result depends on: every source (the tests import more than the core),
// the suites Stryker runs and their helpers, the configurations and the locked tool versions.
// While all of it is unchanged, Stryker would compute exactly the recorded results again, so
// the gate reads them from the record without starting Stryker (about 15 s saved per run).
const INPUTS = [
  'src',
  'test/status',
  'test/transitions',
  'test/login',
  'test/fuzz',
  'test/support',
  'scripts/mutation/core.mjs',
  'scripts/mutation/stryker.config.mjs',
  'scripts/mutation/stryker.core.config.mjs',
  'scripts/mutation/vitest.core.config.ts',
  'package-lock.json',
];

const record = process.argv.includes('--record');

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((entry) => filesUnder(join(path, entry.name)))
    .sort();
}

/** SHA-256 over the names and contents of these files and folders, in a fixed order. */
function hashOf(paths) {
  const hash = createHash('sha256');
  for (const file of paths.flatMap(filesUnder)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const hash = hashOf(CORE_SOURCES);
const inputsHash = hashOf(INPUTS);
const recorded = existsSync(RECORD) ? JSON.parse(readFileSync(RECORD, 'utf8')) : undefined;
const reuse = recorded !== undefined && recorded.sourcesSha256 === hash;

/** Mutants per status in a report or a record (both are mutation-testing-report JSON). */
function countsOf(report) {
  const counts = {};
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  }
  return counts;
}

/** The score line: mutants marked equivalent (`Stryker disable`, with the reason) are Ignored. */
function scoreLine(counts, where) {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0) - (counts.Ignored ?? 0);
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  return `mutation:core: ${((100 * detected) / total).toFixed(2)}% of ${total} mutants detected (${counts.Killed ?? 0} killed, ${counts.Timeout ?? 0} timed out, ${counts.Survived ?? 0} survived, ${counts.NoCoverage ?? 0} without coverage, ${counts.Ignored ?? 0} marked equivalent); ${where}`;
}

if (!record && reuse && recorded.inputsSha256 === inputsHash) {
  const counts = countsOf(recorded);
  const undetected = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  console.log(
    scoreLine(
      counts,
      'read from the record: the sources, the suites and the tools are those it was recorded with',
    ),
  );
  process.exit(undetected === 0 ? 0 : 1);
}

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
const reused = /(\d+) of (\d+) mutant result\(s\) are reused/.exec(result.stdout);
console.log(
  scoreLine(
    countsOf(report),
    `${
      reuse
        ? `${reused?.[1] ?? 0} results reused from the record`
        : 'every mutant tested afresh: the core sources differ from the record'
    }; ${seconds} s`,
  ),
);

if (record) {
  const fresh = JSON.parse(readFileSync(WORKING, 'utf8'));
  // Stryker records the absolute project root, which says nothing to another checkout.
  fresh.projectRoot = '.';
  fresh.sourcesSha256 = hash;
  fresh.inputsSha256 = inputsHash;
  writeFileSync(RECORD, `${JSON.stringify(fresh, null, 2)}\n`);
  console.log(`mutation:core: recorded in ${RECORD}`);
} else if (!reuse) {
  console.log(
    'mutation:core: run `npm run mutation:core -- --record` and commit the record with the change',
  );
}
