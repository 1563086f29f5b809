import { isLearnerStatusError } from '../../errors.js';
import { checkOptionKeys, positiveInteger } from '../../options.js';
import type { StoredStatus, User } from '../../status/types.js';
import {
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type UserWrite,
  type VersionedUser,
  type WriteResult,
} from '../../store/types.js';
import { deactivate, setExpiration } from '../../transitions/transitions.js';
import type { StatusChangeEvent } from '../../transitions/types.js';
import { check, checkEqual, checkEvent, checkInstant, checkUser } from './assert.js';
import { modelBasedCase } from './model.js';

/**
 * A store set up for one conformance case: the store, a way to read the events it recorded
 * (for the "recorded once" checks; without it those checks are skipped), and clean-up.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'learner-status';
 * import type { StoreUnderTest } from 'learner-status/testing';
 *
 * const memory = createMemoryStore();
 * const underTest: StoreUnderTest = { store: memory, events: async () => memory.events() };
 * ```
 */
export interface StoreUnderTest {
  readonly store: UserStore;
  events?(): Promise<readonly StatusChangeEvent[]>;
  close?(): Promise<void>;
}

/**
 * How the conformance suite gets a fresh store: `create(users)` returns a store holding
 * exactly `users` (and no events). `numRuns` bounds the model-based test (default 40).
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'learner-status';
 * import type { StoreFactory } from 'learner-status/testing';
 *
 * const factory: StoreFactory = {
 *   create: async (users) => {
 *     const store = createMemoryStore(users);
 *     return { store, events: async () => store.events() };
 *   },
 *   numRuns: 20,
 * };
 * ```
 */
export interface StoreFactory {
  create(users: readonly User[]): Promise<StoreUnderTest>;
  readonly numRuns?: number;
}

/**
 * One conformance case: a name that cites the rule (S1, S2) and a function that throws when
 * the store breaks the contract. Run them with any test runner.
 *
 * @example
 * ```ts
 * import type { ConformanceCase } from 'learner-status/testing';
 *
 * const noop: ConformanceCase = { name: 'S1 example', run: async () => {} };
 * ```
 */
export interface ConformanceCase {
  readonly name: string;
  run(): Promise<void>;
}

const T0 = new Date('2026-06-01T12:00:00.000Z');

/**
 * Instants every store must keep to the millisecond: ms, pre-epoch, far future, Date's end.
 *
 * @example
 * ```ts
 * import { CONFORMANCE_INSTANTS } from 'learner-status/testing';
 *
 * for (const instant of CONFORMANCE_INSTANTS) console.log(instant.toISOString());
 * ```
 */
export const CONFORMANCE_INSTANTS: readonly Date[] = [
  new Date('2026-12-31T23:00:00.123Z'),
  new Date('1969-12-31T23:59:59.999Z'),
  new Date('1970-01-01T00:00:00.000Z'),
  new Date('0001-01-01T00:00:00.000Z'),
  new Date('2038-01-19T03:14:08.001Z'),
  new Date('9999-12-31T23:59:59.999Z'),
  new Date(8.64e15),
];

// Ids that break naive quoting in SQL array literals, JSON or CSV.
const AWKWARD_IDS: readonly string[] = [
  'a"b',
  'back\\slash',
  'x,y',
  '{brace}',
  ' spaced ',
  'NULL',
  'null',
  "it's",
  'ünïcødé-✓',
  'tab\there',
];

function user(id: string, status: StoredStatus = 'active', expiresAt: Date | null = null): User {
  return { id, status, expiresAt };
}

async function withStore(
  factory: StoreFactory,
  users: readonly User[],
  body: (underTest: StoreUnderTest) => Promise<void>,
): Promise<void> {
  const underTest = await factory.create(users);
  try {
    await body(underTest);
  } finally {
    await underTest.close?.();
  }
}

async function readOne(store: UserStore, id: string): Promise<VersionedUser | null> {
  const answers = await store.readUsers([id]);
  checkEqual(answers.length, 1, `S1: readUsers([${JSON.stringify(id)}]).length`);
  return answers[0] ?? null;
}

async function readExisting(store: UserStore, id: string): Promise<VersionedUser> {
  const read = await readOne(store, id);
  check(read !== null, `S1: readUsers found no user ${JSON.stringify(id)}, which was stored.`);
  check(
    typeof read.version === 'string',
    `S1: the version of ${JSON.stringify(id)} must be a string, got ${typeof read.version}.`,
  );
  return read;
}

async function writeAll(
  store: UserStore,
  writes: readonly UserWrite[],
): Promise<readonly WriteResult[]> {
  const results = await store.writeUsers(writes);
  checkEqual(results.length, writes.length, 'S1: writeUsers answers one result per write: length');
  return results;
}

