import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ensureLibrary, type LibraryName } from './lib/fixtures/libraries.js';
import { startServerProcess } from './lib/parts/server-process.js';
import { mcpSearchRequest } from './lib/parts/clients.js';
import { loadavg } from './lib/parts/machine.js';
import { median } from './lib/parts/stats.js';
import { RESULTS_DIR } from './lib/run/paths.js';

/**
 * What a reader's first requests cost on a server just started over a large library, and how big
 * the pages are: for each route, a fresh `mcdewey serve` process (lexical), the first request's
 * time (the catalog not yet read on the main thread), a second one (warm), and the body's size.
 * The web pages must stay bounded however many documents the library holds.
 *
 *   node --import tsx bench/first-requests.ts [--size 100k] [--runs 3]
 *
 * Writes bench/results/first-requests-<size>.json and prints a Markdown table.
 */

interface Row { route: string; status: number; firstMs: number; warmMs: number; bytes: number }

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
};
const size = arg('--size', '100k') as LibraryName;
const runs = Math.max(1, Number(arg('--runs', '3')) || 3);

const built = await ensureLibrary(size, 'none');
const db = new Database(path.join(built.data, 'index.sqlite'), { readonly: true });
// The largest docs site's middle page: its reading order is the longest the viewer lists.
const site = db.prepare(`SELECT product, version, collection, count(*) AS n FROM documents WHERE nav_order IS NOT NULL
  GROUP BY product, version, collection ORDER BY n DESC LIMIT 1`).get() as { product: string; version: string; collection: string; n: number };
const page = db.prepare('SELECT doc_id FROM documents WHERE product = ? AND version = ? AND collection = ? ORDER BY nav_order LIMIT 1 OFFSET ?')
  .pluck().get(site.product, site.version, site.collection, Math.floor(site.n / 2)) as string;
const anyDocument = db.prepare('SELECT doc_id FROM documents ORDER BY rowid LIMIT 1 OFFSET 100').pluck().get() as string;
const documents = db.prepare('SELECT count(*) FROM documents').pluck().get() as number;
db.close();
const id = (docId: string) => encodeURIComponent(docId).replace(/%3A/gi, ':');

/** A route's name in the table, and the request made of it (a GET of the path unless said). */
interface Route { route: string; init?: RequestInit; path?: string }

const nothing = 'zzqx frobnicate quuxwidget';
const routes: Route[] = [
  ...['/api/health', '/', '/search?q=request+filtering', `/api/documents/${id(anyDocument)}`, `/doc/${id(page)}`, '/library',
    `/library?product=${encodeURIComponent(site.product)}&version=${encodeURIComponent(site.version)}`, '/api/library'].map((route) => ({ route })),
  // An MCP search_docs call the library has nothing for: its answer names what the library holds.
  { route: `POST /mcp search_docs "${nothing}"`, path: '/mcp', init: { method: 'POST', ...mcpSearchRequest(nothing, 1) } },
];

async function timed(base: string, { route, path: at, init }: Route): Promise<{ status: number; ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${base}${at ?? route}`, init);
  const bytes = (await response.arrayBuffer()).byteLength;
  return { status: response.status, ms: performance.now() - started, bytes };
}

const rows: Row[] = [];
for (const request of routes) {
  const first: number[] = [];
  const warm: number[] = [];
  let last = { status: 0, ms: 0, bytes: 0 };
  for (let i = 0; i < runs; i++) {
    const server = await startServerProcess(built.data, 'none');
    try {
      last = await timed(server.url, request);
      first.push(last.ms);
      warm.push((await timed(server.url, request)).ms);
    } finally {
      await server.stop();
    }
  }
  rows.push({ route: request.route, status: last.status, firstMs: Math.round(median(first)), warmMs: Math.round(median(warm) * 10) / 10, bytes: last.bytes });
}

const results = { size, documents, chunks: built.chunks, site: { ...site, page }, runs, rows, loadavg: loadavg() };
fs.mkdirSync(RESULTS_DIR, { recursive: true });
fs.writeFileSync(path.join(RESULTS_DIR, `first-requests-${size}.json`), `${JSON.stringify(results, null, 2)}\n`);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
process.stdout.write(
  `| route | status | first request ms | warm ms | body KB |\n|---|---|---|---|---|\n` +
    `${rows.map((r) => `| ${r.route} | ${r.status} | ${r.firstMs} | ${r.warmMs} | ${kb(r.bytes)} |`).join('\n')}\n\n` +
    `${size}: ${documents} documents, ${built.chunks} chunks; the docs site ${site.product} ${site.version} has ${site.n} pages; ` +
    `medians of ${runs} fresh servers; load average ${results.loadavg.join(', ')}\n`,
);
