import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hugeMarkdown, writeHugeDocument } from '../test/support/huge-document.js';
import { startServerProcess, type ServerProcess } from './lib/parts/server-process.js';
import { loadavg } from './lib/parts/machine.js';
import { RESULTS_DIR } from './lib/run/paths.js';

/**
 * Bounded responses on very large documents. A `mcdewey serve` process over a library holding one
 * document whose single page is `--page-mb` MB of Markdown (default 30) and one with 200,000
 * headings; for each reading route its status, body size and time, then 16 concurrent page reads
 * and the server's peak resident memory. A route that kills the server is reported as such and
 * the server is restarted for the next one.
 *
 *   node --import tsx bench/reading-limits.ts [--page-mb 30]
 *
 * Writes bench/results/reading-limits.json and prints a Markdown table.
 */

interface Row { route: string; status: number | string; bytes: number; ms: number }

const pageMb = Number(process.argv[process.argv.indexOf('--page-mb') + 1] ?? 30) || 30;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-reading-'));
const data = path.join(work, 'data');

const big = await writeHugeDocument(data, 'big', [{ number: 1, markdown: hugeMarkdown(pageMb * 1024 * 1024, 40) }]);
const headings = await writeHugeDocument(data, 'headings', [{ number: 1, markdown: hugeMarkdown(200_000 * 2 * 40, 2) }]);
const id = (docId: string) => encodeURIComponent(docId).replace(/%3A/gi, ':');

let server: ServerProcess = await startServerProcess(data, 'none');
const rows: Row[] = [];

async function request(route: string, init: RequestInit = {}): Promise<Row> {
  const started = performance.now();
  try {
    const response = await fetch(`${server.url}${route}`, init);
    const bytes = (await response.arrayBuffer()).byteLength;
    return { route, status: response.status, bytes, ms: Math.round(performance.now() - started) };
  } catch {
    // The server died on it: note that, and start another for the next route.
    const row = { route, status: 'server died', bytes: 0, ms: Math.round(performance.now() - started) };
    await server.stop();
    server = await startServerProcess(data, 'none');
    return row;
  }
}

const mcp = (method: string, params: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
});

for (const [route, init] of [
  [`/api/documents/${id(big.docId)}/pages/1`, {}],
  [`/doc/${id(big.docId)}`, {}],
  [`/api/documents/${id(big.docId)}/text?start=${big.chars - 100_000}&max_chars=50000`, {}],
  [`/api/documents/${id(big.docId)}`, {}],
  [`/api/documents/${id(headings.docId)}`, {}],
  [`/doc/${id(headings.docId)}`, {}],
  ['/mcp read_document', mcp('tools/call', { name: 'read_document', arguments: { doc_id: big.docId, start: big.chars - 100_000 } })],
  ['/mcp resources/read document', mcp('resources/read', { uri: `mcdewey://documents/${big.docId}` })],
] as const) {
  rows.push(await request(route.startsWith('/mcp') ? '/mcp' : route, init).then((row) => ({ ...row, route })));
}

const started = performance.now();
const concurrent = await Promise.all(Array.from({ length: 16 }, () => request(`/api/documents/${id(big.docId)}/pages/1`)));
const concurrentMs = Math.round(performance.now() - started);
const peakRssMB = Math.round(server.peakRssBytes() / 1024 / 1024);
await server.stop();
fs.rmSync(work, { recursive: true, force: true });

const results = {
  pageMb, documentChars: big.chars, chunks: big.chunks, headings: 200_000, rows,
  concurrent: { requests: 16, totalMs: concurrentMs, statuses: [...new Set(concurrent.map((r) => r.status))], bytesEach: concurrent[0]?.bytes ?? 0 },
  peakRssMB, loadavg: loadavg(),
};
fs.mkdirSync(RESULTS_DIR, { recursive: true });
fs.writeFileSync(path.join(RESULTS_DIR, 'reading-limits.json'), `${JSON.stringify(results, null, 2)}\n`);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
process.stdout.write(
  `| route | status | body MB | ms |\n|---|---|---|---|\n${rows.map((r) => `| ${r.route} | ${r.status} | ${mb(r.bytes)} | ${r.ms} |`).join('\n')}\n` +
    `| 16 × page 1 at once | ${results.concurrent.statuses.join(', ')} | ${mb(results.concurrent.bytesEach)} each | ${concurrentMs} |\n\n` +
    `${pageMb} MB page, ${big.chunks} chunks; server peak RSS ${peakRssMB} MB; load average ${results.loadavg.join(', ')}\n`,
);
