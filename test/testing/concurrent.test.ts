import { describe, expect, it } from 'vitest';
import type { User } from '../../src/status/index.js';
import {
  createMemoryStore,
  type UserWrite,
  type VersionedUser,
  type WriteResult,
} from '../../src/store/index.js';
import {
  type ConcurrentStoreFactory,
  ConformanceFailure,
  type ConformanceStore,
  userStoreConformanceCases,
} from '../../src/testing/index.js';
import type { StatusChangeEvent } from '../../src/transitions/index.js';

// S1 under concurrency (issue 19): the optional concurrent case, against one in-memory
// "database" reached through several "connections". Each call yields to the event loop where
// a network round trip would, so that calls on different connections interleave as they do
// against a server. A correct store keeps its version check and its update in one step.

const NAME =
  'S1 concurrent (optional): on several connections, one write wins per version, no update is lost, each record is stored with its event';

type Mode = 'atomic' | 'check-then-act' | 'event-by-read';

const roundTrip = () => new Promise<void>((resolve) => setImmediate(resolve));

function database(seed: readonly User[], mode: Mode) {
  const rows = new Map(seed.map((user) => [user.id, { user: { ...user }, version: 1 }]));
  const events: StatusChangeEvent[] = [];
  let next = 1;
  const connection = (): ConformanceStore => ({
    interfaceVersion: 1,
    async readUsers(ids): Promise<(VersionedUser | null)[]> {
      await roundTrip();
      return ids.map((id) => {
        const row = rows.get(id);
        return row === undefined ? null : { user: { ...row.user }, version: String(row.version) };
      });
    },
    async writeUsers(writes: readonly UserWrite[]): Promise<WriteResult[]> {
      await roundTrip();
      const matches = (write: UserWrite) =>
        String(rows.get(write.user.id)?.version) === write.expectedVersion;
      // A broken store decides from what it saw one round trip earlier.
      const seen = writes.map(matches);
      if (mode !== 'atomic') await roundTrip();
      return writes.map((write, index) => {
        const row = rows.get(write.user.id);
        if (row === undefined) return { status: 'not-found' };
        const stored = mode === 'check-then-act' ? seen[index] : matches(write);
        if (mode === 'event-by-read' && seen[index] && write.event !== null) {
          events.push(write.event);
        }
        if (!stored) return { status: 'conflict' };
        row.user = { ...write.user };
        row.version = ++next + 1000;
        if (mode !== 'event-by-read' && write.event !== null) events.push(write.event);
        return { status: 'ok', version: String(row.version) };
      });
    },
  });
  return { connection, events: async () => events };
}

function concurrentFactory(
  mode: Mode,
  created: { count: number } = { count: 0 },
): ConcurrentStoreFactory {
  return {
    create: async (users, connections) => {
      created.count += 1;
      const db = database(users, mode);
      return {
        stores: Array.from({ length: connections }, () => db.connection()),
        events: db.events,
      };
    },
    connections: 4,
    rounds: 6,
  };
}

async function concurrentCaseOf(concurrent: ConcurrentStoreFactory) {
  const cases = userStoreConformanceCases({
    create: async (users) => ({ store: createMemoryStore(users) }),
    concurrent,
  });
  const found = cases.find((c) => c.name === NAME);
  if (found === undefined) return expect.fail('no concurrent case');
  return found;
}

