// A/B of parseCsv between this checkout and another one (an earlier commit checked out with
// `git worktree add`), on the 1M-row file: both child scripts bundled with esbuild, run
// alternately, ROUNDS each, ratio of medians. Used to show that a change keeps the comma path's
// speed (docs/performance-csv.md).
//
//   git worktree add ../base <commit> && ln -s "$PWD/node_modules" ../base/node_modules
//   node --import tsx bench/csv/ab.ts ../base [rounds]
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DATA_DIR, generate } from './generate.js';

const other = process.argv[2];
if (other === undefined) throw new Error('usage: ab.ts <other checkout> [rounds]');
const rounds = Number(process.argv[3] ?? 11);
const here = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const file = await generate(1_000_000);
const scripts: Record<string, string> = {};
for (const [name, root] of [
  ['other', resolve(other)],
  ['this', here],
] as const) {
  scripts[name] = join(DATA_DIR, `ab-${name}.mjs`);
  await build({
    entryPoints: [join(root, 'bench/csv/parse-file.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: scripts[name],
    logLevel: 'error',
  });
}
const times: Record<string, number[]> = { other: [], this: [] };
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 === 0 ? ['this', 'other'] : ['other', 'this']) {
    const out = execFileSync(process.execPath, [scripts[name] as string, file], {
      encoding: 'utf8',
    });
    times[name]?.push(JSON.parse(out.trim().split('\n').at(-1) as string).ms);
  }
}
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const [a, b] = [median(times['other'] ?? []), median(times['this'] ?? [])];
console.log(
  `other ${a.toFixed(0)} ms, this ${b.toFixed(0)} ms, ratio this/other ${(b / a).toFixed(3)} (${rounds} rounds each)`,
);
