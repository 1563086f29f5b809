// The login path per call (issue 15): effectiveStatus and checkLogin against the unvalidated
// inline compare, in a tight loop over users of one shape, and the bytes they allocate.
//
//   npm run bench:login   (node --expose-gc --import tsx bench/login/per-call.ts [rounds])
//
// 4,096 users of one shape (every field present, in the same order) and 16 different `now`s;
// each measured function has its own loop, written exactly like the baseline's (so that every
// call site sees one function and one user shape), and the results feed a sink that the loop
// returns, so that nothing can be optimised away. Rounds interleave the functions (the order
// rotates every round) and the figures are medians over rounds: ns per call, and the ratio of
// the medians to the baseline's. The "straightforward" rows are the same checks written
// plainly, for comparison. Allocation is the heap growth over many calls between two full GCs,
// for refused calls (deactivated, expired, revoked) and allowed ones apart.
import { type AccountStatus, checkLogin, effectiveStatus, type User } from '../../src/index.js';

const USERS = 4096;
const NOWS = 16;
// Each sample runs every user at every `now` this many times: 262,144 calls, about 1-6 ms, so
// that a burst of work elsewhere on the machine spoils few samples.
const PASSES = 4;
const ROUNDS = Number(process.argv[2] ?? 31);
const WARM_UP_ROUNDS = 5;

const FIRST_NOW = Date.UTC(2026, 5, 1, 8);
const MINUTE = 60_000;
const DAY = 86_400_000;
/** 16 instants over a working day, 37 minutes apart. */
const nows: Date[] = Array.from({ length: NOWS }, (_, j) => new Date(FIRST_NOW + j * 37 * MINUTE));
const LAST_NOW = FIRST_NOW + (NOWS - 1) * 37 * MINUTE;

/** A deterministic pseudo-random number in [0, 1). */
let seed = 15;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}

/**
 * One learner; every field present, always in this order, so that all share one shape: 30%
 * never expire, 30% expire within the year, 12% deactivated, 18% expired long ago and 2% during
 * the day of the 16 `now`s, 3% revoked by a clock ahead of ours (`access-revoked`), 5%
 * reactivated earlier (an `accessRevokedAt` in the past).
 */
function learner(i: number): User {
  const pick = random();
  let status: User['status'] = 'active';
  let expiresAt: Date | null = null;
  let accessRevokedAt: Date | null = null;
  if (pick < 0.3) {
    expiresAt = null;
  } else if (pick < 0.6) {
    expiresAt = new Date(LAST_NOW + 1 + Math.floor(random() * 365 * DAY));
  } else if (pick < 0.72) {
    status = 'deactivated';
    expiresAt = random() < 0.5 ? null : new Date(LAST_NOW + Math.floor(random() * 90 * DAY));
    accessRevokedAt = new Date(FIRST_NOW - Math.floor(random() * 90 * DAY));
  } else if (pick < 0.9) {
    expiresAt = new Date(FIRST_NOW - Math.floor(random() * 365 * DAY));
  } else if (pick < 0.92) {
    expiresAt = new Date(FIRST_NOW + Math.floor(random() * (LAST_NOW - FIRST_NOW)));
  } else if (pick < 0.95) {
    accessRevokedAt = new Date(LAST_NOW + 1 + Math.floor(random() * 2000));
  } else {
    expiresAt = random() < 0.5 ? null : new Date(LAST_NOW + 1 + Math.floor(random() * 90 * DAY));
    accessRevokedAt = new Date(FIRST_NOW - 1 - Math.floor(random() * 90 * DAY));
  }
  return { id: `u-${i}`, status, expiresAt, accessRevokedAt };
}

const users: User[] = Array.from({ length: USERS }, (_, i) => learner(i));

/** The baseline: the check most code writes inline, validating nothing. */
function inlineCompare(user: User, now: Date): AccountStatus {
  return user.expiresAt !== null && user.expiresAt.getTime() <= now.getTime()
    ? 'expired'
    : user.status;
}

/**
 * The same checks as effectiveStatus (R4, R12), written plainly: `instanceof Date` and the
 * value's own getTime (so a subclass that lies about its date is believed).
 */
