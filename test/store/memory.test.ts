import { describe, expect, it } from 'vitest';
import type { User } from '../../src/status/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import {
  ConformanceFailure,
  runUserStoreConformance,
} from '../../src/testing/conformance/index.js';
import { rejection, thrown } from '../support/thrown.js';

runUserStoreConformance(
  'memory store',
  {
    create: async (users) => {
      const store = createMemoryStore(users);
      return { store, events: async () => store.events() };
    },
    numRuns: 60,
  },
  { describe, it },
);

describe('createMemoryStore (S2)', () => {
  it('S2 refuses a repeated id in the seed with INVALID_INPUT', () => {
    const user = { id: 'a', status: 'active' as const, expiresAt: null };
    expect(() => createMemoryStore([user, user])).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('S2 refuses a user without an id with INVALID_USER', () => {
    expect(() => createMemoryStore([{ id: '', status: 'active', expiresAt: null }])).toThrow(
      expect.objectContaining({ code: 'INVALID_USER' }),
    );
  });

  it("S2 keeps the caller's extra fields, as copies", async () => {
    const store = createMemoryStore([
      { id: 'a', status: 'active' as const, expiresAt: null, profile: { tags: ['x'] } },
    ]);
    const [read] = await store.readUsers(['a']);
    read!.user.profile.tags.push('y');
    expect(store.users()[0]!.profile.tags).toEqual(['x']);
  });

  it('S2 put and delete change users without events; versions never repeat', async () => {
    const store = createMemoryStore<User>([{ id: 'a', status: 'active', expiresAt: null }]);
    const [first] = await store.readUsers(['a']);
    expect(store.delete('a')).toBe(true);
    expect(store.delete('a')).toBe(false);
    const version = store.put({ id: 'a', status: 'deactivated', expiresAt: null });
    expect(version).not.toBe(first!.version);
    expect(store.put({ id: 'a', status: 'active', expiresAt: null })).not.toBe(version);
    expect(() => store.put({ id: '', status: 'active', expiresAt: null })).toThrow(
      'put: every user needs a non-empty string `id`.',
    );
    expect(store.events()).toEqual([]);
  });

  it('S2 copies keys named __proto__ as plain fields', async () => {
    const user = JSON.parse(
      '{"id":"a","status":"active","expiresAt":null,"__proto__":{"polluted":1}}',
    );
    const store = createMemoryStore([user]);
    const [read] = await store.readUsers(['a']);
    expect(Object.getPrototypeOf(read!.user)).toBe(Object.prototype);
    expect(Object.keys(read!.user)).toContain('__proto__');
  });
});

describe('createMemoryStore refuses bad input, naming it (S2)', () => {
  const active = (id: unknown) => ({ id, status: 'active', expiresAt: null }) as User;

  it.each([
    ['an empty id', [active('')]],
    ['a numeric id', [active(5)]],
    ['no user at all', [null as unknown as User]],
  ])('a seed with %s', (_name, seed) => {
    expect(thrown(() => createMemoryStore(seed))).toEqual({
      code: 'INVALID_USER',
      field: 'id',
      line: undefined,
      message: 'createMemoryStore: every user needs a non-empty string `id`.',
    });
  });

  it('a seed with one id twice', () => {
    expect(thrown(() => createMemoryStore([active('a'), active('a')]))).toEqual({
      code: 'INVALID_INPUT',
      field: 'id',
      line: undefined,
      message: 'createMemoryStore: the user "a" is given twice; ids must be unique.',
    });
  });

  it('reads and writes that are not lists, users without ids, a user twice in a batch', async () => {
    const store = createMemoryStore([active('a'), active('b')]);
    expect(await rejection(() => store.readUsers('a' as never))).toEqual({
      code: 'INVALID_INPUT',
      field: 'ids',
      line: undefined,
      message: 'readUsers expects an array of ids.',
    });
    expect(await rejection(() => store.writeUsers({} as never))).toEqual({
      code: 'INVALID_INPUT',
      field: 'writes',
      line: undefined,
      message: 'writeUsers expects an array of writes.',
    });
    expect(await rejection(() => store.writeUsers([null as never]))).toMatchObject({
      code: 'INVALID_USER',
      field: 'id',
    });
    expect(
      await rejection(() =>
        store.writeUsers([{ user: active(''), expectedVersion: '1', event: null }]),
      ),
    ).toEqual({
      code: 'INVALID_USER',
      field: 'id',
      line: undefined,
      message: 'writeUsers: every user needs a non-empty string `id`.',
    });
    const [a] = await store.readUsers(['a']);
    const twice = {
      user: { ...active('a'), status: 'deactivated' as const },
      expectedVersion: a!.version,
      event: null,
    };
    expect(await rejection(() => store.writeUsers([twice, twice]))).toEqual({
      code: 'INVALID_INPUT',
      field: 'id',
      line: undefined,
      message:
        'writeUsers: the user "a" appears twice in one batch; send each user at most once per call.',
    });
    // A refused batch leaves no trace.
    expect(store.users().map((u) => u.status)).toEqual(['active', 'active']);
    expect((await store.readUsers(['a']))[0]?.version).toBe(a!.version);
  });

  it('reads ids that are not text as unknown; counts its users; states its capabilities', async () => {
    const store = createMemoryStore([active('a'), active('b')]);
    expect(await store.readUsers([5 as never, 'a', 'zz'])).toEqual([
      null,
      { user: active('a'), version: expect.any(String) },
      null,
    ]);
    expect(await store.countUsers?.()).toBe(2);
    expect(store.capabilities).toEqual({ atomicBatches: true });
    expect(store.interfaceVersion).toBe(1);
  });

  it('a write without an event records none; a write with one records a copy', async () => {
    const store = createMemoryStore([active('a'), active('b')]);
    const [a, b] = await store.readUsers(['a', 'b']);
    const event = {
      userId: 'b',
      at: new Date(0),
      before: { status: 'active', expiresAt: null, effective: 'active' },
      after: { status: 'deactivated', expiresAt: null, effective: 'deactivated' },
      endSessions: true,
    } as const;
    const results = await store.writeUsers([
      { user: active('a'), expectedVersion: a!.version, event: null },
      { user: { ...active('b'), status: 'deactivated' }, expectedVersion: b!.version, event },
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(store.events()).toEqual([event]);
    expect(store.events()[0]).not.toBe(event);
    expect(results[0]).toEqual({
      status: 'ok',
      version: (await store.readUsers(['a']))[0]?.version,
    });
  });
});

describe('the conformance suite catches each kind of broken store with the case meant for it (S1, S2)', () => {
  type Inner = ReturnType<typeof createMemoryStore>;
  interface Fault {
    store(inner: Inner): Inner;
    events?(inner: Inner): ReturnType<Inner['events']>;
  }
  const CASES = {
    version: 'S1 states interface version 1 and answers an empty read and write',
    order: 'S1 reads a batch in the order asked, null for unknown ids, repeats answered alike',
    roundTrip: 'S2 round-trips instants to the millisecond (pre-epoch, far future, null)',
    copies: 'S2 gives copies, not aliases: mutating what was read or written changes nothing',
    conflict: 'S1 a write with the version read succeeds once; the old version then conflicts',
    notFound: 'S1 a write for an unknown user answers not-found and records nothing',
    batch:
      'S1 batch semantics: each item answered in order, independently; events once per ok item',
    once: 'S1 a store never stores a user twice in one batch',
    opaque: 'S1 ids are opaque text: quotes, backslashes, commas, braces, spaces, NULL, unicode',
    apart: 'S1 keeps each user apart: a write to one never touches another',
  } as const;

  const faults: [string, keyof typeof CASES, Fault][] = [
    [
      'ignores versions',
      'conflict',
      {
        store: (inner) => ({
          ...inner,
          writeUsers: async (writes) => {
            const fresh = await inner.readUsers(writes.map((w) => w.user.id));
            return inner.writeUsers(
              writes.map((w, i) => ({
                ...w,
                expectedVersion: fresh[i]?.version ?? w.expectedVersion,
              })),
            );
          },
        }),
      },
    ],
    [
      'loses milliseconds',
      'roundTrip',
      {
        store: (inner) => ({
          ...inner,
          readUsers: async (ids) =>
            (await inner.readUsers(ids)).map((r) =>
              r === null || r.user.expiresAt === null
                ? r
                : {
                    ...r,
                    user: {
                      ...r.user,
                      expiresAt: new Date(Math.floor(r.user.expiresAt.getTime() / 1000) * 1000),
                    },
                  },
            ),
        }),
      },
    ],
    [
      'states another interface version',
      'version',
      { store: (inner) => ({ ...inner, interfaceVersion: 2 as never }) },
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
    ],
    [
      'reads every user back as active',
      'roundTrip',
      {
        store: (inner) => ({
          ...inner,
          readUsers: async (ids) =>
            (await inner.readUsers(ids)).map((r) =>
              r === null ? r : { ...r, user: { ...r.user, status: 'active' } },
            ),
        }),
      },
    ],
    [
      'hands out the same object for the same version',
      'copies',
      {
        store: (inner) => {
          const given = new Map<string, Awaited<ReturnType<Inner['readUsers']>>[number]>();
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
    ],
    [
      'answers ok for a user it does not have',
      'notFound',
      {
        store: (inner) => ({
          ...inner,
          writeUsers: async (writes) =>
            (await inner.writeUsers(writes)).map((r) =>
              r.status === 'not-found' ? { status: 'ok', version: '1' } : r,
            ),
        }),
      },
    ],
    [
      'records every event twice',
      'batch',
      { store: (inner) => inner, events: (inner) => inner.events().flatMap((e) => [e, e]) },
    ],
    [
      'lower-cases the ids of its events',
      'opaque',
      {
        store: (inner) => inner,
        events: (inner) => inner.events().map((e) => ({ ...e, userId: e.userId.toLowerCase() })),
      },
    ],
    [
      'also deactivates every user whose id starts with the one written',
      'apart',
      {
        store: (inner) => ({
          ...inner,
          writeUsers: async (writes) => {
            const results = await inner.writeUsers(writes);
            for (const { user } of writes) {
              for (const other of inner.users()) {
                if (other.id !== user.id && other.id.startsWith(user.id)) {
                  inner.put({ ...other, status: 'deactivated' });
                }
              }
            }
            return results;
          },
        }),
      },
    ],
  ];

  // What each fault is told, exactly: the rule, what was checked, expected and got.
  const MESSAGES: Record<string, RegExp> = {
    'ignores versions': /^S1: a write with a stale version: expected "conflict", got "ok"\.$/,
    'loses milliseconds':
      /^S2: seeded t0\.expiresAt \(epoch ms\): expected 1798758000123, got 1798758000000\.$/,
    'states another interface version': /^S1: interfaceVersion: expected 1, got 2\.$/,
    'answers a batch read in another order': /^S1: answer 0\.id: expected "c", got "b"\.$/,
    'reads every user back as active':
      /^S2: seeded t1\.status: expected "deactivated", got "active"\.$/,
    'hands out the same object for the same version':
      /^S2: after mutating a read copy\.status: expected "active", got "deactivated"\.$/,
    'answers ok for a user it does not have':
      /^S1: write for an unknown id: expected "not-found", got "ok"\.$/,
    'records every event twice':
      /^S1: one event per ok item that carried one: expected 2, got 4\.$/,
    'lower-cases the ids of its events':
      /^S1: events name the exact ids, in order: expected ".*NULL.*", got ".*"\.$/,
    'also deactivates every user whose id starts with the one written':
      /^S1: ab untouched\.status: expected "active", got "deactivated"\.$/,
  };

  it('names its cases as documented', async () => {
    const { userStoreConformanceCases } = await import('../../src/testing/conformance/index.js');
    const names = userStoreConformanceCases({
      create: async () => ({ store: createMemoryStore() }),
    }).map((c) => c.name);
    expect(names.slice(0, -1)).toEqual(Object.values(CASES));
    expect(names.at(-1)).toMatch(/model-based/);
  });

  it.each(faults)('a store that %s fails its case', async (name, expected, fault) => {
    const { userStoreConformanceCases } = await import('../../src/testing/conformance/index.js');
    const cases = userStoreConformanceCases({
      create: async (users) => {
        const inner = createMemoryStore(users);
        return {
          store: fault.store(inner),
          events: async () => (fault.events ?? ((s: Inner) => s.events()))(inner),
        };
      },
    });
    const target = cases.find((c) => c.name === CASES[expected]);
    const error = await target?.run().then(
      () => expect.fail('the case passed'),
      (e: unknown) => e,
    );
    // A contract breach, named as such, with the rule it breaks and what was seen.
    expect(error).toBeInstanceOf(ConformanceFailure);
    expect(error).toMatchObject({ name: 'ConformanceFailure' });
    expect((error as Error).message).toMatch(MESSAGES[name] ?? /a message for every fault/);
  });
});

describe('the conformance suite refuses what it cannot run (S1)', () => {
  it('a factory without create, bad numRuns, an unknown option, no runner', async () => {
    const { userStoreConformanceCases } = await import('../../src/testing/conformance/index.js');
    expect(() => userStoreConformanceCases({} as never)).toThrow(
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
        'Unknown option "runs" of userStoreConformanceCases; the options are create, numRuns.',
    });
    expect(() => runUserStoreConformance('no runner', { create })).toThrow(
      new TypeError(
        'runUserStoreConformance: no test runner given and no global describe/it found. Pass { describe, it } from your runner (import { describe, it } from "vitest").',
      ),
    );
  });

  it('registers one test per case, inside one describe named for the store', () => {
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
    expect(registered[0]).toBe('describe UserStore conformance (S1, S2): my store');
    expect(
      registered.slice(1).every((line) => line.startsWith('it S') && line.endsWith(' 1234')),
    ).toBe(true);
    expect(registered).toHaveLength(12);
  });
});
