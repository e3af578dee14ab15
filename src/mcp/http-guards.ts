import type { MiddlewareHandler } from 'hono';
import { localhostAllowedHostnames, localhostAllowedOrigins, validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import type { Config } from '../config/config.js';
import { bearerToken, tokenMatches } from '../http/security.js';
import { corsPolicy } from '../http/cors.js';

/** Why a request to /mcp is turned away before it is read, and the answer that says so. */
export interface McpRejection {
  status: 401 | 403 | 405;
  message: string;
  headers: Record<string, string>;
}

/** The request's parts the guards look at (a web Request's or Node's parsed headers). */
export interface GuardedRequest {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  authorization: string | undefined;
}

/**
 * The checks in front of /mcp, and only /mcp, so that the web UI and the REST API keep working
 * behind any hostname: Host (DNS rebinding), Origin (cross-site requests from browsers), the
 * HTTP method, and the optional bearer token. Undefined when the request passes them all. The
 * front door (server/front-door.ts) asks too, so that it answers no request the guards would refuse.
 */
export function mcpGuardCheck(config: Config): (request: GuardedRequest) => McpRejection | undefined {
  const hosts = allowedHostnames(config);
  const loopback = localhostAllowedOrigins();
  // The same origins CORS lets call /mcp from a page: one rule for both (see http/cors.ts).
  const listed = corsPolicy(config.allowedOrigins);
  return ({ method, host, origin, authorization }): McpRejection | undefined => {
    const hostCheck = validateHostHeader(host, hosts);
    if (!hostCheck.ok) {
      return { status: 403, message: `${hostCheck.message}. Allow it on /mcp with --allowed-hosts or MCDEWEY_ALLOWED_HOSTS`, headers: {} };
    }
    const originCheck = validateOriginHeader(origin, loopback);
    if (!originCheck.ok && !listed.allows(origin)) {
      return { status: 403, message: `${originCheck.message}. Allow it on /mcp with --allowed-origins or MCDEWEY_ALLOWED_ORIGINS`, headers: {} };
    }
    if (method !== 'POST') {
      // The endpoint is stateless: no GET stream and no session to DELETE.
      return { status: 405, message: 'Method not allowed: /mcp takes JSON-RPC messages by POST only', headers: { Allow: 'POST' } };
    }
    if (config.token !== undefined) {
      const presented = bearerToken(authorization);
      if (!tokenMatches(presented, config.token)) {
        const error = presented === undefined ? '' : ', error="invalid_token"';
        return {
          status: 401,
          message: presented === undefined ? 'Authorization: Bearer <token> is required on /mcp' : 'the bearer token is not valid',
          headers: { 'WWW-Authenticate': `Bearer realm="mcdewey"${error}` },
        };
      }
    }
    return undefined;
  };
}

/** The guards as middleware: a request they refuse gets a JSON-RPC error its client can parse. */
export function mcpGuards(config: Config): MiddlewareHandler {
  const check = mcpGuardCheck(config);
  return async (c, next) => {
    const rejection = check({ method: c.req.method, host: c.req.header('host'), origin: c.req.header('origin'), authorization: c.req.header('authorization') });
    if (rejection) {
      for (const [name, value] of Object.entries(rejection.headers)) c.header(name, value);
      return c.json({ jsonrpc: '2.0', error: { code: -32000, message: rejection.message }, id: null }, rejection.status);
    }
    await next();
  };
}

/** Loopback names, the configured extra hosts, and the hosts of the public URL and of a specific bind address. */
function allowedHostnames(config: Config): string[] {
  const names = [...localhostAllowedHostnames(), ...hostnamesOf(config.allowedHosts)];
  if (config.publicUrl !== undefined) names.push(new URL(config.publicUrl).hostname);
  if (!WILDCARD_ADDRESSES.has(config.host)) names.push(...hostnamesOf(bracketIPv6(config.host)));
  return [...new Set(names)];
}

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);
const bracketIPv6 = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** "docs.example.com, https://app.example.com:8443" → ["docs.example.com", "app.example.com"] (checks are port-agnostic). */
function hostnamesOf(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      try {
        return new URL(entry.includes('://') ? entry : `http://${entry}`).hostname.toLowerCase();
      } catch {
        return entry.toLowerCase();
      }
    });
}
