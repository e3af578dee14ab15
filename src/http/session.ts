/**
 * Browser sessions for curating in the web UI. Logging in with the server's token sets a session
 * cookie (HttpOnly, SameSite=Strict, Secure over https) that holds a random id, an expiry and an
 * HMAC of both keyed by the token: it proves the holder knew the token without containing it, needs
 * no storage, survives restarts and dies when the token changes. Every write form carries a CSRF
 * token derived from the session id with the same key (a synchronizer token bound to the session),
 * which another site cannot read or forge. Logging out revokes the id in this process until it
 * would have expired anyway.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'mcdewey_session';
const LIFETIME_MS = 12 * 60 * 60 * 1000;
const ID = /^[A-Za-z0-9_-]{22}$/;

export interface Session {
  id: string;
  expires: number;
}

function mac(key: string, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  private readonly revoked = new Map<string, number>();

  constructor(private readonly token: string) {}

  /** A new session and the cookie value that carries it. */
  issue(now = Date.now()): { session: Session; value: string } {
    const session = { id: randomBytes(16).toString('base64url'), expires: now + LIFETIME_MS };
    return { session, value: `${session.id}.${session.expires}.${mac(this.token, `session:${session.id}:${session.expires}`)}` };
  }

  /** The session a cookie value proves, or undefined (forged, expired, revoked, or from another token). */
  verify(value: string | undefined, now = Date.now()): Session | undefined {
    const [id, expiresText, signature, ...rest] = (value ?? '').split('.');
    if (!id || !expiresText || !signature || rest.length > 0 || !ID.test(id) || !/^\d{1,15}$/.test(expiresText)) return undefined;
    const expires = Number(expiresText);
    if (!same(signature, mac(this.token, `session:${id}:${expires}`)) || expires <= now || this.revoked.has(id)) return undefined;
    return { id, expires };
  }

  /** The CSRF token of a session, for the hidden field of every write form. */
  csrf(session: Session): string {
    return mac(this.token, `csrf:${session.id}`);
  }

  checkCsrf(session: Session, presented: unknown): boolean {
    return typeof presented === 'string' && same(presented, this.csrf(session));
  }

  revoke(session: Session, now = Date.now()): void {
    for (const [id, expires] of this.revoked) if (expires <= now) this.revoked.delete(id);
    this.revoked.set(session.id, session.expires);
  }
}

/** The Set-Cookie value of a session (or of its removal, with an empty value and no lifetime). */
export function sessionCookie(value: string, secure: boolean, maxAgeSeconds = LIFETIME_MS / 1000): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** The session cookie's value in a Cookie header. */
export function sessionCookieValue(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}
