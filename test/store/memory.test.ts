import { describe, expect, it } from 'vitest';
import type { User } from '../../src/status/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { runUserStoreConformance } from '../../src/testing/conformance/index.js';
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
