// Login with learner-status in Hono 4: password first, then checkLogin (through
// createLoginGuard); one generic message for every refusal, the reason logged; the cookie
// lives until sessionExpiresAt; every request re-checked with checkSession (L1, L3, L4).
// In your app, import from 'learner-status' instead of '../../src/index.js'.
import { type Context, Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { createLoginGuard } from '../../src/index.js';
import {
  CLEAR_COOKIE,
  createSessions,
  credentialsFrom,
  DEFAULT_MAX_SESSION_MS,
  DEFAULT_TIMEOUT_MS,
  GENERIC_REFUSAL,
  type LoginAppOptions,
  sessionCookie,
  sessionIdFrom,
} from '../shared/auth.js';

/** What the session middleware hands to the routes behind it. */
export interface SessionEnv {
  Variables: { learnerId: string };
}

export function createApp(options: LoginAppOptions): Hono<SessionEnv> {
  const { checkPassword, now, log } = options;
  const guard = createLoginGuard({
    loadUser: options.loadUser,
    maxSessionMs: options.maxSessionMs ?? DEFAULT_MAX_SESSION_MS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const sessions = createSessions();
  const refuse = (c: Context) => c.json({ error: GENERIC_REFUSAL }, 401);

  // Every request of a route behind this middleware is re-checked (L1, L3).
  const requireSession = createMiddleware<SessionEnv>(async (c, next) => {
    const sessionId = sessionIdFrom(c.req.header('cookie'));
    const session = sessions.get(sessionId);
    if (session === undefined) return refuse(c);
    const decision = await guard.request(session.userId, session, now());
    if (!decision.allowed) {
      const { reason, detail } = decision;
      log({ event: 'session-refused', userId: session.userId, reason, detail });
      // An outage refuses this request but keeps the session; anything else ends it.
      if (reason !== 'unavailable') {
        sessions.delete(sessionId);
        c.header('Set-Cookie', CLEAR_COOKIE);
      }
      return refuse(c);
    }
    c.set('learnerId', session.userId);
    await next();
  });

  const app = new Hono<SessionEnv>();

  app.post('/login', async (c) => {
    const credentials = credentialsFrom(await c.req.json().catch(() => undefined));
    if (credentials === undefined) return c.json({ error: 'id and password.' }, 400);
    const { id, password } = credentials;
    // 1. Password first: the status of an account is nobody's business before that.
    if (!checkPassword(id, password)) {
      log({ event: 'login-refused', userId: id, reason: 'bad-password' });
      return refuse(c);
    }
    // 2. Then the status (L1), failing closed when the store is down (L4).
    const at = now();
    const { decision, cookieMaxAgeMs } = await guard.login(id, at);
    if (!decision.allowed) {
      log({ event: 'login-refused', userId: id, reason: decision.reason, detail: decision.detail });
      return refuse(c);
    }
    // 3. A session capped at sessionExpiresAt.
    const sessionId = sessions.create(id, at);
    log({ event: 'login', userId: id });
    c.header('Set-Cookie', sessionCookie(sessionId, cookieMaxAgeMs, at));
    return c.json({ userId: id, sessionExpiresAt: decision.sessionExpiresAt });
  });

  app.post('/logout', (c) => {
    sessions.delete(sessionIdFrom(c.req.header('cookie')));
    c.header('Set-Cookie', CLEAR_COOKIE);
    return c.body(null, 204);
  });

  app.get('/me', requireSession, (c) => c.json({ userId: c.get('learnerId') }));

  return app;
}
