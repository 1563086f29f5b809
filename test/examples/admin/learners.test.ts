// The admin example's learner list, one learner's page and the learner login, through HTTP.
import { effectiveStatus, type User } from 'learner-status';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLearners } from '../../../examples/admin/seed.js';
import { adminHarness, type Client, type Harness, textOf } from './harness.js';

const NOW = new Date('2026-12-03T10:00:00Z');
/** Expires at the end of 2026-12-04 in London (R11): the first instant of 2026-12-05. */
const END_OF_DEC_4 = new Date('2026-12-05T00:00:00Z');

let h: Harness;
let admin: Client;
beforeAll(async () => {
  h = await adminHarness({ seed: 60, now: NOW, pageSize: 10 });
  await h.addLearner(
    { id: 'ada@example.org', status: 'active', expiresAt: END_OF_DEC_4 },
    'Zed Ada',
  );
  admin = await h.admin();
});
afterAll(() => h.close());

const counts = (html: string) => {
  const text = textOf(html);
  const count = (label: string) => Number(new RegExp(`${label} \\((\\d+)\\)`).exec(text)?.[1]);
  return {
    all: count('All'),
    active: count('Active'),
    deactivated: count('Deactivated'),
    expired: count('Expired'),
  };
};

describe('the list (R1, R4, R5: the effective status, computed in the database)', () => {
  it('counts every status as effectiveStatus does at the instant of the page', async () => {
    h.clock.now = NOW;
    const { users } = seedLearners({ now: NOW, timeZone: 'Europe/London', count: 60 });
    const expected = { active: 1, deactivated: 0, expired: 0 }; // ada@example.org
    for (const user of users) expected[effectiveStatus(user, NOW)] += 1;
    const page = counts(await admin.page('/admin/learners'));
    expect(page).toEqual({ all: 61, ...expected });
    expect(expected.active * expected.deactivated * expected.expired).toBeGreaterThan(0);
  });

  it('a learner whose date passes is Expired on the next page: R4 at the millisecond', async () => {
    h.clock.now = new Date(END_OF_DEC_4.getTime() - 1);
    const before = counts(await admin.page('/admin/learners'));
    h.clock.now = END_OF_DEC_4;
    const after = counts(await admin.page('/admin/learners'));
    h.clock.now = NOW;
    expect(after.expired).toBeGreaterThan(before.expired);
    expect(after.active).toBe(before.active - (after.expired - before.expired));
    const filtered = textOf(await admin.page('/admin/learners?status=expired&q=zed'));
    expect(filtered).toContain('0 Expired learners');
  });

  it('filters by effective status: every row of the Expired filter shows Expired, in the right number', async () => {
    const first = await admin.page('/admin/learners?status=expired');
    const { expired } = counts(first);
    const text = textOf(first);
    expect(text).toContain(`${expired} Expired learner`);
    const rows = first.split('<tr>').slice(2);
    expect(rows.length).toBe(Math.min(10, expired));
    for (const row of rows) expect(textOf(row)).toContain('Expired');
  });

  it('Active is shown with a green check mark, hidden from screen readers', async () => {
    const html = await admin.page('/admin/learners?status=active');
    expect(html).toContain('<span class="check" aria-hidden="true">✔</span> Active');
    const deactivated = await admin.page('/admin/learners?status=deactivated');
    expect(deactivated).not.toContain('✔');
  });

  it('searches names and emails, case-insensitively; % and _ match themselves', async () => {
    const text = textOf(await admin.page('/admin/learners?q=ZED'));
    expect(text).toContain('1 learner matching “ZED”');
    expect(text).toContain('ada@example.org');
    expect(textOf(await admin.page('/admin/learners?q=%25'))).toContain('0 learners');
    expect(textOf(await admin.page('/admin/learners?q=_'))).toContain('0 learners');
  });

  it('pages through the list: each learner once, and a page past the end shows the last', async () => {
    const seen = new Set<string>();
    for (let page = 1; page <= 7; page += 1) {
      const html = await admin.page(`/admin/learners?page=${page}`);
      for (const [, id] of html.matchAll(/href="\/admin\/learners\/([^"]+)"/g)) {
        seen.add(decodeURIComponent(id ?? ''));
      }
      expect(textOf(html)).toContain(`Page ${page} of 7`);
    }
    expect(seen.size).toBe(61);
    expect(textOf(await admin.page('/admin/learners?page=99'))).toContain('Page 7 of 7');
    expect(textOf(await admin.page('/admin/learners?page=-3'))).toContain('Page 1 of 7');
  });

  it('shows the expiration date as the last day of access in the portal zone (R11)', async () => {
    const text = textOf(await admin.page('/admin/learners?q=zed'));
    expect(text).toContain('2026-12-04');
  });
});

