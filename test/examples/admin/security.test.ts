// The admin example is copied by people building their own admin page: each safe default is
// held here (an administrator's session, cross-site request forgery, escaping, cookies,
// upload size, headers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHarness, type Harness, textOf } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await adminHarness({ seed: 0, maxUploadBytes: 64 * 1024 });
  await h.addLearner({ id: 'ada@example.org', status: 'active', expiresAt: null }, 'Ada Lovelace');
  await h.addLearner(
    { id: 'mallory@example.org', status: 'active', expiresAt: null },
    '<img src=x onerror=alert(1)>',
  );
});
afterAll(() => h.close());

const eventsOf = async (id: string) => (await h.store.readEvents(id)).length;

describe('admin pages need an administrator session', () => {
  it.each(['/admin', '/admin/learners', '/admin/learners/ada%40example.org', '/admin/bulk'])(
    'GET %s without a session goes to the login page',
    async (path) => {
      const response = await h.client().get(path);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/admin/login');
    },
  );

  it('a state-changing post without a session is refused and writes nothing', async () => {
    const response = await h
      .client()
      .post('/admin/learners/ada%40example.org/status', { status: 'deactivated' }, { csrf: null });
    expect(response.status).toBe(403);
    expect(await eventsOf('ada@example.org')).toBe(0);
  });

  it('a wrong password gets no session, and says so without saying which field was wrong', async () => {
    const client = h.client();
    const response = await client.post('/admin/login', { id: 'admin', password: 'guess' });
    expect(response.status).toBe(200);
    expect(textOf(await response.text())).toContain('Wrong name or password.');
    expect(client.cookies.has('admin_session')).toBe(false);
    const wrongName = await client.post('/admin/login', {
      id: 'root',
      password: 'admin-password-for-tests',
    });
    expect(wrongName.status).toBe(200);
    expect(client.cookies.has('admin_session')).toBe(false);
  });

  it('logging out ends the session on the server, not just in the browser', async () => {
    const admin = await h.admin();
    const stolen = admin.cookies.get('admin_session');
    expect((await admin.post('/admin/logout', {})).status).toBe(303);
    const replay = await h.client().get('/admin/learners');
    expect(replay.status).toBe(303);
    const withOldCookie = await h
      .client()
      .request('/admin/learners', { headers: { cookie: `admin_session=${stolen}` } });
    expect(withOldCookie.headers.get('location')).toBe('/admin/login');
  });
});

describe('cross-site request forgery', () => {
  it('a post without the form token is refused and writes nothing', async () => {
    const admin = await h.admin();
    const response = await admin.post(
      '/admin/learners/ada%40example.org/status',
      { status: 'deactivated' },
      { csrf: null },
    );
    expect(response.status).toBe(403);
    expect(await eventsOf('ada@example.org')).toBe(0);
  });

  it("a post with another session's token is refused", async () => {
    const first = await h.admin();
    const second = await h.admin();
    const response = await second.post(
      '/admin/learners/ada%40example.org/status',
      { status: 'deactivated' },
      { csrf: (await first.token()) ?? '' },
    );
    expect(response.status).toBe(403);
    expect(await eventsOf('ada@example.org')).toBe(0);
  });

  it('a form posted from another site is refused, token or not', async () => {
    const admin = await h.admin();
    const response = await admin.post(
      '/admin/learners/ada%40example.org/status',
      { status: 'deactivated' },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(response.status).toBe(403);
    const login = await h
      .client()
      .post(
        '/login',
        { id: 'ada@example.org', password: 'learner-password' },
        { headers: { origin: 'https://evil.example' } },
      );
    expect(login.status).toBe(403);
    expect(await eventsOf('ada@example.org')).toBe(0);
  });

  it('behind a proxy, the public origin is accepted and others are still refused', async () => {
    const proxied = h.clientOf({ publicOrigin: 'https://admin.example.org' });
    const login = { id: 'admin', password: 'admin-password-for-tests' };
    const fromPublic = await proxied.post('/admin/login', login, {
      headers: { origin: 'https://admin.example.org' },
    });
    expect(fromPublic.status).toBe(303);
    const fromElsewhere = await proxied.post('/admin/login', login, {
      headers: { origin: 'https://admin.example.org.evil.example' },
    });
    expect(fromElsewhere.status).toBe(403);
  });

  it('an upload without the token is refused and plans nothing', async () => {
    const admin = await h.admin();
    const response = await admin.upload('x.csv', 'Email,Active\r\nada@example.org,No\r\n', null);
    expect(response.status).toBe(403);
  });
});

describe('output is escaped', () => {
  it('a learner named <img src=x onerror=alert(1)> shows as text in the list and on their page', async () => {
    const admin = await h.admin();
    for (const path of ['/admin/learners', '/admin/learners/mallory%40example.org']) {
      const html = await admin.page(path);
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it('a search text and a file name come back escaped', async () => {
    const admin = await h.admin();
    const search = await admin.page(
      `/admin/learners?q=${encodeURIComponent('"><script>x</script>')}`,
    );
    expect(search).not.toContain('<script>');
    const upload = await admin.upload(
      '<script>alert(1)</script>.csv',
      'Email,Active\r\n"<b>bold</b>",No\r\n',
    );
    const preview = await admin.page(upload.headers.get('location') ?? '');
    expect(preview).not.toContain('<script>');
    expect(preview).not.toContain('<b>bold');
    expect(preview).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.csv');
  });
});

describe('cookies and headers', () => {
  it('session cookies are HttpOnly and SameSite=Lax, and not Secure over plain http', async () => {
    const client = h.client();
    await client.post('/admin/login', { id: 'admin', password: 'admin-password-for-tests' });
    const [admin] = client.setCookies;
    expect(admin).toMatch(/^admin_session=[\w-]{43}; /);
    expect(admin).toContain('HttpOnly');
    expect(admin).toContain('SameSite=Lax');
    expect(admin).not.toContain('Secure');
    await client.post('/login', { id: 'ada@example.org', password: 'learner-password' });
    const [learner] = client.setCookies;
    expect(learner).toMatch(/^learner_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it('behind https (secureCookies), every cookie is also Secure', async () => {
    const client = h.clientOf({ secureCookies: true });
    await client.post('/admin/login', { id: 'admin', password: 'admin-password-for-tests' });
    expect(client.setCookies[0]).toContain('; Secure');
    await client.post('/admin/logout', {});
    expect(client.setCookies[0]).toMatch(/Max-Age=0/);
    expect(client.setCookies[0]).toContain('; Secure');
  });

  it('every page forbids scripts, framing and sniffing', async () => {
    const response = await h.client().get('/login');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).not.toContain('<script');
  });
});

describe('uploads are size-limited', () => {
  it('a file over the limit is refused with 413 before it is read, and nothing is planned or written', async () => {
    const admin = await h.admin();
    const big = `Email,Active\r\n${'ada@example.org,No\r\n'.repeat(5000)}`;
    const response = await admin.upload('big.csv', big);
    expect(response.status).toBe(413);
    expect(textOf(await response.text())).toContain('larger than');
    expect(await eventsOf('ada@example.org')).toBe(0);
  });

  it('other forms are limited too, the login forms included', async () => {
    const admin = await h.admin();
    const padding = 'x'.repeat(100 * 1024);
    const response = await admin.post('/admin/learners/ada%40example.org/status', {
      status: 'active',
      padding,
    });
    expect(response.status).toBe(413);
    for (const path of ['/login', '/admin/login']) {
      const login = await h.client().post(path, { id: 'ada@example.org', password: padding });
      expect(login.status).toBe(413);
    }
  });
});
