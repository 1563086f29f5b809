// Mutation testing of all of src/ in slices (scripts/mutation/slices.json), then one table of
// the scores of every module, from the slices' reports and the core run's
// (reports/mutation/core.json, `npm run mutation:core`).
//
//   npm run mutation:slices                    every slice, then the table
//   npm run mutation:slices -- bulk-store      one slice (or several), then the table
//   npm run mutation:slices -- --sample=40 postgres    a fixed-seed sample of 40 code lines of
//                                              the slice, every mutant on them: an estimate
//   npm run mutation:slices -- --force bulk    the slice again, every mutant (not incremental)
//   npm run mutation:slices -- --retest bulk   the survivors of the slice's last whole run
//                                              again (every mutant on their lines), merged
//                                              into its report: after adding tests
//                                              (--files=a.ts,b.ts: only those files' survivors)
//   npm run mutation:slices -- --report        the table of the last runs, running nothing
//   npm run mutation:slices -- --report --survivors    ... with every surviving mutant
//
// A whole slice keeps its results (incremental mode): run again, it re-tests the mutants whose
// code or killing tests changed. After adding tests for survivors, pass --retest (or --force
// for everything): Stryker 9.5 reused surviving mutants here although new test files covered
// them. A sample is reported in its own row, as an estimate.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SLICES = JSON.parse(readFileSync('scripts/mutation/slices.json', 'utf8'));
// A mutant's place in its file, the same in every report of the same code.
const placeOf = (m) =>
  `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`;
const args = process.argv.slice(2);
const reportOnly = args.includes('--report');
const force = args.includes('--force');
const retest = args.includes('--retest');
// --files=a.ts,b.ts: a retest of the survivors in these files only.
const onlyFiles = args
  .find((a) => a.startsWith('--files='))
  ?.slice('--files='.length)
  .split(',');
const showSurvivors = args.includes('--survivors');
const sampleArg = args.find((a) => a.startsWith('--sample='));
const sampleLines = sampleArg === undefined ? 0 : Number(sampleArg.slice('--sample='.length));
if (sampleArg !== undefined && !(Number.isSafeInteger(sampleLines) && sampleLines > 0)) {
  console.error(`--sample must be a positive whole number of lines, but it is ${sampleArg}.`);
  process.exit(2);
}
const named = args.filter((a) => !a.startsWith('--'));
for (const name of named) {
  if (!(name in SLICES)) {
    console.error(
      `No slice ${JSON.stringify(name)}; the slices are: ${Object.keys(SLICES).join(', ')}.`,
    );
    process.exit(2);
  }
}

// Lines that hold code: not blank, not comments or doc comments, not imports or type-only
// declarations, not lone brackets.
function codeLines(file) {
  const lines = [];
  let inComment = false;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const text = line.trim();
      if (text.startsWith('/*')) inComment = true;
      const comment = inComment;
      if (text.endsWith('*/')) inComment = false;
      if (
        comment ||
        text === '' ||
        text.startsWith('//') ||
        /^(import |export type|export interface|readonly )/.test(text) ||
        /^[})\];,]*$/.test(text)
      )
        return;
      lines.push(`${file}:${index + 1}-${index + 1}`);
    });
  return lines;
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

// The slice's files: its globs are `dir/**/*.ts`, plain file names or `file:from-to` ranges.
function filesOf(slice) {
  return slice.mutate
    .map((glob) => glob.replace(/:\d+-\d+$/, ''))
    .flatMap((glob) =>
      glob.endsWith('/**/*.ts') ? sourceFiles(glob.slice(0, -'/**/*.ts'.length)) : [glob],
    )
    .filter((file) => file.endsWith('.ts') && !file.endsWith('index.ts'))
    .sort();
}

