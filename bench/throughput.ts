import autocannon from 'autocannon';
import { mcpSearchRequest, searchPath } from './lib/parts/clients.js';
import { ensureLibrary, LIBRARY_DESCRIPTIONS, type LibraryName } from './lib/fixtures/libraries.js';
import { log } from './lib/run/log.js';
import { loadavg } from './lib/parts/machine.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { benchQueries } from './lib/fixtures/query-cache.js';
import { measure, type ResultFile } from './lib/report/results.js';
import { startServerProcess } from './lib/parts/server-process.js';

/**
 * Throughput under concurrency with autocannon against a `mcdewey serve` process on loopback:
 * hybrid GET /api/search and MCP tools/call search_docs, each for a fixed time at several
 * connection counts, cycling through the latency query set.
 */
export type Endpoint = 'api-search' | 'mcp-tools-call';

export interface ThroughputRow {
  size: LibraryName;
  chunks: number;
  endpoint: Endpoint;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** MCP answers that carried a JSON-RPC error (HTTP 200 with an error body). */
  rpcErrors: number;
  loadavg: number[];
}

export interface ThroughputResults {
  rows: ThroughputRow[];
}

/** A slow answer is not an error unless a client would have given up on it. */
const REQUEST_TIMEOUT_SECONDS = 30;
const WARMUP_SECONDS = 3;

interface Target {
  endpoint: Endpoint;
  request: (i: number) => autocannon.Request;
  isRpcError?: (body: string) => boolean;
}

function targets(queries: string[]): Target[] {
  const pick = (i: number) => queries[i % queries.length]!;
  return [
    {
      endpoint: 'api-search',
      request: (i) => ({ method: 'GET', path: searchPath(pick(i), 'hybrid') }),
    },
    {
      endpoint: 'mcp-tools-call',
      request: (i) => {
        const { headers, body } = mcpSearchRequest(pick(i), i);
        return { method: 'POST', path: '/mcp', headers, body };
      },
      isRpcError: (body) => {
        try {
          return 'error' in (JSON.parse(body) as object);
        } catch {
          return true;
        }
      },
    },
  ];
}

async function load(base: string, target: Target, connections: number, seconds: number): Promise<{ result: autocannon.Result; rpcErrors: number }> {
  let next = 0;
  let rpcErrors = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: REQUEST_TIMEOUT_SECONDS,
    requests: [{
      setupRequest: (request) => ({ ...request, ...target.request(next++) }),
      ...(target.isRpcError ? { onResponse: (_status: number, body: string) => { if (target.isRpcError!(body)) rpcErrors++; } } : {}),
    }],
  });
  return { result, rpcErrors };
}

export async function runThroughput(options: BenchOptions): Promise<ResultFile<ThroughputResults>> {
  const conditions = {
    libraries: Object.fromEntries(options.sizes.map((s) => [s, LIBRARY_DESCRIPTIONS[s]])),
    embedder: options.embedder, mode: 'hybrid', limit: 10, connections: options.connections, durationSeconds: options.duration,
    requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS, warmup: `${WARMUP_SECONDS} s at 1 connection per endpoint`,
    tool: 'autocannon (same machine, loopback); server: `mcdewey serve` in its own process',
  };
  const command = commandFor('throughput', options, ['sizes', 'embedder', 'duration', 'connections', 'queries', 'seed']);
  return measure('throughput', command, conditions, async () => {
    const queries = (await benchQueries(options.embedder, options.queries, options.seed)).map((q) => q.text);
    const rows: ThroughputRow[] = [];
    for (const size of options.sizes) {
      const built = await ensureLibrary(size, options.embedder);
      const server = await startServerProcess(built.data, options.embedder);
      try {
        for (const target of targets(queries)) {
          await load(server.url, target, 1, WARMUP_SECONDS);
          for (const connections of options.connections) {
            const { result, rpcErrors } = await load(server.url, target, connections, options.duration);
            const row: ThroughputRow = {
              size, chunks: built.chunks, endpoint: target.endpoint, connections, durationSeconds: result.duration,
              requests: result.requests.total, requestsPerSecond: Math.round(result.requests.average * 10) / 10,
              latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: Math.round(result.latency.mean * 10) / 10 },
              errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, rpcErrors, loadavg: loadavg(),
            };
            log(`throughput ${size} ${target.endpoint} c=${connections}: ${row.requestsPerSecond} req/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, errors ${row.errors}, non-2xx ${row.non2xx}, rpc errors ${rpcErrors}`);
            rows.push(row);
          }
        }
      } finally {
        await server.stop();
      }
    }
    return { rows };
  });
}
