import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { Library } from '../../../src/service/library.js';
import { createMcpServer } from '../../../src/mcp/server.js';
import { benchConfig } from '../fixtures/open-library.js';

/**
 * What the MCP surface costs an agent in tokens, approximated as characters / 4 (the usual rule of
 * thumb for English and JSON; a host's own tokenizer differs by some percent either way): the tool
 * list a host sends to the model on every turn, and the search_docs results per hit. Measured on the
 * real server and tools, in process, over an in-memory transport.
 */
export interface McpTokenFigures {
  method: string;
  toolList: { tokens: number; outputSchemaTokens: number; tools: { name: string; tokens: number }[] };
  /** Over the given queries' search_docs results that had hits. */
  search: { results: number; hits: number; tokensPerHit: number; tokensPerResult: number; textBlockTokensPerResult: number };
}

const tokens = (value: unknown) => Math.ceil((typeof value === 'string' ? value : JSON.stringify(value)).length / 4);

export async function measureMcpTokens(library: Library, data: string, embedder: string, queries: string[]): Promise<McpTokenFigures> {
  const ctx = { library, config: benchConfig(data, embedder), baseUrl: 'http://127.0.0.1:8765' };
  const server = createMcpServer(ctx);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'mcdewey-bench', version: '1' });
  await client.connect(clientSide);
  try {
    const { tools } = await client.listTools();
    const search = { results: 0, hits: 0, chars: 0, textChars: 0 };
    for (const query of queries) {
      const result = await client.callTool({ name: 'search_docs', arguments: { query } });
      const structured = result.structuredContent as { hits?: unknown[] } | undefined;
      if (result.isError || !structured?.hits?.length) continue;
      search.results++;
      search.hits += structured.hits.length;
      search.chars += JSON.stringify(structured).length;
      search.textChars += (result.content as { text?: string }[]).reduce((n, c) => n + (c.text?.length ?? 0), 0);
    }
    return {
      method: 'characters / 4 of the JSON a host receives (tools/list result; search_docs structuredContent and text block)',
      toolList: {
        tokens: tokens({ tools }),
        outputSchemaTokens: tools.reduce((n, t) => n + (t.outputSchema ? tokens(t.outputSchema) : 0), 0),
        tools: tools.map((t) => ({ name: t.name, tokens: tokens(t) })),
      },
      search: {
        results: search.results,
        hits: search.hits,
        tokensPerHit: Math.round(search.chars / 4 / Math.max(1, search.hits)),
        tokensPerResult: Math.round(search.chars / 4 / Math.max(1, search.results)),
        textBlockTokensPerResult: Math.round(search.textChars / 4 / Math.max(1, search.results)),
      },
    };
  } finally {
    await client.close();
    await server.close();
  }
}