function straightEffectiveStatus(user: User, now: Date): AccountStatus {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now');
  if (typeof user !== 'object' || user === null) throw new TypeError('user');
  const { id, status, expiresAt, accessRevokedAt } = user;
  if (typeof id !== 'string' || id === '') throw new TypeError('id');
  if (status !== 'active' && status !== 'deactivated') throw new TypeError('status');
  if (accessRevokedAt != null) {
    if (!(accessRevokedAt instanceof Date) || Number.isNaN(accessRevokedAt.getTime())) {
      throw new TypeError('accessRevokedAt');
    }
  }
  if (expiresAt === null) return status;
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
    throw new TypeError('expiresAt');
  }
  return now.getTime() >= expiresAt.getTime() ? 'expired' : status;
}

type Decision =
  | { allowed: true; status: 'active'; sessionExpiresAt: Date | null }
  | { allowed: false; reason: string; detail?: string };

/** The same decision as checkLogin without options, written plainly: a new object per call. */
function straightCheckLogin(user: User | null | undefined, now: Date): Decision {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now');
  if (user === null || user === undefined) return { allowed: false, reason: 'unknown-user' };
  let status: AccountStatus;
  try {
    status = straightEffectiveStatus(user, now);
  } catch (error) {
    return { allowed: false, reason: 'invalid', detail: String(error) };
  }
  if (status !== 'active') return { allowed: false, reason: status };
  const revoked = user.accessRevokedAt;
  if (revoked != null && now.getTime() <= revoked.getTime()) {
    return { allowed: false, reason: 'access-revoked' };
  }
  return { allowed: true, status: 'active', sessionExpiresAt: user.expiresAt };
}

// One loop per function, identical but for the call, so that no call site is shared.
function loopInlineCompare(): number {
  let sink = 0;
  for (let p = 0; p < PASSES; p++) {
    for (let j = 0; j < NOWS; j++) {
      const now = nows[j] as Date;
      for (let i = 0; i < USERS; i++) {
        if (inlineCompare(users[i] as User, now) === 'active') sink++;
      }
    }
  }
  return sink;
}

function loopEffectiveStatus(): number {
  let sink = 0;
  for (let p = 0; p < PASSES; p++) {
    for (let j = 0; j < NOWS; j++) {
      const now = nows[j] as Date;
      for (let i = 0; i < USERS; i++) {
        if (effectiveStatus(users[i] as User, now) === 'active') sink++;
      }
    }
  }
  return sink;
}

function loopStraightEffectiveStatus(): number {
  let sink = 0;
  for (let p = 0; p < PASSES; p++) {
    for (let j = 0; j < NOWS; j++) {
      const now = nows[j] as Date;
      for (let i = 0; i < USERS; i++) {
        if (straightEffectiveStatus(users[i] as User, now) === 'active') sink++;
      }
    }
  }
  return sink;
}

function loopCheckLogin(): number {
  let sink = 0;
  for (let p = 0; p < PASSES; p++) {
    for (let j = 0; j < NOWS; j++) {
      const now = nows[j] as Date;
      for (let i = 0; i < USERS; i++) {
        if (checkLogin(users[i] as User, now).allowed) sink++;
      }
    }
  }
  return sink;
}

function loopStraightCheckLogin(): number {
  let sink = 0;
  for (let p = 0; p < PASSES; p++) {
    for (let j = 0; j < NOWS; j++) {
      const now = nows[j] as Date;
      for (let i = 0; i < USERS; i++) {
        if (straightCheckLogin(users[i] as User, now).allowed) sink++;
      }
    }
  }
  return sink;
}

const loops: [string, () => number][] = [
  ['baseline: inline compare', loopInlineCompare],
  ['effectiveStatus', loopEffectiveStatus],
  ['checkLogin', loopCheckLogin],
  ['straightforward effectiveStatus', loopStraightEffectiveStatus],
  ['straightforward checkLogin', loopStraightCheckLogin],
];
const CALLS = PASSES * NOWS * USERS;

// The sinks say the loops did the work: the effective status is active exactly as often in
// both, and checkLogin allows those minus the revocations ahead of the clock.
const sinks = new Map(loops.map(([name, loop]) => [name, loop()]));
if (
  sinks.get('effectiveStatus') !== sinks.get('baseline: inline compare') ||
  sinks.get('straightforward effectiveStatus') !== sinks.get('effectiveStatus') ||
  sinks.get('straightforward checkLogin') !== sinks.get('checkLogin')
) {
  throw new Error(`the loops disagree: ${JSON.stringify([...sinks])}`);
}

