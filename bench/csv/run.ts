// The CSV benchmarks of issue 3, in one run (docs/performance-csv.md):
// 1. time: parseCsv from a file stream, every row validated, vs papaparse's streaming parse
//    (rows counted), 1M rows, alternating, best and median of ROUNDS runs each;
// 2. memory: peak RSS of parseCsv for 100k vs 1M rows;
// 3. error path: per-row cost of an all-invalid file vs a valid one (100k rows each).
// Every measurement runs in its own child process, so no run warms up or pollutes another.
// The child scripts are bundled with esbuild first and run on plain node: under tsx the
// loader itself would add about 40 MB to every RSS figure and skew start-up time.
//
//   node --import tsx bench/csv/run.ts [rounds]
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DATA_DIR, generate } from './generate.js';

interface Result {
  readonly rows: number;
  readonly ms: number;
  readonly maxRssMb: number;
}

const ROUNDS = Number(process.argv[2] ?? 5);
const here = dirname(fileURLToPath(import.meta.url));

async function bundle(script: string): Promise<string> {
  const outfile = join(DATA_DIR, script.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(here, script)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

function child(script: string, file: string, flags: string[] = []): Result {
  const out = execFileSync(process.execPath, [...flags, script, file], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Result;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const [small, large, invalid] = await Promise.all([
  generate(100_000),
  generate(1_000_000),
  generate(100_000, 'invalid'),
]);
const [parseFile, papaparseFile] = await Promise.all([
  bundle('parse-file.ts'),
  bundle('papaparse-file.ts'),
]);
const ours: number[] = [];
const papa: number[] = [];
const ratios: number[] = [];
let rss1m = 0;
for (let round = 0; round < ROUNDS; round++) {
  const p = child(papaparseFile, large);
  const o = child(parseFile, large);
  if (o.rows !== p.rows)
    throw new Error(`row counts differ: parseCsv ${o.rows}, papaparse ${p.rows}`);
  papa.push(p.ms);
  ours.push(o.ms);
  ratios.push(o.ms / p.ms);
  rss1m = Math.max(rss1m, o.maxRssMb);
}
const peak = (file: string, flags: string[] = [], script = parseFile): number =>
  Math.max(...Array.from({ length: 3 }, () => child(script, file, flags).maxRssMb));
const rss100k = peak(small);
rss1m = Math.max(rss1m, peak(large));
// V8 grows its young generation (two semi-spaces, 16 MB each by default on 64-bit) while a
// program allocates fast; a 100k-row run ends before it is fully grown. Capping it shows
// what the parser itself holds.
const capped = ['--max-semi-space-size=4'];
const rss100kCapped = peak(small, capped);
const rss1mCapped = peak(large, capped);
const papaRss100k = peak(small, [], papaparseFile);
const papaRss1m = peak(large, [], papaparseFile);
const valid: number[] = [];
const bad: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  valid.push(child(parseFile, small).ms / 100_000);
  bad.push(child(parseFile, invalid).ms / 100_000);
}
const fmt = (n: number, digits = 0): string => n.toFixed(digits);
console.log(`node ${process.version}, ${ROUNDS} rounds, 1M rows = ${large.split(/[\\/]/).at(-1)}`);
console.log(
  `papaparse stream, 1M rows: median ${fmt(median(papa))} ms (best ${fmt(Math.min(...papa))})`,
);
console.log(
  `parseCsv stream,  1M rows: median ${fmt(median(ours))} ms (best ${fmt(Math.min(...ours))})`,
);
console.log(
  `ratio parseCsv / papaparse (same round): median ${fmt(median(ratios), 2)}x, range ${fmt(Math.min(...ratios), 2)}-${fmt(Math.max(...ratios), 2)}x (limit 1.5x)`,
);
console.log(
  `peak RSS parseCsv: 100k rows ${fmt(rss100k, 1)} MB, 1M rows ${fmt(rss1m, 1)} MB, difference ${fmt(rss1m - rss100k, 1)} MB (limits: < 100 MB, <= 10 MB)`,
);
console.log(
  `peak RSS parseCsv with --max-semi-space-size=4: 100k rows ${fmt(rss100kCapped, 1)} MB, 1M rows ${fmt(rss1mCapped, 1)} MB, difference ${fmt(rss1mCapped - rss100kCapped, 1)} MB`,
);
console.log(
  `peak RSS papaparse, for comparison: 100k rows ${fmt(papaRss100k, 1)} MB, 1M rows ${fmt(papaRss1m, 1)} MB, difference ${fmt(papaRss1m - papaRss100k, 1)} MB`,
);
console.log(
  `per row: valid ${fmt(median(valid) * 1e6)} ns, all-invalid ${fmt(median(bad) * 1e6)} ns, ratio ${fmt(median(bad) / median(valid), 2)}x (limit 10x)`,
);