// mulberry32 with a fixed seed, so that a sample can be drawn again.
function shuffled(items, seed) {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

if (!reportOnly) {
  for (const name of named.length > 0 ? named : Object.keys(SLICES)) {
    const env = { ...process.env, MUTATION_SLICE: name };
    if (retest) {
      const lines = survivorLines(name);
      if (lines.length === 0) continue;
      env.MUTATION_LINES = JSON.stringify(lines);
      env.MUTATION_REPORT = 'retest';
      console.log(`\n=== slice ${name}: the ${lines.length} lines with survivors again ===`);
    } else if (sampleLines > 0) {
      const candidates = filesOf(SLICES[name]).flatMap(codeLines);
      const lines = shuffled(candidates, 20261202).slice(0, sampleLines).sort();
      env.MUTATION_LINES = JSON.stringify(lines);
      console.log(
        `\n=== slice ${name}: a sample of ${lines.length} of ${candidates.length} code lines ===`,
      );
    } else {
      console.log(`\n=== slice ${name} ===`);
    }
    const strykerArgs = [
      'stryker',
      'run',
      'scripts/mutation/stryker.slice.config.mjs',
      ...(force ? ['--force'] : []),
    ];
    const run = spawnSync('npx', strykerArgs, {
      stdio: 'inherit',
      env,
    });
    if (run.status !== 0) process.exitCode = run.status ?? 1;
    else if (retest) mergeRetest(name);
  }
}

// The lines of the slice's whole report that hold a surviving mutant, as `file:line-line`
// ranges. The report must describe the source as it is now: a retest matches mutants by place.
function survivorLines(name) {
  const path = `reports/mutation/slice-${name}.json`;
  if (!existsSync(path)) {
    console.error(`No whole run of slice ${name} to retest (${path}); run the slice first.`);
    process.exit(2);
  }
  const lines = new Set();
  for (const [file, { source, mutants }] of Object.entries(
    JSON.parse(readFileSync(path, 'utf8')).files,
  )) {
    if (onlyFiles !== undefined && !onlyFiles.includes(file)) continue;
    if (readFileSync(file, 'utf8') !== source) {
      console.error(
        `${file} changed since slice ${name} ran; run the slice again (incremental) instead.`,
      );
      process.exit(2);
    }
    for (const mutant of mutants) {
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage')
        // The whole span: Stryker mutates only what lies entirely inside a range.
        lines.add(`${file}:${mutant.location.start.line}-${mutant.location.end.line}`);
    }
  }
  return [...lines].sort();
}

// Each mutant of the retest replaces the slice report's mutant at the same place.
function mergeRetest(name) {
  const path = `reports/mutation/slice-${name}.json`;
  const whole = JSON.parse(readFileSync(path, 'utf8'));
  const again = JSON.parse(readFileSync(`reports/mutation/slice-${name}.retest.json`, 'utf8'));
  let changed = 0;
  for (const [file, { mutants }] of Object.entries(again.files)) {
    const byKey = new Map(mutants.map((m) => [placeOf(m), m]));
    whole.files[file].mutants = whole.files[file].mutants.map((m) => {
      const fresh = byKey.get(placeOf(m));
      if (fresh === undefined || fresh.status === m.status) return m;
      changed += 1;
      return { ...m, status: fresh.status, killedBy: fresh.killedBy, coveredBy: fresh.coveredBy };
    });
  }
  writeFileSync(path, JSON.stringify(whole));
  console.log(`Slice ${name}: ${changed} mutants changed status in the retest; ${path} updated.`);
}

// Per mutant (file and place), the newest whole-slice report that holds it: a file moved
// between slices, or split between two by line ranges, is counted once. Samples are summed
// per slice, apart.
const wholeReports = [
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
// Only reports of the file as it is now count; a file changed since every report of it shows
// the newest one, marked stale.
const reportsOf = new Map();
for (const { path, report } of wholeReports) {
  for (const [file, entry] of Object.entries(report.files)) {
    if (!reportsOf.has(file)) reportsOf.set(file, []);
    reportsOf.get(file).push({ path, ...entry });
  }
}
const files = new Map();
for (const [file, reports] of reportsOf) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const fresh = reports.filter((r) => r.source === current);
  const used = fresh.length > 0 ? fresh : reports.slice(-1);
  const places = new Map();
  for (const r of used) for (const mutant of r.mutants) places.set(placeOf(mutant), mutant);
  const path = used.map((r) => r.path.replace('reports/mutation/', '')).join(' + ');
  files.set(file, {
    path: fresh.length > 0 ? path : `${path} (stale)`,
    mutants: [...places.values()],
  });
}
const samples = Object.keys(SLICES)
  .map((n) => `reports/mutation/slice-${n}.sample.json`)
  .filter((path) => existsSync(path))
  .map((path) => ({ path, report: JSON.parse(readFileSync(path, 'utf8')) }));

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
  rows.push({ file, from: path, ...row });
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
for (const { path, report } of samples) {
  const row = { detected: 0, undetected: 0 };
  for (const { mutants } of Object.values(report.files)) {
    for (const mutant of mutants) {
      if (DETECTED.has(mutant.status)) row.detected += 1;
      else if (UNDETECTED.has(mutant.status)) row.undetected += 1;
    }
  }
  console.log(
    `| sample: ${path.replace('reports/mutation/', '')} | | ${row.detected + row.undetected} | ${row.detected} | ${row.undetected} | | | ${score(row)} |`,
  );
}
if (showSurvivors) console.log(`\nSurvivors:\n${survivors.join('\n')}`);