const samples = new Map<string, number[]>(loops.map(([name]) => [name, []]));
for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
  for (let k = 0; k < loops.length; k++) {
    const [name, loop] = loops[(round + k) % loops.length] as [string, () => number];
    const start = process.hrtime.bigint();
    loop();
    const ns = Number(process.hrtime.bigint() - start) / CALLS;
    if (round >= WARM_UP_ROUNDS) samples.get(name)?.push(ns);
  }
}
const baselineSamples = samples.get('baseline: inline compare') ?? [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

// Allocation: the users and `now`s of one kind of answer, each call's result kept in a variable
// outside the loop so that it must exist; the heap growth between full GCs over 20,000 calls
// (few enough for the young generation: a scavenge in between would hide bytes), median of
// rounds after two warm-up rounds.
const gc = (globalThis as { gc?: () => void }).gc;
let kept: unknown;
const refused: { users: User[]; nows: Date[] } = { users: [], nows: [] };
const allowed: { users: User[]; nows: Date[] } = { users: [], nows: [] };
for (const now of nows) {
  for (const user of users) {
    const into = checkLogin(user, now).allowed ? allowed : refused;
    into.users.push(user);
    into.nows.push(now);
  }
}

function bytesPerCall(
  pairs: { users: User[]; nows: Date[] },
  call: (user: User, now: Date) => unknown,
): number {
  if (gc === undefined) return Number.NaN;
  const calls = 20_000;
  const { users: who, nows: when } = pairs;
  const perRound: number[] = [];
  for (let round = 0; round < 9; round++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < calls; i++) {
      const k = i % who.length;
      kept = call(who[k] as User, when[k] as Date);
    }
    perRound.push((process.memoryUsage().heapUsed - before) / calls);
  }
  return Math.max(0, median(perRound.slice(2)));
}

// One closure per function and kind, so that each is optimised for its own callee. Run twice,
// the first time to warm up: compiling optimised code allocates on the heap too.
const measureAllocations = () =>
  new Map<string, [number, number]>([
    [
      'baseline: inline compare',
      [
        bytesPerCall(refused, (u, n) => inlineCompare(u, n)),
        bytesPerCall(allowed, (u, n) => inlineCompare(u, n)),
      ],
    ],
    [
      'effectiveStatus',
      [
        bytesPerCall(refused, (u, n) => effectiveStatus(u, n)),
        bytesPerCall(allowed, (u, n) => effectiveStatus(u, n)),
      ],
    ],
    [
      'checkLogin',
      [
        bytesPerCall(refused, (u, n) => checkLogin(u, n)),
        bytesPerCall(allowed, (u, n) => checkLogin(u, n)),
      ],
    ],
    [
      'straightforward effectiveStatus',
      [
        bytesPerCall(refused, (u, n) => straightEffectiveStatus(u, n)),
        bytesPerCall(allowed, (u, n) => straightEffectiveStatus(u, n)),
      ],
    ],
    [
      'straightforward checkLogin',
      [
        bytesPerCall(refused, (u, n) => straightCheckLogin(u, n)),
        bytesPerCall(allowed, (u, n) => straightCheckLogin(u, n)),
      ],
    ],
  ]);
measureAllocations();
const allocations = measureAllocations();
void kept;

const base = median(baselineSamples);
const refusedShare = refused.users.length / (refused.users.length + allowed.users.length);
console.log(
  `node ${process.version}; ${USERS} users x ${NOWS} nows (${(100 * refusedShare).toFixed(0)}% refused by checkLogin), ${ROUNDS} rounds of ${CALLS} calls per function`,
);
console.log(
  '| function | median ns/call | ratio of medians | median of per-round ratios | rounds: fastest-slowest ns | bytes/refused call | bytes/allowed call |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name] of loops) {
  const values = samples.get(name) ?? [];
  const ns = median(values);
  const [perRefusal, perAllowed] = allocations.get(name) ?? [Number.NaN, Number.NaN];
  // Each round's own ratio: the samples of one round ran within milliseconds of each other.
  const perRound = median(values.map((value, round) => value / (baselineSamples[round] as number)));
  console.log(
    `| ${name} | ${ns.toFixed(2)} | ${(ns / base).toFixed(2)}x | ${perRound.toFixed(2)}x | ${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)} | ${perRefusal.toFixed(2)} | ${perAllowed.toFixed(2)} |`,
  );
}
