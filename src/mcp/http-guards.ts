import type { Context, MiddlewareHandler } from 'hono';
import { localhostAllowedHostnames, localhostAllowedOrigins, validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import type { Config } from '../config/config.js';
import { bearerToken, tokenMatches } from '../http/security.js';
import { corsPolicy } from '../http/cors.js';

/**
 * The checks in front of /mcp, and only /mcp, so that the web UI and the REST API keep working
 * behind any hostname: Host (DNS rebinding), Origin (cross-site requests from browsers), the
 * HTTP method, and the optional bearer token.
 */
export function mcpGuards(config: Config): MiddlewareHandler {
  const hosts = allowedHostnames(config);
  const loopback = localhostAllowedOrigins();
  // The same origins CORS lets call /mcp from a page: one rule for both (see http/cors.ts).
  const listed = corsPolicy(config.allowedOrigins);
  return async (c, next) => {
    const host = validateHostHeader(c.req.header('host'), hosts);
    if (!host.ok) {
      return rejection(c, 403, `${host.message}. Allow it on /mcp with --allowed-hosts or MCDEWEY_ALLOWED_HOSTS`);
    }
    const origin = validateOriginHeader(c.req.header('origin'), loopback);
    if (!origin.ok && !listed.allows(c.req.header('origin'))) {
      return rejection(c, 403, `${origin.message}. Allow it on /mcp with --allowed-origins or MCDEWEY_ALLOWED_ORIGINS`);
    }
    if (c.req.method !== 'POST') {
      // The endpoint is stateless: no GET stream and no session to DELETE.
      c.header('Allow', 'POST');
      return rejection(c, 405, 'Method not allowed: /mcp takes JSON-RPC messages by POST only');
    }
    if (config.token !== undefined) {
      const presented = bearerToken(c.req.header('authorization'));
      if (!tokenMatches(presented, config.token)) {
        const error = presented === undefined ? '' : ', error="invalid_token"';
        c.header('WWW-Authenticate', `Bearer realm="mcdewey"${error}`);
        return rejection(c, 401, presented === undefined ? 'Authorization: Bearer <token> is required on /mcp' : 'the bearer token is not valid');
      }
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

/** Refusals in the JSON-RPC error shape MCP clients already parse. */
function rejection(c: Context, status: 401 | 403 | 405, message: string): Response {
  return c.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, status);
}
