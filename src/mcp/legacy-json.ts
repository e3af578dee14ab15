import { WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';

/**
 * Serves one 2025-era (initialize-handshake) request statelessly, answering with a plain JSON
 * body. The SDK's built-in stateless fallback answers these as a one-event SSE stream; plain JSON
 * is what proxies, logs and simple clients handle best, and no McDewey tool ever streams.
 */
export function legacyJsonHandler(factory: (info: { requestInfo: Request }) => McpServer, maxRequestBodySize: number): (request: Request) => Promise<Response> {
  return async (request) => {
    const server = factory({ requestInfo: request });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      // Closing the server closes its transport too: nothing outlives the request.
      await server.close();
    }
  };
}
