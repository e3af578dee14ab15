import { WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';

/**
 * Serves one 2025-era (initialize-handshake) request statelessly, answering with a plain JSON
 * body. The SDK's built-in stateless fallback answers these as a one-event SSE stream; plain JSON
 * is what proxies, logs and simple clients handle best, and no McDewey tool ever streams.
 * `parsedBody` is the body already read and parsed (see request-body.ts); without it the transport
 * reads the request's.
 */
export function legacyJsonHandler(factory: (info: { requestInfo: Request }) => McpServer, maxRequestBodySize: number): (request: Request, parsedBody?: unknown) => Promise<Response> {
  return async (request, parsedBody) => {
    const server = factory({ requestInfo: request });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, parsedBody === undefined ? undefined : { parsedBody });
    } finally {
      // Closing the server closes its transport too: nothing outlives the request.
      await server.close();
    }
  };
}
