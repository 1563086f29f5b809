// Speed of the login path (issue: core), side by side with an inline baseline in the same run.
//   npm run bench            (node --expose-gc --import tsx bench/core.bench.ts)
// The baseline validates nothing; effectiveStatus and checkLogin also check R12 (status,
// id, Dates). Reported: median ns per call and the ratio to the baseline, plus bytes
// allocated per call.
import { bench, do_not_optimize, run, summary } from 'mitata';
import { checkLogin, effectiveStatus, type User } from '../src/index.js';

const POPULATION = 1024;
const NOW = new Date('2026-06-01T12:00:00.000Z');

/** A deterministic, varied population: both statuses, never/past/future/boundary expiry. */
function population(): User[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: POPULATION }, (_, i): User => {
    const pick = random();
    const expiresAt =
      pick < 0.3
        ? null
        : pick < 0.55
          ? new Date(NOW.getTime() - Math.floor(random() * 1e10))
          : pick < 0.6
            ? new Date(NOW.getTime())
            : new Date(NOW.getTime() + Math.floor(random() * 1e10));
    const user: User = {
      id: `u${i}`,
      status: random() < 0.8 ? 'active' : 'deactivated',
      expiresAt,
    };
    return random() < 0.2 ? { ...user, accessRevokedAt: new Date(NOW.getTime() - 1e9) } : user;
  });
}

const users = population();

function baseline(user: User, now: Date): string {
  // The check most code writes inline: no validation at all.
  return user.expiresAt !== null && user.expiresAt.getTime() <= now.getTime()
    ? 'expired'
    : user.status;
}

function bytesPerCall(fn: (user: User) => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return Number.NaN;
  const calls = 200_000;
  for (let i = 0; i < calls; i++) fn(users[i % POPULATION] as User); // warm up
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) do_not_optimize(fn(users[i % POPULATION] as User));
  return Math.max(0, (process.memoryUsage().heapUsed - before) / calls);
}

summary(() => {
  bench('baseline: inline getTime() <= now', () => {
    for (const user of users) do_not_optimize(baseline(user, NOW));
  }).baseline(true);
  bench('effectiveStatus', () => {
    for (const user of users) do_not_optimize(effectiveStatus(user, NOW));
  });
  bench('checkLogin', () => {
    for (const user of users) do_not_optimize(checkLogin(user, NOW));
  });
});

const { benchmarks } = await run({ format: 'quiet' });
const medians = new Map<string, number>();
for (const trial of benchmarks) {
  const stats = trial.runs[0]?.stats;
  if (stats) medians.set(trial.alias, stats.p50 / POPULATION);
}
const base = medians.get('baseline: inline getTime() <= now') ?? Number.NaN;
const allocations: Record<string, number> = {
  'baseline: inline getTime() <= now': bytesPerCall((u) => baseline(u, NOW)),
  effectiveStatus: bytesPerCall((u) => effectiveStatus(u, NOW)),
  checkLogin: bytesPerCall((u) => checkLogin(u, NOW)),
};
console.log(`node ${process.version}, ${POPULATION} users per iteration`);
console.log('| function | median ns/call | ratio to baseline | bytes allocated/call |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, ns] of medians) {
  console.log(
    `| ${name} | ${ns.toFixed(2)} | ${(ns / base).toFixed(2)}x | ${(allocations[name] ?? Number.NaN).toFixed(1)} |`,
  );
}
