import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ServerContext } from '../http/context.js';
import { requireToken } from './auth.js';
import { LibraryError } from '../library/errors.js';
import { errorBody, errorReply } from '../http/error-envelope.js';
import { readForm, readJson } from './form.js';
import { API_ROUTES } from './route-table.js';
import { honoPath, pathMatches, Reply, type ApiRoute } from './route.js';
import { EmptyInput as EMPTY } from './schemas.js';
import { parseBody, parseInput } from './validate.js';

/** The REST API, mounted at /api: one Hono route per entry of the route table. */
export function apiRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  for (const route of API_ROUTES) {
    app.on(route.method.toUpperCase(), [honoPath(route.path)], ...guards(ctx, route), async (c) => {
      const params = parseInput(route.params ?? EMPTY, c.req.param(), 'path parameter');
      const query = parseInput(route.query ?? EMPTY, c.req.query(), 'query parameter');
      const isJson = route.json !== undefined && bodyType(route, c.req.header('Content-Type') ?? '') === 'json';
      const json = isJson ? parseBody(route.json!.schema, await readJson(c.req.raw)) : undefined;
      const form = route.form && !isJson ? parseInput(route.form.schema, await readForm(c.req.raw, route.form.repeatable), 'form field') : {};
      const result = await route.handle({ params, query, form, json, ctx, request: c.req.raw, signal: c.req.raw.signal });
      if (result instanceof Response) return result;
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
  if (route.form || route.json) {
    const maxBytes = Math.max(route.form?.maxBytes ?? 0, route.json?.maxBytes ?? 0);
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

/** Which body a route reads for this Content-Type; one it does not take is a 415 naming those it does. */
function bodyType(route: ApiRoute, type: string): 'json' | 'form' {
  if (/^application\/json\b/i.test(type)) {
    if (route.json) return 'json';
  } else if (/^multipart\/form-data\s*;/i.test(type) && route.form) return 'form';
  if (!route.json) return 'form'; // readForm refuses it, saying what it takes
  const accepted = route.form ? 'application/json or multipart/form-data' : 'application/json';
  throw new LibraryError('unsupported_media_type', `expected ${accepted}, got ${type ? `"${type.slice(0, 100)}"` : 'no Content-Type'}`, 'Send a JSON object with Content-Type: application/json');
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
