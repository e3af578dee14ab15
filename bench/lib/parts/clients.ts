import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** The three ways a search is asked, with the same query, mode and limit. */
export const SEARCH_LIMIT = 10;

export function searchPath(query: string, mode: string): string {
  return `/api/search?${new URLSearchParams({ q: query, mode, limit: String(SEARCH_LIMIT) })}`;
}

/** GET /api/search and read the whole JSON body, as a script would. */
export async function httpSearch(base: string, query: string, mode: string): Promise<void> {
  const response = await fetch(`${base}${searchPath(query, mode)}`);
  const body = (await response.json()) as { hits?: unknown[] };
  if (!response.ok || !Array.isArray(body.hits)) throw new Error(`/api/search answered ${response.status} for "${query}"`);
}

/** An MCP SDK client on /mcp, pinned to the 2026-07-28 revision (one stateless POST per call). */
export async function mcpClient(base: string): Promise<{ search(query: string): Promise<void>; close(): Promise<void> }> {
  const client = new Client({ name: 'mcdewey-bench', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
  return {
    async search(query) {
      const result = await client.callTool({ name: 'search_docs', arguments: { query, limit: SEARCH_LIMIT } });
      // "No results" and "Nothing relevant found" are error results by design; anything else is a failed request.
      if (result.isError && !/no (more )?results|nothing relevant found/i.test(JSON.stringify(result.content))) throw new Error(`search_docs failed for "${query}": ${JSON.stringify(result.content).slice(0, 300)}`);
    },
    close: () => client.close(),
  };
}

/**
 * tools/call search_docs as one raw POST of the request an SDK client sends (mcpSearchRequest), the
 * JSON answer read whole: what /mcp costs without the client library's own work (its schema checks).
 */
export async function mcpPost(base: string, query: string, id: number): Promise<void> {
  const { headers, body } = mcpSearchRequest(query, id);
  const response = await fetch(`${base}/mcp`, { method: 'POST', headers, body });
  const answer = (await response.json()) as { result?: unknown };
  if (!response.ok || answer.result === undefined) throw new Error(`/mcp answered ${response.status} for "${query}": ${JSON.stringify(answer).slice(0, 300)}`);
}

/**
 * The raw HTTP request an SDK client sends for tools/call search_docs (2026-07-28: one POST
 * carrying its own protocol metadata), for load generators that replay requests.
 */
export function mcpSearchRequest(query: string, id: number): { headers: Record<string, string>; body: string } {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'mcdewey-bench', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return {
    headers: {
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      'mcp-method': 'tools/call',
      'mcp-name': 'search_docs',
      'mcp-protocol-version': '2026-07-28',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'search_docs', arguments: { query, limit: SEARCH_LIMIT }, _meta: meta } }),
  };
}
