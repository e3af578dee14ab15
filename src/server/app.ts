import { Hono } from 'hono';
import type { ServerContext } from '../http/context.js';
import { securityHeaders } from '../http/security.js';
import { webRoutes } from '../web/routes.js';
import { apiRoutes } from '../api/routes.js';
import { mountMcp, type McpMount } from '../mcp/http.js';
import { errorBody, errorReply } from '../http/error-envelope.js';
import { cors, corsPolicy } from '../http/cors.js';

const API_METHODS = ['GET', 'POST', 'DELETE'];

/**
 * One HTTP app, three surfaces, all over the same service layer: the web UI at /, the REST
 * API at /api, and MCP at /mcp. Host/Origin checks apply to /mcp only (see mcp/http.ts) so the
 * web UI and API keep working behind a real hostname; CORS for `--allowed-origins` covers /mcp and
 * /api (see http/cors.ts).
 */
export function createApp(ctx: ServerContext): Hono {
  return buildApp(ctx).app;
}

/** The app and its MCP endpoint, which the server's front door asks for early refusals (server/front-door.ts). */
export function buildApp(ctx: ServerContext): { app: Hono; mcp: McpMount } {
  const app = new Hono();
  app.use('*', securityHeaders());
  // CORS first: a browser's preflight carries no token, and a refusal must still say who may read it.
  const policy = corsPolicy(ctx.config.allowedOrigins);
  app.use('/mcp', cors(policy, ['POST']));
  app.use('/api', cors(policy, API_METHODS));
  app.use('/api/*', cors(policy, API_METHODS));
  const mcp = mountMcp(app, ctx);
  app.route('/api', apiRoutes(ctx));
  app.route('/', webRoutes(ctx));
  // Only paths below /mcp (e.g. /mcp/) and failures outside the surfaces' own handlers get here;
  // Hono's defaults would answer them in bare text.
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path.slice(0, 200)}`, 'The MCP endpoint is /mcp, the REST API is under /api and the web UI at /'), 404));
  app.onError((error, c) => {
    const { status, body, headers } = errorReply(error);
    return c.json(body, status, headers);
  });
  return { app, mcp };
}
