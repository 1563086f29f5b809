// The User Management page of the statuses page, as a Hono app: the learner list with the
// effective status computed in the database, one learner's status and expiration date with
// their history, bulk updates from a CSV file or a workbook (preview, apply, report), and a
// learner login whose sessions end when access is taken away.
import { readFileSync } from 'node:fs';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { createMiddleware } from 'hono/factory';
import {
  type AccountStatus,
  createLoginGuard,
  deactivate,
  effectiveStatus,
  formatBulkReportCsv,
  isLearnerStatusError,
  reactivate,
  setExpiration,
  type TransitionResult,
  type User,
} from 'learner-status';
import { expirationInstant } from 'learner-status/dates';
import type { PostgresClient, PostgresStore } from 'learner-status/postgres';
import { createBulkJobs } from './bulk-jobs.js';
import { countByStatus, listLearners, profileOf } from './learners.js';
import {
  jobPage,
  learnerHome,
  learnerPage,
  listPage,
  loginPage,
  messagePage,
  type PageContext,
  uploadPage,
} from './pages.js';
import {
  ADMIN_COOKIE,
  type AdminSession,
  cookie,
  cookieValue,
  createSessionTable,
  LEARNER_COOKIE,
  type LearnerSession,
  randomToken,
  SECURITY_HEADERS,
  sameSecret,
} from './security.js';

export interface AdminAppOptions {
  /** The database the store writes to; the list and its filters are queried here. */
  readonly db: PostgresClient;
  readonly store: PostgresStore;
  /** The clock: every decision and every change uses it. */
  readonly now: () => Date;
  /** The portal's time zone: dates are shown and read in it (R11). */
  readonly timeZone: string;
  /** The one administrator of the example, and their password. */
  readonly admin: { readonly name: string; readonly password: string };
  /** Every seeded learner's password (a demo; a real app checks a salted slow hash). */
  readonly learnerPassword: string;
  /** Mark cookies Secure (the site is served over https). */
  readonly secureCookies: boolean;
  /** The origin people use when it is not the server's own (behind a proxy), such as `https://admin.example.org`. */
  readonly publicOrigin?: string | undefined;
  /** The largest upload accepted, in bytes (default 5 MiB). */
  readonly maxUploadBytes?: number;
  /** S4: the largest share of all learners one file may change (default 0.5). */
  readonly maxChangeRatio?: number;
  /** Learners listed per page (default 25). */
  readonly pageSize?: number;
  /** Learner sessions last at most this long (default 8 hours). */
  readonly maxSessionMs?: number;
}

const STYLESHEET = readFileSync(new URL('./admin.css', import.meta.url), 'utf8');
const ICON = readFileSync(new URL('./icon.svg', import.meta.url), 'utf8');
const STATUSES = new Set<string>(['active', 'deactivated', 'expired']);

interface Env {
  Variables: { admin: AdminSession; adminSessionId: string };
}

