import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/status/index.js';
import { createMemoryStore, type UserWrite, type WriteResult } from '../../src/store/index.js';
import type { StoreFactory } from '../../src/testing/index.js';
import type { StatusChangeEvent } from '../../src/transitions/index.js';
import { thrown } from '../support/thrown.js';

// The conformance suite (S1, S2) is tested here against the memory store, correct and broken
// on purpose. The kit is imported inside each test: a suite that fails to load must fail these
// tests by name, not silently skip the file.
const conformance = () => import('../../src/testing/conformance/index.js');

type Inner = ReturnType<typeof createMemoryStore>;
type ReadAnswer = Awaited<ReturnType<Inner['readUsers']>>[number];

/** A fault turns a correct memory store into a broken one, in its reads, writes or events. */
interface Fault {
  store?(inner: Inner): Inner;
  events?(inner: Inner): readonly unknown[];
}

const CASES = {
  version: 'S1 states interface version 1 and answers an empty read and write',
  order: 'S1 reads a batch in the order asked, null for unknown ids, repeats answered alike',
  roundTrip: 'S2 round-trips instants to the millisecond (pre-epoch, far future, null)',
  copies: 'S2 gives copies, not aliases: mutating what was read or written changes nothing',
  conflict: 'S1 a write with the version read succeeds once; the old version then conflicts',
  notFound: 'S1 a write for an unknown user answers not-found and records nothing',
  batch: 'S1 batch semantics: each item answered in order, independently; events once per ok item',
  once: 'S1 a store never stores a user twice in one batch',
  opaque: 'S1 ids are opaque text: quotes, backslashes, commas, braces, spaces, NULL, unicode',
  apart: 'S1 keeps each user apart: a write to one never touches another',
  exactIds:
    'S1 ids are exact even when only one spelling exists: another case, a trailing space or a Unicode case finds no one and writes to no one',
  extraFields: 'S1 keeps the fields beyond the contract: a write loses or blanks none',
  eventOrder: 'S1 events() answers events in write order, across calls and within a batch',
  extremes:
    'S2 extreme instants round-trip in every field and in events: year 1, 9999-12-31, year 10000, +275760-09-13 (or the ends of instantRange)',
  model: 'S1 model-based: random read/write sequences agree with the model (fc.commands)',
} as const;
type CaseKey = keyof typeof CASES;

function factoryFor(fault: Fault, extra: Partial<StoreFactory> = {}): StoreFactory {
  return {
    create: async (users) => {
      const inner = createMemoryStore(users);
      return {
        store: fault.store?.(inner) ?? inner,
        events: async () =>
          (fault.events?.(inner) ?? inner.events()) as readonly StatusChangeEvent[],
      };
    },
    numRuns: 25,
    ...extra,
  };
}

/** A fault of FAULTS by name, looked up when the store is made (so FAULTS itself can use it). */
function faultNamed(name: string): Fault {
  const find = (): Fault => {
    const found = FAULTS.find(([faultName]) => faultName === name);
    if (found === undefined) throw new Error(`no fault named ${name}`);
    return found[2];
  };
  return {
    store: (inner) => find().store?.(inner) ?? inner,
    events: (inner) => find().events?.(inner) ?? inner.events(),
  };
}

/** The failure of one case against `factory`; fails the test when the case passes. */
async function failureOf(factory: StoreFactory, key: CaseKey): Promise<Error> {
  const { userStoreConformanceCases } = await conformance();
  const target = userStoreConformanceCases(factory).find((c) => c.name === CASES[key]);
  if (target === undefined) return expect.fail(`no case named ${CASES[key]}`);
  return target.run().then(
    () => expect.fail(`the case "${CASES[key]}" passed`),
    (error: unknown) => error as Error,
  );
}

const mapReads =
  (change: (answer: NonNullable<ReadAnswer>, ids: readonly string[]) => unknown) =>
  (inner: Inner): Inner => ({
    ...inner,
    readUsers: async (ids) =>
      (await inner.readUsers(ids)).map((answer) =>
        answer === null ? answer : (change(answer, ids) as NonNullable<ReadAnswer>),
      ),
  });
/** A store whose writes go through `write`, its reads and the rest as they are. */
const writesWith =
  (write: (writes: readonly UserWrite[], inner: Inner) => Promise<readonly WriteResult[]>) =>
  (inner: Inner): Inner => ({ ...inner, writeUsers: (writes) => write(writes, inner) });
/** A store that also stores the user of each write it answered `status` to. */
const storesAnyway = (status: WriteResult['status']) =>
  writesWith(async (writes, inner) => {
    const results = await inner.writeUsers(writes);
    for (const [i, r] of results.entries()) if (r.status === status) inner.put(writes[i]!.user);
    return results;
  });
const mapUsers = (change: (user: Record<string, unknown>) => Record<string, unknown>) =>
  mapReads((answer) => ({ ...answer, user: change({ ...answer.user }) }));
const mapEvents =
  (change: (event: Record<string, unknown>) => unknown) =>
  (inner: Inner): unknown[] =>
    inner.events().map((event) => change({ ...event }));

