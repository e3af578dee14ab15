import type { Context, MiddlewareHandler } from 'hono';
import type { IncomingHttpHeaders } from 'node:http';
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import type { ServerContext } from '../http/context.js';
import { createMcpServer, SERVER_INFO } from './server.js';
import { busySearchAnswer } from './busy-search.js';
import { mcpGuardCheck, mcpGuards } from './http-guards.js';
import { legacyJsonHandler } from './legacy-json.js';
import { oversizedBatch, oversizedBatchMessage } from './batch-limit.js';
import { MCP_MAX_BODY_BYTES } from './body-limit.js';
import { isDeclaredJsonBody, readMcpBody } from './request-body.js';
import { isLegacyBody } from './protocol-era.js';
import { directSearchCall } from './direct-search.js';
import { completeToolResult, legacyToolResult } from './result-frame.js';
import { callSearchDocs } from './tools/search-docs.js';
import { legacyPoolable, McpServerPool, poolable } from './server-pool.js';

/** Built servers kept idle for each era's requests: about as many as a busy server answers at once. */
const POOLED_SERVERS = 8;

/** What /mcp runs per request once the MCP SDK is loaded: its guards, then the JSON-RPC exchange. */
export interface McpEndpoint {
  guards: MiddlewareHandler;
  post(c: Context): Promise<Response>;
  /**
   * Whether `post` would read the body of a POST to /mcp with these headers as JSON once the
   * guards let it through: the front door (server/front-door.ts) then may read it first, to
   * answer a search the pool would refuse (`busyAnswer`) without the app.
   */
  readsEarly(headers: IncomingHttpHeaders): boolean;
  /** What `post` answers to this body now if it is a search_docs call the search pool would refuse; otherwise undefined. */
  busyAnswer(body: unknown): object | undefined;
}

export interface EndpointOptions {
  /**
   * Answer the search_docs calls that directSearchCall recognises without the SDK (the
   * default); false hands every request to the SDK, as tests do to compare the two answers.
   */
  answerSearchesDirectly?: boolean;
}

/**
 * MCP over Streamable HTTP, stateless: every request is served by a server of its own, whether it
 * comes from a 2026-07-28 client (per-request metadata) or a 2025-era one (initialize handshake, no
 * session); 2026-07-28 requests that carry the client's identity, and 2025-era reads, reuse a built
 * one from their era's pool (see server-pool.ts), others get a fresh one. Both get plain JSON answers.
 * The search_docs calls in the SDK clients' own form (either era), most of the traffic, are answered
 * here with the SDK's bytes and without its per-request work (see direct-search.ts).
 */
export function mcpEndpoint(ctx: ServerContext, options: EndpointOptions = {}): McpEndpoint {
  const answerSearchesDirectly = options.answerSearchesDirectly ?? true;
  const pool = new McpServerPool((slot) => createMcpServer(ctx, slot), POOLED_SERVERS);
  const legacyPool = new McpServerPool((slot) => createMcpServer(ctx, slot), POOLED_SERVERS);
  // Each request's server knows the request's signal: a search stops when its client goes away.
  const factory = (info?: { requestInfo?: Request }) =>
    pool.serverFor(info?.requestInfo) ?? legacyPool.serverFor(info?.requestInfo) ?? createMcpServer(ctx, { signal: info?.requestInfo?.signal });
  const modern = createMcpHandler(factory, {
    legacy: 'reject',
    // Every tool answers in milliseconds: a JSON body, never a stream, so no keep-alive frames either.
    responseMode: 'auto',
    keepAliveMs: 0,
    maxRequestBodySize: MCP_MAX_BODY_BYTES,
  });
  const legacy = legacyJsonHandler(factory, MCP_MAX_BODY_BYTES);
  /** A request whose body the SDK reads itself (it is not JSON, or was not read). */
  const unread = async (request: Request) =>
    (await isLegacyRequest(request, undefined, { maxRequestBodySize: MCP_MAX_BODY_BYTES })) ? legacy(request) : modern.fetch(request);
  const guardCheck = mcpGuardCheck(ctx.config);
  const busyAnswer = (body: unknown) => busySearchAnswer(body, () => ctx.library.searchRefusal(), SERVER_INFO);
  return {
    guards: mcpGuards(ctx.config),
    readsEarly: (headers) =>
      isDeclaredJsonBody(headers['content-type'] ?? null, headers['content-length'] ?? null, MCP_MAX_BODY_BYTES) &&
      guardCheck({ method: 'POST', host: headers.host, origin: headers.origin, authorization: headers.authorization }) === undefined,
    busyAnswer,
    post: async (c) => {
      const request = c.req.raw;
      const body = await readMcpBody(request, MCP_MAX_BODY_BYTES);
      switch (body.kind) {
        case 'untouched':
          return unread(request);
        case 'text':
          return unread(body.request);
        // The SDK's own answers to these, which it can no longer give once the body is read.
        case 'too-large':
          return rpcError(c, 413, -32000, `Payload Too Large: Request body must not exceed ${MCP_MAX_BODY_BYTES} bytes`);
        case 'unreadable':
          return rpcError(c, 400, -32700, 'Parse error: the request body could not be read');
        case 'parsed': {
          const batch = oversizedBatch(body.value);
          if (batch !== undefined) return rpcError(c, 400, -32600, oversizedBatchMessage(batch));
          const parsedBody = body.value;
          const busy = busyAnswer(parsedBody);
          if (busy) return c.json(busy);
          const direct = answerSearchesDirectly ? directSearchCall(parsedBody, request.headers) : undefined;
          if (direct) {
            const result = await callSearchDocs(ctx, direct.arguments, request.signal);
            if (result) return c.json(direct.era === 'modern' ? completeToolResult(direct.id, result, SERVER_INFO) : legacyToolResult(direct.id, result));
          }
          if (poolable(parsedBody)) return pool.serve(request, () => modern.fetch(request, { parsedBody }));
          if (!(await isLegacyBody(request, parsedBody))) return modern.fetch(request, { parsedBody });
          return legacyPoolable(parsedBody) ? legacyPool.serve(request, () => legacy(request, parsedBody)) : legacy(request, parsedBody);
        }
      }
    },
  };
}

function rpcError(c: Context, status: 400 | 413, code: number, message: string): Response {
  return c.json({ jsonrpc: '2.0', error: { code, message }, id: null }, status);
}
