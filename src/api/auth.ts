import type { MiddlewareHandler } from 'hono';
import type { ServerContext } from '../http/context.js';
import { bearerToken, tokenMatches } from '../http/security.js';
import { sessionCookieValue } from '../http/session.js';
import { errorBody } from '../http/error-envelope.js';

/**
 * Guards the write routes (and reading jobs). Without a configured token there is no way to tell
 * the curator from anyone else who can reach the port, so writes are refused outright rather than
 * left open. Reads also accept a curator's web session (the cookie), which is how the jobs page
 * follows a job's events from the browser; writes always need the bearer token, so a cookie alone
 * can never change anything through the API.
 */
export function requireToken(ctx: ServerContext): MiddlewareHandler {
  return async (c, next) => {
    const expected = ctx.config.token;
    if (expected === undefined) {
      return c.json(
        errorBody(
          'writes_disabled',
          'this server was started without a token, so the write API is disabled',
          'Restart it with --token <secret> or MCDEWEY_TOKEN=<secret> (at least 16 characters) and send Authorization: Bearer <secret>',
        ),
        403,
      );
    }
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && ctx.sessions?.verify(sessionCookieValue(c.req.header('Cookie')))) return next();
    const presented = bearerToken(c.req.header('Authorization'));
    if (!tokenMatches(presented, expected)) {
      c.header('WWW-Authenticate', presented === undefined ? 'Bearer realm="mcdewey"' : 'Bearer realm="mcdewey", error="invalid_token"');
      return c.json(
        errorBody(
          'unauthorized',
          presented === undefined ? 'this route needs a bearer token' : 'the bearer token is not the one this server was started with',
          'Send Authorization: Bearer <token>, with the token given to the server by --token or MCDEWEY_TOKEN',
        ),
        401,
      );
    }
    await next();
  };
}
