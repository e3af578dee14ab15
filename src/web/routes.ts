import { Hono, type Context } from 'hono';
import type { ServerContext } from '../http/context.js';
import { LibraryError } from '../library/errors.js';
import { parseDocumentParams } from './document-params.js';
import { internalErrorPage, libraryErrorPage, methodNotAllowedPage, notFoundPage } from './error-page.js';
import type { RenderedPage } from './layout.js';
import { chunkPage } from './pages/chunk-page.js';
import { documentPage } from './pages/document-page.js';
import { homePage } from './pages/home-page.js';
import { libraryPage } from './pages/library-page.js';
import { parseLibraryParams } from './library-params.js';
import { pageImageResponse } from './page-image/page-image-response.js';
import { searchPage } from './pages/search-page.js';
import { originalResponse } from './original-response.js';
import { parseSearchParams } from './search-params.js';
import { assetResponse } from './static-assets.js';
import { curationRoutes } from './curation/routes.js';

/** Paths owned by the other surfaces: the web UI's catch-all 404 must leave them alone. */
const OTHER_SURFACES = /^\/(api|mcp)(\/|$)/;

/** Every reading path the UI serves (curation/routes.ts has the pages that write). */
const PAGE_PATHS = ['/', '/search', '/library', '/chunk/:id', '/doc/:docId', '/doc/:docId/original', '/doc/:docId/page/:file', '/static/:name'];

function send(c: Context, page: RenderedPage): Response {
  return c.html(page.body, page.status);
}

/**
 * The server-rendered web UI. Handlers only parse the request and call a page function over the
 * service layer; service errors become pages that say what to do, never stack traces.
 */
export function webRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  const { library } = ctx;

  app.get('/', (c) => send(c, homePage(library)));
  app.get('/search', async (c) => send(c, await searchPage(library, parseSearchParams(c.req.query()), c.req.raw.signal)));
  app.get('/library', (c) => send(c, libraryPage(library, parseLibraryParams(c.req.query()))));
  app.get('/chunk/:id', (c) => send(c, chunkPage(library, c.req.param('id'))));
  app.get('/doc/:docId', async (c) => {
    // A document file's layout and outline index are found off the request thread.
    await library.readyToRead(c.req.param('docId'), { outline: true });
    return send(c, documentPage(library, c.req.param('docId'), parseDocumentParams(c.req.query())));
  });
  app.get('/doc/:docId/original', (c) => originalResponse(library, c.req.param('docId')));
  app.get('/doc/:docId/page/:file', (c) => pageImageResponse(library, c.req.param('docId'), c.req.param('file'), c.req.query()));
  app.get('/static/:name', (c) => assetResponse(c.req.param('name'), c.req.query('v')) ?? send(c, notFoundPage(c.req.path)));
  // Login and curation (the only pages that write), behind the server's token.
  app.route('/', curationRoutes(ctx));

  // Any other method on a page gets a 405 page naming the allowed ones, not a bare text 404.
  for (const path of PAGE_PATHS) {
    app.all(path, (c) => {
      c.header('Allow', 'GET, HEAD');
      return send(c, methodNotAllowedPage(c.req.method, c.req.path));
    });
  }
  app.all('*', async (c, next) => {
    if (OTHER_SURFACES.test(c.req.path)) return next();
    return send(c, notFoundPage(c.req.path));
  });

  app.onError((error, c) => {
    if (error instanceof LibraryError) return send(c, libraryErrorPage(error));
    console.error(`web: ${c.req.method} ${c.req.path} failed:`, error);
    return send(c, internalErrorPage());
  });
  return app;
}
