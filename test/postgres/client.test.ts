import { describe, expect, it } from 'vitest';
import {
  createPostgresStore,
  effectiveStatusSql,
  type PostgresClient,
} from '../../src/postgres/index.js';
import { rejection, thrown } from '../support/thrown.js';

// S1, S2: what the Postgres store does with its client's answers and with bad input, against
// scripted clients (no database): every error compared whole, and the mapping of rows to
// results. The same store runs against a real PostgreSQL in pglite.test.ts and server.test.ts.

type Answer = { rows: unknown[] } | Error | unknown;

/** A client that answers each query with the next scripted answer, and records the queries. */
function scripted(...answers: Answer[]) {
  const queries: { text: string; params: unknown[] }[] = [];
  const client: PostgresClient = {
    async query(text: string, params?: unknown[]) {
      queries.push({ text, params: params ?? [] });
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer as { rows: unknown[] };
    },
  };
  return { client, queries };
}

const active = (id: string) => ({ id, status: 'active' as const, expiresAt: null });

describe('createPostgresStore refuses what it cannot use (S2)', () => {
  it('a client without query', () => {
    for (const client of [null, {}, { query: 'SELECT 1' }]) {
      expect(thrown(() => createPostgresStore(client as never))).toEqual({
        code: 'INVALID_OPTION',
        field: 'client',
        line: undefined,
        message:
          'createPostgresStore needs a client with query(text, params), such as a node-postgres Pool or a PGlite instance.',
      });
    }
  });

  it('a batch size outside 1 to 50000', () => {
    const { client } = scripted();
    expect(thrown(() => createPostgresStore(client, { maxBatchSize: 50_001 }))).toEqual({
      code: 'INVALID_OPTION',
      field: 'maxBatchSize',
      line: undefined,
      message: '`maxBatchSize` must be a whole number from 1 to 50000, but it is 50001.',
    });
    expect(createPostgresStore(client, { maxBatchSize: 50_000 }).capabilities).toEqual({
      atomicBatches: true,
      maxBatchSize: 50_000,
    });
    expect(createPostgresStore(client).capabilities?.maxBatchSize).toBe(1000);
  });
});

describe('the Postgres store says what its client did (S1)', () => {
  it('a query that throws: STORE_FAILED naming what was asked, with the cause', async () => {
    const cause = new Error('ECONNREFUSED');
    const store = createPostgresStore(scripted(cause).client);
    const error = await store.readUsers(['a', 'b']).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'STORE_FAILED',
      message: 'PostgreSQL failed to read 2 users: ECONNREFUSED',
      cause,
    });
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['no rows', { rowCount: 0 }],
    ['rows that are not a list', { rows: 'x' }],
  ])('an answer with %s: STORE_FAILED', async (_name, answer) => {
    const store = createPostgresStore(scripted(answer).client);
    expect(await rejection(() => store.countUsers!())).toEqual({
      code: 'STORE_FAILED',
      field: undefined,
      line: undefined,
      message: 'The PostgreSQL client answered no { rows } when asked to count users.',
    });
  });

  it('a write answered with another number of rows: STORE_FAILED', async () => {
    const store = createPostgresStore(scripted({ rows: [] }).client);
    expect(
      await rejection(() =>
        store.writeUsers([{ user: active('a'), expectedVersion: '1', event: null }]),
      ),
    ).toEqual({
      code: 'STORE_FAILED',
      field: undefined,
      line: undefined,
      message: 'PostgreSQL answered 0 rows for 1 writes.',
    });
  });

  it('write results: a new version is ok, a found row without one a conflict, else not-found', async () => {
    const { client, queries } = scripted({
      rows: [
        { version: '7', found: true },
        { version: null, found: true },
        { version: null, found: false },
      ],
    });
    const store = createPostgresStore(client);
    const results = await store.writeUsers(
      ['a', 'b', 'c'].map((id) => ({ user: active(id), expectedVersion: '1', event: null })),
    );
    expect(results).toEqual([
      { status: 'ok', version: '7' },
      { status: 'conflict' },
      { status: 'not-found' },
    ]);
    expect(queries).toHaveLength(1);
  });

  it('reads: users in the order asked, null for unknown ids, copies for repeated ids', async () => {
    const { client, queries } = scripted({
      rows: [
        { id: 'b', status: 'deactivated', expires_ms: '1000', revoked_ms: null, version: '3' },
        { id: 'a', status: 'active', expires_ms: null, revoked_ms: '2000', version: '2' },
      ],
    });
    const store = createPostgresStore(client);
    const read = await store.readUsers(['a', 'zz', 'b', 'a']);
    expect(read).toEqual([
      {
        user: { id: 'a', status: 'active', expiresAt: null, accessRevokedAt: new Date(2000) },
        version: '2',
      },
      null,
      {
        user: { id: 'b', status: 'deactivated', expiresAt: new Date(1000), accessRevokedAt: null },
        version: '3',
      },
      {
        user: { id: 'a', status: 'active', expiresAt: null, accessRevokedAt: new Date(2000) },
        version: '2',
      },
    ]);
    expect(read[0]?.user).not.toBe(read[3]?.user);
    expect(queries[0]?.params).toEqual([JSON.stringify(['a', 'zz', 'b', 'a'])]);
  });

  it('empty reads and writes ask nothing of the database', async () => {
    const { client, queries } = scripted();
    const store = createPostgresStore(client);
    expect(await store.readUsers([])).toEqual([]);
    expect(await store.writeUsers([])).toEqual([]);
    expect(queries).toEqual([]);
  });

  it('counts users from the count row', async () => {
    const store = createPostgresStore(scripted({ rows: [{ n: '42' }] }).client);
    expect(await store.countUsers!()).toBe(42);
  });
});

