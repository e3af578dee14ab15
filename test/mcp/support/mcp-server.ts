import http from 'node:http';
import { buildFixture, type Fixture } from '../../support/library-fixture.js';
import { startServer, type RunningServer } from '../../../src/server/serve.js';
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
  const server = await startServer({ ...library.config, host: '127.0.0.1', port: 0, ...overrides }, library.library);
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


export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * An HTTP request with full control over headers, including Host, which fetch() will not let a
 * caller set: DNS-rebinding checks can only be tested this way.
 */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
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
