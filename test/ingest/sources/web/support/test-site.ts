import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A real HTTP server on a loopback address for crawler tests: serves folders of the shared corpus
 * as websites (with ETag/Last-Modified and 304s), plus routes a test defines, and records every
 * request so tests can prove what was (not) fetched.
 */
export interface Hit {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => unknown;

export interface Route {
  /** Exact path, or a prefix when it ends with `/*`. */
  path: string;
  handler: Handler;
}

export interface TestSite {
  origin: string;
  port: number;
  hits: Hit[];
  /** Requests whose path starts with `prefix`. */
  hitsUnder(prefix: string): Hit[];
  url(pathname: string): string;
  /** Adds a route in front of the existing ones. */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startTestSite(routes: Route[] = [], options: { host?: string; port?: number } = {}): Promise<TestSite> {
  const table = [...routes];
  const hits: Hit[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://test.invalid');
    hits.push({ path: url.pathname + url.search, headers: req.headers, at: performance.now() });
    const route = table.find((r) => (r.path.endsWith('/*') ? url.pathname.startsWith(r.path.slice(0, -1)) : url.pathname === r.path));
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(route.handler(req, res, url)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    origin,
    port,
    hits,
    hitsUnder: (prefix) => hits.filter((h) => h.path.startsWith(prefix)),
    url: (pathname) => `${origin}${pathname}`,
    route: (routePath, handler) => table.unshift({ path: routePath, handler }),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.xml': 'application/xml',
};

export interface FolderOptions {
  /** File served for a folder URL. */
  index?: string;
  /** Overrides by path below the mount: new content, or null for "removed" (404). */
  overrides?: Map<string, string | null>;
  contentType?: (file: string) => string | undefined;
}

/** Serves `folder` under `mount` (`/frr/` → folder), with validators and conditional requests. */
export function serveFolder(mount: string, folder: string, options: FolderOptions = {}): Route {
  const root = path.resolve(folder);
  return {
    path: `${mount}*`,
    handler: (req, res, url) => {
      let relative = decodeURIComponent(url.pathname.slice(mount.length));
      const override = options.overrides?.get(relative);
      if (override === null) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('removed');
        return;
      }
      if (override !== undefined) {
        sendBody(req, res, Buffer.from(override), CONTENT_TYPES[path.extname(relative)] ?? 'text/html; charset=utf-8', etagOf(override));
        return;
      }
      if (relative === '' || relative.endsWith('/')) relative += options.index ?? 'index.html';
      const file = path.resolve(root, relative);
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const stat = fs.statSync(file);
      const type = options.contentType?.(file) ?? CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
      const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
      const lastModified = new Date(Math.floor(stat.mtimeMs / 1000) * 1000).toUTCString();
      if (req.headers['if-none-match'] === etag || (!req.headers['if-none-match'] && req.headers['if-modified-since'] === lastModified)) {
        res.writeHead(304, { etag, 'last-modified': lastModified }).end();
        return;
      }
      res.writeHead(200, { 'content-type': type, 'content-length': stat.size, etag, 'last-modified': lastModified });
      fs.createReadStream(file).pipe(res);
    },
  };
}

function etagOf(text: string): string {
  return `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`;
}

function sendBody(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, type: string, etag: string): void {
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': body.length, etag }).end(body);
}

/** A fixed response. */
export function respond(status: number, body = '', headers: http.OutgoingHttpHeaders = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
  };
}

export function redirect(location: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { location }).end();
  };
}

/** A small HTML page with the given links. */
export function page(title: string, links: string[] = [], head = ''): string {
  return `<!DOCTYPE html><html><head><title>${title}</title>${head}</head><body><h1>${title}</h1>${links
    .map((href) => `<p><a href="${href}">${href}</a></p>`)
    .join('')}</body></html>`;
}
