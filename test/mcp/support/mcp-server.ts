import { buildFixture, type Fixture } from '../../support/library-fixture.js';
import type { RunningServer } from '../../../src/server/serve.js';
import { startTestServer } from '../../support/server.js';
import type { Config } from '../../../src/config/config.js';

/** The real HTTP server over a real fixture library, built once per test file. */
export interface McpTestServer {
  fixture: Fixture;
  server: RunningServer;
  /** http://127.0.0.1:<port>/mcp */
  mcpUrl: string;
  close(): Promise<void>;
}

export async function startMcpTestServer(overrides: Partial<Config> = {}, fixture?: Fixture): Promise<McpTestServer> {
  const library = fixture ?? (await buildFixture());
  const server = await startTestServer(library, overrides);
  return {
    fixture: library,
    server,
    mcpUrl: `${server.url}/mcp`,
    close: async () => {
      await server.close();
      if (!fixture) await library.cleanup();
    },
  };
}


/** Headers of a plain 2025-era JSON-RPC POST. */
export const JSON_RPC_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
} as const;

export const INITIALIZE_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcdewey-test', version: '1' } },
});
