import http from 'node:http';
import { parseArgs } from 'node:util';
import { mcpSearchRequest, searchPath } from './lib/parts/clients.js';
import { ensureLibrary, LIBRARY_DESCRIPTIONS, type LibraryName } from './lib/fixtures/libraries.js';
import { benchQueries } from './lib/fixtures/query-cache.js';
import { log } from './lib/run/log.js';
import { measure } from './lib/report/results.js';
import { startServerProcess } from './lib/parts/server-process.js';
import { summarizeLatency, type LatencySummary } from './lib/parts/stats.js';

/**
 * Overload: many closed-loop connections against a `mcdewey serve` process, each request timed and
 * classed on its own, because autocannon's one latency histogram mixes the quick refusals with the
 * slow accepted answers. A refusal is a 503 busy on /api/search, or on /mcp a tools/call result
 * with isError whose text says the server is busy (MCP answers tool failures with HTTP 200); a
 * search that waited past the server's deadline (503 deadline_exceeded) is counted apart.
 *
 * Run alone: node --import tsx bench/overload.ts [--size 100k] [--connections 256] [--duration 20]
 * [--clients at-once,retry-after] [--cpu-prof <dir>: the server's .cpuprofile there]. Writes bench/results/overload.json.
 */
/**
 * Refused: turned away as busy on arrival; refused-late: taken into the queue, then turned away when its
 * turn came because it had waited past the server's max wait; expired: accepted, then dropped at the
 * search deadline.
 */
type Outcome = 'accepted' | 'refused' | 'refused-late' | 'expired' | 'failed';
type Endpoint = 'api-search' | 'mcp-tools-call';

interface Sample {
  ms: number; outcome: Outcome; status: number;
  /** What a failed request got, shortened, for the report. */ detail?: string;
  /** The wait a refusal asked for: REST's Retry-After header, or the "Retry in N s" of MCP's busy text. */ retryAfterMs?: number;
}

/**
 * How a refused client behaves. `at-once` retries the moment it is refused, as a client that ignores
 * Retry-After does: 256 such clients keep the two cores (theirs and the server's) saturated with
 * refusals, so every request, refusal or not, waits in line for about connections ÷ requests per
 * second (Little's law). `retry-after` waits what it was told (plus up to a tenth more, so that the
 * clients refused together do not all come back in the same millisecond), as HTTP asks of a client
 * and as McDewey's own crawler does: the server's work per refusal, not the clients' retry storm,
 * then decides how fast a refusal is answered.
 */
type Clients = 'at-once' | 'retry-after';
const CLIENTS: Record<Clients, string> = {
  'at-once': 'retry at once when refused (ignore Retry-After)',
  'retry-after': 'wait the Retry-After a refusal names (+0-10 % jitter), then retry',
};

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100k' }, connections: { type: 'string', default: '256' },
    duration: { type: 'string', default: '20' }, embedder: { type: 'string', default: 'none' },
    // Which client behaviours to run (both by default): at-once, retry-after.
    clients: { type: 'string', default: 'at-once,retry-after' },
    // The server's main thread profiled for the whole run (warm-up included), written when it stops.
    'cpu-prof': { type: 'string' },
  },
});
const size = values.size === '10k' || values.size === '100k' ? (values.size as LibraryName) : fail(`--size must be 10k or 100k, got "${values.size}"`);
const connections = positive('connections', values.connections!);
const durationSeconds = positive('duration', values.duration!);
const embedder = values.embedder!;
const clientsRun = values.clients!.split(',').map((c) => (c in CLIENTS ? (c as Clients) : fail(`--clients takes ${Object.keys(CLIENTS).join(', ')}, got "${c}"`)));
const WARMUP_SECONDS = 3;

function fail(message: string): never {
  console.error(`overload: ${message}`);
  process.exit(2);
}

function positive(name: string, value: string): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fail(`--${name} must be a positive integer, got "${value}"`);
}