describe('the Postgres store refuses bad users and dates, naming them (S1, S2, R12)', () => {
  it.each([
    ['no user', null, 'id', 'writeUsers: every user needs a non-empty string id.'],
    ['an empty id', active(''), 'id', 'writeUsers: every user needs a non-empty string id.'],
    [
      'a numeric id',
      { ...active('x'), id: 5 },
      'id',
      'writeUsers: every user needs a non-empty string id.',
    ],
    [
      'the status expired',
      { ...active('a'), status: 'expired' },
      'status',
      `writeUsers: user "a" has status "expired"; it must be 'active' or 'deactivated'.`,
    ],
  ])('writeUsers with %s', async (_name, user, field, message) => {
    const { client, queries } = scripted();
    const store = createPostgresStore(client);
    expect(
      await rejection(() =>
        store.writeUsers([{ user: user as never, expectedVersion: '1', event: null }]),
      ),
    ).toEqual({ code: 'INVALID_USER', field, line: undefined, message });
    expect(queries).toEqual([]);
  });

  it('insertUsers names itself; dates PostgreSQL cannot hold are refused', async () => {
    const { client, queries } = scripted();
    const store = createPostgresStore(client);
    expect(await rejection(() => store.insertUsers([active('')]))).toMatchObject({
      code: 'INVALID_USER',
      message: 'insertUsers: every user needs a non-empty string id.',
    });
    expect(
      await rejection(() =>
        store.insertUsers([{ ...active('a'), expiresAt: new Date(Number.NaN) }]),
      ),
    ).toEqual({
      code: 'INVALID_DATE',
      field: 'expiresAt',
      line: undefined,
      message:
        "`expiresAt` must be a valid Date from 4714 BC on (PostgreSQL's timestamptz range), but it is invalid.",
    });
    const tooEarly = new Date(-210_866_803_200_001);
    expect(
      await rejection(() => store.insertUsers([{ ...active('a'), accessRevokedAt: tooEarly }])),
    ).toEqual({
      code: 'INVALID_DATE',
      field: 'accessRevokedAt',
      line: undefined,
      message: `\`accessRevokedAt\` must be a valid Date from 4714 BC on (PostgreSQL's timestamptz range), but it is ${tooEarly.toISOString()}.`,
    });
    expect(queries).toEqual([]);
  });

  it('insertUsers sends the dates as PostgreSQL reads them, in batches of maxBatchSize', async () => {
    const { client, queries } = scripted({ rows: [] }, { rows: [] });
    const store = createPostgresStore(client, { maxBatchSize: 2 });
    await store.insertUsers([
      { ...active('a'), expiresAt: new Date('2026-12-31T23:59:59.999Z') },
      { ...active('b'), expiresAt: new Date(-210_866_803_200_000) },
      { ...active('c'), expiresAt: new Date(8.64e15), accessRevokedAt: new Date(0) },
    ]);
    expect(queries.map((q) => JSON.parse(q.params[0] as string))).toEqual([
      [
        {
          id: 'a',
          status: 'active',
          expires_at: '2026-12-31T23:59:59.999Z',
          access_revoked_at: null,
        },
        {
          id: 'b',
          status: 'active',
          expires_at: '4714-11-24 00:00:00.000+00 BC',
          access_revoked_at: null,
        },
      ],
      [
        {
          id: 'c',
          status: 'active',
          expires_at: '275760-09-13 00:00:00.000+00',
          access_revoked_at: '1970-01-01T00:00:00.000Z',
        },
      ],
    ]);
  });
});

