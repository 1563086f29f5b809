// The framework-neutral parts of the login examples (Express, Fastify, Hono): password check,
// server-side sessions, the session cookie and the log entries. Copy it with the example.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  LoginRefusalReason,
  SessionInfo,
  SessionRefusalReason,
  User,
} from '../../src/index.js';

/** The one message a person sees for every refusal; the reason goes to the log (L1). */
export const GENERIC_REFUSAL = 'Invalid login or no access.';

/** What the example app needs; tests pass their own store, clock and logger. */
export interface LoginAppOptions {
  /** Loads a learner by id. Throwing or hanging past `timeoutMs` refuses as `unavailable` (L4). */
  readonly loadUser: (id: string) => Promise<User | null | undefined>;
  /** Verifies the password, before the status is looked at. */
  readonly checkPassword: (id: string, password: string) => boolean;
  /** The clock: every decision uses it, never `new Date()`. */
  readonly now: () => Date;
  /** Where refusals and their reasons go. */
  readonly log: (entry: LogEntry) => void;
  /** Absolute session lifetime. Default: 8 hours. */
  readonly maxSessionMs?: number;
  /** How long loading a learner may take. Default: 2 seconds. */
  readonly timeoutMs?: number;
}

export const DEFAULT_MAX_SESSION_MS = 8 * 3_600_000;
export const DEFAULT_TIMEOUT_MS = 2_000;

/** What the example logs: who, and why they were refused. Never the password. */
export type LogEntry =
  | { readonly event: 'login'; readonly userId: string }
  | {
      readonly event: 'login-refused';
      readonly userId: string;
      readonly reason: LoginRefusalReason | 'bad-password';
      readonly detail?: string | undefined;
    }
  | {
      readonly event: 'session-refused';
      readonly userId: string;
      readonly reason: SessionRefusalReason;
      readonly detail?: string | undefined;
    };

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
const NO_PASSWORD = digest('');

/**
 * A password check over a fixed map of id → password, compared in constant time. Demo only:
 * a real app stores salted slow hashes (scrypt, argon2id), never passwords.
 */
export function passwordCheck(
  passwords: ReadonlyMap<string, string>,
): (id: string, password: string) => boolean {
  return (id, password) => {
    const known = passwords.get(id);
    // The same work whether or not the id exists; equal-length digests for timingSafeEqual.
    const same = timingSafeEqual(
      digest(password),
      known === undefined ? NO_PASSWORD : digest(known),
    );
    return same && known !== undefined;
  };
}

/** A session as the server keeps it: whose, and when it was issued (for L3). */
export interface Session extends SessionInfo {
  readonly userId: string;
}

/** Server-side sessions, by a random id that is all the cookie carries. */
export function createSessions() {
  const sessions = new Map<string, Session>();
  return {
    create(userId: string, issuedAt: Date): string {
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, { userId, issuedAt });
      return id;
    },
    get: (id: string | undefined) => (id === undefined ? undefined : sessions.get(id)),
    delete: (id: string | undefined) => id !== undefined && sessions.delete(id),
  };
}

const SESSION_COOKIE = 'sid';
const ATTRIBUTES = 'Path=/; HttpOnly; Secure; SameSite=Lax';

/**
 * The session cookie, living exactly until `sessionExpiresAt` = now + maxAgeMs (L1): Max-Age
 * in whole seconds, rounded down, and Expires for old clients. `null`: a browser-session cookie.
 */
export function sessionCookie(id: string, maxAgeMs: number | null, now: Date): string {
  const cookie = `${SESSION_COOKIE}=${id}; ${ATTRIBUTES}`;
  if (maxAgeMs === null) return cookie;
  const expires = new Date(now.getTime() + maxAgeMs).toUTCString();
  return `${cookie}; Max-Age=${Math.floor(maxAgeMs / 1000)}; Expires=${expires}`;
}

/** Deletes the session cookie in the browser. */
export const CLEAR_COOKIE = `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;

/** The session id from a Cookie request header, if any. */
export function sessionIdFrom(cookieHeader: string | undefined): string | undefined {
  for (const part of cookieHeader?.split(';') ?? []) {
    const [name, value] = part.trim().split('=', 2);
    if (name === SESSION_COOKIE && value) return value;
  }
  return undefined;
}

/** The login form's fields, or undefined when they are missing or not strings. */
export function credentialsFrom(body: unknown): { id: string; password: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { id, password } = body as { id?: unknown; password?: unknown };
  return typeof id === 'string' && typeof password === 'string' ? { id, password } : undefined;
}
