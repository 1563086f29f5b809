// Estimates the mutation score of modules too slow to mutate whole on a small machine: draws
// a fixed-seed random sample of code lines from them and runs `npm run mutation`'s
// configuration (stryker.config.mjs) on every mutant of those lines only. docs/quality.md
// reports the result as a sample, with its spread.
//
//   node scripts/mutation-sample.mjs [lines=80] [seed=20261202]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = [
  'src/bulk',
  'src/store',
  'src/schema',
  'src/postgres',
  'src/testing',
  'src/errors.ts',
  'src/options.ts',
];
const count = Number(process.argv[2] ?? 80);
let seed = Number(process.argv[3] ?? 20261202);

function sourceFiles(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .flatMap((name) => sourceFiles(join(path, name)))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('index.ts'));
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

// mulberry32: a small deterministic generator, so that the sample can be drawn again.
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const candidates = ROOTS.flatMap(sourceFiles).sort().flatMap(codeLines);
for (let i = candidates.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
}
const sample = candidates.slice(0, count).sort();
console.log(`Sampling ${sample.length} of ${candidates.length} code lines.`);
const result = spawnSync(
  'npx',
  ['stryker', 'run', '--mutate', sample.join(','), '--concurrency', '1'],
  { stdio: 'inherit' },
);
process.exitCode = result.status ?? 1;
