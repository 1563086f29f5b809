import { isWholeNumber } from '../../options.js';
import type { User } from '../../status/types.js';
import type { UserWrite, VersionedUser, WriteResult } from '../../store/types.js';
import { setExpiration } from '../../transitions/transitions.js';
import type { StatusChangeEvent } from '../../transitions/types.js';
import { check, checkEqual, checkInstant, show } from './assert.js';
import type { ConformanceCase, ConformanceStore } from './cases.js';

/**
 * Several stores over one database, each on a connection of its own, for the concurrent case:
 * `stores` (as many as asked), a way to read the events recorded (optional, as for
 * `StoreUnderTest`), and clean-up (end the connections).
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'learner-status';
 * import type { ConcurrentStoresUnderTest } from 'learner-status/testing';
 *
 * const shared = createMemoryStore(); // one database; a real one has a store per connection
 * const underTest: ConcurrentStoresUnderTest = { stores: [shared, shared], events: async () => shared.events() };
 * ```
 */
export interface ConcurrentStoresUnderTest<U extends User = User> {
  readonly stores: readonly ConformanceStore<U>[];
  events?(): Promise<readonly StatusChangeEvent[]>;
  close?(): Promise<void>;
}

/**
 * The optional concurrent case of the conformance suite (`concurrent` in a `StoreFactory`):
 * `create(users, connections)` returns `connections` stores, each over its own connection to
 * one database holding exactly `users` (and no events). `connections` (default 4, at least
 * 2) and `rounds` (writes per connection, default 8) size the run. A single connection (PGlite)
 * cannot show what this case checks; run it against a real server.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresStore } from 'learner-status/postgres';
 * import type { ConcurrentStoreFactory } from 'learner-status/testing';
 *
 * const url = process.env.DATABASE_URL;
 * const concurrent: ConcurrentStoreFactory = {
 *   create: async (users, connections) => {
 *     const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: url }));
 *     await Promise.all(clients.map((client) => client.connect()));
 *     const first = createPostgresStore(clients[0]!);
 *     await clients[0]!.query('TRUNCATE learner_status_users, learner_status_events');
 *     await first.insertUsers(users);
 *     return {
 *       stores: clients.map((client) => createPostgresStore(client)),
 *       events: () => first.readEvents(),
 *       close: async () => void (await Promise.all(clients.map((client) => client.end()))),
 *     };
 *   },
 * };
 * ```
 */
export interface ConcurrentStoreFactory<U extends User = User> {
  create(users: readonly U[], connections: number): Promise<ConcurrentStoresUnderTest<U>>;
  readonly connections?: number;
  readonly rounds?: number;
}

const NOW = new Date('2026-06-01T12:00:00.000Z');
// Every user starts here; each stored write moves its expiry one millisecond later, so the
// expiry counts the writes stored and each event says which write it was (before -> after).
const BASE = Date.UTC(2030, 0, 1);

function count(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!isWholeNumber(value, min) || (value as number) > 64) {
    throw new TypeError(
      `userStoreConformanceCases: \`concurrent.${name}\` must be a whole number from ${min} to 64, but it is ${String(value)}.`,
    );
  }
  return value as number;
}

/** The concurrent factory, checked when the cases are made. */
export function readConcurrent(
  value: unknown,
): { factory: ConcurrentStoreFactory; connections: number; rounds: number } | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Partial<ConcurrentStoreFactory> | null;
  if (typeof candidate?.create !== 'function') {
    throw new TypeError(
      'userStoreConformanceCases: `concurrent` needs `create(users, connections)` returning { stores }.',
    );
  }
  return {
    factory: candidate as ConcurrentStoreFactory,
    connections: count(candidate.connections, 'connections', 4, 2),
    rounds: count(candidate.rounds, 'rounds', 8, 1),
  };
}

/**
 * S1 under concurrency: writers on several connections. First, every connection reads one
 * user and writes it with the same version at once: exactly one write may be `ok`. Then each
 * connection, in parallel, writes `rounds` calls of two items, a user every connection writes
 * and one only it writes, each moving the expiry one millisecond on from what it read (a
 * conflict is simply counted). At the end, each user's expiry has moved exactly once per `ok`
 * (else an update was lost), and its events are one per stored write, each starting where the
 * previous ended (else a record was stored without its event, or an event without its record).
 */
