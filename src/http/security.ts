import { timingSafeEqual, createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { setResponseHeader } from './response-headers.js';

/** Compares a presented bearer token with the configured one in constant time. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  // Hash both so that lengths match and timing does not depend on where they differ.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return match?.[1]?.trim();
}

const HTML_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Headers on every response, also those answered before the app (server/front-door.ts). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

/**
 * SECURITY_HEADERS on every response; HTML pages get a CSP that forbids inline script (connect-src
 * lets the jobs page follow a job's events from this origin).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const name in SECURITY_HEADERS) setResponseHeader(c, name, SECURITY_HEADERS[name]!);
    const type = c.res.headers.get('Content-Type') ?? '';
    if (type.startsWith('text/html')) setResponseHeader(c, 'Content-Security-Policy', HTML_CSP);
  };
}
