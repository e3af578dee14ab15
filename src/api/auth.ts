import type { MiddlewareHandler } from 'hono';
import type { ServerContext } from '../http/context.js';
import { bearerToken, tokenMatches } from '../http/security.js';
import { errorBody } from '../http/error-envelope.js';

/**
 * Guards the write routes. Without a configured token there is no way to tell the curator from
 * anyone else who can reach the port, so writes are refused outright rather than left open.
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
