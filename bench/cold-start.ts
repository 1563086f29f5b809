// Cold start of each public entry in plain Node (no bundler: how servers and serverless
// functions load the package): the time and peak RSS of `node -e "await import(entry)"` over
// a bare `node -e 0`, median of ROUNDS runs each, alternating, for every Node binary given.
// Reads the built package (`npm run build` first). Also lists the dependency modules an entry
// loads, as imported (`zod`, `date-fns/parse`), through a --import hook that records every
// bare specifier resolved (module.registerHooks: Node 22.15 and later; not listed on Node 20).
//
//   npm run build && node --import tsx bench/cold-start.ts [rounds] [node binaries...]
// e.g. node --import tsx bench/cold-start.ts 7 node /path/to/node22/bin/node /path/to/node24/bin/node
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const rounds = Number(process.argv[2] ?? 7);
const binaries = process.argv.length > 3 ? process.argv.slice(3) : [process.execPath];
const entries: Record<string, string> = {
  'learner-status': 'dist/index.js',
  'learner-status/csv': 'dist/csv.js',
  'learner-status/xlsx': 'dist/xlsx.js',
  'learner-status/postgres': 'dist/postgres.js',
  'learner-status/schema': 'dist/schema.js',
  'learner-status/dates': 'dist/dates.js',
};
const scratch = mkdtempSync(join(tmpdir(), 'learner-status-cold-'));
// Imports the entry, then prints the time since the process started and the peak RSS (KB).
const probe = join(scratch, 'probe.mjs');
writeFileSync(
  probe,
  `const target = process.argv[2];
if (target) await import(target);
console.log(JSON.stringify({ ms: performance.now(), rssKb: process.resourceUsage().maxRSS }));
`,
);
// Records every module URL resolved, to see which dependencies an entry loads.
const hook = join(scratch, 'hook.mjs');
writeFileSync(
  hook,
  `import { registerHooks } from 'node:module';
const seen = new Set();
if (registerHooks) registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); if (r.url.includes('/node_modules/') && !/^(\\.|file:|node:)/.test(specifier)) seen.add(specifier); return r; } });
process.on('exit', () => { if (registerHooks) process.stderr.write('DEPS ' + JSON.stringify([...seen]) + '\\n'); });
`,
);

function run(node: string, target: string | undefined): { ms: number; rssKb: number } {
  const args = [probe];
  if (target !== undefined) args.push(target);
  const out = execFileSync(node, args, { encoding: 'utf8', cwd: root });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

function deps(node: string, target: string): string | undefined {
  const result = spawnSync(node, ['--import', pathToFileURL(hook).href, probe, target], {
    encoding: 'utf8',
    cwd: root,
  });
  return /DEPS (.*)/.exec(result.stderr ?? '')?.[1];
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

for (const node of binaries) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const bare: { ms: number[]; rss: number[] } = { ms: [], rss: [] };
  const per: Record<string, { ms: number[]; rss: number[] }> = {};
  for (let round = 0; round < rounds; round++) {
    const b = run(node, undefined);
    bare.ms.push(b.ms);
    bare.rss.push(b.rssKb / 1024);
    for (const [name, file] of Object.entries(entries)) {
      const r = run(node, pathToFileURL(join(root, file)).href);
      per[name] ??= { ms: [], rss: [] };
      per[name].ms.push(r.ms);
      per[name].rss.push(r.rssKb / 1024);
    }
  }
  console.log(
    `${version}: bare process ${median(bare.ms).toFixed(0)} ms, ${median(bare.rss).toFixed(1)} MB (median of ${rounds})`,
  );
  for (const [name, file] of Object.entries(entries)) {
    const m = per[name] as { ms: number[]; rss: number[] };
    const list = deps(node, pathToFileURL(join(root, file)).href);
    console.log(
      `  import('${name}'): +${(median(m.ms) - median(bare.ms)).toFixed(0)} ms, +${(median(m.rss) - median(bare.rss)).toFixed(1)} MB${list === undefined ? '' : `, dependencies loaded: ${JSON.parse(list).join(', ') || 'none'}`}`,
    );
  }
}
