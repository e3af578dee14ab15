import type { SearchMode } from '../src/service/library.js';
import { searchBreakdown, type Breakdown } from './lib/parts/breakdown.js';
import { httpSearch, mcpClient, mcpPost, SEARCH_LIMIT } from './lib/parts/clients.js';
import { ensureLibrary, LIBRARY_DESCRIPTIONS, type LibraryName } from './lib/fixtures/libraries.js';
import { log } from './lib/run/log.js';
import { loadavg } from './lib/parts/machine.js';
import { openLibrary } from './lib/fixtures/open-library.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { benchQueries } from './lib/fixtures/query-cache.js';
import type { BenchQuery } from './lib/fixtures/query-set.js';
import { measure, type ResultFile } from './lib/report/results.js';
import { startServerProcess } from './lib/parts/server-process.js';
import { median, summarizeLatency, type LatencySummary } from './lib/parts/stats.js';

/**
 * Warm, sequential query latency: one request at a time, after a warm-up, for each mode, in
 * process (library.search), over HTTP (GET /api/search) and over MCP (tools/call search_docs,
 * which always searches hybrid) through the SDK client (`mcp`) and as the same request in one raw
 * POST (`mcp-post`: the server's share without the client library's), against a `mcdewey serve`
 * process.
 */
export type Surface = 'in-process' | 'http' | 'mcp' | 'mcp-post';

export interface LatencyRow {
  size: LibraryName;
  chunks: number;
  documents: number;
  surface: Surface;
  mode: SearchMode;
  latencyMs: LatencySummary;
  loadavg: number[];
}

export interface LatencyResults {
  queries: number;
  querySources: Record<string, number>;
  warmup: number;
  rows: LatencyRow[];
  /** What HTTP and MCP add to the same hybrid search, per size: median of per-query differences. */
  overhead: { size: LibraryName; surface: Exclude<Surface, 'in-process'>; pairedMedianMs: number }[];
  /**
   * Where the time of an in-process hybrid search goes, per size, measured right after the rows
   * with the server process still up, and the load average when it ended (absent in older runs).
   */
  breakdown: { size: LibraryName; parts: Breakdown; loadavg?: number[] }[];
  /**
   * In-process hybrid searches whose query vector is not cached (each query asked for the first
   * time, so the embedder runs), per size; the rows' hybrid figures are on cached query vectors.
   * Absent when the library has no embedder.
   */
  embedded?: { size: LibraryName; latencyMs: LatencySummary; loadavg: number[] }[];
}

const MODES: SearchMode[] = ['lexical', 'vector', 'hybrid'];
export const WARMUP_QUERIES = 20;

type Call = (query: string) => Promise<unknown>;

/**
 * Times the surfaces query by query in turn (in process, HTTP, MCP for the same query, then the
 * next query), so that load drift on a shared machine and cache warmth affect all of them alike.
 */
async function timeInterleaved(queries: BenchQuery[], calls: Call[]): Promise<number[][]> {
  for (const q of queries.slice(0, WARMUP_QUERIES)) for (const call of calls) await call(q.text);
  const times = calls.map(() => [] as number[]);
  for (const q of queries) {
    for (const [i, call] of calls.entries()) {
      const started = performance.now();
      await call(q.text);
      times[i]!.push(performance.now() - started);
    }
  }
  return times;
}

interface SizeResult { rows: LatencyRow[]; overhead: LatencyResults['overhead']; breakdown: { size: LibraryName; parts: Breakdown; loadavg: number[] }; embedded?: NonNullable<LatencyResults['embedded']>[number] }

/** Median of per-query differences: the overhead of a surface with most of the machine's noise cancelled. */
function pairedMedian(surface: number[], local: number[]): number {
  return Math.round(median(surface.map((t, i) => t - local[i]!)) * 100) / 100;
}

