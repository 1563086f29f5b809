// npm run demo: the three statuses, a login check and a transition, printed as a table.

import { readFile } from 'node:fs/promises';
import { main } from '../src/cli/main.js';
import { parseCsv } from '../src/csv/index.js';
import { expirationInstant } from '../src/dates/index.js';
import {
  applyBulkUpdate,
  checkLogin,
  checkSession,
  deactivate,
  effectiveStatus,
  planBulkUpdate,
  reactivate,
  STATUS_INFO,
  setExpiration,
  type User,
} from '../src/index.js';
import { createPostgresStore } from '../src/postgres/index.js';

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

// And for real: the same file applied to an embedded PostgreSQL (PGlite), then the users listed
// with their effective status. In an app, `pool` would be a node-postgres Pool.
const { PGlite } = await import('@electric-sql/pglite');
const db = new PGlite();
const store = createPostgresStore(db);
await store.migrate();
const exported = await readFile(new URL('./users.csv', import.meta.url), 'utf8');
const seed: User[] = [];
for await (const row of parseCsv(exported)) {
  if (row.result.ok) {
    const { userId, status = 'active', expiresAt = null } = row.result.update;
    seed.push({ id: userId, status, expiresAt });
  }
}
await store.insertUsers(seed);
const upload = await readFile(new URL('./bulk-update.csv', import.meta.url), 'utf8');
const plan = await planBulkUpdate(parseCsv(upload), store, { now, actor: 'demo', source: 'csv' });
const report = await applyBulkUpdate(plan, store, { now });
console.log(`\nApplied to PGlite: ${JSON.stringify(report.totals)}`);
const stored = await store.readUsers(seed.map((u) => u.id));
table(
  'Users in the database after the apply',
  stored.flatMap((entry) =>
    entry === null
      ? []
      : [
          {
            user: entry.user.id,
            stored: entry.user.status,
            'expires at': entry.user.expiresAt?.toISOString() ?? 'never',
            status: label(entry.user),
          },
        ],
  ),
);
await db.close();
