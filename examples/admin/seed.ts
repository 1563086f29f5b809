// A few hundred learners in every status, the same on every start: some with no expiration
// date, some expiring within the week, some already expired, some deactivated.
import type { User } from 'learner-status';
import { expirationInstant } from 'learner-status/dates';
import type { PostgresStore } from 'learner-status/postgres';
import type { Database } from './database.js';
import { insertProfiles, PROFILES_SCHEMA } from './learners.js';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'John',
  'Margaret',
  'Dennis',
  'Radia',
  'Ken',
  'Shafi',
  'Tim',
  'Hedy',
  'Linus',
  'Sophie',
  'Niklaus',
  'Joan',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Backus',
  'Hamilton',
  'Ritchie',
  'Perlman',
  'Thompson',
  'Goldwasser',
  'Berners-Lee',
  'Lamarr',
  'Torvalds',
  'Wilson',
  'Wirth',
  'Clarke',
];

/** The calendar date `days` after `now` in `timeZone`, as YYYY-MM-DD. */
export function dateInZone(now: Date, days: number, timeZone: string): string {
  const shifted = new Date(now.getTime() + days * 86_400_000);
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(shifted);
}

export interface SeedOptions {
  readonly now: Date;
  readonly timeZone: string;
  /** How many learners (default 300). */
  readonly count?: number;
}

/** The seeded learners: user records for the store, and names and emails beside them. */
export function seedLearners({ now, timeZone, count = 300 }: SeedOptions) {
  const users: User[] = [];
  const profiles: { id: string; name: string; email: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const first = FIRST[i % FIRST.length] ?? 'Learner';
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] ?? String(i);
    const email = `${first}.${last}${i >= FIRST.length * LAST.length ? i : ''}@example.org`
      .toLowerCase()
      .replace(/[^a-z0-9.@-]/g, '');
    // Through a given day in the portal's zone, as an administrator sets it (R11).
    const through = (days: number) => expirationInstant(dateInZone(now, days, timeZone), timeZone);
    // Spread over the names, so that no first name goes with one status.
    const kind = (i * 7 + Math.floor(i / FIRST.length) * 3) % 10;
    const user: User =
      kind <= 3
        ? { id: email, status: 'active', expiresAt: null }
        : kind <= 5
          ? { id: email, status: 'active', expiresAt: through(30 + (i % 300)) }
          : kind === 6
            ? { id: email, status: 'active', expiresAt: through(i % 7) } // within the week
            : kind === 7
              ? { id: email, status: 'deactivated', expiresAt: i % 3 === 0 ? through(60) : null }
              : {
                  id: email,
                  status: i % 4 === 0 ? 'deactivated' : 'active',
                  expiresAt: through(-1 - (i % 90)),
                };
    users.push(user);
    profiles.push({ id: email, name: `${first} ${last}`, email });
  }
  return { users, profiles };
}

/** Creates the tables and, when there are no learners yet, adds the seeded ones. */
export async function prepareDatabase(
  db: Database,
  store: PostgresStore,
  seed: SeedOptions | null,
): Promise<{ seeded: number }> {
  await store.migrate();
  await db.client.query(PROFILES_SCHEMA, []);
  if (seed === null || ((await store.countUsers?.()) ?? 0) > 0) return { seeded: 0 };
  const { users, profiles } = seedLearners(seed);
  await store.insertUsers(users);
  await insertProfiles(db.client, profiles);
  return { seeded: users.length };
}