describe('one learner (R6-R10)', () => {
  const page = (id: string) => admin.page(`/admin/learners/${encodeURIComponent(id)}`);
  const post = (id: string, action: string, fields: Record<string, string>) =>
    admin.post(`/admin/learners/${encodeURIComponent(id)}/${action}`, fields);
  const stored = async (id: string) => (await h.store.readUsers([id]))[0]?.user as User;
  const add = (id: string, user: Omit<User, 'id'>) => h.addLearner({ id, ...user }, id);

  it('R6: Expired is shown but cannot be chosen, and a forged choice writes nothing', async () => {
    await add('r6@example.org', { status: 'active', expiresAt: null });
    const html = await page('r6@example.org');
    expect(html).toMatch(/<input type="radio" name="status" value="expired" disabled/);
    const response = await post('r6@example.org', 'status', { status: 'expired' });
    expect(response.status).toBe(303);
    expect(textOf(await page('r6@example.org'))).toContain('Expired cannot be chosen');
    expect(await h.store.readEvents('r6@example.org')).toEqual([]);
  });

  it('deactivating records who did it, from where, before and after (R10)', async () => {
    await add('r10@example.org', { status: 'active', expiresAt: null });
    await post('r10@example.org', 'status', { status: 'deactivated' });
    expect((await stored('r10@example.org')).status).toBe('deactivated');
    const [event] = await h.store.readEvents('r10@example.org');
    expect(event).toMatchObject({
      actor: 'admin',
      source: 'admin',
      before: { effective: 'active' },
      after: { effective: 'deactivated' },
    });
    const text = textOf(await page('r10@example.org'));
    expect(text).toContain('Deactivated. The learner cannot log in');
    expect(text).toMatch(/History .*admin admin ✔ Active .* Deactivated/);
  });

  it('R8: reactivating an expired learner says they stay expired until the date is moved', async () => {
    await add('r8@example.org', {
      status: 'deactivated',
      expiresAt: new Date('2026-01-01T00:00:00Z'),
    });
    await post('r8@example.org', 'status', { status: 'active' });
    const text = textOf(await page('r8@example.org'));
    expect(text).toContain('Reactivated, but stays expired until the expiration date is moved.');
    expect(text).toMatch(/Status Expired/);
  });

  it('an expired learner becomes Active by moving the date, read in the portal zone (R4, R11)', async () => {
    await add('moved@example.org', {
      status: 'active',
      expiresAt: new Date('2026-11-01T00:00:00Z'),
    });
    await post('moved@example.org', 'expiration', { action: 'set', lastDay: '2027-06-30' });
    // 2027-06-30 in London is summer time: access ends at 2027-06-30T23:00:00Z.
    expect((await stored('moved@example.org')).expiresAt).toEqual(new Date('2027-06-30T23:00:00Z'));
    const text = textOf(await page('moved@example.org'));
    expect(text).toContain(
      'Expiration date saved. The learner can log in until the end of that day.',
    );
    expect(text).toMatch(/Status ✔ Active Expiration date 2027-06-30/);
  });

  it('R7: a new date for a deactivated learner says login stays refused', async () => {
    await add('r7@example.org', { status: 'deactivated', expiresAt: null });
    await post('r7@example.org', 'expiration', { action: 'set', lastDay: '2027-01-31' });
    const text = textOf(await page('r7@example.org'));
    expect(text).toContain('login stays refused until the learner is reactivated');
  });

  it('a past date says the learner is now Expired; removing it gives access back', async () => {
    await add('past@example.org', { status: 'active', expiresAt: null });
    await post('past@example.org', 'expiration', { action: 'set', lastDay: '2025-12-31' });
    expect(textOf(await page('past@example.org'))).toContain(
      'it has passed, so the learner is now Expired',
    );
    await post('past@example.org', 'expiration', { action: 'clear' });
    expect((await stored('past@example.org')).expiresAt).toBeNull();
    expect(textOf(await page('past@example.org'))).toContain('Expiration date removed');
  });

  it('a date that is not a date is refused with the reason, and nothing is written', async () => {
    await add('bad-date@example.org', { status: 'active', expiresAt: null });
    await post('bad-date@example.org', 'expiration', { action: 'set', lastDay: '2027-02-30' });
    expect(textOf(await page('bad-date@example.org'))).toContain('must be a real calendar date');
    expect(await h.store.readEvents('bad-date@example.org')).toEqual([]);
  });

  it('R9: asking for what the learner already has writes nothing', async () => {
    await add('same@example.org', { status: 'active', expiresAt: null });
    await post('same@example.org', 'status', { status: 'active' });
    expect(textOf(await page('same@example.org'))).toContain('Nothing to change');
    expect(await h.store.readEvents('same@example.org')).toEqual([]);
  });

  it('a change made by someone else since the page was read is not overwritten', async () => {
    await add('race@example.org', { status: 'active', expiresAt: null });
    const [read] = await h.store.readUsers(['race@example.org']);
    // The store the app uses answers the old version once, as if the page was read before.
    const stale = h.clientOf({
      store: {
        ...h.store,
        readUsers: async (ids) => [read ?? null].slice(0, ids.length),
      },
    });
    await stale.post('/admin/login', { id: 'admin', password: 'admin-password-for-tests' });
    await h.store.writeUsers([
      {
        user: {
          id: 'race@example.org',
          status: 'active',
          expiresAt: new Date('2027-01-01T00:00:00Z'),
        },
        expectedVersion: read?.version ?? '',
        event: null,
      },
    ]);
    await stale.post('/admin/learners/race%40example.org/status', { status: 'deactivated' });
    expect((await stored('race@example.org')).status).toBe('active');
    expect(textOf(await stale.page('/admin/learners/race%40example.org'))).toContain(
      'Someone changed this learner while you were looking; nothing was saved.',
    );
  });

  it('an unknown learner is a 404 page', async () => {
    const response = await admin.get('/admin/learners/nobody%40example.org');
    expect(response.status).toBe(404);
  });
});