function send(agent: http.Agent, base: URL, endpoint: Endpoint, query: string, id: number): Promise<Sample> {
  const mcp = endpoint === 'mcp-tools-call' ? mcpSearchRequest(query, id) : undefined;
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request({
      agent, host: base.hostname, port: base.port,
      method: mcp ? 'POST' : 'GET', path: mcp ? '/mcp' : searchPath(query, 'hybrid'), headers: mcp?.headers ?? {},
    }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        const ms = performance.now() - started;
        const status = response.statusCode ?? 0;
        const body = Buffer.concat(parts).toString('utf8');
        const outcome = classify(endpoint, status, body);
        if (outcome === 'failed') resolve({ ms, status, outcome, detail: `${status} ${body.slice(0, 200)}` });
        else if (outcome === 'refused' || outcome === 'refused-late') resolve({ ms, status, outcome, retryAfterMs: retryAfterMs(response.headers['retry-after'], body) });
        else resolve({ ms, status, outcome });
      });
    });
    request.on('error', (error: Error & { code?: string }) => resolve({ ms: performance.now() - started, status: 0, outcome: 'failed', detail: error.code ?? error.message }));
    request.end(mcp?.body);
  });
}

function classify(endpoint: Endpoint, status: number, body: string): Outcome {
  try {
    if (endpoint === 'api-search' || status !== 200) {
      if (status === 200) return 'accepted';
      const code = status === 503 ? (JSON.parse(body) as { error?: { code?: string } }).error?.code : undefined;
      return code === 'busy' ? refusal(body) : code === 'deadline_exceeded' ? 'expired' : 'failed';
    }
    const answer = JSON.parse(body) as { result?: { isError?: boolean; content?: { text?: string }[] } };
    if (!answer.result) return 'failed';
    if (!answer.result.isError) return 'accepted';
    const text = answer.result.content?.[0]?.text ?? '';
    // "Nothing relevant found" is an answered search (the relevance floor), not a refusal.
    if (/server is busy/i.test(text)) return refusal(text);
    if (/did not finish within/i.test(text)) return 'expired';
    return /no results|nothing relevant found/i.test(text) ? 'accepted' : 'failed';
  } catch {
    return 'failed';
  }
}

/** Seconds from REST's Retry-After header, else from the "Retry in N s" of MCP's busy text; a second when neither says. */
function retryAfterMs(header: string | undefined, body: string): number {
  const seconds = Number(header ?? /Retry in (\d+) s/.exec(body)?.[1] ?? 1);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
}

/** search-pool.ts words a refusal after waiting "this search waited N ms for a worker". */
function refusal(text: string): 'refused' | 'refused-late' {
  return /waited \d+ ms for a worker/.test(text) ? 'refused-late' : 'refused';
}

