// npm run demo: the three statuses, a login check and a transition, printed as a table.

import { main } from '../src/cli/main.js';
import {
  checkLogin,
  checkSession,
  deactivate,
  effectiveStatus,
  expirationInstant,
  reactivate,
  STATUS_INFO,
  setExpiration,
  type User,
} from '../src/index.js';

const now = new Date('2026-11-25T09:00:00.000Z');

const learners: (User & { name: string })[] = [
  {
    id: 'u-1',
    name: 'Ada Lovelace',
    status: 'active',
    expiresAt: expirationInstant('2027-06-30', 'Europe/London'),
  },
  { id: 'u-2', name: 'Alan Turing', status: 'deactivated', expiresAt: null },
  {
    id: 'u-3',
    name: 'Grace Hopper',
    status: 'active',
    expiresAt: expirationInstant('2026-10-31', 'America/New_York'),
  },
];

function table(title: string, rows: Record<string, string>[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${title}\n`);
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => row[c] ?? '')));
}

const label = (user: User) => {
  const status = effectiveStatus(user, now);
  return `${STATUS_INFO[status].label}${status === 'active' ? ' ✓' : ''}`;
};

table(
  `Learners on ${now.toISOString()}`,
  learners.map((user) => {
    const decision = checkLogin(user, now, { maxSessionMs: 8 * 3_600_000 });
    return {
      learner: user.name,
      stored: user.status,
      'expires at': user.expiresAt?.toISOString() ?? 'never',
      status: label(user),
      'can log in': decision.allowed
        ? `yes, until ${decision.sessionExpiresAt?.toISOString()}`
        : `no (${decision.reason})`,
    };
  }),
);

// An administrator deactivates Ada; her open session must end at once (R10, L3).
const session = { issuedAt: new Date('2026-11-25T08:30:00.000Z') };
const ada = learners[0] as User & { name: string };
const off = deactivate(ada, { now, actor: 'admin-7', source: 'admin', reason: 'left the course' });
const back = reactivate(off.user, { now: new Date(now.getTime() + 60_000) });
// Grace expired at the end of 31 October in New York; moving the date gives her access again (R7).
const grace = learners[2] as User & { name: string };
const renewed = setExpiration(grace, expirationInstant('2027-10-31', 'America/New_York'), {
  now,
  source: 'admin',
});

table('Transitions', [
  {
    change: 'deactivate Ada',
    before: off.event?.before.effective ?? '',
    after: off.event?.after.effective ?? '',
    'end sessions': String(off.event?.endSessions),
    'her old session': checkSession(off.user, session, now).allowed ? 'allowed' : 'refused',
  },
  {
    change: 'reactivate Ada',
    before: back.event?.before.effective ?? '',
    after: back.event?.after.effective ?? '',
    'end sessions': String(back.event?.endSessions),
    'her old session': (() => {
      const decision = checkSession(back.user, session, new Date(now.getTime() + 120_000));
      return decision.allowed ? 'allowed' : `refused (${decision.reason})`;
    })(),
  },
  {
    change: 'move Grace’s date',
    before: renewed.event?.before.effective ?? '',
    after: renewed.event?.after.effective ?? '',
    'end sessions': String(renewed.event?.endSessions),
    'her old session': '-',
  },
]);

// The bulk job (CSV): a dry run of a file with a few deliberate mistakes against an export of
// the current users. Exactly what `learner-status preview` prints; nothing is written.
console.log('\n$ learner-status preview examples/bulk-update.csv --users examples/users.csv\n');
await main(
  [
    'preview',
    'examples/bulk-update.csv',
    '--users',
    'examples/users.csv',
    '--now',
    now.toISOString(),
  ],
  { stdout: process.stdout, stderr: process.stderr, env: { ...process.env, NO_COLOR: '1' } },
);