// Every fault, the case meant to catch it, and exactly what that case reports: the rule, what
// was checked, what was expected and what was got.
const FAULTS: [string, CaseKey, Fault, string | RegExp][] = [
  [
    'ignores versions',
    'conflict',
    {
      store: writesWith(async (writes, inner) => {
        const fresh = await inner.readUsers(writes.map((w) => w.user.id));
        return inner.writeUsers(
          writes.map((w, i) => ({ ...w, expectedVersion: fresh[i]?.version ?? '' })),
        );
      }),
    },
    'S1: a write with a stale version: expected "conflict", got "ok".',
  ],
  [
    'loses milliseconds',
    'roundTrip',
    {
      store: mapUsers((user) =>
        user['expiresAt'] instanceof Date
          ? { ...user, expiresAt: new Date(Math.floor(user['expiresAt'].getTime() / 1000) * 1000) }
          : user,
      ),
    },
    'S2: seeded t0.expiresAt (epoch ms): expected 1798758000123, got 1798758000000.',
  ],
  [
    'reads a missing expiry as the epoch',
    'roundTrip',
    { store: mapUsers((user) => ({ ...user, expiresAt: user['expiresAt'] ?? new Date(0) })) },
    'S2: seeded never.expiresAt: expected none, got 1970-01-01T00:00:00.000Z.',
  ],
  [
    'reads a missing expiry as an Invalid Date',
    'roundTrip',
    {
      store: mapUsers((user) => ({
        ...user,
        expiresAt: user['expiresAt'] ?? new Date(Number.NaN),
      })),
    },
    'S2: seeded never.expiresAt: expected none, got Invalid Date.',
  ],
  [
    'reads instants back as ISO text',
    'roundTrip',
    {
      store: mapUsers((user) => ({
        ...user,
        expiresAt: user['expiresAt'] instanceof Date ? user['expiresAt'].toISOString() : null,
      })),
    },
    'S2: seeded t0.expiresAt: expected the Date 2026-12-31T23:00:00.123Z, got "2026-12-31T23:00:00.123Z".',
  ],
  [
    'loses the revocation instant it was given',
    'roundTrip',
    { store: mapUsers((user) => ({ ...user, accessRevokedAt: null })) },
    'S2: written t0.accessRevokedAt: expected the Date 2026-12-31T23:00:00.123Z, got null.',
  ],
  [
    'reads every user back as active (round trip)',
    'roundTrip',
    { store: mapUsers((user) => ({ ...user, status: 'active' })) },
    'S2: seeded t1.status: expected "deactivated", got "active".',
  ],
  [
    'reads every user back as deactivated',
    'roundTrip',
    { store: mapUsers((user) => ({ ...user, status: 'deactivated' })) },
    'S2: seeded t0.status: expected "active", got "deactivated".',
  ],
  [
    'reads users back as text',
    'order',
    { store: mapReads((answer) => ({ ...answer, user: 'c' })) },
    'S1: answer 0: expected a user object, got "c".',
  ],
  [
    'answers conflict to writes of instants (round trip)',
    'roundTrip',
    faultNamed('answers conflict to every write'),
    'S1: write of t0: expected "ok", got "conflict".',
  ],
  [
    'shares the Date objects it hands out',
    'copies',
    {
      store: (inner) => {
        const dates = new Map<number, Date>();
        const shared = (value: unknown) => {
          if (!(value instanceof Date)) return value;
          const date = dates.get(value.getTime()) ?? value;
          dates.set(date.getTime(), date);
          return date;
        };
        return mapUsers((user) => ({ ...user, expiresAt: shared(user['expiresAt']) }))(inner);
      },
    },
    'S2: after mutating a read copy.expiresAt (epoch ms): expected 1798761600000, got 0.',
  ],
  [
    'answers conflict to writes (copies)',
    'copies',
    faultNamed('answers conflict to every write'),
    'S1: write: expected "ok", got "conflict".',
  ],
  [
    'answers a number as the new version',
    'conflict',
    {
      store: writesWith(async (writes, inner) =>
        (await inner.writeUsers(writes)).map((r) =>
          r.status === 'ok' ? ({ ...r, version: 5 } as never) : r,
        ),
      ),
    },
    'S1: an ok write answers a new version.',
  ],
  [
    'records every event twice (conflict)',
    'conflict',
    { events: (inner) => inner.events().flatMap((e) => [e, e]) },
    'S1: events recorded (only the ok write records one): expected 1, got 2.',
  ],
  [
    'drops the reasons of events',
    'batch',
    { events: mapEvents(({ reason: _reason, ...e }) => e) },
    'S1: event of c.reason: expected "contract", got undefined.',
  ],
  [
    'records events as coming from the API',
    'batch',
    { events: mapEvents((e) => ({ ...e, source: 'api' })) },
    'S1: event of a.source: expected "csv", got "api".',
  ],
  [
    'forgets the first item of a batch',
    'batch',
    {
      store: writesWith(async (writes, inner) => {
        const results = await inner.writeUsers(writes.slice(1));
        return [{ status: 'ok', version: 'lost' }, ...results];
      }),
    },
    'S1: a.status: expected "deactivated", got "active".',
  ],
  [
    'forgets the expiry of the fourth item of a batch',
    'batch',
    {
      store: writesWith(async (writes, inner) =>
        inner.writeUsers(
          writes.map((w, i) => (i === 3 ? { ...w, user: { ...w.user, expiresAt: null } } : w)),
        ),
      ),
    },
    'S1: c.expiresAt: expected the Date 2031-05-05T05:05:05.555Z, got null.',
  ],
  [
    'gives a conflicting item a new version',
    'batch',
    {
      store: writesWith(async (writes, inner) => {
        const results = await inner.writeUsers(writes);
        for (const [i, r] of results.entries()) {
          if (r.status === 'conflict') {
            const [read] = await inner.readUsers([writes[i]!.user.id]);
            if (read) inner.put(read.user);
          }
        }
        return results;
      }),
    },
    /^S1: a conflicting item keeps its version: expected "\w+", got "\w+"\.$/,
  ],
  [
    'answers ok but does not store ids with quotes',
    'opaque',
    {
      store: writesWith(async (writes, inner) => {
        const results = [
          ...(await inner.writeUsers(writes.filter((w) => !w.user.id.includes('"')))),
        ];
        return writes.map((w) =>
          w.user.id.includes('"') ? { status: 'ok' as const, version: 'x' } : results.shift()!,
        );
      }),
    },
    'S1: "a\\"b": expected "deactivated", got "active".',
  ],
  [
    'states another interface version',
    'version',
    { store: (inner) => ({ ...inner, interfaceVersion: 2 as never }) },
    'S1: interfaceVersion: expected 1, got 2.',
  ],
  [
    'answers an empty read with an entry',
    'version',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) => (ids.length === 0 ? [null] : inner.readUsers(ids)),
      }),
    },
    'S1: readUsers([]).length: expected 0, got 1.',
  ],
  [
    'answers an empty write with a result',
    'version',
    {
      store: writesWith(async (writes, inner) =>
        writes.length === 0 ? [{ status: 'not-found' }] : inner.writeUsers(writes),
      ),
    },
    'S1: writeUsers([]).length: expected 0, got 1.',
  ],
  [
    'answers a batch read in another order',
    'order',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) => [...(await inner.readUsers(ids))].reverse(),
      }),
    },
    'S1: answer 0.id: expected "c", got "b".',
  ],
  [
    'drops unknown ids from a batch read',
    'order',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) => (await inner.readUsers(ids)).filter((r) => r !== null),
      }),
    },
    'S1: readUsers answers one entry per id: expected 5, got 4.',
  ],
  [
    'answers a user for an unknown id',
    'order',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) => {
          const answers = await inner.readUsers(ids);
          return answers.map((r) => r ?? answers[0] ?? null);
        },
      }),
    },
    /^S1: an unknown id answers null: expected null, got \{"user":\{"id":"c".*\}\.$/,
  ],
  [
    'gives a repeated id a version of its own',
    'order',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) =>
          (await inner.readUsers(ids)).map((r, i) =>
            r === null || ids.indexOf(ids[i]!) === i ? r : { ...r, version: `${r.version}-again` },
          ),
      }),
    },
    /^S1: a repeated id has one version: expected "\w+", got "\w+-again"\.$/,
  ],
  [
    'reads users back as undefined',
    'order',
    { store: mapReads((answer) => ({ ...answer, user: undefined })) },
    'S1: answer 0: expected a user object, got undefined.',
  ],
  [
    'reads users back as null',
    'order',
    { store: mapReads((answer) => ({ ...answer, user: null })) },
    'S1: answer 0: expected a user object, got null.',
  ],
  ...(
    [
      ['c', 'S1: answer 0: expected a user object, got undefined.'],
      ['a', 'S1: answer 2: expected a user object, got undefined.'],
      ['b', 'S1: answer 4: expected a user object, got undefined.'],
    ] as const
  ).map(([id, message]): [string, CaseKey, Fault, string] => [
    `cannot find "${id}"`,
    'order',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) => inner.readUsers(ids.map((x) => (x === id ? 'missing' : x))),
      }),
    },
    message,
  ]),
  [
    'answers a repeated id with null',
    'order',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) =>
          (await inner.readUsers(ids)).map((r, i) => (ids.indexOf(ids[i]!) === i ? r : null)),
      }),
    },
    'S1: a repeated id: expected a user object, got undefined.',
  ],
  [
    'cannot find the users it was seeded with',
    'roundTrip',
    { store: (inner) => ({ ...inner, readUsers: async (ids) => ids.map(() => null) }) },
    'S2: seeded t0: expected a user object, got undefined.',
  ],
  [
    'reads every user back as active',
    'order',
    { store: mapUsers((user) => ({ ...user, status: 'active' })) },
    'S1: answer 4.status: expected "deactivated", got "active".',
  ],
  [
    'hands out the same object for the same version',
    'copies',
    {
      store: (inner) => {
        const given = new Map<string, ReadAnswer>();
        return {
          ...inner,
          readUsers: async (ids) =>
            (await inner.readUsers(ids)).map((r) => {
              if (r === null) return r;
              const key = `${r.user.id}\u0000${r.version}`;
              if (!given.has(key)) given.set(key, r);
              return given.get(key) ?? r;
            }),
        };
      },
    },
    'S2: after mutating a read copy.status: expected "active", got "deactivated".',
  ],
  [
    'keeps the object it was given',
    'copies',
    {
      store: (inner) => {
        let kept: User | null = null;
        return {
          ...inner,
          writeUsers: async (writes) => {
            kept = writes[0]?.user ?? null;
            return inner.writeUsers(writes);
          },
          readUsers: async (ids) =>
            (await inner.readUsers(ids)).map((r) =>
              r === null || kept === null ? r : { ...r, user: kept },
            ),
        };
      },
    },
    'S2: after mutating a written object.expiresAt (epoch ms): expected 1830297600000, got 0.',
  ],
  [
    'answers a read of one id with two entries',
    'copies',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) => {
          const answers = await inner.readUsers(ids);
          return ids.length === 1 ? [...answers, ...answers] : answers;
        },
      }),
    },
    'S1: readUsers(["a"]).length: expected 1, got 2.',
  ],
  [
    'loses a stored user',
    'copies',
    { store: (inner) => ({ ...inner, readUsers: async (ids) => ids.map(() => null) }) },
    'S1: readUsers found no user "a", which was stored.',
  ],
  [
    'answers versions that are numbers',
    'conflict',
    { store: mapReads((answer) => ({ ...answer, version: 7 })) },
    'S1: the version of "a" must be a string, got number.',
  ],
  [
    'answers one result too many',
    'conflict',
    {
      store: writesWith(async (writes, inner) => [
        ...(await inner.writeUsers(writes)),
        { status: 'ok', version: 'extra' },
      ]),
    },
    'S1: writeUsers answers one result per write: length: expected 1, got 2.',
  ],
  [
    'answers conflict to every write',
    'conflict',
    {
      store: writesWith(async (writes) => writes.map(() => ({ status: 'conflict' as const }))),
    },
    'S1: the first write must be ok, got {"status":"conflict"}.',
  ],
  [
    'answers the version it was sent',
    'conflict',
    {
      store: writesWith(async (writes, inner) =>
        (await inner.writeUsers(writes)).map((r, i) =>
          r.status === 'ok' ? { ...r, version: writes[i]!.expectedVersion } : r,
        ),
      ),
    },
    'S1: an ok write answers a new version.',
  ],
  [
    'answers a version it never gives to reads',
    'conflict',
    {
      store: writesWith(async (writes, inner) =>
        (await inner.writeUsers(writes)).map((r) =>
          r.status === 'ok' ? { ...r, version: `${r.version}-written` } : r,
        ),
      ),
    },
    /^S1: the version read after the write is the one answered: expected "\w+-written", got "\w+"\.$/,
  ],
  [
    'stores something else than the user written',
    'conflict',
    {
      store: writesWith(async (writes, inner) =>
        inner.writeUsers(writes.map((w) => ({ ...w, user: { ...w.user, status: 'active' } }))),
      ),
    },
    'S1: the stored user after the write.status: expected "deactivated", got "active".',
  ],
  [
    'accepts versions it never gave',
    'conflict',
    {
      store: writesWith(async (writes, inner) => {
        const fresh = await inner.readUsers(writes.map((w) => w.user.id));
        return inner.writeUsers(
          writes.map((w, i) =>
            w.expectedVersion === 'not-a-version'
              ? { ...w, expectedVersion: fresh[i]?.version ?? '' }
              : w,
          ),
        );
      }),
    },
    'S1: a write with a version the store never gave: expected "conflict", got "ok".',
  ],
  [
    'writes a stale item anyway',
    'conflict',
    {
      store: storesAnyway('conflict'),
    },
    'S1: a conflict stores nothing.status: expected "deactivated", got "active".',
  ],
  [
    'answers ok for a user it does not have',
    'notFound',
    {
      store: writesWith(async (writes, inner) =>
        (await inner.writeUsers(writes)).map((r) =>
          r.status === 'not-found' ? { status: 'ok', version: '1' } : r,
        ),
      ),
    },
    'S1: write for an unknown id: expected "not-found", got "ok".',
  ],
  [
    'creates the user a write names',
    'notFound',
    {
      store: storesAnyway('not-found'),
    },
    /^S1: not-found creates no user: expected null, got \{"user":\{"id":"ghost".*\}\.$/,
  ],
  [
    'records an event for an unknown user',
    'notFound',
    { events: (inner) => (inner.users().length === 1 ? [{}] : inner.events()) },
    'S1: not-found records no event: expected 0, got 1.',
  ],
  [
    'records every event twice',
    'batch',
    { events: (inner) => inner.events().flatMap((e) => [e, e]) },
    'S1: one event per ok item that carried one: expected 2, got 4.',
  ],
  [
    'fails the whole batch for one stale item',
    'batch',
    {
      store: writesWith(async (writes, inner) => {
        const results = await inner.writeUsers(writes);
        return results.some((r) => r.status === 'conflict')
          ? results.map(() => ({ status: 'conflict' as const }))
          : results;
      }),
    },
    'S1: batch results: expected "ok,conflict,not-found,ok,ok", got "conflict,conflict,conflict,conflict,conflict".',
  ],
  [
    'writes a stale item anyway (batch)',
    'batch',
    faultNamed('writes a stale item anyway'),
    'S1: b (conflict, unchanged).expiresAt: expected none, got 2026-01-01T00:00:00.000Z.',
  ],
  [
    'forgets the last item of a batch',
    'batch',
    {
      store: writesWith(async (writes, inner) => {
        const results = await inner.writeUsers(writes.slice(0, -1));
        return [...results, { status: 'ok', version: 'lost' }];
      }),
    },
    'S1: d (written without event).status: expected "deactivated", got "active".',
  ],
  [
    'records the event of a write that carried none',
    'batch',
    {
      events: (inner) => [
        ...inner.events(),
        { ...inner.events()[0], userId: 'd' } as StatusChangeEvent,
      ],
    },
    'S1: one event per ok item that carried one: expected 2, got 3.',
  ],
  [
    'stores two items for one user in one batch',
    'once',
    {
      store: writesWith(async (writes, inner) =>
        Promise.all(writes.map(async (w) => (await inner.writeUsers([w]))[0]!)).then((r) =>
          r.map((result) =>
            result.status === 'conflict' ? { status: 'ok', version: 'x' } : result,
          ),
        ),
      ),
    },
    'S1: two items for one user with one version: at most one may be ok, got 2.',
  ],
  [
    'throws something else than an Error for a batch it refuses',
    'once',
    {
      store: writesWith(async () => {
        throw 'refused';
      }),
    },
    'S1: refuse with an Error.',
  ],
  [
    'refuses a batch after storing part of it',
    'once',
    {
      store: writesWith(async (writes, inner) => {
        await inner.writeUsers(writes.slice(0, 1));
        throw new Error('refused');
      }),
    },
    'S1: a refused batch stores nothing.status: expected "active", got "deactivated".',
  ],
  [
    'lower-cases the ids of its events',
    'opaque',
    { events: mapEvents((e) => ({ ...e, userId: String(e['userId']).toLowerCase() })) },
    /^S1: events name the exact ids, in order: expected ".*NULL.*", got ".*"\.$/,
  ],
  [
    'trims the ids it reads back',
    'opaque',
    { store: mapUsers((user) => ({ ...user, id: String(user['id']).trim() })) },
    'S1: the id reads back exactly: expected " spaced ", got "spaced".',
  ],
  [
    'cannot read an id with a comma back',
    'opaque',
    {
      store: (inner) => ({
        ...inner,
        readUsers: async (ids) => inner.readUsers(ids.map((id) => id.split(',')[0]!)),
      }),
    },
    'S1: readUsers found no user "x,y".',
  ],
  [
    'cannot write an id with a brace',
    'opaque',
    {
      store: writesWith(async (writes, inner) =>
        (await inner.writeUsers(writes)).map((r, i) =>
          writes[i]!.user.id.includes('{') ? { status: 'not-found' as const } : r,
        ),
      ),
    },
    'S1: write "{brace}": expected "ok", got "not-found".',
  ],
  [
    'also deactivates every user whose id starts with the one written',
    'apart',
    {
      store: writesWith(async (writes, inner) => {
        const results = await inner.writeUsers(writes);
        for (const { user } of writes) {
          for (const other of inner.users()) {
            if (other.id !== user.id && other.id.startsWith(user.id)) {
              inner.put({ ...other, status: 'deactivated' });
            }
          }
        }
        return results;
      }),
    },
    'S1: ab untouched.status: expected "active", got "deactivated".',
  ],
  [
    'folds the case of ids',
    'apart',
    {
      store: writesWith(async (writes, inner) => {
        const results = await inner.writeUsers(writes);
        for (const { user } of writes) {
          const twin = inner
            .users()
            .find((o) => o.id !== user.id && o.id.toLowerCase() === user.id);
          if (twin) inner.put({ ...twin, expiresAt: user.expiresAt });
        }
        return results;
      }),
    },
    'S1: A untouched (ids are case-sensitive).expiresAt: expected none, got 2026-07-01T00:00:00.000Z.',
  ],
  [
    'refuses the write of one user among others',
    'apart',
    {
      store: writesWith(async (writes) => writes.map(() => ({ status: 'not-found' as const }))),
    },
    'S1: write: expected "ok", got "not-found".',
  ],
];