async function eventsOf(underTest: StoreUnderTest): Promise<readonly StatusChangeEvent[] | null> {
  return underTest.events === undefined ? null : underTest.events();
}

/**
 * S1, S2: the conformance cases for a {@link UserStore}, as plain `{ name, run }` objects for
 * runners without `describe`/`it` (such as `node:test`). {@link runUserStoreConformance} registers
 * the same cases with your runner.
 *
 * @example
 * ```ts
 * import { test } from 'node:test';
 * import { createMemoryStore } from 'learner-status';
 * import { userStoreConformanceCases } from 'learner-status/testing';
 *
 * for (const { name, run } of userStoreConformanceCases({
 *   create: async (users) => {
 *     const store = createMemoryStore(users);
 *     return { store, events: async () => store.events() };
 *   },
 * })) {
 *   test(name, run);
 * }
 * ```
 */
export function userStoreConformanceCases(factory: StoreFactory): ConformanceCase[] {
  const options = checkOptionKeys(factory, ['create', 'numRuns'], 'userStoreConformanceCases');
  if (typeof options['create'] !== 'function') {
    throw new TypeError('userStoreConformanceCases needs `create(users)` returning { store }.');
  }
  const numRuns = positiveInteger(options['numRuns'], 'numRuns', 40);

  const cases: ConformanceCase[] = [
    {
      name: 'S1 states interface version 1 and answers an empty read and write',
      run: () =>
        withStore(factory, [], async ({ store }) => {
          checkEqual(store.interfaceVersion, USER_STORE_INTERFACE_VERSION, 'S1: interfaceVersion');
          checkEqual((await store.readUsers([])).length, 0, 'S1: readUsers([]).length');
          checkEqual((await store.writeUsers([])).length, 0, 'S1: writeUsers([]).length');
        }),
    },
    {
      name: 'S1 reads a batch in the order asked, null for unknown ids, repeats answered alike',
      run: () =>
        withStore(factory, [user('a'), user('b', 'deactivated'), user('c')], async ({ store }) => {
          const answers = await store.readUsers(['c', 'missing', 'a', 'c', 'b']);
          checkEqual(answers.length, 5, 'S1: readUsers answers one entry per id');
          checkUser(answers[0]?.user, user('c'), 'S1: answer 0');
          checkEqual(answers[1], null, 'S1: an unknown id answers null');
          checkUser(answers[2]?.user, user('a'), 'S1: answer 2');
          checkUser(answers[3]?.user, user('c'), 'S1: a repeated id');
          checkEqual(answers[3]?.version, answers[0]?.version, 'S1: a repeated id has one version');
          checkUser(answers[4]?.user, user('b', 'deactivated'), 'S1: answer 4');
        }),
    },
    {
      name: 'S2 round-trips instants to the millisecond (pre-epoch, far future, null)',
      run: async () => {
        const seeded = CONFORMANCE_INSTANTS.map((instant, index) =>
          user(`t${index}`, index % 2 === 0 ? 'active' : 'deactivated', instant),
        );
        seeded.push(user('never', 'active', null));
        await withStore(factory, seeded, async ({ store }) => {
          const answers = await store.readUsers(seeded.map((u) => u.id));
          seeded.forEach((expected, index) => {
            checkUser(answers[index]?.user, expected, `S2: seeded ${expected.id}`);
          });
          // The same instants through a write, in expiresAt and accessRevokedAt.
          const writes: UserWrite[] = [];
          CONFORMANCE_INSTANTS.forEach((instant, index) => {
            const read = answers[index]!;
            writes.push({
              user: { ...read.user, expiresAt: null, accessRevokedAt: instant },
              expectedVersion: read.version,
              event: null,
            });
          });
          const results = await writeAll(store, writes);
          results.forEach((result, index) => {
            checkEqual(result.status, 'ok', `S1: write of t${index}`);
          });
          const reread = await store.readUsers(writes.map((w) => w.user.id));
          writes.forEach((write, index) => {
            checkUser(reread[index]?.user, write.user, `S2: written ${write.user.id}`);
          });
        });
      },
    },
    {
      name: 'S2 gives copies, not aliases: mutating what was read or written changes nothing',
      run: () =>
        withStore(
          factory,
          [user('a', 'active', new Date('2027-01-01T00:00:00.000Z'))],
          async ({ store }) => {
            const first = await readExisting(store, 'a');
            (first.user as { status: string }).status = 'deactivated';
            first.user.expiresAt?.setTime(0);
            checkUser(
              (await readExisting(store, 'a')).user,
              user('a', 'active', new Date('2027-01-01T00:00:00.000Z')),
              'S2: after mutating a read copy',
            );

            const fresh = await readExisting(store, 'a');
            const written = { ...fresh.user, expiresAt: new Date('2028-01-01T00:00:00.000Z') };
            const [result] = await writeAll(store, [
              { user: written, expectedVersion: fresh.version, event: null },
            ]);
            checkEqual(result?.status, 'ok', 'S1: write');
            written.expiresAt.setTime(0);
            checkUser(
              (await readExisting(store, 'a')).user,
              user('a', 'active', new Date('2028-01-01T00:00:00.000Z')),
              'S2: after mutating a written object',
            );
          },
        ),
    },
    {
      name: 'S1 a write with the version read succeeds once; the old version then conflicts',
      run: () =>
        withStore(factory, [user('a')], async (underTest) => {
          const { store } = underTest;
          const read = await readExisting(store, 'a');
          const { user: after, event } = deactivate(read.user, {
            now: T0,
            actor: 'conformance',
            source: 'api',
          });
          const [ok] = await writeAll(store, [
            { user: after, expectedVersion: read.version, event },
          ]);
          check(ok?.status === 'ok', `S1: the first write must be ok, got ${JSON.stringify(ok)}.`);
          check(
            typeof ok.version === 'string' && ok.version !== read.version,
            'S1: an ok write answers a new version.',
          );
          const now = await readExisting(store, 'a');
          checkEqual(
            now.version,
            ok.version,
            'S1: the version read after the write is the one answered',
          );
          checkUser(now.user, after, 'S1: the stored user after the write');

          const again = setExpiration(read.user, new Date('2030-01-01T00:00:00.000Z'), { now: T0 });
          const [conflict] = await writeAll(store, [
            { user: again.user, expectedVersion: read.version, event: again.event },
          ]);
          checkEqual(conflict?.status, 'conflict', 'S1: a write with a stale version');
          checkUser((await readExisting(store, 'a')).user, after, 'S1: a conflict stores nothing');

          const [bogus] = await writeAll(store, [
            { user: again.user, expectedVersion: 'not-a-version', event: again.event },
          ]);
          checkEqual(bogus?.status, 'conflict', 'S1: a write with a version the store never gave');

          const events = await eventsOf(underTest);
          if (events !== null) {
            checkEqual(events.length, 1, 'S1: events recorded (only the ok write records one)');
            checkEvent(events[0], event!, 'S1: the recorded event');
          }
        }),
    },
    {
      name: 'S1 a write for an unknown user answers not-found and records nothing',
      run: () =>
        withStore(factory, [user('a')], async (underTest) => {
          const ghost = deactivate(user('ghost'), { now: T0 });
          const [result] = await writeAll(underTest.store, [
            { user: ghost.user, expectedVersion: '1', event: ghost.event },
          ]);
          checkEqual(result?.status, 'not-found', 'S1: write for an unknown id');
          checkEqual(
            await readOne(underTest.store, 'ghost'),
            null,
            'S1: not-found creates no user',
          );
          const events = await eventsOf(underTest);
          if (events !== null) checkEqual(events.length, 0, 'S1: not-found records no event');
        }),
    },
    {
      name: 'S1 batch semantics: each item answered in order, independently; events once per ok item',
      run: () =>
        withStore(
          factory,
          [user('a'), user('b'), user('c', 'deactivated'), user('d')],
          async (underTest) => {
            const { store } = underTest;
            const reads = await store.readUsers(['a', 'b', 'c', 'd']);
            const [a, b, c, d] = reads as [
              VersionedUser,
              VersionedUser,
              VersionedUser,
              VersionedUser,
            ];
            const ctx = { now: T0, actor: 'conformance', source: 'csv', line: 2 } as const;
            const changeA = deactivate(a.user, ctx);
            const changeB = setExpiration(b.user, new Date('2026-01-01T00:00:00.000Z'), {
              ...ctx,
              line: 3,
            });
            const changeC = setExpiration(c.user, new Date('2031-05-05T05:05:05.555Z'), {
              ...ctx,
              line: 4,
              reason: 'contract',
            });
            const changeD = deactivate(d.user, { ...ctx, line: 5 });
            const ghost = deactivate(user('ghost'), ctx);
            const results = await writeAll(store, [
              { user: changeA.user, expectedVersion: a.version, event: changeA.event },
              { user: changeB.user, expectedVersion: `${b.version}-stale`, event: changeB.event },
              { user: ghost.user, expectedVersion: a.version, event: ghost.event },
              { user: changeC.user, expectedVersion: c.version, event: changeC.event },
              { user: changeD.user, expectedVersion: d.version, event: null },
            ]);
            checkEqual(
              results.map((r) => r.status).join(','),
              'ok,conflict,not-found,ok,ok',
              'S1: batch results',
            );
            const after = await store.readUsers(['a', 'b', 'c', 'd']);
            checkUser(after[0]?.user, changeA.user, 'S1: a');
            checkUser(after[1]?.user, b.user, 'S1: b (conflict, unchanged)');
            checkUser(after[2]?.user, changeC.user, 'S1: c');
            checkUser(after[3]?.user, changeD.user, 'S1: d (written without event)');
            checkEqual(after[1]?.version, b.version, 'S1: a conflicting item keeps its version');
            const events = await eventsOf(underTest);
            if (events !== null) {
              checkEqual(events.length, 2, 'S1: one event per ok item that carried one');
              const byUser = new Map(events.map((e) => [e.userId, e]));
              checkEvent(byUser.get('a'), changeA.event!, 'S1: event of a');
              checkEvent(byUser.get('c'), changeC.event!, 'S1: event of c');
            }
          },
        ),
    },
    {
      name: 'S1 a store never stores a user twice in one batch',
      run: () =>
        withStore(factory, [user('a')], async ({ store }) => {
          const read = await readExisting(store, 'a');
          const change = deactivate(read.user, { now: T0 });
          let results: readonly WriteResult[] | undefined;
          try {
            results = await store.writeUsers([
              { user: change.user, expectedVersion: read.version, event: change.event },
              { user: change.user, expectedVersion: read.version, event: change.event },
            ]);
          } catch (error) {
            // Refusing the batch is allowed; storing it twice is not.
            check(
              isLearnerStatusError(error) || error instanceof Error,
              'S1: refuse with an Error.',
            );
            checkUser(
              (await readExisting(store, 'a')).user,
              read.user,
              'S1: a refused batch stores nothing',
            );
            return;
          }
          const oks = results.filter((r) => r.status === 'ok').length;
          check(
            oks <= 1,
            `S1: two items for one user with one version: at most one may be ok, got ${oks}.`,
          );
        }),
    },
    {
      name: 'S1 ids are opaque text: quotes, backslashes, commas, braces, spaces, NULL, unicode',
      run: () =>
        withStore(
          factory,
          AWKWARD_IDS.map((id) => user(id)),
          async (underTest) => {
            const { store } = underTest;
            const reads = await store.readUsers(AWKWARD_IDS);
            const writes: UserWrite[] = reads.map((read, index) => {
              const id = AWKWARD_IDS[index]!;
              check(read !== null, `S1: readUsers found no user ${JSON.stringify(id)}.`);
              checkEqual(read.user.id, id, 'S1: the id reads back exactly');
              const change = deactivate(read.user, { now: T0, actor: 'a "quoted" \\ actor' });
              return { user: change.user, expectedVersion: read.version, event: change.event };
            });
            const results = await writeAll(store, writes);
            results.forEach((result, index) => {
              checkEqual(result.status, 'ok', `S1: write ${JSON.stringify(AWKWARD_IDS[index])}`);
            });
            const reread = await store.readUsers(AWKWARD_IDS);
            reread.forEach((read, index) => {
              checkEqual(
                read?.user.status,
                'deactivated',
                `S1: ${JSON.stringify(AWKWARD_IDS[index])}`,
              );
            });
            const events = await eventsOf(underTest);
            if (events !== null) {
              checkEqual(
                JSON.stringify(events.map((e) => [e.userId, e.actor])),
                JSON.stringify(AWKWARD_IDS.map((id) => [id, 'a "quoted" \\ actor'])),
                'S1: events name the exact ids, in order',
              );
            }
          },
        ),
    },
    {
      name: 'S1 keeps each user apart: a write to one never touches another',
      run: () =>
        withStore(factory, [user('a'), user('ab'), user('A')], async ({ store }) => {
          const read = await readExisting(store, 'a');
          const change = setExpiration(read.user, new Date('2026-07-01T00:00:00.000Z'), {
            now: T0,
          });
          const [result] = await writeAll(store, [
            { user: change.user, expectedVersion: read.version, event: change.event },
          ]);
          checkEqual(result?.status, 'ok', 'S1: write');
          const others = await store.readUsers(['ab', 'A']);
          checkUser(others[0]?.user, user('ab'), 'S1: ab untouched');
          checkUser(others[1]?.user, user('A'), 'S1: A untouched (ids are case-sensitive)');
          checkInstant(change.user.expiresAt, new Date('2026-07-01T00:00:00.000Z'), 'transition');
        }),
    },
    modelBasedCase(factory, numRuns),
  ];
  return cases;
}
