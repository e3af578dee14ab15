import type { MiddlewareHandler } from 'hono';
import { setResponseHeader } from './response-headers.js';

/**
 * CORS for the origins named in `--allowed-origins`, on /mcp and /api, so that a browser-based MCP
 * client or web app served from one of them can call the server. An entry with a scheme
 * (`https://app.example.com:8443`) allows exactly that origin; a bare host name (`app.example.com`)
 * allows it on any scheme and port, as the Origin check of /mcp does.
 *
 * The allowed origin is echoed back, never `*`, always with `Vary: Origin`, and credentials mode
 * is not offered: the bearer token travels in the Authorization header, which a preflight allows.
 * A request from any other origin gets no CORS headers at all (and, on /mcp, the 403 of its
 * Origin check), so a browser keeps its answer from the page that asked.
 */

/** Headers a browser client sends: the token, JSON, and the MCP request metadata of the 2026 protocol. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'Mcp-Protocol-Version', 'Mcp-Method', 'Mcp-Name'];
/** Headers a browser client may read: the token challenge and the negotiated protocol version. */
const EXPOSED_HEADERS_VALUE = ['WWW-Authenticate', 'Mcp-Protocol-Version'].join(', ');
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

export interface CorsPolicy {
  /** True when a browser page of `origin` may read the server's answers. */
  allows(origin: string | undefined): origin is string;
}

export function corsPolicy(allowedOrigins: string | undefined): CorsPolicy {
  const exact = new Set<string>();
  const hostnames = new Set<string>();
  for (const entry of (allowedOrigins ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    try {
      if (entry.includes('://')) exact.add(new URL(entry).origin);
      else hostnames.add(new URL(`http://${entry}`).hostname);
    } catch {
      // Not an origin: it allows nothing.
    }
  }
  return {
    allows(origin): origin is string {
      if (origin === undefined || origin === 'null') return false;
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false;
      }
      if (url.origin !== origin) return false; // browsers send an origin serialised exactly so
      return exact.has(url.origin) || ((url.protocol === 'http:' || url.protocol === 'https:') && hostnames.has(url.hostname));
    },
  };
}

/**
 * The CORS middleware of one surface: answers the preflight of an allowed origin (204 with the
 * surface's `methods` and the headers it reads) and marks the answers it may read; leaves every
 * other request, preflights of other origins included, to the handlers behind it.
 */
export function cors(policy: CorsPolicy, methods: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = policy.allows(origin);
    if (allowed && c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '));
      c.header('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
      c.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE));
      c.header('Vary', 'Origin');
      return c.body(null, 204);
    }
    await next();
    setResponseHeader(c, 'Vary', 'Origin', true);
    if (allowed) for (const [name, value] of Object.entries(readableBy(origin))) setResponseHeader(c, name, value);
  };
}

/**
 * The headers that let a page of an allowed `origin` read an answer: the middleware adds them, and
 * so does the front door (server/front-door.ts) to what it answers before the app.
 */
export function readableBy(origin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS_VALUE };
}
