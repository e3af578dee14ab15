import type { Hono } from 'hono';
import type { ServerContext } from '../http/context.js';
import type { McpEndpoint } from './endpoint.js';

/** After start-up, the MCP SDK is loaded this long after the server is mounted if no /mcp request came first. */
const PRELOAD_AFTER_MS = 3_000;

/**
 * MCP at /mcp (see endpoint.ts). The MCP SDK takes 0.1-0.2 s to load, a fifth of a cold start: it
 * is loaded on the first /mcp request, or a few seconds after start-up, so that a server answers its
 * first search without waiting for it.
 */
export function mountMcp(app: Hono, ctx: ServerContext): McpMount {
  let endpoint: Promise<McpEndpoint> | undefined;
  let loaded: McpEndpoint | undefined;
  const load = () => (endpoint ??= import('./endpoint.js').then(({ mcpEndpoint }) => (loaded = mcpEndpoint(ctx))));
  setTimeout(() => void load().catch(() => {}), PRELOAD_AFTER_MS).unref(); // a failure is reported by the request that needs it
  app.use('/mcp', async (c, next) => (await load()).guards(c, next));
  app.post('/mcp', async (c) => (await load()).post(c));
  return { loaded: () => loaded };
}

/** The mounted endpoint, for the front door (server/front-door.ts): undefined until the SDK is loaded. */
export interface McpMount {
  loaded(): McpEndpoint | undefined;
}
