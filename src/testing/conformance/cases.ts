import { isLearnerStatusError } from '../../errors.js';
import { checkOptionKeys, positiveInteger } from '../../options.js';
import { effectiveStatus } from '../../status/effective.js';
import type { StoredStatus, User } from '../../status/types.js';
import {
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type UserWrite,
  type VersionedUser,
  type WriteResult,
} from '../../store/types.js';
import { deactivate, reactivate, setExpiration } from '../../transitions/transitions.js';
import type { StatusChangeEvent } from '../../transitions/types.js';
import {
  check,
  checkEqual,
  checkEvent,
  checkExtraFields,
  checkInstant,
  checkUser,
  show,
} from './assert.js';
import { type ConcurrentStoreFactory, concurrentCase, readConcurrent } from './concurrent.js';
import { type InstantBounds, modelBasedCase } from './model.js';

/**
 * The users the suite seeds: the contract's fields and a field of the suite's own, `profile`
 * (nested data with a Date, as real user records hold). A store that keeps the caller's fields
 * keeps it; a store for another user type says, through `user` in its {@link StoreFactory},
 * how such a user becomes one of its own.
 *
 * @example
 * ```ts
 * import type { ConformanceUser } from 'learner-status/testing';
 *
 * const seeded: ConformanceUser = {
 *   id: 'a',
 *   status: 'active',
 *   expiresAt: null,
 *   profile: { name: 'Conformance a', tags: ['conformance', 'a'], since: new Date('2020-02-29T12:34:56.789Z') },
 * };
 * ```
 */
export interface ConformanceUser extends User {
  readonly profile: {
    readonly name: string;
    readonly tags: readonly string[];
    readonly since: Date;
  };
}

/**
 * The store as the suite takes it: a {@link UserStore} whose `writeUsers` accepts exactly the
 * users of its factory. So a `UserStore<Learner>` (with required fields of its own) cannot be
 * passed where plain users are written: its factory must be a `StoreFactory<Learner>`, which
 * says how the suite's users become learners.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'learner-status';
 * import type { ConformanceStore } from 'learner-status/testing';
 *
 * const store: ConformanceStore<import('learner-status').User> = createMemoryStore();
 * ```
 */
export type ConformanceStore<U extends User = User> = UserStore<U> & {
  readonly writeUsers: (writes: readonly UserWrite<U>[]) => Promise<readonly WriteResult[]>;
};

/**
 * A store set up for one conformance case: the store, a way to read the events it recorded
 * (for the "recorded once" and "in write order" checks; without it those checks are skipped),
 * and clean-up.
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
export interface StoreUnderTest<U extends User = User> {
  readonly store: ConformanceStore<U>;
  events?(): Promise<readonly StatusChangeEvent[]>;
  close?(): Promise<void>;
}

/**
 * What every {@link StoreFactory} has: `create(users)`, a store holding exactly `users` (and
 * no events), `numRuns` for the model-based case, and optionally `concurrent`, several
 * connections to one database for the concurrent case.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'learner-status';
 * import type { StoreFactoryBase } from 'learner-status/testing';
 *
 * const base: StoreFactoryBase = { create: async (users) => ({ store: createMemoryStore(users) }) };
 * ```
 */
export interface StoreFactoryBase<U extends User = User> {
  create(users: readonly U[]): Promise<StoreUnderTest<U>>;
  readonly numRuns?: number;
  /** Optional: several connections to one database, for the concurrent case. */
  readonly concurrent?: ConcurrentStoreFactory<U>;
  /**
   * Optional: the instants your store documents it can hold, when not the whole `Date` range
   * (a `DATETIME` from year 1000 to 9999, or PostgreSQL's from 4714 BC). `min` no later than
   * 1969-12-31T23:59:59.999Z and `max` no earlier than 9999-12-31T23:59:59.999Z. The instant
   * cases then use its ends, and check that an instant outside it is refused (the call
   * throws) or kept exactly, never stored as another instant.
   */
  readonly instantRange?: { readonly min: Date; readonly max: Date };
}

