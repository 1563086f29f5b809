// Sessions, cookies, passwords and the token against cross-site request forgery: the parts of
// the admin example that people copy first, so each is the safe default.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Equal in constant time, whatever the lengths (digests of equal length are compared). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}

/** A random token: 32 bytes, base64url. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** An administrator's session: who, and the token every state-changing form must carry. */
export interface AdminSession {
  readonly kind: 'admin';
  readonly name: string;
  readonly csrf: string;
  /** A one-shot message for the next page (after a redirect). */
  flash?: { readonly text: string; readonly tone: 'ok' | 'warning' | 'error' } | undefined;
}

/** A learner's session: whose, and when it was issued (L3 compares it with accessRevokedAt). */
export interface LearnerSession {
  readonly kind: 'learner';
  readonly userId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date | null;
}

/** Server-side sessions by a random id, which is all the cookie carries. */
export function createSessionTable<S>() {
  const sessions = new Map<string, S>();
  return {
    create(session: S): string {
      const id = randomToken();
      sessions.set(id, session);
      return id;
    },
    get: (id: string | undefined): S | undefined =>
      id === undefined ? undefined : sessions.get(id),
    delete: (id: string | undefined): void => {
      if (id !== undefined) sessions.delete(id);
    },
    /** Ends every session for which `matches` is true (say, all of one learner's). */
    deleteWhere(matches: (session: S) => boolean): void {
      for (const [id, session] of sessions) if (matches(session)) sessions.delete(id);
    },
  };
}

export const ADMIN_COOKIE = 'admin_session';
export const LEARNER_COOKIE = 'learner_session';

/**
 * A session cookie: HttpOnly (no script reads it), SameSite=Lax (no cross-site form post
 * carries it), Path=/, and Secure when the site is served over https. `maxAgeMs` null: a
 * browser-session cookie; 0: delete it.
 */
export function cookie(name: string, value: string, secure: boolean, maxAgeMs: number | null) {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) attributes.push('Secure');
  if (maxAgeMs !== null) attributes.push(`Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`);
  return `${name}=${value}; ${attributes.join('; ')}`;
}

/** One cookie's value from a Cookie request header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * Headers on every response: no script, style or image from elsewhere (the pages use none
 * inline), no framing, no MIME sniffing, no referrer to other sites.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};
