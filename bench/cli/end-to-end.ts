// The command line from end to end at the size of a large organisation (issue 18): `check`,
// `preview` (table and --json) against a users export, and `apply` on PGlite and on a real
// PostgreSQL server, at 10k, 100k and 1M rows, each a child process of the CLI bundled from
// src/ (so that dist/, which others build and test, is left alone). Wall time and peak RSS of
// each child (`/usr/bin/time -v`, else process.resourceUsage() from a preload).
//
//   node --import tsx bench/cli/end-to-end.ts                       # check, preview, PGlite
//   LEARNER_STATUS_PG_URL="$(scripts/pg-server.sh start)" node --import tsx bench/cli/end-to-end.ts
//   SIZES=10000,100000 ONLY=check,preview ROUNDS=5 node --import tsx bench/cli/end-to-end.ts
//
// check and preview run ROUNDS times (default 3), alternating; the table has their median
// time and their highest peak RSS. apply runs once.
//
// Files: bench/.data/users-mixed-N.csv (bench/csv/generate.ts) and its users export
// bench/.data/users-export-N.csv (bench/cli/users-export.ts), made on first use. Apply runs
// each start from the same database: PGlite's from a copy of a data directory filled once,
// the server's from a schema filled anew (setup is not timed).
import { spawnSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { build } from 'esbuild';
import pg from 'pg';
import { parseCsv } from '../../src/csv/index.js';
import { createPostgresStore, type PostgresClient } from '../../src/postgres/index.js';
import type { User } from '../../src/status/index.js';
import { DATA_DIR } from '../csv/generate.js';
import { generateUsersExport } from './users-export.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const SIZES = (process.env['SIZES'] ?? '10000,100000,1000000').split(',').map(Number);
const ONLY = process.env['ONLY']?.split(',');
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const NOW = '2026-11-25T09:00:00Z';
const TIME = '/usr/bin/time';
const useTime = existsSync(TIME);
const PRELOAD = `data:text/javascript,${encodeURIComponent(
  "process.on('exit', () => process.stderr.write('\\nMAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));",
)}`;

interface Measure {
  readonly rows: number;
  readonly run: string;
  readonly ms: number;
  readonly maxRssMb: number;
  readonly code: number | null;
}

const bundleDir = join(DATA_DIR, 'cli-bundle');
await build({
  entryPoints: { cli: join(root, 'src', 'cli', 'main.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: bundleDir,
  external: ['pg', 'fflate', 'saxes'],
  logLevel: 'error',
});
const cliJs = join(bundleDir, 'cli.js');

function measure(
  rows: number,
  run: string,
  args: readonly string[],
  options: { nodeArgs?: readonly string[]; env?: Record<string, string>; stdout?: string } = {},
): Measure {
  const nodeArgs = [...(options.nodeArgs ?? []), ...(useTime ? [] : ['--import', PRELOAD])];
  const argv = [...nodeArgs, cliJs, ...args];
  const command = useTime ? TIME : process.execPath;
  const full = useTime ? ['-v', process.execPath, ...argv] : argv;
  const stdout = options.stdout ?? join(DATA_DIR, 'e2e-stdout.txt');
  const start = performance.now();
  const result = spawnSync(
    'sh',
    ['-c', `"$0" "$@" > ${JSON.stringify(stdout)}`, command, ...full],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const ms = performance.now() - start;
  const match = useTime
    ? /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)
    : /MAXRSS_KB (\d+)/.exec(result.stderr);
  if (match?.[1] === undefined) throw new Error(`no RSS figure from ${run}:\n${result.stderr}`);
  const measured: Measure = {
    rows,
    run,
    ms: Math.round(ms),
    maxRssMb: Math.round(Number(match[1]) / 1024),
    code: result.status,
  };
  console.log(JSON.stringify(measured));
  // 0 and 1 are verdicts (the files have refused rows on purpose); 2 is a failure.
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${run} exited ${result.status}:\n${result.stderr.slice(-2000)}`);
  }
  return measured;
}

async function readUsers(path: string): Promise<User[]> {
  const users: User[] = [];
  for await (const { result } of parseCsv(createReadStream(path, { highWaterMark: 1 << 16 }))) {
    if (!result.ok) continue;
    const { userId, status, expiresAt } = result.update;
    users.push({ id: userId, status: status ?? 'active', expiresAt: expiresAt ?? null });
  }
  return users;
}

async function fill(
  client: PostgresClient,
  users: readonly User[],
  schema?: string,
): Promise<void> {
  const store = createPostgresStore(client, { maxBatchSize: 5000, ...(schema ? { schema } : {}) });
  await store.migrate();
  await store.insertUsers(users);
}

const wanted = (name: string) => ONLY === undefined || ONLY.includes(name);
const measures: Measure[] = [];
const serverUrl = process.env['LEARNER_STATUS_PG_URL'];

for (const rows of SIZES) {
  const usersFile = await generateUsersExport(rows);
  const file = join(DATA_DIR, `users-mixed-${rows}.csv`);
  const common = ['--now', NOW];
  // check and preview alternate, ROUNDS times, and their medians are kept: on a shared
  // machine the ratio of medians of one run holds better than any one time.
  const rounds: Measure[] = [];
  const preview = ['preview', file, '--users', usersFile, ...common];
  for (let round = 0; round < ROUNDS; round++) {
    if (wanted('check')) rounds.push(measure(rows, 'check', ['check', file]));
    if (wanted('preview')) {
      rounds.push(measure(rows, 'preview', preview));
      rounds.push(measure(rows, 'preview --json', [...preview, '--json']));
    }
  }
  for (const run of ['check', 'preview', 'preview --json']) {
    const same = rounds.filter((m) => m.run === run).sort((a, b) => a.ms - b.ms);
    const middle = same[Math.floor(same.length / 2)];
    if (middle !== undefined) {
      measures.push({
        ...middle,
        maxRssMb: same.reduce((most, m) => Math.max(most, m.maxRssMb), 0),
      });
    }
  }
  const apply = ['apply', file, '--yes', ...common, '--batch-size', '1000'];
  if (wanted('pglite') || wanted('server')) {
    const users = await readUsers(usersFile);
    if (wanted('pglite')) {
      const filled = join(DATA_DIR, `pglite-${rows}`);
      if (!existsSync(filled)) {
        const db = new PGlite(`${filled}.part`);
        await fill(db, users);
        await db.close();
        cpSync(`${filled}.part`, filled, { recursive: true });
        rmSync(`${filled}.part`, { recursive: true, force: true });
      }
      const copy = join(DATA_DIR, 'pglite-run');
      rmSync(copy, { recursive: true, force: true });
      cpSync(filled, copy, { recursive: true });
      measures.push(
        measure(rows, 'apply (PGlite)', [...apply, '--database-url', 'postgres://pglite/bench'], {
          nodeArgs: ['--import', join(here, 'pglite-pg.mjs')],
          env: { PGLITE_DATA_DIR: copy },
        }),
      );
      rmSync(copy, { recursive: true, force: true });
    }
    if (wanted('server') && serverUrl) {
      const pool = new pg.Pool({ connectionString: serverUrl, max: 2 });
      await pool.query('DROP SCHEMA IF EXISTS bench_e2e CASCADE');
      await pool.query('CREATE SCHEMA bench_e2e');
      await fill(pool, users, 'bench_e2e');
      await pool.end();
      measures.push(
        measure(rows, 'apply (server)', [
          ...apply,
          '--database-url',
          serverUrl,
          '--schema',
          'bench_e2e',
        ]),
      );
    }
  }
}

// The table and a chart of peak memory against rows, for docs/performance.md.
const runs = [...new Set(measures.map((m) => m.run))];
const check = new Map(measures.filter((m) => m.run === 'check').map((m) => [m.rows, m.ms]));
console.log('\n| run | rows | time | x check | peak RSS |\n| --- | ---: | ---: | ---: | ---: |');
for (const m of measures) {
  const base = check.get(m.rows);
  console.log(
    `| ${m.run} | ${m.rows.toLocaleString('en-US')} | ${(m.ms / 1000).toFixed(2)} s | ${base === undefined ? '' : `${(m.ms / base).toFixed(1)}x`} | ${m.maxRssMb} MB |`,
  );
}
const top = measures.reduce((most, m) => Math.max(most, m.maxRssMb), 1024);
console.log('\nPeak RSS (each # is 32 MB; | marks 1 GB)');
for (const run of runs) {
  for (const m of measures.filter((x) => x.run === run)) {
    const bar = '#'.repeat(Math.round(m.maxRssMb / 32)).padEnd(Math.round(top / 32));
    const marked = `${bar.slice(0, 32)}|${bar.slice(32)}`;
    console.log(`${run.padEnd(15)} ${String(m.rows).padStart(8)}  ${marked}  ${m.maxRssMb} MB`);
  }
}
