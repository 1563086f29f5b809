// The workbook benchmark (F8), in one run (docs/dependencies.md, "Workbooks"):
// 1. time: openSheet from a file stream, every record consumed, vs the bare libraries (fflate's
//    streaming Unzip + saxes, shared strings kept, rows counted, no record built) reading the
//    same 1M-row workbook, alternating, median and best of ROUNDS runs each, and their ratio;
// 2. memory: peak RSS of both, for 100k and 1M rows, with the e-mails as shared strings (the
//    table Excel writes grows with the rows and must be held) and as inline strings (nothing
//    grows: what the streaming itself holds), the latter also with V8's young generation capped.
// Every measurement runs in its own child process, bundled with esbuild and run on plain node
// as in bench/csv/run.ts (tsx would add its loader to every figure).
//
//   node --import tsx bench/xlsx/run.ts [rounds]
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DATA_DIR } from '../csv/generate.js';
import { generateWorkbook } from './generate.js';

interface Result {
  readonly rows: number;
  readonly ms: number;
  readonly maxRssMb: number;
}

const ROUNDS = Number(process.argv[2] ?? 5);
const here = dirname(fileURLToPath(import.meta.url));

async function bundle(script: string): Promise<string> {
  const outfile = join(DATA_DIR, `xlsx-${script.replace(/\.ts$/, '.mjs')}`);
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

const [small, large, smallInline, largeInline] = [
  await generateWorkbook(100_000),
  await generateWorkbook(1_000_000),
  await generateWorkbook(100_000, 'inline'),
  await generateWorkbook(1_000_000, 'inline'),
];
const [openSheetFile, bareFile, parseFile] = await Promise.all([
  bundle('open-sheet.ts'),
  bundle('bare.ts'),
  bundle('parse-xlsx.ts'),
]);
const ours: number[] = [];
const bare: number[] = [];
const parsed: number[] = [];
const ratios: number[] = [];
const parseRatios: number[] = [];
let rows = 0;
for (let round = 0; round < ROUNDS; round++) {
  const b = child(bareFile, large);
  const o = child(openSheetFile, large);
  const p = child(parseFile, large);
  if (o.rows !== b.rows) throw new Error(`row counts differ: openSheet ${o.rows}, bare ${b.rows}`);
  if (p.rows !== b.rows) throw new Error(`row counts differ: parseXlsx ${p.rows}, bare ${b.rows}`);
  rows = o.rows;
  bare.push(b.ms);
  ours.push(o.ms);
  parsed.push(p.ms);
  ratios.push(o.ms / b.ms);
  parseRatios.push(p.ms / b.ms);
}
const peak = (script: string, file: string, flags: string[] = []): number =>
  Math.max(...Array.from({ length: 3 }, () => child(script, file, flags).maxRssMb));
const fmt = (n: number, digits = 0): string => n.toFixed(digits);
const perRow = (ms: number): string => `${fmt((ms / rows) * 1e6)} ns/row`;
console.log(
  `node ${process.version}, ${ROUNDS} rounds, ${rows} rows = ${large.split(/[\\/]/).at(-1)}`,
);
console.log(
  `bare fflate + saxes: median ${fmt(median(bare))} ms, ${perRow(median(bare))} (best ${fmt(Math.min(...bare))} ms)`,
);
console.log(
  `openSheet:           median ${fmt(median(ours))} ms, ${perRow(median(ours))} (best ${fmt(Math.min(...ours))} ms)`,
);
console.log(
  `ratio openSheet / bare (same round): median ${fmt(median(ratios), 2)}x, range ${fmt(Math.min(...ratios), 2)}-${fmt(Math.max(...ratios), 2)}x (aim: at most 1.3x)`,
);
console.log(
  `parseXlsx (rows validated): median ${fmt(median(parsed))} ms, ${perRow(median(parsed))}; ratio to bare, same round: median ${fmt(median(parseRatios), 2)}x, range ${fmt(Math.min(...parseRatios), 2)}-${fmt(Math.max(...parseRatios), 2)}x`,
);
for (const [label, script] of [
  ['parseXlsx', parseFile],
  ['openSheet', openSheetFile],
  ['bare     ', bareFile],
] as const) {
  const [s, l, si, li] = [small, large, smallInline, largeInline].map((file) => peak(script, file));
  console.log(
    `peak RSS ${label}: shared strings 100k ${fmt(s!, 1)} MB, 1M ${fmt(l!, 1)} MB; inline strings 100k ${fmt(si!, 1)} MB, 1M ${fmt(li!, 1)} MB`,
  );
}
// V8 grows its young generation while a program allocates fast, and a 100k-row run ends before
// it is fully grown (see bench/csv/run.ts): capped, the inline figures show what the reader holds.
const capped = ['--max-semi-space-size=4'];
console.log(
  `peak RSS openSheet with --max-semi-space-size=4: inline strings 100k ${fmt(peak(openSheetFile, smallInline, capped), 1)} MB, 1M ${fmt(peak(openSheetFile, largeInline, capped), 1)} MB`,
);
