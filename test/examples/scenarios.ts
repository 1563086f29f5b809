// The login scenarios every framework example goes through, over real HTTP on 127.0.0.1.
// Time is the injected clock; the only real timer is the store timeout (L4).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  deactivate,
  type LoginRefusalReason,
  reactivate,
  type SessionRefusalReason,
  type User,
} from '../../src/index.js';

/** The options every example's app factory takes (each example declares its own copy). */
export interface ExampleOptions {
  readonly loadUser: (id: string) => Promise<User | null | undefined>;
  readonly passwords: ReadonlyMap<string, string>;
  readonly now: () => Date;
  readonly log: (entry: LoggedEntry) => void;
  readonly maxSessionMs: number;
  readonly timeoutMs: number;
}

type LoggedEntry =
  | { readonly event: 'login'; readonly userId: string }
  | {
      readonly event: 'login-refused' | 'session-refused';
      readonly userId: string;
      readonly reason: LoginRefusalReason | SessionRefusalReason | 'bad-password';
      readonly detail?: string | undefined;
    };

export interface Started {
  /** Like `http://127.0.0.1:54321`. */
  readonly url: string;
  close(): Promise<void>;
}

const GENERIC = { error: 'Invalid login or no access.' };
const HOUR = 3_600_000;
const NOW = new Date('2026-06-01T09:00:00.000Z');
const ADA_EXPIRES = new Date('2026-06-01T17:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

export function loginScenarios(name: string, start: (options: ExampleOptions) => Promise<Started>) {
  describe(`${name} example over real HTTP`, () => {
    const clock = { now: NOW };
    const logs: LoggedEntry[] = [];
    let store = createMemoryStore<User>();
    let storeMode: 'up' | 'throws' | 'hangs' = 'up';
    let loads = 0;
    let server: Started;

    const passwords = new Map([
      ['ada', 'ada-pass'],
      ['bob', 'bob-pass'],
      ['eve', 'eve-pass'],
      ['dan', 'dan-pass'],
      ['cat', 'cat-pass'], // credentials, but no learner record
    ]);

    beforeAll(async () => {
      server = await start({
        loadUser: async (id) => {
          loads += 1;
          if (storeMode === 'throws') throw new Error('connection refused');
          if (storeMode === 'hangs') return new Promise<never>(() => {});
          return (await store.readUsers([id]))[0]?.user;
        },
        passwords,
        now: () => clock.now,
        log: (entry) => logs.push(entry),
        maxSessionMs: 12 * HOUR,
        timeoutMs: 50,
      });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });
    afterAll(() => server.close());
    beforeEach(() => {
      store = createMemoryStore<User>([
        { id: 'ada', status: 'active', expiresAt: ADA_EXPIRES },
        { id: 'bob', status: 'deactivated', expiresAt: null },
        { id: 'eve', status: 'active', expiresAt: NOW },
        { id: 'dan', status: 'active', expiresAt: null },
      ]);
      storeMode = 'up';
      clock.now = NOW;
      logs.length = 0;
      loads = 0;
    });

    const login = (id: string, password = `${id}-pass`) =>
      fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, password }),
      });
    const me = (cookie?: string) =>
      fetch(`${server.url}/me`, cookie === undefined ? {} : { headers: { cookie } });
    /** The `sid=...` pair of the session cookie a login set. */
    const cookieOf = (response: Response) => {
      const [cookie] = response.headers.getSetCookie();
      expect(cookie).toMatch(/^sid=[^;]+;/);
      return cookie!.split(';')[0]!;
    };
    const loggedIn = async (id: string) => {
      const response = await login(id);
      expect(response.status).toBe(200);
      return cookieOf(response);
    };
    const expectGenericRefusal = async (response: Response) => {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(GENERIC);
    };
    const changeUser = (id: string, change: (user: User) => User) => {
      const [read] = store.users().filter((user) => user.id === id);
      store.put(change(read!));
    };

    it('L1: an active learner logs in and reaches a protected route', async () => {
      const cookie = await loggedIn('ada');
      const response = await me(cookie);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ userId: 'ada' });
      expect(logs).toEqual([{ event: 'login', userId: 'ada' }]);
    });

    it('L1: the cookie lives exactly until sessionExpiresAt (the account expiry here)', async () => {
      const response = await login('ada');
      const [cookie] = response.headers.getSetCookie();
      expect(cookie).toContain(`Max-Age=${(ADA_EXPIRES.getTime() - NOW.getTime()) / 1000};`);
      expect(cookie).toContain(`Expires=${ADA_EXPIRES.toUTCString()}`);
      expect(cookie).toMatch(/HttpOnly/);
      expect(await response.json()).toEqual({
        userId: 'ada',
        sessionExpiresAt: ADA_EXPIRES.toISOString(),
      });
    });

    it('L1: without an expiry, maxSessionMs caps the cookie and the session', async () => {
      const response = await login('dan');
      const [cookie] = response.headers.getSetCookie();
      expect(cookie).toContain(`Max-Age=${12 * 3600};`);
      expect(cookie).toContain(`Expires=${later(12 * HOUR).toUTCString()}`);
      const sid = cookieOf(response);
      clock.now = later(12 * HOUR - 1);
      expect((await me(sid)).status).toBe(200);
      clock.now = later(12 * HOUR);
      await expectGenericRefusal(await me(sid));
      expect(logs.at(-1)).toMatchObject({ event: 'session-refused', reason: 'session-expired' });
    });

    it('no session cookie, or an unknown one: refused with the generic message', async () => {
      await expectGenericRefusal(await me());
      await expectGenericRefusal(await me('sid=forged'));
    });

    it('L1: a wrong password is refused before the store is asked', async () => {
      await expectGenericRefusal(await login('bob', 'guess'));
      expect(loads).toBe(0);
      expect(logs).toEqual([{ event: 'login-refused', userId: 'bob', reason: 'bad-password' }]);
    });

    it('L1, R5: a deactivated learner is refused with the generic message; the reason is logged', async () => {
      const response = await login('bob');
      await expectGenericRefusal(response);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(logs).toEqual([
        expect.objectContaining({ event: 'login-refused', userId: 'bob', reason: 'deactivated' }),
      ]);
    });

    it('R4: expired at the exact instant (now === expiresAt) is refused', async () => {
      await expectGenericRefusal(await login('eve'));
      expect(logs).toEqual([expect.objectContaining({ userId: 'eve', reason: 'expired' })]);
    });

    it('R4: a session reaching expiresAt is refused on that very instant', async () => {
      const cookie = await loggedIn('ada');
      clock.now = new Date(ADA_EXPIRES.getTime() - 1);
      expect((await me(cookie)).status).toBe(200);
      clock.now = ADA_EXPIRES;
      await expectGenericRefusal(await me(cookie));
      expect(logs.at(-1)).toMatchObject({ event: 'session-refused', reason: 'expired' });
    });

    it('L1: unknown users get the same generic message', async () => {
      await expectGenericRefusal(await login('cat')); // password ok, no learner record
      await expectGenericRefusal(await login('mallory', 'x')); // no such login at all
      expect(logs).toEqual([
        expect.objectContaining({ userId: 'cat', reason: 'unknown-user' }),
        expect.objectContaining({ userId: 'mallory', reason: 'bad-password' }),
      ]);
    });

    it('L4: a store that throws refuses login with unavailable', async () => {
      storeMode = 'throws';
      await expectGenericRefusal(await login('ada'));
      expect(logs).toEqual([
        expect.objectContaining({
          event: 'login-refused',
          reason: 'unavailable',
          detail: expect.stringContaining('connection refused'),
        }),
      ]);
    });

    it('L4: a store that hangs past timeoutMs refuses login with unavailable', async () => {
      storeMode = 'hangs';
      await expectGenericRefusal(await login('ada'));
      expect(logs).toEqual([
        expect.objectContaining({
          reason: 'unavailable',
          detail: expect.stringContaining('50 ms'),
        }),
      ]);
    });

    it('L4: a store outage refuses requests but keeps the session for when it is back', async () => {
      const cookie = await loggedIn('ada');
      storeMode = 'throws';
      await expectGenericRefusal(await me(cookie));
      storeMode = 'hangs';
      await expectGenericRefusal(await me(cookie));
      expect(logs.slice(1)).toEqual([
        expect.objectContaining({ event: 'session-refused', reason: 'unavailable' }),
        expect.objectContaining({ event: 'session-refused', reason: 'unavailable' }),
      ]);
      storeMode = 'up';
      expect((await me(cookie)).status).toBe(200);
    });

    it('L1: deactivation while logged in refuses the next request and ends the session', async () => {
      const cookie = await loggedIn('dan');
      clock.now = later(HOUR);
      changeUser('dan', (user) => deactivate(user, { now: clock.now }).user);
      const response = await me(cookie);
      await expectGenericRefusal(response);
      expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^sid=;.*Max-Age=0/)]);
      expect(logs.at(-1)).toMatchObject({ event: 'session-refused', reason: 'deactivated' });
      clock.now = later(2 * HOUR);
      changeUser('dan', (user) => reactivate(user, { now: clock.now }).user);
      await expectGenericRefusal(await me(cookie)); // the session was ended
    });

    it('L3: a session issued before a deactivation stays refused after a reactivation; a new login works', async () => {
      const old = await loggedIn('dan');
      clock.now = later(HOUR);
      changeUser('dan', (user) => deactivate(user, { now: clock.now }).user);
      clock.now = later(2 * HOUR);
      changeUser('dan', (user) => reactivate(user, { now: clock.now }).user);
      await expectGenericRefusal(await me(old));
      expect(logs.at(-1)).toMatchObject({ event: 'session-refused', reason: 'session-revoked' });
      clock.now = later(3 * HOUR);
      const fresh = await loggedIn('dan');
      expect((await me(fresh)).status).toBe(200);
    });

    it('logout ends the session', async () => {
      const cookie = await loggedIn('ada');
      const response = await fetch(`${server.url}/logout`, {
        method: 'POST',
        headers: { cookie },
      });
      expect(response.status).toBe(204);
      expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^sid=;.*Max-Age=0/)]);
      await expectGenericRefusal(await me(cookie));
    });

    it('a malformed login body is a 400, not a crash', async () => {
      const response = await fetch(`${server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 42 }),
      });
      expect(response.status).toBe(400);
    });
  });
}