// Issue 19: what a store could break while passing every other case. Each of these faults
// fails its own case with the rule, the call, what was expected and what was got, and passes
// every other case.

/** The user of the first stored id that matches `id` by `same`, when none matches exactly. */
const looseReads =
  (same: (asked: string, stored: string) => boolean) =>
  (inner: Inner): Inner => ({
    ...inner,
    readUsers: async (ids) => {
      const answers = await inner.readUsers(ids);
      const stored = inner.users().map((u) => u.id);
      return Promise.all(
        answers.map(async (answer, i) => {
          const match = stored.find((id) => same(ids[i]!, id));
          if (answer !== null || match === undefined) return answer;
          return (await inner.readUsers([match]))[0] ?? null;
        }),
      );
    },
  });

/** A store of learners (an email of their own), its users made by `user` from the suite's. */
interface Learner extends User {
  readonly email: string;
}
function learnerFactory(fault: {
  write?: (user: Learner) => Learner;
  read?: (user: Learner) => Learner;
}): StoreFactory<Learner> {
  return {
    user: (base) => ({ ...base, email: `${base.id}@example.org` }),
    create: async (users) => {
      const inner = createMemoryStore<Learner>(users);
      const { read = (u) => u, write = (u) => u } = fault;
      return {
        store: {
          ...inner,
          readUsers: async (ids) =>
            (await inner.readUsers(ids)).map((r) =>
              r === null ? r : { ...r, user: read(r.user) },
            ),
          writeUsers: (writes) =>
            inner.writeUsers(writes.map((w) => ({ ...w, user: write(w.user) }))),
        },
        events: async () => inner.events(),
      };
    },
    numRuns: 25,
  };
}