describe('S1 the optional concurrent case (issue 19)', () => {
  it('is registered only when the factory gives `concurrent`, after the others', async () => {
    const plain = userStoreConformanceCases({
      create: async (users) => ({ store: createMemoryStore(users) }),
    });
    expect(plain.map((c) => c.name)).not.toContain(NAME);
    const withIt = userStoreConformanceCases({
      create: async (users) => ({ store: createMemoryStore(users) }),
      concurrent: concurrentFactory('atomic'),
    });
    expect(withIt.at(-1)?.name).toBe(NAME);
    expect(withIt).toHaveLength(plain.length + 1);
  });

  it('S1 passes a store whose version check and update are one step, on 2 to 8 connections', async () => {
    for (const connections of [2, 4, 8]) {
      const testCase = await concurrentCaseOf({ ...concurrentFactory('atomic'), connections });
      await expect(testCase.run()).resolves.toBeUndefined();
    }
  });

  it('S1 passes the memory store shared by every connection (one step per call)', async () => {
    const testCase = await concurrentCaseOf({
      create: async (users, connections) => {
        const shared = createMemoryStore(users);
        return {
          stores: Array.from({ length: connections }, () => shared),
          events: async () => shared.events(),
        };
      },
    });
    await expect(testCase.run()).resolves.toBeUndefined();
  });

  it('S1 fails a store that checks the version and then updates (lost updates)', async () => {
    const testCase = await concurrentCaseOf(concurrentFactory('check-then-act'));
    const error = await testCase.run().then(
      () => expect.fail('the case passed'),
      (failure: unknown) => failure as Error,
    );
    expect(error).toBeInstanceOf(ConformanceFailure);
    expect(error.message).toMatch(
      /^S1 concurrent: 4 connections wrote "h0" at once with the version each read \("1"\); writes answered ok \(\["ok","ok","ok","ok"\]\): expected 1, got 4\.$/,
    );
  });

  it('S1 fails a store that records events from what it read before the update (an event without its record)', async () => {
    const testCase = await concurrentCaseOf(concurrentFactory('event-by-read'));
    const error = await testCase.run().then(
      () => expect.fail('the case passed'),
      (failure: unknown) => failure as Error,
    );
    expect(error).toBeInstanceOf(ConformanceFailure);
    expect(error.message).toMatch(
      /^S1 concurrent: events\(\) of h0, one per stored write \(a record stored without its event, or an event without its record, breaks per-item atomicity\): expected \d+, got \d+\.$/,
    );
  });

  it('S1 reports a store that throws under concurrency, and one that answers too few stores', async () => {
    const throwing = await concurrentCaseOf({
      create: async (users, connections) => {
        const db = database(users, 'atomic');
        return {
          stores: Array.from({ length: connections }, () => ({
            ...db.connection(),
            writeUsers: async () => {
              throw new Error('deadlock detected');
            },
          })),
        };
      },
    });
    await expect(throwing.run()).rejects.toThrow(
      'S1 concurrent: writeUsers(["h0"]) on connection 0 threw "deadlock detected"; a store throws only when it failed.',
    );
    const few = await concurrentCaseOf({
      create: async (users) => ({ stores: [database(users, 'atomic').connection()] }),
    });
    await expect(few.run()).rejects.toThrow(
      'S1 concurrent: create(users, 4).stores.length: expected 4, got 1.',
    );
  });

  it('closes what it creates; refuses a concurrent factory it cannot run', async () => {
    let closed = 0;
    const testCase = await concurrentCaseOf({
      ...concurrentFactory('check-then-act'),
      create: async (users, connections) => ({
        ...(await concurrentFactory('check-then-act').create(users, connections)),
        close: async () => {
          closed += 1;
        },
      }),
    });
    await testCase.run().catch(() => undefined);
    expect(closed).toBe(1);
    const create = async (users: readonly User[]) => ({ store: createMemoryStore(users) });
    expect(() => userStoreConformanceCases({ create, concurrent: {} as never })).toThrow(
      new TypeError(
        'userStoreConformanceCases: `concurrent` needs `create(users, connections)` returning { stores }.',
      ),
    );
    expect(() =>
      userStoreConformanceCases({
        create,
        concurrent: { ...concurrentFactory('atomic'), connections: 1 },
      }),
    ).toThrow(
      new TypeError(
        'userStoreConformanceCases: `concurrent.connections` must be a whole number from 2 to 64, but it is 1.',
      ),
    );
  });
});
