import { isJsonContentType, readRequestBody } from '@modelcontextprotocol/server';

/**
 * The body of a POST to /mcp, read once. The MCP SDK reads a body from a clone of the request each
 * time it looks at it (the legacy check, then the handler), and each clone tees the body stream;
 * handing it the parsed value instead reads and parses the body once per request.
 *
 * - `parsed`: a JSON body and its value.
 * - `text`: a body that is not JSON text; the SDK judges it from a request rebuilt around it.
 * - `untouched`: a body that was not read (not JSON by its Content-Type, or over the limit by its
 *   Content-Length): the SDK answers it from the request as it came.
 * - `too-large` and `unreadable`: a body that failed while being read; it cannot be read again.
 */
export type McpBody =
  | { kind: 'parsed'; value: unknown }
  | { kind: 'text'; request: Request }
  | { kind: 'untouched' }
  | { kind: 'too-large' }
  | { kind: 'unreadable' };

/**
 * Whether readMcpBody reads a body with these headers whole, as JSON of its declared length (at
 * most `maxBytes`): the front door (server/front-door.ts) reads such a body itself under overload.
 */
export function isDeclaredJsonBody(contentType: string | null, contentLength: string | null, maxBytes: number): boolean {
  return isJsonContentType(contentType) && contentLength !== null && /^\d+$/.test(contentLength) && Number(contentLength) <= maxBytes;
}

export async function readMcpBody(request: Request, maxBytes: number): Promise<McpBody> {
  if (!isJsonContentType(request.headers.get('content-type'))) return { kind: 'untouched' };
  const declared = request.headers.get('content-length');
  if (Number(declared) > maxBytes) return { kind: 'untouched' };
  let text: string;
  try {
    if (isDeclaredJsonBody(request.headers.get('content-type'), declared, maxBytes)) {
      // Node's parser holds the body to its declared length, so it is read whole: the Node
      // adapter's request reads it straight from the socket, without a web stream.
      text = await request.text();
    } else {
      const read = await readRequestBody(request, maxBytes);
      if (read.tooLarge) return { kind: 'too-large' };
      text = read.text;
    }
  } catch {
    return { kind: 'unreadable' };
  }
  try {
    if (text.length > 0) return { kind: 'parsed', value: JSON.parse(text) as unknown };
  } catch {
    // Not JSON: answered below, by the SDK, as before.
  }
  return { kind: 'text', request: new Request(request.url, { method: request.method, headers: request.headers, body: text, signal: request.signal }) };
}
