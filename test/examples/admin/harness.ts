// The admin example in-process: the app over a fresh PGlite database, a clock the test moves,
// and a client that keeps cookies like a browser and sends the page's own Origin.
import { createPostgresStore, type PostgresStore } from 'learner-status/postgres';
import { type AdminAppOptions, createAdminApp } from '../../../examples/admin/app.js';
import { insertProfiles } from '../../../examples/admin/learners.js';
import { prepareDatabase } from '../../../examples/admin/seed.js';
import { emptyPglite } from '../../support/pglite.js';

const ORIGIN = 'http://localhost';
export const TIME_ZONE = 'Europe/London';
export const ADMIN = { name: 'admin', password: 'admin-password-for-tests' };
export const LEARNER_PASSWORD = 'learner-password';

export interface Harness {
  readonly app: ReturnType<typeof createAdminApp>;
  readonly store: PostgresStore;
  readonly db: Awaited<ReturnType<typeof emptyPglite>>;
  /** The app's clock: set `clock.now` to move it. */
  readonly clock: { now: Date };
  /** A new client without cookies. */
  client(): Client;
  /** A new client of another app over the same database, with some options changed. */
  clientOf(overrides: Partial<AdminAppOptions>): Client;
  /** A new client signed in as the administrator. */
  admin(): Promise<Client>;
  /** Adds a learner with a name (the seed's learners are there too unless `seed: 0`). */
  addLearner(
    user: Parameters<PostgresStore['insertUsers']>[0][number],
    name: string,
  ): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<AdminAppOptions, 'db' | 'store' | 'now'>> {
  readonly seed?: number;
  readonly now?: Date;
  /** Wraps the store the app uses (a slow or failing one). */
  readonly wrapStore?: (store: PostgresStore) => PostgresStore;
}

export async function adminHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { seed = 40, now = new Date('2026-12-03T10:00:00Z'), wrapStore, ...appOptions } = options;
  const db = await emptyPglite();
  const store = createPostgresStore(db);
  const database = { client: db, description: 'PGlite', close: () => db.close() };
  await prepareDatabase(
    database,
    store,
    seed === 0 ? null : { now, timeZone: TIME_ZONE, count: seed },
  );
  const clock = { now };
  const settings: AdminAppOptions = {
    db,
    store: wrapStore ? wrapStore(store) : store,
    now: () => clock.now,
    timeZone: TIME_ZONE,
    admin: ADMIN,
    learnerPassword: LEARNER_PASSWORD,
    secureCookies: false,
    ...appOptions,
  };
  const app = createAdminApp(settings);
  const client = () => new Client(app);
  return {
    app,
    store,
    db,
    clock,
    client,
    clientOf: (overrides) => new Client(createAdminApp({ ...settings, ...overrides })),
    async admin() {
      const signedIn = client();
      const response = await signedIn.post('/admin/login', {
        id: ADMIN.name,
        password: ADMIN.password,
      });
      if (response.status !== 303) throw new Error(`admin login answered ${response.status}`);
      return signedIn;
    },
    async addLearner(user, name) {
      await store.insertUsers([user]);
      await insertProfiles(db, [{ id: user.id, name, email: user.id }]);
    },
    close: () => db.close(),
  };
}

/** What a browser would do: keep the cookies, send its Origin, read the page's token. */
export class Client {
  readonly cookies = new Map<string, string>();
  /** The last Set-Cookie headers received, whole. */
  setCookies: string[] = [];

  constructor(private readonly app: ReturnType<typeof createAdminApp>) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has('cookie')) {
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    if (init.method === 'POST' && !headers.has('origin')) headers.set('origin', ORIGIN);
    const response = await this.app.request(`${ORIGIN}${path}`, { ...init, headers });
    this.setCookies = response.headers.getSetCookie();
    for (const line of this.setCookies) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** The page's HTML. */
  async page(path: string): Promise<string> {
    const response = await this.get(path);
    return response.text();
  }

  /** Posts a form (urlencoded), with the page's token unless `csrf` is given (or null). */
  async post(
    path: string,
    fields: Record<string, string>,
    init: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const body = new URLSearchParams(fields);
    const token = init.csrf === undefined ? await this.token() : init.csrf;
    if (token !== null && token !== undefined) body.set('csrf', token);
    return this.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
    });
  }

  /** Uploads a file to the bulk page. */
  async upload(
    name: string,
    content: string | Uint8Array,
    csrf?: string | null,
  ): Promise<Response> {
    const form = new FormData();
    const token = csrf === undefined ? await this.token() : csrf;
    if (token !== null && token !== undefined) form.set('csrf', token);
    form.set('file', new File([content], name));
    return this.request('/admin/bulk', { method: 'POST', body: form });
  }

  /** The administrator's form token, as every admin page carries it (undefined when signed out). */
  async token(): Promise<string | undefined> {
    if (!this.cookies.has('admin_session')) return undefined;
    const html = await this.page('/admin/bulk');
    return /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  }
}

/** The text of an HTML page with tags removed and entities of the escaper decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
