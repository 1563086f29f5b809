// Mutation testing of all of src/ in slices (scripts/mutation-slices.json), then one table of
// the scores of every module, from the slices' reports and the core run's
// (reports/mutation/core.json, `npm run mutation:core`).
//
//   npm run mutation:slices                    every slice, then the table
//   npm run mutation:slices -- bulk-store      one slice (or several), then the table
//   npm run mutation:slices -- --report        the table of the last runs, running nothing
//   npm run mutation:slices -- --report --survivors    ... with every surviving mutant
//
// A slice keeps its results (incremental mode): run again, it re-tests only the mutants whose
// code or covering tests changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';

const SLICES = JSON.parse(readFileSync('scripts/mutation-slices.json', 'utf8'));
const args = process.argv.slice(2);
const reportOnly = args.includes('--report');
const showSurvivors = args.includes('--survivors');
const named = args.filter((a) => !a.startsWith('--'));
for (const name of named) {
  if (!(name in SLICES)) {
    console.error(
      `No slice ${JSON.stringify(name)}; the slices are: ${Object.keys(SLICES).join(', ')}.`,
    );
    process.exit(2);
  }
}

if (!reportOnly) {
  for (const name of named.length > 0 ? named : Object.keys(SLICES)) {
    console.log(`\n=== slice ${name} ===`);
    const run = spawnSync('npx', ['stryker', 'run', 'stryker.slice.config.mjs'], {
      stdio: 'inherit',
      env: { ...process.env, MUTATION_SLICE: name },
    });
    if (run.status !== 0) process.exitCode = run.status ?? 1;
  }
}

// Per file, the newest report that holds it: a file moved between slices is counted once.
const reports = [
  'reports/mutation/core.json',
  ...Object.keys(SLICES).map((n) => `reports/mutation/slice-${n}.json`),
]
  .filter((path) => existsSync(path))
  .map((path) => ({
    path,
    time: statSync(path).mtimeMs,
    report: JSON.parse(readFileSync(path, 'utf8')),
  }))
  .sort((a, b) => a.time - b.time);
const files = new Map();
for (const { path, report } of reports) {
  for (const [file, { mutants }] of Object.entries(report.files))
    files.set(file, { path, mutants });
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
const total = { detected: 0, undetected: 0, ignored: 0, other: 0 };
const survivors = [];
for (const [file, { path, mutants }] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  const row = { detected: 0, undetected: 0, ignored: 0, other: 0 };
  for (const mutant of mutants) {
    if (DETECTED.has(mutant.status)) row.detected += 1;
    else if (UNDETECTED.has(mutant.status)) {
      row.undetected += 1;
      survivors.push(
        `${file}:${mutant.location.start.line} ${mutant.mutatorName} ${JSON.stringify(mutant.replacement ?? '')}`,
      );
    } else if (mutant.status === 'Ignored') row.ignored += 1;
    else row.other += 1;
  }
  for (const key of Object.keys(total)) total[key] += row[key];
  rows.push({ file, from: path.replace('reports/mutation/', ''), ...row });
}
const score = ({ detected, undetected }) =>
  detected + undetected === 0 ? '-' : `${((100 * detected) / (detected + undetected)).toFixed(1)}%`;
console.log('\n| file | report | mutants | detected | survived | ignored | not run | score |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const all = r.detected + r.undetected + r.ignored + r.other;
  console.log(
    `| \`${r.file}\` | ${r.from} | ${all} | ${r.detected} | ${r.undetected} | ${r.ignored} | ${r.other} | ${score(r)} |`,
  );
}
const all = total.detected + total.undetected + total.ignored + total.other;
console.log(
  `| total | | ${all} | ${total.detected} | ${total.undetected} | ${total.ignored} | ${total.other} | **${score(total)}** |`,
);
if (showSurvivors) console.log(`\nSurvivors:\n${survivors.join('\n')}`);