async function load(base: URL, endpoint: Endpoint, queries: string[], concurrency: number, seconds: number, clients: Clients): Promise<Sample[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: Sample[] = [];
  const until = performance.now() + seconds * 1000;
  let next = 0;
  const loop = async () => {
    while (performance.now() < until) {
      const id = next++;
      const sample = await send(agent, base, endpoint, queries[id % queries.length]!, id);
      samples.push(sample);
      if (clients === 'retry-after' && sample.retryAfterMs !== undefined) {
        const wait = Math.min(sample.retryAfterMs * (1 + Math.random() / 10), until - performance.now());
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  agent.destroy();
  return samples;
}

interface Row {
  endpoint: Endpoint;
  clients: Clients;
  connections: number;
  durationSeconds: number;
  requests: number;
  accepted: number;
  /** Every 503 busy, on arrival or after waiting; `refusedLate` of them after waiting. */
  refused: number;
  refusedLate: number;
  expired: number;
  failed: number;
  acceptedPerSecond: number;
  statuses: Record<string, number>;
  /** `refused` summarises every refusal, `refused-late` those after waiting, `refused-on-arrival` the others. */
  latencyMs: Partial<Record<Outcome | 'refused-on-arrival', LatencySummary>>;
  /** Each distinct failure (status and the start of its body, or the socket error) with its count. */
  failures: Record<string, number>;
  /** How many refusals asked for each Retry-After (seconds). */
  retryAfterSeconds: Record<string, number>;
}

function summarize(endpoint: Endpoint, clients: Clients, samples: Sample[]): Row {
  const of = (outcome: Outcome) => samples.filter((s) => s.outcome === outcome);
  const refusals = samples.filter((s) => s.outcome === 'refused' || s.outcome === 'refused-late');
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const latencyMs: Row['latencyMs'] = {};
  for (const [key, kept] of [['accepted', of('accepted')], ['refused', refusals], ['refused-late', of('refused-late')], ['refused-on-arrival', of('refused')], ['expired', of('expired')], ['failed', of('failed')]] as const) {
    if (kept.length > 0) latencyMs[key] = summarizeLatency(kept.map((s) => s.ms));
  }
  const retryAfterSeconds: Record<string, number> = {};
  for (const { retryAfterMs } of refusals) {
    const seconds = String((retryAfterMs ?? 0) / 1000); // send() sets it on every refusal
    retryAfterSeconds[seconds] = (retryAfterSeconds[seconds] ?? 0) + 1;
  }
  const failures: Record<string, number> = {};
  for (const s of of('failed')) failures[s.detail ?? 'unknown'] = (failures[s.detail ?? 'unknown'] ?? 0) + 1;
  return {
    failures, retryAfterSeconds,
    endpoint, clients, connections, durationSeconds, requests: samples.length,
    accepted: of('accepted').length, refused: refusals.length, refusedLate: of('refused-late').length, expired: of('expired').length, failed: of('failed').length,
    acceptedPerSecond: Math.round((of('accepted').length / durationSeconds) * 10) / 10, statuses, latencyMs,
  };
}

// A run with a smaller queue is kept beside the default one rather than over it.
const queue = process.env['MCDEWEY_SEARCH_QUEUE'];
const command = `node --import tsx bench/overload.ts --size ${size} --connections ${connections} --duration ${durationSeconds} --embedder ${embedder}${values.clients === 'at-once,retry-after' ? '' : ` --clients ${values.clients}`}`;
const conditions = {
  library: LIBRARY_DESCRIPTIONS[size], embedder, mode: 'hybrid (lexical when the embedder is none)', connections, durationSeconds,
  warmup: `${WARMUP_SECONDS} s at 1 connection per endpoint`,
  client: 'closed-loop keep-alive node:http connections in one process on the same 2 cores as the server, each request timed and classed (accepted, refused, expired, failed)',
  clients: CLIENTS,
  // The server inherits the environment, so MCDEWEY_SEARCH_QUEUE / _MAX_WAIT / _WORKERS / _DEADLINE set for a run show here.
  server: `\`mcdewey serve\` in its own process; search queue ${queue ?? 'default (64)'}, max wait ${process.env['MCDEWEY_SEARCH_MAX_WAIT'] ?? 'default (300)'} ms, workers ${process.env['MCDEWEY_SEARCH_WORKERS'] ?? 'default'}, deadline ${process.env['MCDEWEY_SEARCH_DEADLINE'] ?? 'default (10000)'} ms`,
};
await measure(queue ? `overload-queue-${queue}` : 'overload', queue ? `MCDEWEY_SEARCH_QUEUE=${queue} ${command}` : command, conditions, async () => {
  const queries = (await benchQueries(embedder, 200, 42)).map((q) => q.text);
  const built = await ensureLibrary(size, embedder);
  const profile = values['cpu-prof'];
  const server = await startServerProcess(built.data, embedder, profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []);
  try {
    const base = new URL(server.url);
    const rows: Row[] = [];
    for (const endpoint of ['api-search', 'mcp-tools-call'] as const) for (const clients of clientsRun) {
      await load(base, endpoint, queries, 1, WARMUP_SECONDS, 'at-once');
      const row = summarize(endpoint, clients, await load(base, endpoint, queries, connections, durationSeconds, clients));
      log(`overload ${size} ${endpoint} c=${connections}, ${clients}: ${row.requests} requests, ${row.accepted} accepted (${row.acceptedPerSecond}/s, p50 ${row.latencyMs.accepted?.p50} ms, p99 ${row.latencyMs.accepted?.p99} ms), ${row.refused} refused (p50 ${row.latencyMs.refused?.p50} ms, p99 ${row.latencyMs.refused?.p99} ms; on arrival p50 ${row.latencyMs['refused-on-arrival']?.p50 ?? '–'} / p99 ${row.latencyMs['refused-on-arrival']?.p99 ?? '–'} ms, ${row.refusedLate} after waiting p50 ${row.latencyMs['refused-late']?.p50 ?? '–'} ms), ${row.expired} past the deadline, ${row.failed} failed${row.failed > 0 ? ` (${JSON.stringify(row.failures)})` : ''}; Retry-After (s: count) ${JSON.stringify(row.retryAfterSeconds)}`);
      rows.push(row);
    }
    return { size, chunks: built.chunks, serverPeakRssBytes: server.peakRssBytes(), rows };
  } finally {
    await server.stop();
  }
});
