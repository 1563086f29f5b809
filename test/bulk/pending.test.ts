// S3, R7-R10: a million-row plan keeps a plain user as read as a few numbers and rebuilds it
// when its batch is written (issue 18). Whatever the shape of the user the store answered, the
// user written is exactly what the transition makes of that user: same fields, same absent
// fields, extra fields of the caller's own kept, the id the store answered.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { changeFor } from '../../src/bulk/change.js';
import { applyBulkUpdate, planBulkUpdate } from '../../src/bulk/index.js';
import type { StoredStatus, User } from '../../src/status/index.js';
import {
  USER_STORE_INTERFACE_VERSION,
  type UserStore,
  type UserWrite,
  type VersionedUser,
} from '../../src/store/index.js';
import { NOW, row } from './helpers.js';

class ForeverDate extends Date {}

const instant = fc
  .integer({ min: NOW.getTime() - 400 * 86_400_000, max: NOW.getTime() + 400 * 86_400_000 })
  .map((ms) => new Date(ms));

/** A user as a store may answer it: plain, or with something the plan must keep as given. */
const readUser = fc
  .record({
    status: fc.constantFrom<StoredStatus>('active', 'deactivated'),
    expiresAt: fc.option(instant, { nil: null }),
    revoked: fc.constantFrom('absent', 'null', 'date'),
    revokedAt: instant,
    shape: fc.constantFrom('plain', 'extra field', 'other key order', 'date subclass', 'alias'),
  })
  .map(({ status, expiresAt, revoked, revokedAt, shape }) => {
    const id = shape === 'alias' ? 'U-0042' : 'ada@example.org';
    let user: Record<string, unknown> = { id, status, expiresAt };
    if (revoked === 'null') user['accessRevokedAt'] = null;
    if (revoked === 'date') user['accessRevokedAt'] = revokedAt;
    if (shape === 'extra field') user['email'] = 'ada@example.org';
    if (shape === 'other key order') user = { status, ...user };
    if (shape === 'date subclass' && expiresAt !== null) {
      user['expiresAt'] = new ForeverDate(expiresAt.getTime());
    }
    return user as unknown as User;
  });

/** Answers every id with `answer` (an alias lookup included) and records the writes. */
function storeAnswering(answer: User): UserStore & { written: UserWrite[] } {
  const written: UserWrite[] = [];
  return {
    interfaceVersion: USER_STORE_INTERFACE_VERSION,
    written,
    async readUsers(ids: readonly string[]): Promise<(VersionedUser | null)[]> {
      return ids.map(() => ({ user: answer, version: 'v1' }));
    },
    async writeUsers(writes: readonly UserWrite[]) {
      written.push(...writes);
      return writes.map(() => ({ status: 'ok' as const, version: 'v2' }));
    },
  };
}

test.prop([
  readUser,
  fc.constantFrom<StoredStatus | undefined>('active', 'deactivated', undefined),
  fc.option(instant, { nil: null }),
  fc.boolean(),
])(
  'S3, R7-R10: the user written is the transition of the user as read, whatever its shape',
  async (read, status, expiresAt, setsDate) => {
    const change: { status?: StoredStatus; expiresAt?: Date | null } = {};
    if (status !== undefined) change.status = status;
    if (setsDate || status === undefined) change.expiresAt = expiresAt;
    const store = storeAnswering(read);
    const plan = await planBulkUpdate([row(2, 'ada@example.org', change)], store, { now: NOW });
    await applyBulkUpdate(plan, store, { now: NOW });
    // What the apply step makes of the user exactly as the store answered it.
    const expected = changeFor(read, change, { now: NOW, source: 'bulk', line: 2 }).user;
    if (plan.rows[0]?.outcome !== 'changed') {
      expect(store.written).toEqual([]);
      return;
    }
    expect(store.written).toHaveLength(1);
    const written = store.written[0]?.user as unknown as Record<string, unknown>;
    expect(written).toStrictEqual(expected);
    expect(Object.keys(written).sort()).toEqual(Object.keys(expected).sort());
    expect(store.written[0]?.expectedVersion).toBe('v1');
  },
);

test('S3: plain users after more than a thousand kept as given are rebuilt right', async () => {
  // The instants of plain users live in arrays that grow; users with fields of their own do
  // not use them, so the first plain user may come far past their end.
  const users = new Map<string, User>();
  for (let i = 0; i < 1500; i++) {
    users.set(`x${i}`, { id: `x${i}`, status: 'active', expiresAt: null, team: 'a' } as User);
  }
  for (let i = 0; i < 10; i++) {
    users.set(`p${i}`, {
      id: `p${i}`,
      status: 'deactivated',
      expiresAt: new Date(NOW.getTime() + (i + 1) * 86_400_000),
      accessRevokedAt: new Date(NOW.getTime() - i),
    });
  }
  const written: UserWrite[] = [];
  const store: UserStore = {
    interfaceVersion: USER_STORE_INTERFACE_VERSION,
    async readUsers(ids) {
      return ids.map((id) => {
        const user = users.get(id);
        return user === undefined ? null : { user, version: 'v1' };
      });
    },
    async writeUsers(writes) {
      written.push(...writes);
      return writes.map(() => ({ status: 'ok' as const, version: 'v2' }));
    },
  };
  const rows = [...users.keys()].map((id, i) =>
    row(i + 2, id, id.startsWith('x') ? { status: 'deactivated' } : { status: 'active' }),
  );
  const plan = await planBulkUpdate(rows, store, { now: NOW });
  await applyBulkUpdate(plan, store, { now: NOW });
  expect(written).toHaveLength(1510);
  for (const write of written) {
    const read = users.get(write.user.id) as User;
    const update = write.user.id.startsWith('x')
      ? { status: 'deactivated' as const }
      : { status: 'active' as const };
    const line = rows.findIndex((r) => r.result.ok && r.result.update.userId === read.id) + 2;
    expect(write.user).toStrictEqual(
      changeFor(read, update, { now: NOW, source: 'bulk', line }).user,
    );
  }
});
