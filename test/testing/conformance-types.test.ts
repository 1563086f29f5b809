import { describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresClient } from '../../src/postgres/index.js';
import type { User } from '../../src/status/index.js';
import { createMemoryStore, type UserStore } from '../../src/store/index.js';
import {
  type ConformanceUser,
  type StoreFactory,
  userStoreConformanceCases,
} from '../../src/testing/index.js';

// S1, issue 19: the suite seeds and writes users of its own (ConformanceUser: the contract's
// fields and a `profile`). A store for another user type, with required fields of its own,
// does not compile against it until its factory says how the suite's users become its users
// (`user`), so that the suite never writes a learner without an email. `tsc` checks this file
// (npm run typecheck); each @ts-expect-error fails the type check if the error goes away.

interface Learner extends User {
  readonly email: string;
}
declare const learners: UserStore<Learner>;
declare const client: PostgresClient;
const toLearner = (base: ConformanceUser): Learner => ({
  ...base,
  email: `${base.id}@example.org`,
});

/** Type-level only: the factories are built, never run. */
function typeChecks(): void {
  // Existing callers compile as they are: the memory store and the PostgreSQL store.
  userStoreConformanceCases({ create: async (users) => ({ store: createMemoryStore(users) }) });
  const postgres = createPostgresStore(client);
  userStoreConformanceCases({
    create: async (users) => {
      await postgres.insertUsers(users);
      return { store: postgres, events: () => postgres.readEvents() };
    },
  });
  const plain: StoreFactory = { create: async (users) => ({ store: createMemoryStore(users) }) };
  userStoreConformanceCases(plain);

  // @ts-expect-error a UserStore<Learner> without `user`: the suite's users have no email
  userStoreConformanceCases({ create: async () => ({ store: learners }) });
  // @ts-expect-error nor passed off as a store of plain users
  const passedOff: StoreFactory = { create: async () => ({ store: learners }) };
  // @ts-expect-error a StoreFactory<Learner> must say how it maps the suite's users
  const unmapped: StoreFactory<Learner> = { create: async () => ({ store: learners }) };
  const forgetful: StoreFactory<Learner> = {
    create: async () => ({ store: learners }),
    // @ts-expect-error a mapping that leaves the email out
    user: (base) => ({ ...base }),
  };

  // Saying how: the factory's users are learners, seeded with an email.
  const mapped: StoreFactory<Learner> = {
    user: toLearner,
    create: async (users) => {
      users.map((u) => u.email);
      return { store: learners };
    },
  };
  userStoreConformanceCases(mapped);
  userStoreConformanceCases({ user: toLearner, create: async () => ({ store: learners }) });
  void [passedOff, unmapped, forgetful];
}

describe('S1 the suite is typed by the store it runs against (issue 19)', () => {
  it('type checks are in this file (tsc); the factories are not run', () => {
    expect(typeof typeChecks).toBe('function');
  });

  it('S1 `user` must be a function, and must keep the fields of the contract', async () => {
    expect(() =>
      userStoreConformanceCases({
        create: async (users) => ({ store: createMemoryStore(users) }),
        user: 'learner' as never,
      }),
    ).toThrow(
      new TypeError(
        'userStoreConformanceCases: `user` must be a function turning a ConformanceUser into a user of your store.',
      ),
    );
    const cases = userStoreConformanceCases<Learner>({
      user: (base) => ({ ...base, id: base.id.toUpperCase(), email: 'x@example.org' }),
      create: async (users) => ({ store: createMemoryStore(users) }),
    });
    await expect(cases[1]?.run()).rejects.toThrow(
      /^StoreFactory\.user must keep id, status, expiresAt and accessRevokedAt as given: for "a" it answered \{"id":"A",.*"email":"x@example\.org"\}\.$/,
    );
  });

  it('S1 a learner store with `user` passes every case, emails kept', async () => {
    const cases = userStoreConformanceCases<Learner>({
      user: toLearner,
      create: async (users) => {
        const store = createMemoryStore(users);
        return { store, events: async () => store.events() };
      },
      numRuns: 10,
    });
    for (const testCase of cases) await testCase.run();
  });
});
