import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Library } from '../service/library.js';
import type { McpMount } from '../mcp/http.js';
import { errorReply } from '../http/error-envelope.js';
import { SECURITY_HEADERS } from '../http/security.js';
import { readableBy, type CorsPolicy } from '../http/cors.js';

/**
 * The Node request listener in front of the app. Under overload nearly every request is a search
 * the pool turns away, and on its way to that refusal each one cost the main thread the whole app:
 * a web Request, routing, middleware, query validation, an error object, a web Response. Whether
 * the pool takes a search depends on no part of the request, so a REST search it would refuse is
 * refused here, from the request line Node has parsed, with the same 503 `busy`, body and headers
 * the API answers with; the main thread then spends its time on the searches it accepted.
 *
 * Under overload a malformed search is refused as busy rather than told what is wrong with it; a
 * retry, once the server has room, gets the 400.
 *
 * /mcp the same, once its SDK is loaded: a POST that its guards (Host, Origin, token) would let
 * through, with a JSON body of declared length, has its body read here while the pool refuses
 * searches; a 2026-07-28 search_docs call is answered with the endpoint's own busy result, and
 * anything else goes on to the app with the body read (`rawBody`, which the Node adapter reads
 * instead of the socket). An MCP refusal through the app cost the main thread ~0.3 ms more than a
 * REST one (0.76 vs 0.44 ms a round trip at one connection), and under overload refusals come in
 * waves of hundreds (bench/overload.ts: /mcp refusals p99 97 ms, REST 47 ms).
 */
export function frontDoor(app: RequestListener, library: Pick<Library, 'searchRefusal'>, cors: CorsPolicy, mcp?: McpMount): RequestListener {
  return (request, response) => {
    if (request.method === 'GET' && isApiSearch(request.url)) {
      const refusal = library.searchRefusal();
      if (refusal) return refuse(request, response, refusal, cors);
    } else if (request.method === 'POST' && isMcp(request.url)) {
      const endpoint = mcp?.loaded();
      if (endpoint && library.searchRefusal() && endpoint.readsEarly(request.headers)) {
        return readBody(request, (body) => {
          const answer = endpoint.busyAnswer(parsed(body));
          if (answer) return answerJson(request, response, 200, JSON.stringify(answer), {}, cors);
          (request as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
          return app(request, response);
        });
      }
    }
    return app(request, response);
  };
}

/** GET /api/search, as the API routes it (a query string or none; other paths are the app's to answer). */
function isApiSearch(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/api/search') && (url.length === 11 || url.charCodeAt(11) === 63 /* ? */);
}

/** /mcp, as the app routes it (a query string or none). */
function isMcp(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/mcp') && (url.length === 4 || url.charCodeAt(4) === 63 /* ? */);
}

/**
 * The whole body (Node's parser holds it to its declared length, which `readsEarly` bounded), then
 * `done`; nothing when the client goes away first, as there is no one to answer.
 */
function readBody(request: IncomingMessage, done: (body: Buffer) => void): void {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.once('end', () => done(Buffer.concat(parts)));
  request.once('error', () => request.socket.destroy());
}

function parsed(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined; // the app answers it, as it would have
  }
}

function refuse(request: IncomingMessage, response: ServerResponse, refusal: Error, cors: CorsPolicy): void {
  const { status, body, headers } = errorReply(refusal);
  answerJson(request, response, status, JSON.stringify(body), headers, cors);
}

/** A JSON answer with the headers the app's middleware would add (security, CORS for an allowed origin). */
function answerJson(request: IncomingMessage, response: ServerResponse, status: number, json: string, headers: Record<string, string>, cors: CorsPolicy): void {
  const origin = request.headers.origin;
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(json),
    ...headers,
    ...SECURITY_HEADERS,
    Vary: 'Origin',
    ...(cors.allows(origin) ? readableBy(origin) : {}),
  });
  response.end(json);
}