export function createAdminApp(options: AdminAppOptions): Hono<Env> {
  const { db, store, now, timeZone } = options;
  const maxUploadBytes = options.maxUploadBytes ?? 5 * 1024 * 1024;
  const pageSize = options.pageSize ?? 25;
  const adminSessions = createSessionTable<AdminSession>();
  const learnerSessions = createSessionTable<LearnerSession>();
  const jobs = createBulkJobs(store);
  const loadUser = async (id: string) => (await store.readUsers([id]))[0]?.user ?? null;
  const guard = createLoginGuard({
    loadUser,
    maxSessionMs: options.maxSessionMs ?? 8 * 3_600_000,
    timeoutMs: 2_000,
  });
  const publicPage: PageContext = { timeZone };
  const adminPage = (c: Context<Env>): PageContext => ({ timeZone, admin: c.get('admin') });

  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });
  // Forms posted from another site are refused (Origin and Sec-Fetch-Site); admin forms also
  // carry a token (below), for browsers that send neither header. Behind a proxy, the address
  // people use (PUBLIC_URL) is the origin their browser sends.
  app.use(
    '*',
    csrf({
      origin: (origin, c) =>
        origin === new URL(c.req.url).origin || origin === options.publicOrigin,
    }),
  );
  // Bodies are size-limited before they are read, and again while they stream in: the upload
  // to its own limit, every other form to 64 KiB.
  const uploadLimit = bodyLimit({
    maxSize: maxUploadBytes,
    onError: (c) =>
      c.html(
        messagePage(
          publicPage,
          'File too large',
          `The file is larger than ${Math.floor(maxUploadBytes / 1024 / 1024)} MB; nothing was written. Split it into smaller files.`,
        ),
        413,
      ),
  });
  const formLimit = bodyLimit({ maxSize: 64 * 1024 });
  app.use('*', (c, next) => (c.req.path === '/admin/bulk' ? uploadLimit : formLimit)(c, next));
  app.onError((error, c) => {
    if ('getResponse' in error && typeof error.getResponse === 'function') {
      return error.getResponse() as Response;
    }
    console.error(error);
    return c.html(messagePage(publicPage, 'Something went wrong', 'Please try again.'), 500);
  });

  app.get('/static/admin.css', (c) => c.body(STYLESHEET, 200, { 'Content-Type': 'text/css' }));
  app.get('/static/icon.svg', (c) => c.body(ICON, 200, { 'Content-Type': 'image/svg+xml' }));
  app.get('/', (c) => c.redirect('/login'));

  // ---- Learners: log in, and every request re-checked (L1, L3, L4).

  app.get('/login', (c) =>
    c.html(
      loginPage(publicPage, {
        title: 'Learner login',
        action: '/login',
        idLabel: 'Email',
        ...(c.req.query('ended') === undefined
          ? {}
          : { notice: 'Your session has ended. Please log in again.' }),
      }),
    ),
  );

  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const id = String(form['id'] ?? '')
      .trim()
      .toLowerCase();
    const password = String(form['password'] ?? '');
    const at = now();
    // The password first, then the status: one message for every refusal (L1).
    const known = sameSecret(password, options.learnerPassword);
    const { decision, cookieMaxAgeMs } = known
      ? await guard.login(id, at)
      : { decision: { allowed: false as const }, cookieMaxAgeMs: 0 };
    if (!decision.allowed) {
      return c.html(
        loginPage(publicPage, {
          title: 'Learner login',
          action: '/login',
          idLabel: 'Email',
          error: 'Invalid login or no access.',
        }),
        // A person's mistake answers 200 with the form and the reason: a 4xx answer to a page
        // is an error in the browser console. Forged or unauthorised requests get 403.
        200,
      );
    }
    const sessionId = learnerSessions.create({
      kind: 'learner',
      userId: id,
      issuedAt: at,
      expiresAt: decision.sessionExpiresAt,
    });
    c.header(
      'Set-Cookie',
      cookie(LEARNER_COOKIE, sessionId, options.secureCookies, cookieMaxAgeMs),
    );
    return c.redirect('/learn', 303);
  });

  app.get('/learn', async (c) => {
    const sessionId = cookieValue(c.req.header('cookie'), LEARNER_COOKIE);
    const session = learnerSessions.get(sessionId);
    if (session === undefined) return c.redirect('/login', 303);
    const decision = await guard.request(session.userId, session, now());
    if (!decision.allowed) {
      // An outage refuses this request but keeps the session; anything else ends it.
      if (decision.reason === 'unavailable') {
        return c.html(messagePage(publicPage, 'Unavailable', 'Please try again shortly.'), 503);
      }
      learnerSessions.delete(sessionId);
      c.header('Set-Cookie', cookie(LEARNER_COOKIE, '', options.secureCookies, 0));
      return c.redirect('/login?ended=1', 303);
    }
    return c.html(learnerHome(publicPage, session.userId, session.expiresAt));
  });

  app.post('/logout', (c) => {
    learnerSessions.delete(cookieValue(c.req.header('cookie'), LEARNER_COOKIE));
    c.header('Set-Cookie', cookie(LEARNER_COOKIE, '', options.secureCookies, 0));
    return c.redirect('/login', 303);
  });

  // ---- Administrators.

  const adminLogin = (error?: string) =>
    loginPage(publicPage, {
      title: 'Administrator login',
      action: '/admin/login',
      idLabel: 'Name',
      ...(error === undefined ? {} : { error }),
    });

  app.get('/admin/login', (c) => c.html(adminLogin()));

  app.post('/admin/login', async (c) => {
    const form = await c.req.parseBody();
    const name = String(form['id'] ?? '');
    const password = String(form['password'] ?? '');
    // Both compared, always: the time taken does not tell which one was wrong.
    const rightName = sameSecret(name, options.admin.name);
    const rightPassword = sameSecret(password, options.admin.password);
    if (!rightName || !rightPassword) {
      return c.html(adminLogin('Wrong name or password.'), 200);
    }
    const sessionId = adminSessions.create({
      kind: 'admin',
      name,
      csrf: randomToken(),
    });
    c.header('Set-Cookie', cookie(ADMIN_COOKIE, sessionId, options.secureCookies, null));
    return c.redirect('/admin/learners', 303);
  });

  // Every other admin page needs an administrator's session, and every post its token.
  const requireAdmin = createMiddleware<Env>(async (c, next) => {
    const sessionId = cookieValue(c.req.header('cookie'), ADMIN_COOKIE);
    const admin = adminSessions.get(sessionId);
    if (admin === undefined || sessionId === undefined) {
      return c.req.method === 'GET' ? c.redirect('/admin/login', 303) : forbidden(c);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = await c.req.parseBody();
      const token = form['csrf'];
      if (typeof token !== 'string' || !sameSecret(token, admin.csrf)) return forbidden(c);
    }
    c.set('admin', admin);
    c.set('adminSessionId', sessionId);
    await next();
  });
  const forbidden = (c: Context) =>
    c.html(
      messagePage(
        publicPage,
        'Forbidden',
        'This form has expired. Go back, reload the page and try again.',
      ),
      403,
    );

  for (const path of [
    '/admin',
    '/admin/learners',
    '/admin/learners/*',
    '/admin/bulk',
    '/admin/bulk/*',
    '/admin/logout',
  ]) {
    app.use(path, requireAdmin);
  }

  app.get('/admin', (c) => c.redirect('/admin/learners'));

  app.post('/admin/logout', (c) => {
    adminSessions.delete(c.get('adminSessionId'));
    c.header('Set-Cookie', cookie(ADMIN_COOKIE, '', options.secureCookies, 0));
    return c.redirect('/admin/login', 303);
  });

  app.get('/admin/learners', async (c) => {
    const statusParam = c.req.query('status') ?? '';
    const status = STATUSES.has(statusParam) ? (statusParam as AccountStatus) : null;
    const search = (c.req.query('q') ?? '').trim().slice(0, 200);
    const requested = Number.parseInt(c.req.query('page') ?? '1', 10);
    const renderedAt = now();
    const counts = await countByStatus(db, renderedAt);
    const firstTry = Number.isSafeInteger(requested) && requested > 0 ? requested : 1;
    let { rows, total } = await listLearners(db, {
      now: renderedAt,
      status,
      search,
      page: firstTry,
      pageSize,
    });
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const page = Math.min(firstTry, pages);
    if (page !== firstTry) {
      ({ rows, total } = await listLearners(db, {
        now: renderedAt,
        status,
        search,
        page,
        pageSize,
      }));
    }
    return c.html(
      listPage(adminPage(c), { rows, total, counts, status, search, page, pages, renderedAt }),
    );
  });

  const noLearner = (c: Context<Env>) =>
    c.html(messagePage(adminPage(c), 'Not found', 'There is no learner with this id.'), 404);

  const learnerView = async (c: Context<Env>, id: string) => {
    const [read] = await store.readUsers([id]);
    const profile = await profileOf(db, id);
    if (read === null || read === undefined || profile === null) {
      return noLearner(c);
    }
    return c.html(
      learnerPage(adminPage(c), {
        id,
        ...profile,
        storedStatus: read.user.status,
        expiresAt: read.user.expiresAt ?? null,
        effective: effectiveStatus(read.user, now()),
        history: (await store.readEvents(id)).reverse(),
      }),
    );
  };

  app.get('/admin/learners/:id', (c) => learnerView(c, c.req.param('id')));

  /** Reads the learner, applies one transition, writes it only if nobody changed it since. */
  const change = async (
    c: Context<Env>,
    transition: (user: User, at: Date) => TransitionResult<User>,
    describe: (result: TransitionResult<User>) => string,
  ) => {
    const id = c.req.param('id') ?? '';
    const admin = c.get('admin');
    const back = `/admin/learners/${encodeURIComponent(id)}`;
    const [read] = await store.readUsers([id]);
    if (read === null || read === undefined) {
      return noLearner(c);
    }
    let result: TransitionResult<User>;
    try {
      result = transition(read.user, now());
    } catch (error) {
      if (!isLearnerStatusError(error)) throw error;
      admin.flash = { text: error.message, tone: 'error' };
      return c.redirect(back, 303);
    }
    if (!result.changed) {
      admin.flash = { text: 'Nothing to change: the learner already has that.', tone: 'ok' };
      return c.redirect(back, 303);
    }
    const [written] = await store.writeUsers([
      { user: result.user, expectedVersion: read.version, event: result.event },
    ]);
    admin.flash =
      written?.status === 'ok'
        ? { text: describe(result), tone: result.effective === 'active' ? 'ok' : 'warning' }
        : {
            text: 'Someone changed this learner while you were looking; nothing was saved. Check the page and try again.',
            tone: 'error',
          };
    return c.redirect(back, 303);
  };

  const context = (c: Context<Env>, at: Date) => ({
    now: at,
    actor: c.get('admin').name,
    source: 'admin' as const,
  });

  app.post('/admin/learners/:id/status', async (c) => {
    const form = await c.req.parseBody();
    const status = form['status'];
    if (status === 'deactivated') {
      return change(
        c,
        (user, at) => deactivate(user, context(c, at)),
        () =>
          'Deactivated. The learner cannot log in, and their open sessions end on their next request.',
      );
    }
    if (status === 'active') {
      return change(
        c,
        (user, at) => reactivate(user, context(c, at)),
        (result) =>
          result.effective === 'expired'
            ? 'Reactivated, but stays expired until the expiration date is moved.'
            : 'Reactivated. The learner can log in again.',
      );
    }
    c.get('admin').flash = {
      text:
        status === 'expired'
          ? 'Expired cannot be chosen: it follows from the expiration date. Move the date to give access back.'
          : 'Choose Active or Deactivated.',
      tone: 'error',
    };
    return c.redirect(`/admin/learners/${encodeURIComponent(c.req.param('id'))}`, 303);
  });

  app.post('/admin/learners/:id/expiration', async (c) => {
    const form = await c.req.parseBody();
    const clear = form['action'] === 'clear';
    const lastDay = String(form['lastDay'] ?? '');
    return change(
      c,
      (user, at) =>
        setExpiration(user, clear ? null : expirationInstant(lastDay, timeZone), context(c, at)),
      (result) =>
        result.effective === 'deactivated'
          ? 'Expiration date saved, but login stays refused until the learner is reactivated.'
          : result.effective === 'expired'
            ? 'Expiration date saved: it has passed, so the learner is now Expired and cannot log in.'
            : clear
              ? 'Expiration date removed: access no longer ends on a date.'
              : 'Expiration date saved. The learner can log in until the end of that day.',
    );
  });

  // ---- Bulk updates: upload, preview, apply, report.

  app.get('/admin/bulk', (c) => c.html(uploadPage(adminPage(c), { maxUploadBytes })));

  app.post('/admin/bulk', async (c) => {
    const form = await c.req.parseBody();
    const file = form['file'];
    const refuse = (error: string) =>
      c.html(uploadPage(adminPage(c), { maxUploadBytes, error }), 200);
    if (!(file instanceof File) || file.size === 0) {
      return refuse('Choose a CSV file or an Excel workbook: the upload was empty.');
    }
    try {
      const job = await jobs.plan({
        bytes: new Uint8Array(await file.arrayBuffer()),
        fileName: file.name || 'upload',
        owner: c.get('adminSessionId'),
        actor: c.get('admin').name,
        now: now(),
        timeZone,
        maxChangeRatio: options.maxChangeRatio ?? 0.5,
      });
      return c.redirect(`/admin/bulk/${job.id}`, 303);
    } catch (error) {
      if (isLearnerStatusError(error)) return refuse(`${error.code}: ${error.message}`);
      throw error;
    }
  });

  const findJob = (c: Context<Env>) => jobs.get(c.req.param('job') ?? '', c.get('adminSessionId'));
  const noJob = (c: Context<Env>) =>
    c.html(
      messagePage(
        adminPage(c),
        'Not found',
        'This upload is not known (any longer). Upload the file again.',
      ),
      404,
    );

  app.get('/admin/bulk/:job', (c) => {
    const job = findJob(c);
    return job === undefined ? noJob(c) : c.html(jobPage(adminPage(c), job));
  });

  app.post('/admin/bulk/:job/apply', (c) => {
    const job = findJob(c);
    if (job === undefined) return noJob(c);
    // Runs on after the answer: the job page shows its progress.
    void jobs.apply(job, now());
    return c.redirect(`/admin/bulk/${job.id}`, 303);
  });

  app.post('/admin/bulk/:job/cancel', (c) => {
    const job = findJob(c);
    if (job === undefined) return noJob(c);
    job.cancel.abort();
    return c.redirect(`/admin/bulk/${job.id}`, 303);
  });

  app.get('/admin/bulk/:job/report.csv', (c) => {
    const job = findJob(c);
    if (job === undefined) return noJob(c);
    const applied = job.report !== null;
    // Formula-safe (C10): a cell that a spreadsheet would run as a formula is neutralised.
    return c.body(formatBulkReportCsv(job.report ?? job.plan), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${applied ? 'bulk-report' : 'bulk-preview'}.csv"`,
    });
  });

  app.notFound((c) => c.html(messagePage(publicPage, 'Not found', 'There is no such page.'), 404));

  return app;
}