describe('the Postgres store uses the tables it was given, everywhere (S2)', () => {
  it('migrate creates the named schema and tables, and no default one', async () => {
    const { client, queries } = scripted(...Array.from({ length: 20 }, () => ({ rows: [] })));
    const store = createPostgresStore(client, {
      schema: 'lms',
      usersTable: 'learners',
      eventsTable: 'learner_changes',
    });
    await store.migrate();
    expect(queries.length).toBeGreaterThan(2);
    const all = queries.map((q) => q.text).join('\n');
    expect(all).toContain('"lms"."learners"');
    expect(all).toContain('"lms"."learner_changes"');
    expect(all).not.toMatch(/learner_status_users|learner_status_events|"public"/);
  });

  it('readEvents filters by the user asked for, or reads every event', async () => {
    const { client, queries } = scripted({ rows: [] }, { rows: [] });
    const store = createPostgresStore(client);
    expect(await store.readEvents('ada')).toEqual([]);
    expect(await store.readEvents()).toEqual([]);
    expect(queries.map((q) => q.params)).toEqual([['ada'], [null]]);
  });
});

describe('effectiveStatusSql names the columns it was given, defaulting each alone (R4)', () => {
  it.each([
    [{}, 'expires_at', 'status'],
    [{ status: 'u.status' }, 'expires_at', 'u.status'],
    [{ expiresAt: 'u.expires_at' }, 'u.expires_at', 'status'],
  ])('columns %j', (columns, expiresAt, status) => {
    expect(effectiveStatusSql('$1', columns)).toBe(
      `(CASE WHEN ${expiresAt} <= ($1)::timestamptz THEN 'expired' WHEN ${status} = 'active' THEN 'active' ELSE 'deactivated' END)`,
    );
  });
});

describe('createPostgresStore refuses table names that are not plain SQL names (S2)', () => {
  const rule =
    'must be a lower-case SQL name (letters, digits and _, starting with a letter or _, at most 48 characters)';
  it.each([
    ['schema', 'Public', '"Public"'],
    ['usersTable', 'users; DROP TABLE x', '"users; DROP TABLE x"'],
    ['eventsTable', `e${'x'.repeat(48)}`, `"e${'x'.repeat(48)}"`],
    ['usersTable', ['learners'], '["learners"]'],
    ['schema', 5, '5'],
    ['eventsTable', Symbol('e'), 'Symbol(e)'],
  ])('%s = %s', (field, value, shown) => {
    const { client } = scripted();
    expect(thrown(() => createPostgresStore(client, { [field]: value } as never))).toEqual({
      code: 'INVALID_OPTION',
      field,
      line: undefined,
      message: `\`${field}\` ${rule}, but it is ${shown}.`,
    });
  });
});