describe('learner login (L1, L3)', () => {
  it('L1: one message for a wrong password, an unknown learner and a deactivated one', async () => {
    await h.addLearner({ id: 'off@example.org', status: 'deactivated', expiresAt: null }, 'Off');
    for (const [id, password] of [
      ['ada@example.org', 'wrong'],
      ['nobody@example.org', 'learner-password'],
      ['off@example.org', 'learner-password'],
    ] as const) {
      const response = await h.client().post('/login', { id, password });
      expect(response.status).toBe(200);
      expect(textOf(await response.text())).toContain('Invalid login or no access.');
    }
  });

  it('L3: deactivating a learner ends the session they have open', async () => {
    await h.addLearner({ id: 'open@example.org', status: 'active', expiresAt: null }, 'Open');
    const learner = h.client();
    const login = await learner.post('/login', {
      id: 'Open@Example.org ',
      password: 'learner-password',
    });
    expect(login.headers.get('location')).toBe('/learn');
    expect(textOf(await learner.page('/learn'))).toContain('Signed in as open@example.org');
    h.clock.now = new Date(NOW.getTime() + 60_000);
    await admin.post('/admin/learners/open%40example.org/status', { status: 'deactivated' });
    const next = await learner.get('/learn');
    expect(next.headers.get('location')).toBe('/login?ended=1');
    expect(learner.cookies.has('learner_session')).toBe(false);
    expect(textOf(await learner.page('/login?ended=1'))).toContain('Your session has ended.');
    h.clock.now = NOW;
  });

  it('L1: the session cookie lives 8 hours, or until the learner expires when that is sooner', async () => {
    const soon = new Date(NOW.getTime() + 3_600_000);
    await h.addLearner({ id: 'soon@example.org', status: 'active', expiresAt: soon }, 'Soon');
    const maxAge = async (id: string) => {
      const learner = h.client();
      await learner.post('/login', { id, password: 'learner-password' });
      return Number(/Max-Age=(\d+)/.exec(learner.setCookies[0] ?? '')?.[1]);
    };
    expect(await maxAge('ada@example.org')).toBe(8 * 3600);
    expect(await maxAge('soon@example.org')).toBe(3600);
  });
});
