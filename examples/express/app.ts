// Login with learner-status in Express 5: password first, then checkLogin (through
// createLoginGuard); one generic message for every refusal, the reason logged; the cookie
// lives until sessionExpiresAt; every request re-checked with checkSession (L1, L3, L4).
// In your app, import from 'learner-status' instead of '../../src/index.js'.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
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

export function createApp(options: LoginAppOptions): Express {
  const { checkPassword, now, log } = options;
  const guard = createLoginGuard({
    loadUser: options.loadUser,
    maxSessionMs: options.maxSessionMs ?? DEFAULT_MAX_SESSION_MS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const sessions = createSessions();
  const refuse = (res: Response) => res.status(401).json({ error: GENERIC_REFUSAL });

  const app = express();
  app.use(express.json({ limit: '4kb' }));

  app.post('/login', async (req, res) => {
    const credentials = credentialsFrom(req.body);
    if (credentials === undefined) return res.status(400).json({ error: 'id and password.' });
    const { id, password } = credentials;
    // 1. Password first: the status of an account is nobody's business before that.
    if (!checkPassword(id, password)) {
      log({ event: 'login-refused', userId: id, reason: 'bad-password' });
      return refuse(res);
    }
    // 2. Then the status (L1), failing closed when the store is down (L4).
    const at = now();
    const { decision, cookieMaxAgeMs } = await guard.login(id, at);
    if (!decision.allowed) {
      log({ event: 'login-refused', userId: id, reason: decision.reason, detail: decision.detail });
      return refuse(res);
    }
    // 3. A session capped at sessionExpiresAt.
    const sessionId = sessions.create(id, at);
    log({ event: 'login', userId: id });
    res.append('Set-Cookie', sessionCookie(sessionId, cookieMaxAgeMs, at));
    return res.json({ userId: id, sessionExpiresAt: decision.sessionExpiresAt });
  });

  app.post('/logout', (req, res) => {
    sessions.delete(sessionIdFrom(req.headers.cookie));
    res.append('Set-Cookie', CLEAR_COOKIE).status(204).end();
  });

  // 4. Every request after this point is re-checked (L1, L3).
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const sessionId = sessionIdFrom(req.headers.cookie);
    const session = sessions.get(sessionId);
    if (session === undefined) return refuse(res);
    const decision = await guard.request(session.userId, session, now());
    if (!decision.allowed) {
      const { reason, detail } = decision;
      log({ event: 'session-refused', userId: session.userId, reason, detail });
      // An outage refuses this request but keeps the session; anything else ends it.
      if (reason !== 'unavailable') {
        sessions.delete(sessionId);
        res.append('Set-Cookie', CLEAR_COOKIE);
      }
      return refuse(res);
    }
    res.locals['userId'] = session.userId;
    return next();
  });

  app.get('/me', (_req, res) => {
    res.json({ userId: res.locals['userId'] });
  });

  return app;
}