/**
 * How the conformance suite gets a fresh store: `create(users)` returns a store holding
 * exactly `users` (and no events). `numRuns` bounds the model-based test (default 40).
 *
 * `user(base)` says how a user of the suite ({@link ConformanceUser}: the contract's fields
 * and a `profile` of the suite's own) becomes a user of your store. It is required when your
 * user type has required fields of its own (an email, a name), so that the suite never writes
 * a user without them (a store writing `user.email` back would blank it); it must keep `id`,
 * `status`, `expiresAt` and `accessRevokedAt` as given. Without it, the suite's users are
 * passed as they are.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type User } from 'learner-status';
 * import type { StoreFactory } from 'learner-status/testing';
 *
 * const factory: StoreFactory = {
 *   create: async (users) => {
 *     const store = createMemoryStore(users);
 *     return { store, events: async () => store.events() };
 *   },
 *   numRuns: 20,
 * };
 *
 * interface Learner extends User {
 *   readonly email: string;
 * }
 * const learners: StoreFactory<Learner> = {
 *   user: (base) => ({ ...base, email: `${base.id}@example.org` }),
 *   create: async (users) => {
 *     const store = createMemoryStore(users);
 *     return { store, events: async () => store.events() };
 *   },
 * };
 * ```
 */
export type StoreFactory<U extends User = User> = StoreFactoryBase<U> &
  (ConformanceUser extends U
    ? { readonly user?: (base: ConformanceUser) => U }
    : { readonly user: (base: ConformanceUser) => U });

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

const PROFILE_SINCE = new Date('2020-02-29T12:34:56.789Z');

/** A user of the suite, before the factory's `user` makes it one of the store's. */
export function conformanceUser(
  id: string,
  status: StoredStatus = 'active',
  expiresAt: Date | null = null,
  accessRevokedAt?: Date | null,
): ConformanceUser {
  return {
    id,
    status,
    expiresAt,
    ...(accessRevokedAt === undefined ? {} : { accessRevokedAt }),
    profile: { name: `Conformance ${id}`, tags: ['conformance', id], since: PROFILE_SINCE },
  };
}

/**
 * The factory's `user`, checked: the suite's expectations rest on the contract's fields, so a
 * mapping that changes them is refused on first use, saying so.
 */
function storeUserOf(factory: {
  readonly user?: ((base: ConformanceUser) => User) | undefined;
}): (base: ConformanceUser) => User {
  const map = factory.user;
  if (map === undefined) return (base) => base;
  return (base) => {
    const mapped = map(base);
    check(
      typeof mapped === 'object' &&
        mapped !== null &&
        mapped.id === base.id &&
        mapped.status === base.status &&
        sameInstant(mapped.expiresAt, base.expiresAt) &&
        sameInstant(mapped.accessRevokedAt, base.accessRevokedAt),
      `StoreFactory.user must keep id, status, expiresAt and accessRevokedAt as given: for ${show(base.id)} it answered ${show(mapped)}.`,
    );
    return mapped;
  };
}

function sameInstant(a: Date | null | undefined, b: Date | null | undefined): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  return b instanceof Date && a instanceof Date && a.getTime() === b.getTime();
}

/** A factory as the suite runs it: every user is a plain `User` inside (the store's own fields
 * ride along untouched). */
export type ErasedFactory = StoreFactoryBase & {
  readonly user?: ((base: ConformanceUser) => User) | undefined;
};

