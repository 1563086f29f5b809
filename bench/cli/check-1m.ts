// `learner-status check` on the 1M-row benchmark file (issue 6: streams its input in bounded
// memory, with the CSV issue's speed targets), run as a child process of the built CLI
// (`node dist/cli.js`), side by side with the papaparse baseline (bench/csv/papaparse-file.ts,
// rows counted, bundled and run on plain node as in bench/csv/run.ts) in the same run,
// alternating, ROUNDS rounds each. Wall time and peak RSS of each child process: from
// `/usr/bin/time -v` when present, else from a preload that prints process.resourceUsage().
// Also, when ALL=1 is not set to 0: the same 1M rows with every row invalid
// (bench/.data/users-invalid-1000000.csv), checked plain (table of the first 1,000 problems),
// with --report and with --json (stdout to a file), to show memory does not grow with them.
//
//   npm run build && node --import tsx bench/cli/check-1m.ts [rounds]
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DATA_DIR, generate } from '../csv/generate.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cliJs = join(root, 'dist', 'cli.js');
const TIME = '/usr/bin/time';
const useTime = existsSync(TIME);
// Fallback: the child prints its own peak RSS (KiB on Linux) on stderr as it exits.
const PRELOAD = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => process.stderr.write('\\nMAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));",
)}`;

interface Measure {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly code: number | null;
}

function measure(args: readonly string[], stdoutFile?: string): Measure {
  const nodeArgs = useTime ? [...args] : ['--import', PRELOAD, ...args];
  const command = useTime ? TIME : process.execPath;
  const argv = useTime ? ['-v', process.execPath, ...nodeArgs] : nodeArgs;
  const out = stdoutFile === undefined ? 'pipe' : openSync(stdoutFile, 'w');
  const start = performance.now();
  const result = spawnSync(command, argv, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', out, 'pipe'],
  });
  const ms = performance.now() - start;
  if (typeof out === 'number') closeSync(out);
  const match = useTime
    ? /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)
    : /MAXRSS_KB (\d+)/.exec(result.stderr);
  if (match?.[1] === undefined) throw new Error(`no RSS figure from ${args.join(' ')}`);
  return { ms, maxRssMb: Number(match[1]) / 1024, code: result.status };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

if (!existsSync(cliJs)) {
  console.error('dist/cli.js is missing: run `npm run build` first.');
  process.exit(2);
}
const file = await generate(1_000_000);
const withInvalid = process.env['ALL'] !== '0';
const invalid = withInvalid ? await generate(1_000_000, 'invalid') : undefined;
const reportOut = join(DATA_DIR, 'check-report.csv');
const jsonOut = join(DATA_DIR, 'check.json');
const papaparse = join(DATA_DIR, 'papaparse-file.mjs');
await build({
  entryPoints: [join(here, '..', 'csv', 'papaparse-file.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: papaparse,
  logLevel: 'error',
});

const runs: Record<'check' | 'papaparse' | 'invalid' | 'invalidReport' | 'invalidJson', Measure[]> =
  { check: [], papaparse: [], invalid: [], invalidReport: [], invalidJson: [] };
for (let round = 0; round < ROUNDS; round++) {
  runs.check.push(measure([cliJs, 'check', file]));
  runs.papaparse.push(measure([papaparse, file]));
  if (invalid === undefined) continue;
  runs.invalid.push(measure([cliJs, 'check', invalid]));
  runs.invalidReport.push(measure([cliJs, 'check', invalid, '--report', reportOut]));
  runs.invalidJson.push(measure([cliJs, 'check', invalid, '--json'], jsonOut));
}
// The generated files have invalid rows on purpose (0.1%, all): check exits 1 and lists them.
const codes = new Set(
  [...runs.check, ...runs.invalid, ...runs.invalidReport, ...runs.invalidJson].map((m) => m.code),
);
if (codes.size !== 1 || !codes.has(1)) throw new Error(`check exited ${[...codes].join(', ')}`);

const summary = (measures: readonly Measure[]) => ({
  bestMs: Math.round(Math.min(...measures.map((m) => m.ms))),
  medianMs: Math.round(median(measures.map((m) => m.ms))),
  maxRssMb: Math.round(Math.max(...measures.map((m) => m.maxRssMb))),
});
const check = summary(runs.check);
const allInvalid =
  invalid === undefined
    ? undefined
    : {
        file: 'bench/.data/users-invalid-1000000.csv',
        check: summary(runs.invalid),
        checkReport: summary(runs.invalidReport),
        checkJson: summary(runs.invalidJson),
      };
const baseline = summary(runs.papaparse);
console.log(
  JSON.stringify(
    {
      file: 'bench/.data/users-mixed-1000000.csv',
      rounds: ROUNDS,
      rss: useTime ? '/usr/bin/time -v' : 'process.resourceUsage()',
      node: process.version,
      check,
      papaparse: baseline,
      timeRatio: +(check.medianMs / baseline.medianMs).toFixed(2),
      allInvalid,
    },
    null,
    2,
  ),
);
