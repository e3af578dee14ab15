import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Library } from '../service/library.js';
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
 */
export function frontDoor(app: RequestListener, library: Pick<Library, 'searchRefusal'>, cors: CorsPolicy): RequestListener {
  return (request, response) => {
    if (request.method === 'GET' && isApiSearch(request.url)) {
      const refusal = library.searchRefusal();
      if (refusal) return refuse(request, response, refusal, cors);
    }
    return app(request, response);
  };
}

/** GET /api/search, as the API routes it (a query string or none; other paths are the app's to answer). */
function isApiSearch(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/api/search') && (url.length === 11 || url.charCodeAt(11) === 63 /* ? */);
}

function refuse(request: IncomingMessage, response: ServerResponse, refusal: Error, cors: CorsPolicy): void {
  const { status, body, headers } = errorReply(refusal);
  const json = JSON.stringify(body);
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
