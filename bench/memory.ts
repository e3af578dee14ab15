import fs from 'node:fs';
import path from 'node:path';
import { httpSearch } from './lib/parts/clients.js';
import { diskUsage, ensureLibrary, LIBRARY_DESCRIPTIONS, type LibraryName } from './lib/fixtures/libraries.js';
import { log } from './lib/run/log.js';
import { loadavg } from './lib/parts/machine.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { WORK_DIR } from './lib/run/paths.js';
import { benchQueries } from './lib/fixtures/query-cache.js';
import { measure, type ResultFile } from './lib/report/results.js';
import { startServerProcess } from './lib/parts/server-process.js';

/**
 * Resident memory of a `mcdewey serve` process per library size: once listening (the index is
 * open, the model not yet loaded), and after warm-up searches (model loaded, BM25 statistics
 * cached); plus the size on disk per chunk. An empty library gives the fixed cost.
 */
export interface MemoryRow {
  library: LibraryName | 'empty';
  documents: number;
  chunks: number;
  rssListeningMB: number;
  rssAfterWarmupMB: number;
  peakRssMB: number;
  indexBytes: number;
  markdownBytes: number;
  /** (index + Markdown) / chunks. */
  bytesPerChunk: number | null;
  loadavg: number[];
}

export interface MemoryResults {
  warmupQueries: number;
  rows: MemoryRow[];
}

const WARMUP = 50;
/** RSS is read after a pause, so that start-up garbage the collector is about to free does not count. */
const SETTLE_MS = 2000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function probe(name: MemoryRow['library'], data: string, embedder: string, queries: string[], counts: { documents: number; chunks: number }): Promise<MemoryRow> {
  const server = await startServerProcess(data, embedder);
  try {
    await settle();
    const listening = server.rssBytes();
    for (const query of queries.slice(0, WARMUP)) await httpSearch(server.url, query, 'hybrid');
    await settle();
    const warm = server.rssBytes();
    const disk = diskUsage(data);
    const row: MemoryRow = {
      library: name, ...counts, rssListeningMB: mb(listening), rssAfterWarmupMB: mb(warm), peakRssMB: mb(server.peakRssBytes()), ...disk,
      bytesPerChunk: counts.chunks > 0 ? Math.round((disk.indexBytes + disk.markdownBytes) / counts.chunks) : null, loadavg: loadavg(),
    };
    log(`memory ${name}: RSS ${row.rssListeningMB} MB listening, ${row.rssAfterWarmupMB} MB after warm-up, ${row.bytesPerChunk ?? '-'} bytes/chunk on disk`);
    return row;
  } finally {
    await server.stop();
  }
}

export async function runMemory(options: BenchOptions): Promise<ResultFile<MemoryResults>> {
  const libraries: (LibraryName | 'empty')[] = ['empty', 'pdf', ...options.sizes];
  const conditions = {
    libraries: Object.fromEntries(libraries.map((l) => [l, l === 'empty' ? 'an empty data directory' : LIBRARY_DESCRIPTIONS[l]])),
    embedder: options.embedder, rss: `VmRSS of the server process from /proc, read ${SETTLE_MS / 1000} s after listening and after the warm-up (includes the embedder worker thread); peak = VmHWM`,
    warmup: `${WARMUP} hybrid searches over HTTP`, disk: 'index.sqlite (+ WAL) and the Markdown library tree',
  };
  return measure('memory', commandFor('memory', options, ['sizes', 'embedder']), conditions, async () => {
    const queries = (await benchQueries(options.embedder, options.queries, options.seed)).map((q) => q.text);
    const rows: MemoryRow[] = [];
    for (const name of libraries) {
      if (name === 'empty') {
        const empty = path.join(WORK_DIR, 'libraries', 'empty');
        fs.rmSync(empty, { recursive: true, force: true });
        fs.mkdirSync(empty, { recursive: true });
        rows.push(await probe(name, empty, options.embedder, queries, { documents: 0, chunks: 0 }));
      } else {
        const built = await ensureLibrary(name, options.embedder);
        rows.push(await probe(name, built.data, options.embedder, queries, built));
      }
    }
    return { warmupQueries: WARMUP, rows };
  });
}