async function withStore(
  factory: ErasedFactory,
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
export function userStoreConformanceCases<U extends User = User>(
  input: StoreFactory<U>,
): ConformanceCase[] {
  const factory = input as unknown as ErasedFactory;
  const options = checkOptionKeys(
    factory,
    ['create', 'numRuns', 'user', 'concurrent', 'instantRange'],
    'userStoreConformanceCases',
  );
  if (typeof options['create'] !== 'function') {
    throw new TypeError('userStoreConformanceCases needs `create(users)` returning { store }.');
  }
  if (options['user'] !== undefined && typeof options['user'] !== 'function') {
    throw new TypeError(
      'userStoreConformanceCases: `user` must be a function turning a ConformanceUser into a user of your store.',
    );
  }
  const numRuns = positiveInteger(options['numRuns'], 'numRuns', 40);
  const concurrent = readConcurrent(options['concurrent']);
  const range = readInstantRange(options['instantRange']);
  const bounds: InstantBounds = range ?? { min: -8.64e15, max: 8.64e15 };
  const inRange = (instant: Date) =>
    instant.getTime() >= bounds.min && instant.getTime() <= bounds.max;
  const storeUser = storeUserOf(factory);
  // The suite's users, as the store holds them.
  const user = (
    id: string,
    status: StoredStatus = 'active',
    expiresAt: Date | null = null,
    accessRevokedAt?: Date | null,
  ): User => storeUser(conformanceUser(id, status, expiresAt, accessRevokedAt));

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
        const instants = CONFORMANCE_INSTANTS.filter(inRange);
        const seeded = instants.map((instant, index) =>
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
          instants.forEach((instant, index) => {
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
    ...strictCases(factory, user, range),
    modelBasedCase(factory, numRuns, storeUser, bounds),
    ...(concurrent === undefined ? [] : [concurrentCase(concurrent, user)]),
  ];
  // A case that fails while setting up (a `user` that breaks the contract's fields) rejects
  // like any other failure, never throws where a promise is expected.
  return cases.map(({ name, run }) => ({ name, run: async () => run() }));
}

const ONE_DAY = 86_400_000;

/** The instants at the ends of the range, and where the text form of a year changes width. */
const YEAR_ONE = new Date('0001-01-01T00:00:00.000Z');
const LAST_OF_9999 = new Date('9999-12-31T23:59:59.999Z');
const YEAR_10000 = new Date('+010000-01-01T00:00:00.000Z');
const DATE_MAX = new Date(8.64e15);

type MakeUser = (
  id: string,
  status?: StoredStatus,
  expiresAt?: Date | null,
  accessRevokedAt?: Date | null,
) => User;

/**
 * S1, S2: the cases that catch what a store could break while passing the others (issue 19):
 * ids matched loosely when only one spelling exists, the caller's fields lost on write, events
 * read back in another order than written, instants at the ends of the range in every field.
 */
function strictCases(
  factory: ErasedFactory,
  user: MakeUser,
  range: InstantBounds | undefined,
): ConformanceCase[] {
  return [
    {
      name: 'S1 ids are exact even when only one spelling exists: another case, a trailing space or a Unicode case finds no one and writes to no one',
      run: () => exactIdsCase(factory, user),
    },
    {
      name: 'S1 keeps the fields beyond the contract: a write loses or blanks none',
      run: () => extraFieldsCase(factory, user),
    },
    {
      name: 'S1 events() answers events in write order, across calls and within a batch',
      run: () => eventOrderCase(factory, user),
    },
    {
      name: 'S2 extreme instants round-trip in every field and in events: year 1, 9999-12-31, year 10000, +275760-09-13 (or the ends of instantRange)',
      run: () => extremeInstantsCase(factory, user, range),
    },
  ];
}

function exactIdsCase(factory: ErasedFactory, user: MakeUser): Promise<void> {
  return withStore(factory, [user('a'), user('Mixed'), user('émile')], async (underTest) => {
    const { store } = underTest;
    // Each id asked, and the only stored user a loose match could answer for it.
    const loose: readonly (readonly [string, string])[] = [
      ['A', 'a'],
      ['a ', 'a'],
      ['mixed', 'Mixed'],
      ['MIXED', 'Mixed'],
      ['ÉMILE', 'émile'],
    ];
    const asked = loose.map(([id]) => id);
    const call = `readUsers(${show(asked)})`;
    const answers = await store.readUsers(asked);
    checkEqual(answers.length, asked.length, `S1: ${call}.length`);
    loose.forEach(([id, stored], index) => {
      checkEqual(
        answers[index],
        null,
        `S1: ${call} answer ${index}, ${show(id)} when only ${show(stored)} exists`,
      );
    });

    const a = await readExisting(store, 'a');
    const change = deactivate({ ...a.user, id: 'A' }, { now: T0, actor: 'conformance' });
    const [result] = await writeAll(store, [
      { user: change.user, expectedVersion: a.version, event: change.event },
    ]);
    checkEqual(
      result?.status,
      'not-found',
      'S1: writeUsers([{ user: { id: "A", ... }, expectedVersion: the version of "a" }]) when only "a" exists',
    );
    const after = await readExisting(store, 'a');
    checkUser(after.user, a.user, 'S1: readUsers(["a"]) after the write to "A"');
    checkEqual(after.version, a.version, 'S1: readUsers(["a"]) after the write to "A": version');
    const events = await eventsOf(underTest);
    if (events !== null)
      checkEqual(events.length, 0, 'S1: events() after the write to "A": length');
  });
}

function extraFieldsCase(factory: ErasedFactory, user: MakeUser): Promise<void> {
  const seeded = [user('e1'), user('e2', 'deactivated', new Date('2027-03-01T00:00:00.000Z'))];
  // With `user`, the factory states the store's user type: all of its fields must come back.
  // Without it, a store may keep none of the suite's own fields, but never garble one.
  const mayOmit = factory.user === undefined;
  return withStore(factory, seeded, async ({ store }) => {
    const ids = seeded.map((u) => u.id);
    const reads = await store.readUsers(ids);
    checkEqual(reads.length, ids.length, `S1: readUsers(${show(ids)}).length`);
    seeded.forEach((expected, index) => {
      const read = reads[index];
      check(read != null, `S1: readUsers(${show(ids)}) found no user ${show(expected.id)}.`);
      checkExtraFields(
        read.user,
        expected,
        `S1: readUsers(${show(ids)}) after seeding: ${expected.id}`,
        mayOmit,
      );
    });
    const [e1, e2] = reads as readonly VersionedUser[];
    // The writes carry the records as read (the transitions keep every field), as a bulk
    // update does.
    const off = deactivate(e1!.user, { now: T0, actor: 'conformance' });
    const later = setExpiration(e2!.user, new Date('2028-03-01T00:00:00.000Z'), { now: T0 });
    const results = await writeAll(store, [
      { user: off.user, expectedVersion: e1!.version, event: off.event },
      { user: later.user, expectedVersion: e2!.version, event: later.event },
    ]);
    checkEqual(results.map((r) => r.status).join(','), 'ok,ok', `S1: writeUsers of ${show(ids)}`);
    const again = await store.readUsers(ids);
    [e1!, e2!].forEach((before, index) => {
      checkExtraFields(
        again[index]?.user,
        before.user,
        `S1: readUsers(${show(ids)}) after writeUsers: ${before.user.id}`,
        false,
      );
    });
  });
}

function eventOrderCase(factory: ErasedFactory, user: MakeUser): Promise<void> {
  return withStore(factory, [user('o1'), user('o2'), user('o3')], async (underTest) => {
    const { store } = underTest;
    const at = (days: number) => new Date(T0.getTime() + days * ONE_DAY);
    // Four calls; within a call and across calls, neither the instants nor the ids are in
    // write order, so that a store ordering events by either is caught.
    const calls: readonly (readonly (readonly [string, 'off' | 'on' | 'expire', Date])[])[] = [
      [
        ['o2', 'off', at(3)],
        ['o1', 'expire', at(1)],
      ],
      [['o3', 'off', at(2)]],
      [['o2', 'on', at(0)]],
      [
        ['o3', 'on', at(-1)],
        ['o1', 'off', at(5)],
      ],
    ];
    const written: StatusChangeEvent[] = [];
    for (const [callIndex, items] of calls.entries()) {
      const ids = items.map(([id]) => id);
      const reads = await store.readUsers(ids);
      const writes: UserWrite[] = items.map(([id, kind, now], index) => {
        const read = reads[index];
        check(read != null, `S1: readUsers(${show(ids)}) found no user ${show(id)}.`);
        const ctx = { now, actor: 'conformance', source: 'api', line: callIndex * 10 + index };
        const change =
          kind === 'off'
            ? deactivate(read.user, ctx)
            : kind === 'on'
              ? reactivate(read.user, ctx)
              : setExpiration(read.user, at(400), ctx);
        check(change.event !== null, `S1: the change of ${id} makes an event.`);
        written.push(change.event);
        return { user: change.user, expectedVersion: read.version, event: change.event };
      });
      const results = await writeAll(store, writes);
      checkEqual(
        results.map((r) => r.status).join(','),
        items.map(() => 'ok').join(','),
        `S1: writeUsers call ${callIndex + 1} of ${calls.length} (${show(ids)})`,
      );
    }
    const events = await eventsOf(underTest);
    if (events === null) return;
    const order = (list: readonly StatusChangeEvent[]) =>
      show(list.map((e) => [e.userId, e.at instanceof Date ? e.at.toISOString() : e.at]));
    const expected = order(written);
    const actual = order(events);
    check(
      actual === expected,
      `S1: events() after ${calls.length} writeUsers calls, in write order (user, at): expected ${expected}, got ${actual}.`,
    );
    written.forEach((expected, index) => {
      checkEvent(events[index], expected, `S1: events() event ${index}`);
    });
  });
}

function extremeInstantsCase(
  factory: ErasedFactory,
  user: MakeUser,
  range: InstantBounds | undefined,
): Promise<void> {
  // The ends: year 1 and the largest Date, or those the store documents.
  const low = new Date(range?.min ?? YEAR_ONE.getTime());
  const high = new Date(range?.max ?? DATE_MAX.getTime());
  const middle = YEAR_10000.getTime() <= high.getTime() ? YEAR_10000 : LAST_OF_9999;
  // Per user: expiresAt and accessRevokedAt seeded, the two written, and the instant of the
  // write's event. Events happen in write order (a store may order them by instant too).
  const plan: readonly (readonly [string, Date, Date, Date, Date, Date])[] = [
    ['x1', low, high, high, low, low],
    ['x2', high, low, low, high, LAST_OF_9999],
    ['x3', middle, LAST_OF_9999, LAST_OF_9999, middle, high],
  ];
  const seeded = plan.map(([id, expiresAt, revokedAt], index) =>
    user(id, index === 1 ? 'deactivated' : 'active', expiresAt, revokedAt),
  );
  const ids = seeded.map((u) => u.id);
  return withStore(factory, seeded, async (underTest) => {
    const { store } = underTest;
    const reads = await store.readUsers(ids);
    checkEqual(reads.length, ids.length, `S2: readUsers(${show(ids)}).length`);
    seeded.forEach((expected, index) => {
      checkUser(
        reads[index]?.user,
        expected,
        `S2: readUsers(${show(ids)}) after seeding: ${expected.id}`,
      );
    });
    const events: StatusChangeEvent[] = [];
    const writes: UserWrite[] = plan.map(
      ([id, seededExpiry, , expiresAt, revokedAt, at], index) => {
        const read = reads[index];
        check(read != null, `S2: readUsers(${show(ids)}) found no user ${show(id)}.`);
        const { status } = read.user;
        // The event happens at an extreme instant too, and its snapshots hold the others.
        const event: StatusChangeEvent = {
          userId: id,
          at,
          actor: 'conformance',
          source: 'api',
          before: {
            status,
            expiresAt: seededExpiry,
            effective: effectiveStatus({ id, status, expiresAt: seededExpiry }, at),
          },
          after: { status, expiresAt, effective: effectiveStatus({ id, status, expiresAt }, at) },
          endSessions: false,
        };
        events.push(event);
        return {
          user: { ...read.user, expiresAt, accessRevokedAt: revokedAt },
          expectedVersion: read.version,
          event,
        };
      },
    );
    const results = await writeAll(store, writes);
    checkEqual(
      results.map((r) => r.status).join(','),
      'ok,ok,ok',
      `S2: writeUsers of ${show(ids)} with extreme instants`,
    );
    const again = await store.readUsers(ids);
    writes.forEach((write, index) => {
      checkUser(
        again[index]?.user,
        write.user,
        `S2: readUsers(${show(ids)}) after writeUsers: ${write.user.id}`,
      );
    });
    if (range !== undefined) await checkOutsideRange(store, range);
    const recorded = await eventsOf(underTest);
    if (recorded === null) return;
    checkEqual(
      recorded.length,
      events.length,
      'S2: events() after writing extreme instants: length',
    );
    events.forEach((expected, index) => {
      checkEvent(
        recorded[index],
        expected,
        `S2: events() after writing extreme instants: event ${index}`,
      );
    });
  });
}

/**
 * S2 for a store with `instantRange`: an instant just outside it is refused (the call throws,
 * nothing stored) or kept exactly; never stored as another instant (a clamped or wrapped
 * expiry is access that should not exist, or none where it should).
 */
async function checkOutsideRange(store: UserStore, range: InstantBounds): Promise<void> {
  const outside: [Date, string][] = [];
  if (range.max < 8.64e15) outside.push([new Date(range.max + 1), 'after instantRange.max']);
  if (range.min > -8.64e15) outside.push([new Date(range.min - 1), 'before instantRange.min']);
  for (const [instant, where] of outside) {
    const read = await readExisting(store, 'x1');
    const what = `writeUsers([x1 with expiresAt ${show(instant)}, 1 ms ${where}])`;
    let refused = false;
    try {
      await store.writeUsers([
        { user: { ...read.user, expiresAt: instant }, expectedVersion: read.version, event: null },
      ]);
    } catch {
      refused = true;
    }
    const after = await readExisting(store, 'x1');
    if (refused) {
      checkUser(after.user, read.user, `S2: readUsers(["x1"]) after the refused ${what}`);
    } else {
      checkInstant(
        after.user.expiresAt,
        instant,
        `S2: ${what} did not throw, so it must keep the instant: readUsers(["x1"]).expiresAt`,
      );
    }
  }
}

const LATEST_MIN = Date.parse('1969-12-31T23:59:59.999Z');
const EARLIEST_MAX = Date.parse('9999-12-31T23:59:59.999Z');

/** `instantRange`, checked when the cases are made: epoch ms, or undefined for the whole range. */
function readInstantRange(value: unknown): InstantBounds | undefined {
  if (value === undefined) return undefined;
  const range = value as { min?: unknown; max?: unknown } | null;
  const ms = (end: unknown) => (end instanceof Date ? end.getTime() : Number.NaN);
  const min = ms(range?.min);
  const max = ms(range?.max);
  if (!(min >= -8.64e15 && min <= LATEST_MIN && max >= EARLIEST_MAX && max <= 8.64e15)) {
    throw new TypeError(
      'userStoreConformanceCases: `instantRange` must be { min, max } Dates with min no later than 1969-12-31T23:59:59.999Z and max no earlier than 9999-12-31T23:59:59.999Z.',
    );
  }
  return { min, max };
}