const yearOf = (value: unknown) => (value instanceof Date ? value.getUTCFullYear() : Number.NaN);

const STRICT_FAULTS: [
  string,
  CaseKey,
  StoreFactory<User> | StoreFactory<Learner>,
  string | RegExp,
][] = [
  [
    'falls back to a case-insensitive match on read when the id is not found',
    'exactIds',
    factoryFor({
      store: looseReads((asked, stored) => asked.toLowerCase() === stored.toLowerCase()),
    }),
    /^S1: readUsers\(\["A","a ","mixed","MIXED","ÉMILE"\]\) answer 0, "A" when only "a" exists: expected null, got \{"user":\{"id":"a",.*\}\.$/,
  ],
  [
    'matches ids ignoring trailing spaces (a PAD SPACE collation)',
    'exactIds',
    factoryFor({ store: looseReads((asked, stored) => asked.trimEnd() === stored) }),
    /^S1: readUsers\(\["A","a ","mixed","MIXED","ÉMILE"\]\) answer 1, "a " when only "a" exists: expected null, got \{"user":\{"id":"a",.*\}\.$/,
  ],
  [
    'folds the case of an id on write when only one spelling exists',
    'exactIds',
    factoryFor({
      store: writesWith(async (writes, inner) => {
        const ids = inner.users().map((u) => u.id);
        return inner.writeUsers(
          writes.map((w) => {
            if (ids.includes(w.user.id)) return w;
            const twin = ids.find((id) => id.toLowerCase() === w.user.id.toLowerCase());
            return twin === undefined ? w : { ...w, user: { ...w.user, id: twin } };
          }),
        );
      }),
    }),
    'S1: writeUsers([{ user: { id: "A", ... }, expectedVersion: the version of "a" }]) when only "a" exists: expected "not-found", got "ok".',
  ],
  [
    'loses the fields beyond the contract on write',
    'extraFields',
    factoryFor({
      store: writesWith(async (writes, inner) =>
        inner.writeUsers(
          writes.map((w) => {
            const { id, status, expiresAt, accessRevokedAt } = w.user;
            return {
              ...w,
              user: {
                id,
                status,
                expiresAt,
                ...(accessRevokedAt === undefined ? {} : { accessRevokedAt }),
              },
            };
          }),
        ),
      ),
    }),
    'S1: readUsers(["e1","e2"]) after writeUsers: e1.profile: expected {"name":"Conformance e1","tags":["conformance","e1"],"since":"2020-02-29T12:34:56.789Z"}, got no such field (lost).',
  ],
  [
    'blanks the email of learners on write (a StoreFactory<Learner>)',
    'extraFields',
    learnerFactory({ write: (u) => ({ ...u, email: '' }) }),
    'S1: readUsers(["e1","e2"]) after writeUsers: e1.email: expected "e1@example.org", got "".',
  ],
  [
    'reads learners without their email (a StoreFactory<Learner>)',
    'extraFields',
    learnerFactory({ read: ({ email: _email, ...u }) => u as Learner }),
    'S1: readUsers(["e1","e2"]) after seeding: e1.email: expected "e1@example.org", got no such field (lost).',
  ],
  [
    'answers events ordered by their instant',
    'eventOrder',
    factoryFor({
      events: (inner) => inner.events().sort((a, b) => a.at.getTime() - b.at.getTime()),
    }),
    /^S1: events\(\) after 4 writeUsers calls, in write order \(user, at\): expected \[\["o2","2026-06-04T12:00:00\.000Z"\],\["o1","2026-06-02T12:00:00\.000Z"\],.*\], got \[\["o3","2026-05-31T12:00:00\.000Z"\],.*\]\.$/,
  ],
  [
    'reads event instants of the first century 2000 years late (a two-digit year)',
    'extremes',
    factoryFor({
      events: mapEvents((e) => {
        const at = new Date((e['at'] as Date).getTime());
        if (at.getUTCFullYear() < 100) at.setUTCFullYear(at.getUTCFullYear() + 2000);
        return { ...e, at };
      }),
    }),
    'S2: events() after writing extreme instants: event 0.at (epoch ms): expected -62135596800000, got 978307200000.',
  ],
  [
    'misreads five-digit years (10000 to 99999)',
    'extremes',
    factoryFor({
      store: mapUsers((user) => {
        const fix = (value: unknown) =>
          yearOf(value) >= 10_000 && yearOf(value) <= 99_999
            ? new Date(253_402_300_799_999)
            : value;
        return {
          ...user,
          expiresAt: fix(user['expiresAt']),
          accessRevokedAt: fix(user['accessRevokedAt']),
        };
      }),
    }),
    'S2: readUsers(["x1","x2","x3"]) after seeding: x3.expiresAt (epoch ms): expected 253402300800000, got 253402300799999.',
  ],
];

// The recorded event of the conflict case (a deactivation at T0 by "conformance" through the
// API), corrupted one field at a time: each is reported by the field's path.
const EVENT_FAULTS: [string, (event: Record<string, unknown>) => unknown, string][] = [
  ['is not an event', () => null, 'S1: the recorded event: expected an event, got null.'],
  ['is text', () => 'event', 'S1: the recorded event: expected an event, got "event".'],
  [
    'has text before',
    (e) => ({ ...e, before: 'active' }),
    'S1: the recorded event.before: missing.',
  ],
  [
    'names another user',
    (e) => ({ ...e, userId: 'b' }),
    'S1: the recorded event.userId: expected "a", got "b".',
  ],
  [
    'is a millisecond late',
    (e) => ({ ...e, at: new Date(1_780_315_200_001) }),
    'S1: the recorded event.at (epoch ms): expected 1780315200000, got 1780315200001.',
  ],
  [
    'has no time',
    (e) => ({ ...e, at: undefined }),
    'S1: the recorded event.at: expected the Date 2026-06-01T12:00:00.000Z, got undefined.',
  ],
  [
    'lost its actor',
    (e) => ({ ...e, actor: undefined }),
    'S1: the recorded event.actor: expected "conformance", got undefined.',
  ],
  [
    'names another source',
    (e) => ({ ...e, source: 'csv' }),
    'S1: the recorded event.source: expected "api", got "csv".',
  ],
  [
    'gained a reason',
    (e) => ({ ...e, reason: 'why' }),
    'S1: the recorded event.reason: expected undefined, got "why".',
  ],
  [
    'gained a line',
    (e) => ({ ...e, line: 7 }),
    'S1: the recorded event.line: expected undefined, got 7.',
  ],
  [
    'lost its before',
    (e) => ({ ...e, before: undefined }),
    'S1: the recorded event.before: missing.',
  ],
  ['has a null after', (e) => ({ ...e, after: null }), 'S1: the recorded event.after: missing.'],
  [
    'has another status before',
    (e) => ({ ...e, before: { ...(e['before'] as object), status: 'deactivated' } }),
    'S1: the recorded event.before.status: expected "active", got "deactivated".',
  ],
  [
    'has an expiry before',
    (e) => ({ ...e, before: { ...(e['before'] as object), expiresAt: new Date(0) } }),
    'S1: the recorded event.before.expiresAt: expected none, got 1970-01-01T00:00:00.000Z.',
  ],
  [
    'has another effective status before',
    (e) => ({ ...e, before: { ...(e['before'] as object), effective: 'expired' } }),
    'S1: the recorded event.before.effective: expected "active", got "expired".',
  ],
  [
    'has another status after',
    (e) => ({ ...e, after: { ...(e['after'] as object), status: 'active' } }),
    'S1: the recorded event.after.status: expected "deactivated", got "active".',
  ],
  [
    'does not end sessions',
    (e) => ({ ...e, endSessions: false }),
    'S1: the recorded event.endSessions: expected true, got false.',
  ],
];

describe('the conformance suite catches each kind of broken store, saying what broke (S1, S2)', () => {
  it('names its cases as documented', async () => {
    const { userStoreConformanceCases } = await conformance();
    const names = userStoreConformanceCases(factoryFor({})).map((c) => c.name);
    expect(names).toEqual(Object.values(CASES));
  });

  it('the memory store passes every case, with or without its events', async () => {
    const { userStoreConformanceCases } = await conformance();
    const withEvents = factoryFor({});
    const withoutEvents: StoreFactory = {
      create: async (users) => ({ store: createMemoryStore(users) }),
      numRuns: 25,
    };
    for (const factory of [withEvents, withoutEvents]) {
      for (const testCase of userStoreConformanceCases(factory)) await testCase.run();
    }
  });

  it.each(FAULTS)('a store that %s fails the %s case', async (_name, key, fault, message) => {
    const error = await failureOf(factoryFor(fault), key);
    const { ConformanceFailure } = await conformance();
    // A contract breach, named as such, with the rule it breaks and what was seen.
    expect(error).toBeInstanceOf(ConformanceFailure);
    expect(error.name).toBe('ConformanceFailure');
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it.each(STRICT_FAULTS)(
    'issue 19: a store that %s fails the %s case, and only that case',
    async (_name, key, factory, message) => {
      const { userStoreConformanceCases, ConformanceFailure } = await conformance();
      const cases = userStoreConformanceCases(factory as StoreFactory<User>);
      for (const testCase of cases) {
        if (testCase.name !== CASES[key]) {
          await expect(testCase.run(), testCase.name).resolves.toBeUndefined();
          continue;
        }
        const error = await testCase.run().then(
          () => expect.fail(`the case "${CASES[key]}" passed`),
          (failure: unknown) => failure as Error,
        );
        expect(error).toBeInstanceOf(ConformanceFailure);
        if (typeof message === 'string') expect(error.message).toBe(message);
        else expect(error.message).toMatch(message);
      }
    },
  );

  it.each(EVENT_FAULTS)('a store whose recorded event %s fails', async (_name, change, message) => {
    const error = await failureOf(factoryFor({ events: mapEvents(change) }), 'conflict');
    expect(error.message).toBe(message);
  });

  it('event checks are skipped for a store that cannot list its events', async () => {
    const { userStoreConformanceCases } = await conformance();
    // Events recorded twice are invisible without `events`: every case still passes.
    const cases = userStoreConformanceCases({
      create: async (users) => ({ store: createMemoryStore(users) }),
      numRuns: 5,
    });
    await expect(Promise.all(cases.map((c) => c.run()))).resolves.toHaveLength(15);
  });

  it('a store that reads absent fields back as null or leaves them out passes (S2)', async () => {
    const { userStoreConformanceCases } = await conformance();
    const nulls = factoryFor({
      store: mapUsers((user) => ({
        ...user,
        expiresAt: user['expiresAt'] ?? null,
        accessRevokedAt: user['accessRevokedAt'] ?? null,
      })),
      events: mapEvents((e) => ({
        ...e,
        actor: e['actor'] ?? null,
        source: e['source'] ?? null,
        reason: e['reason'] ?? null,
        line: e['line'] ?? null,
      })),
    });
    const omitted = factoryFor({
      store: mapUsers(({ accessRevokedAt, ...user }) =>
        accessRevokedAt === null || accessRevokedAt === undefined
          ? user
          : { ...user, accessRevokedAt },
      ),
    });
    for (const factory of [nulls, omitted]) {
      for (const testCase of userStoreConformanceCases(factory)) await testCase.run();
    }
  });

  it('a store that answers a repeated user ok once and conflict once passes (S1)', async () => {
    const { userStoreConformanceCases } = await conformance();
    const oneByOne = factoryFor({
      store: writesWith(async (writes, inner) => {
        const results = [];
        for (const write of writes) results.push(...(await inner.writeUsers([write])));
        return results;
      }),
    });
    const once = userStoreConformanceCases(oneByOne).find((c) => c.name === CASES.once);
    await expect(once?.run()).resolves.toBeUndefined();
  });

  it('closes every store it creates once, whether its case passes or fails', async () => {
    const { userStoreConformanceCases } = await conformance();
    for (const fault of [
      {},
      { store: (inner: Inner) => ({ ...inner, interfaceVersion: 0 as never }) },
    ]) {
      let created = 0;
      let closed = 0;
      const cases = userStoreConformanceCases({
        create: async (users) => {
          created += 1;
          const inner = createMemoryStore(users);
          return {
            store: (fault as Fault).store?.(inner) ?? inner,
            close: async () => {
              closed += 1;
            },
          };
        },
        numRuns: 3,
      });
      for (const testCase of cases.slice(0, -1)) await testCase.run().catch(() => undefined);
      expect(created).toBe(14);
      expect(closed).toBe(14);
    }
  });

  it('CONFORMANCE_INSTANTS are the documented instants, to the millisecond', async () => {
    const { CONFORMANCE_INSTANTS } = await conformance();
    expect(CONFORMANCE_INSTANTS.map((d) => d.toISOString())).toEqual([
      '2026-12-31T23:00:00.123Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '0001-01-01T00:00:00.000Z',
      '2038-01-19T03:14:08.001Z',
      '9999-12-31T23:59:59.999Z',
      '+275760-09-13T00:00:00.000Z',
    ]);
  });
});

// A store that never forgets a version it gave: it takes any of them for the current one.
const acceptsOldVersions: Fault = {
  store: (inner) => {
    const given = new Map<string, Set<string>>();
    const remember = (id: string, version: string) => {
      const versions = given.get(id) ?? new Set<string>();
      versions.add(version);
      given.set(id, versions);
    };
    return {
      ...inner,
      readUsers: async (ids) => {
        const answers = await inner.readUsers(ids);
        for (const answer of answers) if (answer) remember(answer.user.id, answer.version);
        return answers;
      },
      writeUsers: async (writes) => {
        const fresh = await inner.readUsers(writes.map((w) => w.user.id));
        const results = await inner.writeUsers(
          writes.map((w, i) =>
            given.get(w.user.id)?.has(w.expectedVersion) === true
              ? { ...w, expectedVersion: fresh[i]?.version ?? w.expectedVersion }
              : w,
          ),
        );
        results.forEach((r, i) => {
          if (r.status === 'ok') remember(writes[i]!.user.id, r.version);
        });
        return results;
      },
    };
  },
};

const before1900 = Date.UTC(1900, 0, 1);
const FORGETS_OLD_INSTANTS: Fault = {
  store: mapUsers((user) => {
    const old = (value: unknown) =>
      value instanceof Date && value.getTime() < before1900 ? null : value;
    return {
      ...user,
      expiresAt: old(user['expiresAt']),
      accessRevokedAt: old(user['accessRevokedAt']),
    };
  }),
};

const WRITE = String.raw`write\((u\d|ghost-\d):(current|stale|bogus):(active|deactivated):(never|[-+]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)(:event)?[,)]`;
const READ = String.raw`read\((u\d|ghost-\d)(,(u\d|ghost-\d))*\)`;

// What the model-based case alone must catch, by random sequences of reads and writes: the
// breach it reports (the cause of fast-check's failure) and a shrunk counterexample.
const MODEL_FAULTS: [string, Fault, RegExp, RegExp][] = [
  [
    'reads every user back as active',
    faultNamed('reads every user back as active'),
    /^S1 model: read of u[13]\.status: expected "deactivated", got "active"\.$/,
    new RegExp(`^\\[${READ}`),
  ],
  [
    'ignores versions',
    faultNamed('ignores versions'),
    /^S1 model: write 0 \(u\d, (stale|bogus)\): expected "conflict", got "ok"\.$/,
    new RegExp(`${WRITE}`),
  ],
  [
    'takes any version it once gave for the current one',
    acceptsOldVersions,
    /^S1 model: write 0 \(u\d, stale\): expected "conflict", got "ok"\.$/,
    new RegExp(`${WRITE}`),
  ],
  [
    'forgets instants before 1900',
    FORGETS_OLD_INSTANTS,
    /^S1 model: read of u\d\.(expiresAt|accessRevokedAt): expected the Date [-+\d]+-\d\d-\d\dT[\d:.]+Z, got null\.$/,
    new RegExp(`${WRITE}.*${READ}`),
  ],
  [
    'answers a user for an unknown id',
    faultNamed('answers a user for an unknown id'),
    /^S1 model: read of unknown ghost-[56]: expected null, got \{.*\}\.$/,
    new RegExp(`^\\[${READ}`),
  ],
  [
    'answers the version it was sent',
    faultNamed('answers the version it was sent'),
    /^S1 model: u\d got the version "\w+" again; a new version must never repeat an old one\.$/,
    new RegExp(WRITE),
  ],
  [
    'answers a version it never gives to reads',
    faultNamed('answers a version it never gives to reads'),
    /^S1 model: version of u\d: expected "\w+-written", got "\w+"\.$/,
    new RegExp(`${WRITE}.*${READ}`),
  ],
  [
    'answers conflict to every write',
    faultNamed('answers conflict to every write'),
    /^S1 model: write 0 \(u\d, current\): expected "ok", got "conflict"\.$/,
    new RegExp(WRITE),
  ],
  [
    'answers ok for a user it does not have',
    faultNamed('answers ok for a user it does not have'),
    /^S1 model: write 0 \(ghost-[56], (current|stale|bogus)\): expected "not-found", got "ok"\.$/,
    new RegExp(WRITE),
  ],
  [
    'answers one result too many',
    faultNamed('answers one result too many'),
    /^S1 model: writeUsers length: expected 1, got 2\.$/,
    new RegExp(WRITE),
  ],
  [
    'drops unknown ids from a batch read',
    faultNamed('drops unknown ids from a batch read'),
    /^S1 model: readUsers length: expected \d, got \d\.$/,
    new RegExp(READ),
  ],
  [
    'reads users back as undefined',
    faultNamed('reads users back as undefined'),
    /^S1 model: read of u\d: expected a user object, got undefined\.$/,
    new RegExp(READ),
  ],
  [
    'records every event twice',
    faultNamed('records every event twice'),
    /^S1 model: number of events recorded: expected 1, got 2\.$/,
    /^\[$|write\(u\d:current:(active|deactivated):[^,\]]+:event/,
  ],
  [
    'records events with their sessions ended the other way',
    { events: mapEvents((e) => ({ ...e, endSessions: !e['endSessions'] })) },
    /^S1 model: event 0\.endSessions: expected false, got true\.$/,
    /write\(u\d:current:(active|deactivated):[^,\]]+:event/,
  ],
  [
    'records events without their actor',
    { events: mapEvents((e) => ({ ...e, actor: undefined })) },
    /^S1 model: event 0\.actor: expected "model", got undefined\.$/,
    /write\(u\d:current:(active|deactivated):[^,\]]+:event/,
  ],
  [
    'records events from another source',
    { events: mapEvents((e) => ({ ...e, source: 'csv' })) },
    /^S1 model: event 0\.source: expected "api", got "csv"\.$/,
    /write\(u\d:current:(active|deactivated):[^,\]]+:event/,
  ],
  [
    'loses every user after its first read',
    {
      store: (inner) => {
        let reads = 0;
        return {
          ...inner,
          readUsers: async (ids) => {
            reads += 1;
            return reads === 1 ? inner.readUsers(ids) : ids.map(() => null);
          },
        };
      },
    },
    /^S1 model: u\d must be found\.$/,
    new RegExp(`^\\[${READ}`),
  ],
  [
    'answers no entries at all',
    { store: (inner) => ({ ...inner, readUsers: async () => [] }) },
    /^S1 model: seeded u0 must be found\.$/,
    /^\[/,
  ],
  [
    'loses the users it was seeded with',
    faultNamed('loses a stored user'),
    /^S1 model: seeded u0 must be found\.$/,
    /^\[/,
  ],
];

describe('the model-based case alone catches what random reads and writes show (S1, S2)', () => {
  // One seed for every run here, so that each fault meets the same sequences every time.
  beforeAll(() => fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 20261202 }));
  afterAll(() => fc.resetConfigureGlobal());

  it.each(MODEL_FAULTS)(
    'a store that %s fails it, with a shrunk counterexample',
    async (_name, fault, breach, counterexample) => {
      const { ConformanceFailure } = await conformance();
      const error = await failureOf(factoryFor(fault, { numRuns: 200 }), 'model');
      expect(error.cause).toBeInstanceOf(ConformanceFailure);
      expect((error.cause as Error).message).toMatch(breach);
      const shown = /Counterexample: (.*)$/m.exec(error.message)?.[1] ?? '';
      expect(shown).toMatch(counterexample);
    },
  );

  it('makes one store per run, numRuns of them, and closes each', async () => {
    const { userStoreConformanceCases } = await conformance();
    let created = 0;
    let closed = 0;
    const model = userStoreConformanceCases({
      create: async (users) => {
        created += 1;
        return {
          store: createMemoryStore(users),
          close: async () => {
            closed += 1;
          },
        };
      },
      numRuns: 7,
    }).at(-1);
    await model?.run();
    expect([created, closed]).toEqual([7, 7]);
  });

  it('a store that derives the effective statuses of events itself still passes (R1)', async () => {
    // Every event the model writes states the effective status before and after as R1 gives
    // it at the event's instant, so a store that recomputes them records the same events.
    const { userStoreConformanceCases } = await conformance();
    const { effectiveStatus } = await import('../../src/status/index.js');
    const derive = (snapshot: Record<string, unknown>, at: Date) => ({
      ...snapshot,
      effective: effectiveStatus(
        { id: 'x', status: snapshot['status'], expiresAt: snapshot['expiresAt'] } as User,
        at,
      ),
    });
    const factory = factoryFor(
      {
        events: mapEvents((e) => ({
          ...e,
          before: derive(e['before'] as Record<string, unknown>, e['at'] as Date),
          after: derive(e['after'] as Record<string, unknown>, e['at'] as Date),
        })),
      },
      { numRuns: 200 },
    );
    const model = userStoreConformanceCases(factory).at(-1);
    await expect(model?.run()).resolves.toBeUndefined();
  });
});

describe('the conformance suite refuses what it cannot run (S1)', () => {
  it('a factory without create, bad numRuns, an unknown option, no runner', async () => {
    const { runUserStoreConformance, userStoreConformanceCases } = await conformance();
    expect(() => userStoreConformanceCases({} as never)).toThrow(
      new TypeError('userStoreConformanceCases needs `create(users)` returning { store }.'),
    );
    expect(() => userStoreConformanceCases({ create: 'store' } as never)).toThrow(
      new TypeError('userStoreConformanceCases needs `create(users)` returning { store }.'),
    );
    const create = async () => ({ store: createMemoryStore() });
    expect(thrown(() => userStoreConformanceCases({ create, numRuns: 0 }))).toEqual({
      code: 'INVALID_OPTION',
      field: 'numRuns',
      line: undefined,
      message: `\`numRuns\` must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, but it is 0.`,
    });
    expect(thrown(() => userStoreConformanceCases({ create, runs: 5 } as never))).toEqual({
      code: 'INVALID_OPTION',
      field: 'runs',
      line: undefined,
      message:
        'Unknown option "runs" of userStoreConformanceCases; the options are create, numRuns, user, concurrent, instantRange.',
    });
    expect(() => runUserStoreConformance('no runner', { create })).toThrow(
      new TypeError(
        'runUserStoreConformance: no test runner given and no global describe/it found. Pass { describe, it } from your runner (import { describe, it } from "vitest").',
      ),
    );
  });

  it('registers one test per case, inside one describe named for the store', async () => {
    const { runUserStoreConformance } = await conformance();
    const registered: string[] = [];
    runUserStoreConformance(
      'my store',
      { create: async () => ({ store: createMemoryStore() }) },
      {
        describe: (name, body) => {
          registered.push(`describe ${name}`);
          body();
        },
        it: (name, _body, timeout) => {
          registered.push(`it ${name} ${timeout}`);
        },
      },
      1234,
    );
    expect(registered).toEqual([
      'describe UserStore conformance (S1, S2): my store',
      ...Object.values(CASES).map((name) => `it ${name} 1234`),
    ]);
  });

  it('each registered test runs its case', async () => {
    const { runUserStoreConformance, ConformanceFailure } = await conformance();
    const bodies: (() => Promise<void>)[] = [];
    runUserStoreConformance(
      'broken',
      factoryFor({ store: (inner) => ({ ...inner, interfaceVersion: 0 as never }) }),
      { describe: (_name, body) => body(), it: (_name, body) => bodies.push(body) },
    );
    await expect(bodies[0]?.()).rejects.toBeInstanceOf(ConformanceFailure);
    await expect(bodies[1]?.()).resolves.toBeUndefined();
  });

  it('needs both a global describe and a global it', async () => {
    const { runUserStoreConformance } = await conformance();
    const host = globalThis as { describe?: unknown; it?: unknown };
    for (const key of ['describe', 'it'] as const) {
      host[key] = () => undefined;
      try {
        expect(() =>
          runUserStoreConformance('half', { create: async () => ({ store: createMemoryStore() }) }),
        ).toThrow(TypeError);
      } finally {
        delete host[key];
      }
    }
  });

  it('uses the global describe and it when none are given, with a 30 s timeout', async () => {
    const { runUserStoreConformance } = await conformance();
    const registered: string[] = [];
    const host = globalThis as { describe?: unknown; it?: unknown };
    host.describe = (name: string, body: () => void) => {
      registered.push(`describe ${name}`);
      body();
    };
    host.it = (name: string, _body: unknown, timeout: number) => {
      registered.push(`it ${name} ${timeout}`);
    };
    try {
      runUserStoreConformance('global', { create: async () => ({ store: createMemoryStore() }) });
    } finally {
      delete host.describe;
      delete host.it;
    }
    expect(registered).toEqual([
      'describe UserStore conformance (S1, S2): global',
      ...Object.values(CASES).map((name) => `it ${name} 30000`),
    ]);
  });
});