async function measureSize(size: LibraryName, queries: BenchQuery[], embedder: string): Promise<SizeResult> {
  const built = await ensureLibrary(size, embedder);
  const rows: LatencyRow[] = [];
  const overhead: LatencyResults['overhead'] = [];
  const row = (surface: Surface, mode: SearchMode, times: number[]) => {
    const r: LatencyRow = { size, chunks: built.chunks, documents: built.documents, surface, mode, latencyMs: summarizeLatency(times), loadavg: loadavg() };
    log(`latency ${size} ${surface} ${mode}: p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms`);
    rows.push(r);
  };
  let embedded: SizeResult['embedded'];
  let breakdown: SizeResult['breakdown'] | undefined;
  const library = await openLibrary(built.data, embedder);
  try {
    const server = await startServerProcess(built.data, embedder);
    try {
      const mcp = await mcpClient(server.url);
      try {
        const inProcess = (mode: SearchMode): Call => (query) => library.search({ query, mode, limit: SEARCH_LIMIT });
        const overHttp = (mode: SearchMode): Call => (query) => httpSearch(server.url, query, mode);
        // One untimed pass over every query, so that the index pages they touch are in the OS page
        // cache for both processes before anything is timed. In process it is lexical, so that the
        // next pass times hybrid searches that embed their query.
        log(`latency ${size}: warming both processes with ${queries.length} queries`);
        for (const q of queries) {
          await inProcess('lexical')(q.text);
          await overHttp('hybrid')(q.text);
        }
        if (embedder !== 'none') {
          const times: number[] = [];
          for (const q of queries) {
            const started = performance.now();
            await inProcess('hybrid')(q.text);
            times.push(performance.now() - started);
          }
          embedded = { size, latencyMs: summarizeLatency(times), loadavg: loadavg() };
          log(`latency ${size} in-process hybrid, query embedded: p50 ${embedded.latencyMs.p50} ms, p99 ${embedded.latencyMs.p99} ms`);
        }
        let rpcId = 0;
        const mcpCalls: Call[] = [(query) => mcp.search(query), (query) => mcpPost(server.url, query, ++rpcId)];
        for (const mode of MODES) {
          const calls = [inProcess(mode), overHttp(mode), ...(mode === 'hybrid' ? mcpCalls : [])];
          const [local, http, overMcp, overPost] = await timeInterleaved(queries, calls);
          row('in-process', mode, local!);
          row('http', mode, http!);
          if (overMcp) row('mcp', mode, overMcp);
          if (overPost) row('mcp-post', mode, overPost);
          if (mode === 'hybrid') {
            overhead.push({ size, surface: 'http', pairedMedianMs: pairedMedian(http!, local!) });
            if (overMcp) overhead.push({ size, surface: 'mcp', pairedMedianMs: pairedMedian(overMcp, local!) });
            if (overPost) overhead.push({ size, surface: 'mcp-post', pairedMedianMs: pairedMedian(overPost, local!) });
          }
        }
      } finally {
        await mcp.close();
      }
      // Right after the rows, in the same conditions (the server process up, the same moment's
      // load), so that its whole search compares with the rows': measured after the server had
      // stopped, it once read 2.81 ms p50 against the row's 4.05, the load average falling from 1.7 to 1.1.
      breakdown = { size, parts: await searchBreakdown(library, queries.map((q) => q.text)), loadavg: loadavg() };
    } finally {
      await server.stop();
    }
    return { rows, overhead, breakdown, ...(embedded ? { embedded } : {}) };
  } finally {
    await library.close();
  }
}

export async function runLatency(options: BenchOptions): Promise<ResultFile<LatencyResults>> {
  const conditions = {
    libraries: Object.fromEntries(options.sizes.map((s) => [s, LIBRARY_DESCRIPTIONS[s]])),
    embedder: options.embedder, concurrency: 1, limit: SEARCH_LIMIT,
    warmup: `one untimed pass over all queries (lexical in process, hybrid in the server), with an embedder then one timed pass of in-process hybrid searches that embed their query, then ${WARMUP_QUERIES} queries per surface and mode`,
    order: 'interleaved: each query in process, over HTTP and over MCP (SDK client, then raw POST) in turn',
    server: '`mcdewey serve` in a separate process on 127.0.0.1; client: fetch (HTTP), @modelcontextprotocol/client pinned to 2026-07-28 (mcp), fetch of the same JSON-RPC request (mcp-post)',
  };
  return measure('latency', commandFor('latency', options, ['sizes', 'embedder', 'queries', 'seed']), conditions, async () => {
    const queries = await benchQueries(options.embedder, options.queries, options.seed);
    const rows: LatencyRow[] = [];
    const overhead: LatencyResults['overhead'] = [];
    const breakdown: LatencyResults['breakdown'] = [];
    const embedded: NonNullable<LatencyResults['embedded']> = [];
    for (const size of options.sizes) {
      const measured = await measureSize(size, queries, options.embedder);
      rows.push(...measured.rows);
      overhead.push(...measured.overhead);
      breakdown.push(measured.breakdown);
      if (measured.embedded) embedded.push(measured.embedded);
    }
    const querySources: Record<string, number> = {};
    for (const q of queries) querySources[q.source] = (querySources[q.source] ?? 0) + 1;
    return { queries: queries.length, querySources, warmup: WARMUP_QUERIES, rows, overhead, breakdown, ...(embedded.length > 0 ? { embedded } : {}) };
  });
}
