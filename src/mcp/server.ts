import { McpServer } from '@modelcontextprotocol/server';
import type { ServerContext } from '../http/context.js';
import { packageVersion } from '../version.js';
import { INSTRUCTIONS } from './instructions.js';
import { registerSearchDocs } from './tools/search-docs.js';
import { registerReadChunk } from './tools/read-chunk.js';
import { registerReadDocument } from './tools/read-document.js';
import { registerListLibrary } from './tools/list-library.js';
import { registerDocumentResource } from './resources/document-resource.js';
import { registerChunkResource } from './resources/chunk-resource.js';
import { registerVersionResource } from './resources/version-resource.js';
import type { RequestSlot } from './server-pool.js';

/** The tool and template lists change only with a new release; the resource list when the library does. */
const CACHE_HINTS = {
  'server/discover': { ttlMs: 3_600_000 },
  'tools/list': { ttlMs: 3_600_000 },
  'resources/templates/list': { ttlMs: 3_600_000 },
  'resources/list': { ttlMs: 60_000 },
} as const;

/** Who answers: every result of the 2026-07-28 protocol carries it (see busy-search.ts). */
export const SERVER_INFO = { name: 'mcdewey', title: 'McDewey documentation library', version: packageVersion() };

/**
 * One MCP server over the library. HTTP serves each request with one (the endpoint is stateless;
 * 2026-07-28 requests reuse built ones, see server-pool.ts) and stdio one per connection, so
 * construction only registers handlers and does no work. `slot` says which request it serves now.
 */
export function createMcpServer(ctx: ServerContext, slot: RequestSlot = { signal: undefined }): McpServer {
  const server = new McpServer(
    SERVER_INFO,
    {
      instructions: INSTRUCTIONS,
      // Nothing here changes while a client is connected, so no list-changed notifications are promised.
      capabilities: { tools: { listChanged: false }, resources: { listChanged: false } },
      cacheHints: CACHE_HINTS,
    },
  );
  registerSearchDocs(server, ctx, slot);
  registerReadChunk(server, ctx);
  registerReadDocument(server, ctx);
  registerListLibrary(server, ctx);
  registerDocumentResource(server, ctx);
  registerChunkResource(server, ctx);
  registerVersionResource(server, ctx);
  return server;
}
