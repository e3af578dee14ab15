import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ServerContext } from '../http/context.js';
import { requireToken } from './auth.js';
import { LibraryError } from '../library/errors.js';
import { errorBody, errorReply } from '../http/error-envelope.js';
import { readForm } from './form.js';
import { API_ROUTES } from './route-table.js';
import { honoPath, pathMatches, Reply, type ApiRoute } from './route.js';
import { EmptyInput as EMPTY } from './schemas.js';
import { parseInput } from './validate.js';

/** The REST API, mounted at /api: one Hono route per entry of the route table. */
export function apiRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  for (const route of API_ROUTES) {
    app.on(route.method.toUpperCase(), [honoPath(route.path)], ...guards(ctx, route), async (c) => {
      const input = {
        params: parseInput(route.params ?? EMPTY, c.req.param(), 'path parameter'),
        query: parseInput(route.query ?? EMPTY, c.req.query(), 'query parameter'),
        form: route.form ? parseInput(route.form.schema, await readForm(c.req.raw), 'form field') : {},
        ctx,
        signal: c.req.raw.signal,
      };
      const result = await route.handle(input);
      return result instanceof Reply ? c.json(result.body as object, result.status) : c.json(result as object, route.response.status ?? 200);
    });
  }
  // A mounted sub-app's notFound is never consulted, so a catch-all route answers unknown /api paths.
  app.all('*', unknownRoute);
  app.notFound(unknownRoute);
  app.onError((error, c) => {
    const { status, body, headers } = errorReply(error);
    return c.json(body, status, headers);
  });
  return app;
}

/** Checks that run before the body is read: the token first, then the declared size. */
function guards(ctx: ServerContext, route: ApiRoute): MiddlewareHandler[] {
  const handlers: MiddlewareHandler[] = [];
  if (route.auth) handlers.push(requireToken(ctx));
  if (route.form) {
    const maxBytes = route.form.maxBytes;
    handlers.push(
      bodyLimit({
        maxSize: maxBytes,
        onError: () => {
          throw new LibraryError('payload_too_large', `uploads are limited to ${Math.round(maxBytes / 1024 / 1024)} MB`, 'Split the document or add it on the server with `mcdewey add`');
        },
      }),
    );
  }
  return handlers;
}

function unknownRoute(c: Context): Response {
  const path = c.req.path.replace(/^\/api(?=\/|$)/, '') || '/';
  const allowed = API_ROUTES.filter((route) => pathMatches(route.path, path)).map((route) => route.method.toUpperCase());
  if (allowed.length > 0) {
    c.header('Allow', allowed.join(', '));
    return c.json(errorBody('method_not_allowed', `${c.req.method} is not supported on ${c.req.path}`, `Use ${allowed.join(' or ')}`), 405);
  }
  return c.json(errorBody('not_found', `no API route ${c.req.method} ${c.req.path}`, 'See /api/openapi.json for the routes'), 404);
}