export function concurrentCase(
  settings: { factory: ConcurrentStoreFactory; connections: number; rounds: number },
  user: (id: string, status?: 'active', expiresAt?: Date | null) => User,
): ConformanceCase {
  const { factory, connections, rounds } = settings;
  return {
    name: 'S1 concurrent (optional): on several connections, one write wins per version, no update is lost, each record is stored with its event',
    run: async () => {
      const shared = ['h0', 'h1'];
      const own = Array.from({ length: connections }, (_, k) => `p${k}`);
      const ids = [...shared, ...own];
      const seeded = ids.map((id) => user(id, 'active', new Date(BASE)));
      const underTest = await factory.create(seeded, connections);
      try {
        const { stores } = underTest;
        checkEqual(
          Array.isArray(stores) ? stores.length : stores,
          connections,
          `S1 concurrent: create(users, ${connections}).stores.length`,
        );
        const oks = new Map<string, number>(ids.map((id) => [id, 0]));
        const write = async (k: number, writes: readonly UserWrite[]) => {
          const call = `writeUsers(${show(writes.map((w) => w.user.id))}) on connection ${k}`;
          let results: readonly WriteResult[];
          try {
            results = await stores[k]!.writeUsers(writes);
          } catch (error) {
            // Two writers never deadlock here: only one user of a call is shared.
            check(
              false,
              `S1 concurrent: ${call} threw ${show(error instanceof Error ? error.message : error)}; a store throws only when it failed.`,
            );
          }
          checkEqual(results.length, writes.length, `S1 concurrent: ${call}.length`);
          results.forEach((result, index) => {
            const id = writes[index]!.user.id;
            if (result.status === 'ok') oks.set(id, (oks.get(id) ?? 0) + 1);
          });
          return { call, results };
        };
        const readAll = async (k: number, wanted: readonly string[]) => {
          const answers = await stores[k]!.readUsers(wanted);
          return wanted.map((id, index) => {
            const read = answers[index];
            check(
              read != null,
              `S1 concurrent: readUsers(${show(wanted)}) on connection ${k} found no user ${show(id)}.`,
            );
            return read;
          });
        };

        // One version, one winner.
        const firstReads = await Promise.all(stores.map((_, k) => readAll(k, ['h0'])));
        const version = firstReads[0]![0]!.version;
        const burst = await Promise.all(
          firstReads.map(([read], k) => write(k, [nextWrite(read!, k)])),
        );
        const answered = burst.map(({ results }) => results[0]?.status);
        checkEqual(
          answered.filter((status) => status === 'ok').length,
          1,
          `S1 concurrent: ${connections} connections wrote "h0" at once with the version each read (${show(version)}); writes answered ok (${show(answered)})`,
        );
        check(
          answered.every((status) => status === 'ok' || status === 'conflict'),
          `S1 concurrent: the writes that lost must answer conflict, got ${show(answered)}.`,
        );

        // Rounds on every connection at once.
        await Promise.all(
          stores.map(async (_, k) => {
            for (let round = 0; round < rounds; round++) {
              const pair = [shared[(k + round) % 2]!, own[k]!];
              if (round % 2 === 1) pair.reverse();
              const reads = await readAll(k, pair);
              const { call, results } = await write(
                k,
                reads.map((read) => nextWrite(read, k)),
              );
              results.forEach((result, index) => {
                const id = pair[index]!;
                const allowed = id === own[k] ? ['ok'] : ['ok', 'conflict'];
                check(
                  allowed.includes(result.status),
                  `S1 concurrent: ${call}, item ${index} (${show(id)}): expected ${allowed.join(' or ')}, got ${show(result)}.`,
                );
              });
            }
          }),
        );

        // Every ok write is stored: the expiry moved once per ok.
        const final = await readAll(0, ids);
        const moved = new Map<string, number>();
        final.forEach((read, index) => {
          const id = ids[index]!;
          const expiry = read.user.expiresAt;
          check(
            expiry instanceof Date,
            `S1 concurrent: ${id}.expiresAt must be a Date, got ${show(expiry)}.`,
          );
          moved.set(id, expiry.getTime() - BASE);
          checkEqual(
            expiry.getTime() - BASE,
            oks.get(id),
            `S1 concurrent: ${id} after the run: writes stored (the expiry moved 1 ms per write) against writes answered ok; fewer stored is a lost update`,
          );
        });

        // Each stored write has its event, and each event its stored write, in order.
        const events = underTest.events === undefined ? null : await underTest.events();
        if (events === null) return;
        for (const id of ids) {
          const chain = events.filter((event) => event.userId === id);
          checkEqual(
            chain.length,
            moved.get(id),
            `S1 concurrent: events() of ${id}, one per stored write (a record stored without its event, or an event without its record, breaks per-item atomicity)`,
          );
          chain.forEach((event, index) => {
            checkInstant(
              event.before?.expiresAt,
              new Date(BASE + index),
              `S1 concurrent: events() of ${id}, event ${index}.before`,
            );
            checkInstant(
              event.after?.expiresAt,
              new Date(BASE + index + 1),
              `S1 concurrent: events() of ${id}, event ${index}.after`,
            );
          });
        }
      } finally {
        await underTest.close?.();
      }
    },
  };
}

/** The write that moves a user's expiry one millisecond on from what was read. */
function nextWrite(read: VersionedUser, connection: number): UserWrite {
  const expiry = read.user.expiresAt;
  check(
    expiry instanceof Date,
    `S1 concurrent: the expiry read must be a Date, got ${show(expiry)}.`,
  );
  const change = setExpiration(read.user, new Date(expiry.getTime() + 1), {
    now: NOW,
    actor: `connection ${connection}`,
    source: 'api',
  });
  return { user: change.user, expectedVersion: read.version, event: change.event };
}
