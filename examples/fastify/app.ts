// Login with learner-status in Fastify 5: password first, then checkLogin (through
// createLoginGuard); one generic message for every refusal, the reason logged; the cookie
// lives until sessionExpiresAt; every request re-checked with checkSession (L1, L3, L4).
// In your app, import from 'learner-status' instead of '../../src/index.js'.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
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

declare module 'fastify' {
  interface FastifyRequest {
    /** The learner of a session that passed checkSession on this request. */
    learnerId: string;
  }
}

export function buildApp(options: LoginAppOptions): FastifyInstance {
  const { checkPassword, now, log } = options;
  const guard = createLoginGuard({
    loadUser: options.loadUser,
    maxSessionMs: options.maxSessionMs ?? DEFAULT_MAX_SESSION_MS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const sessions = createSessions();
  const refuse = (reply: FastifyReply) => reply.code(401).send({ error: GENERIC_REFUSAL });

  const app = Fastify({ bodyLimit: 4096 });
  app.decorateRequest('learnerId', '');

  app.post('/login', async (request, reply) => {
    const credentials = credentialsFrom(request.body);
    if (credentials === undefined) return reply.code(400).send({ error: 'id and password.' });
    const { id, password } = credentials;
    // 1. Password first: the status of an account is nobody's business before that.
    if (!checkPassword(id, password)) {
      log({ event: 'login-refused', userId: id, reason: 'bad-password' });
      return refuse(reply);
    }
    // 2. Then the status (L1), failing closed when the store is down (L4).
    const at = now();
    const { decision, cookieMaxAgeMs } = await guard.login(id, at);
    if (!decision.allowed) {
      log({ event: 'login-refused', userId: id, reason: decision.reason, detail: decision.detail });
      return refuse(reply);
    }
    // 3. A session capped at sessionExpiresAt.
    const sessionId = sessions.create(id, at);
    log({ event: 'login', userId: id });
    reply.header('set-cookie', sessionCookie(sessionId, cookieMaxAgeMs, at));
    return { userId: id, sessionExpiresAt: decision.sessionExpiresAt };
  });

  app.post('/logout', async (request, reply) => {
    sessions.delete(sessionIdFrom(request.headers.cookie));
    return reply.header('set-cookie', CLEAR_COOKIE).code(204).send();
  });

  // 4. Every route registered in this scope is re-checked on every request (L1, L3).
  app.register(async (protectedRoutes) => {
    protectedRoutes.addHook('preHandler', async (request, reply) => {
      const sessionId = sessionIdFrom(request.headers.cookie);
      const session = sessions.get(sessionId);
      if (session === undefined) return refuse(reply);
      const decision = await guard.request(session.userId, session, now());
      if (!decision.allowed) {
        const { reason, detail } = decision;
        log({ event: 'session-refused', userId: session.userId, reason, detail });
        // An outage refuses this request but keeps the session; anything else ends it.
        if (reason !== 'unavailable') {
          sessions.delete(sessionId);
          reply.header('set-cookie', CLEAR_COOKIE);
        }
        return refuse(reply);
      }
      request.learnerId = session.userId;
    });

    protectedRoutes.get('/me', async (request) => ({ userId: request.learnerId }));
  });

  return app;
}
