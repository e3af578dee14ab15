import { Hono } from 'hono';
import type { ServerContext } from './context.js';
import { securityHeaders } from './security.js';
import { webRoutes } from '../web/routes.js';
import { apiRoutes } from '../api/routes.js';
import { mountMcp } from '../mcp/http.js';

/**
 * One HTTP app, three surfaces, all over the same service layer: the web UI at /, the REST
 * API at /api, and MCP at /mcp. Host/Origin checks apply to /mcp only (see mcp/http.ts) so the
 * web UI and API keep working behind a real hostname.
 */
export function createApp(ctx: ServerContext): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());
  mountMcp(app, ctx);
  app.route('/api', apiRoutes(ctx));
  app.route('/', webRoutes(ctx));
  return app;
}
