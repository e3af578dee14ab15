/**
 * How fast the reading pages answer over the real HTTP server: the section viewer on FRR's
 * 270-chunk BGP manual, the PDF viewer, the library page (about 300 documents, folded and filtered),
 * a search page, and PDF page images drawn by pdftoppm (cold: nothing cached; warm: from the cache)
 * with their highlight overlays. Medians of repeated requests, with the load average.
 *
 *   node --import tsx bench/reader-pages.ts [--runs 15]
 *
 * Writes bench/results/reader-pages.json and prints a Markdown table. The library is built once in
 * bench/work/reader-pages/ (lexical only: rendering does not depend on the embedder).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { pageCacheDir } from '../src/library/page-cache.js';
import { startServer } from '../src/server/serve.js';
import { Library } from '../src/service/library.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.resolve(process.env['MCDEWEY_BENCH_CORPUS'] ?? path.join(REPO, '..', 'shared', 'corpus'));
const WORK = path.join(REPO, 'bench', 'work', 'reader-pages');
const RESULTS = path.join(REPO, 'bench', 'results', 'reader-pages.json');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

const BGP = 'frr::8.4.4::8.4.4::bgp';
const ASAV = 'asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
};
const round = (n: number) => Math.round(n * 10) / 10;
const loadavg = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

async function ensureLibrary(): Promise<Library> {
  const config = loadConfig({ data: WORK, embedder: 'none' }, {});
  const library = await Library.open(config, 'write');
  if (library.counts().documents === 0) {
    const sources = [
      ...library.plan([path.join(CORPUS, 'pdf', 'cisco', 'asav-autoscale-azure')]),
      ...library.plan([path.join(CORPUS, 'markdown', 'frrouting-user-manual-html', '8.4.4')], { vendor: 'FRRouting', product: 'frr', version: '8.4.4' }),
      ...library.plan([path.join(CORPUS, 'markdown', 'netbox-docs', 'docs')], { vendor: 'NetBox', product: 'netbox', version: '4.4' }),
    ];
    const failed = (await library.add(sources)).filter((r) => r.status === 'failed');
    if (failed.length > 0) throw new Error(`building the library failed: ${failed.map((f) => f.error).join('; ')}`);
  }
  return library;
}

/** Wall time of one GET, body read to the end; fails on anything but 200. */
async function timeGet(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return performance.now() - started;
}

interface Row { page: string; path: string; samples: number; medianMs: number }

const library = await ensureLibrary();
const server = await startServer({ ...loadConfig({ data: WORK, embedder: 'none' }, {}), host: '127.0.0.1', port: 0 }, library);
const loadBefore = loadavg();
const rows: Row[] = [];
try {
  const windows = library.sections(BGP).windowCount;
  const chunk21 = `${ASAV}::21`;
  const warm: [string, string[]][] = [
    ['section viewer, FRR BGP (270 chunks), each part', Array.from({ length: windows }, (_, i) => `/doc/${BGP}?part=${i + 1}`)],
    ['PDF viewer, ASAv page 8 with a chunk highlighted', [`/doc/${ASAV}?page=8&chunk=${chunk21}`]],
    ['library page, folded', ['/library']],
    ['library page, filtered by GET ("device")', ['/library?filter=device']],
    ['search page ("route selection")', ['/search?q=route+selection']],
    ['chunk page, FRR BGP', [`/chunk/${BGP}::42`]],
  ];
  for (const [page, paths] of warm) {
    await timeGet(`${server.url}${paths[0]}`); // first request warms caches
    const samples: number[] = [];
    for (let run = 0; run < RUNS; run++) for (const p of paths) samples.push(await timeGet(`${server.url}${p}`));
    rows.push({ page, path: paths.length > 1 ? `${paths[0]} … (${paths.length} paths)` : paths[0]!, samples: samples.length, medianMs: round(median(samples)) });
  }

  // Page images: each page's first request draws it (cold), later ones read the cache (warm).
  const cache = pageCacheDir(library.dir, library.document(ASAV).contentHash)!;
  fs.rmSync(cache, { recursive: true, force: true });
  const pages = Array.from({ length: Math.min(RUNS, library.document(ASAV).pageCount) }, (_, i) => i + 1);
  const image = (n: number) => `${server.url}/doc/${ASAV}/page/${n}.png?w=1000`;
  const overlay = (n: number) => `${server.url}/doc/${ASAV}/page/${n}.svg?chunk=${chunk21}`;
  const cold: number[] = [];
  for (const n of pages) cold.push(await timeGet(image(n)));
  const coldOverlay: number[] = [];
  for (const n of pages) coldOverlay.push(await timeGet(overlay(n)));
  const cached: number[] = [];
  for (const n of pages) cached.push(await timeGet(image(n)));
  const cachedOverlay: number[] = [];
  for (const n of pages) cachedOverlay.push(await timeGet(overlay(n)));
  rows.push(
    { page: 'PDF page image, 1000 px, drawn by pdftoppm (cold)', path: `/doc/${ASAV}/page/<n>.png?w=1000`, samples: cold.length, medianMs: round(median(cold)) },
    { page: 'PDF page image, 1000 px, from the cache', path: `/doc/${ASAV}/page/<n>.png?w=1000`, samples: cached.length, medianMs: round(median(cached)) },
    { page: 'highlight overlay, pdftotext -bbox-layout (cold)', path: `/doc/${ASAV}/page/<n>.svg?chunk=…`, samples: coldOverlay.length, medianMs: round(median(coldOverlay)) },
    { page: 'highlight overlay, word boxes from the cache', path: `/doc/${ASAV}/page/<n>.svg?chunk=…`, samples: cachedOverlay.length, medianMs: round(median(cachedOverlay)) },
  );
} finally {
  await server.close();
  await library.close();
}

const result = {
  command: `node --import tsx bench/reader-pages.ts --runs ${RUNS}`,
  measuredAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim(), node: process.version, loadavgBefore: loadBefore, loadavgAfter: loadavg() },
  rows,
};
fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
fs.writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
console.log(`| page | median ms | samples |\n|---|---|---|\n${rows.map((r) => `| ${r.page} | ${r.medianMs} | ${r.samples} |`).join('\n')}`);
console.log(`\nload average ${loadBefore.join(' / ')} before, ${loadavg().join(' / ')} after; ${result.machine.cpus} × ${result.machine.cpuModel}`);
