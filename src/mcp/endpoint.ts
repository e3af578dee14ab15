import type { Context, MiddlewareHandler } from 'hono';
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import type { ServerContext } from '../http/context.js';
import { createMcpServer } from './server.js';
import { mcpGuards } from './http-guards.js';
import { legacyJsonHandler } from './legacy-json.js';
import { oversizedBatch } from './batch-limit.js';
import { LIMITS } from '../library/limits.js';
import { MCP_MAX_BODY_BYTES } from './body-limit.js';

/** What /mcp runs per request once the MCP SDK is loaded: its guards, then the JSON-RPC exchange. */
export interface McpEndpoint {
  guards: MiddlewareHandler;
  post(c: Context): Promise<Response>;
}

/**
 * MCP over Streamable HTTP, stateless: every request gets a fresh server from the same factory,
 * whether it comes from a 2026-07-28 client (per-request metadata) or a 2025-era one (initialize
 * handshake, no session). Both get plain JSON answers.
 */
export function mcpEndpoint(ctx: ServerContext): McpEndpoint {
  // Each request's server knows the request's signal: a search stops when its client goes away.
  const factory = (info?: { requestInfo?: Request }) => createMcpServer(ctx, info?.requestInfo?.signal);
  const modern = createMcpHandler(factory, {
    legacy: 'reject',
    // Every tool answers in milliseconds: a JSON body, never a stream, so no keep-alive frames either.
    responseMode: 'auto',
    keepAliveMs: 0,
    maxRequestBodySize: MCP_MAX_BODY_BYTES,
  });
  const legacy = legacyJsonHandler(factory, MCP_MAX_BODY_BYTES);
  return {
    guards: mcpGuards(ctx.config),
    post: async (c) => {
      const request = c.req.raw;
      const batch = await oversizedBatch(request, MCP_MAX_BODY_BYTES);
      if (batch !== undefined) {
        const message = `Invalid Request: a batch of ${batch} messages; at most ${LIMITS.rpcBatchMessages} are taken at once (send the rest in further requests)`;
        return c.json({ jsonrpc: '2.0', error: { code: -32600, message }, id: null }, 400);
      }
      return (await isLegacyRequest(request, undefined, { maxRequestBodySize: MCP_MAX_BODY_BYTES })) ? legacy(request) : modern.fetch(request);
    },
  };
}
