import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { startServer, type RunningServer } from '../src/server/serve.js';
import { Library } from '../src/service/library.js';
import { serveFolder, startTestSite, type TestSite } from '../test/ingest/sources/web/support/test-site.js';
import { log } from './lib/run/log.js';
import { loadavg } from './lib/parts/machine.js';
import { median, summarizeLatency, type LatencySummary } from './lib/parts/stats.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { corpus, displayPath, WORK_DIR } from './lib/run/paths.js';
import { measure, type ResultFile } from './lib/report/results.js';

/**
 * Web ingestion through a real server, as a curator starts it (POST /api/jobs, lexical only):
 *
 * 1. Speed: the FRR manual (41 HTML pages) served on 127.0.0.1 and crawled into the library by the
 *    server's job thread, once into a fresh library (the conversion worker starts cold) and then
 *    again into new versions (the worker is warm, as in a server that has run a job before).
 *    Pages per second is pages added over the job's own run time (started_at → finished_at).
 * 2. Searches during ingestion: the same searches over HTTP, first with nothing else running, then
 *    while a long job (the vendor PDFs, converted and indexed in the job thread) runs; the
 *    medians are compared.
 *
 *     npm run bench -- --only ingest-web
 */
export interface IngestWebResults {
  pages: number;
  crawls: { version: string; warm: boolean; seconds: number; pagesPerSecond: number; loadavg: number[] }[];
  coldPagesPerSecond: number;
  warmMedianPagesPerSecond: number;
  search: {
    queries: number;
    idle: LatencySummary;
    duringIngestion: LatencySummary;
    /** Median latency during ingestion over median latency idle. */
    medianRatio: number;
    p95Ratio: number;
    job: { kind: string; seconds: number; documents: number; pages: number };
    library: { documents: number; chunks: number };
  };
}

const TOKEN = 'bench-ingest-web-token-0123456789';
const LOCAL = { allowPrivateHosts: ['127.0.0.1'] };
const LABELS = { vendor: 'FRRouting', product: 'frr' };
const CRAWLS = 5;
/** Rounds of the query set run idle. */
const IDLE_ROUNDS = 10;
/** Searches about the FRR manual, which the library holds in every crawled version. */
const QUERIES = [
  'bgp neighbor remote-as', 'ospf area authentication', 'route-map match ip address prefix-list', 'zebra interface ip address',
  'bfd peer detect-multiplier', 'pim rp address', 'isis circuit-type', 'vrrp priority', 'ldp label allocation', 'static route blackhole',
  'vtysh show running-config', 'babel channel', 'rip timers basic', 'pbr-map set nexthop', 'eigrp network', 'snmp agentx',
  'watchfrr restart', 'bmp monitor', 'nhrp shortcut', 'graceful restart',
];

interface JobAnswer { id: string; status: string; started_at?: string; finished_at?: string; progress: { outcomes: Record<string, number>; pages: number } }

async function api<T>(server: RunningServer, route: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...init.headers } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${route} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const jobSeconds = (job: JobAnswer) => (Date.parse(job.finished_at!) - Date.parse(job.started_at!)) / 1000;

async function crawlOnce(server: RunningServer, site: TestSite, version: string): Promise<{ seconds: number; pages: number }> {
  const job = await api<JobAnswer>(server, '/api/jobs?wait=1', {
    method: 'POST',
    body: JSON.stringify({ kind: 'add-site', url: site.url('/frr/'), labels: { ...LABELS, version }, crawl: LOCAL }),
  });
  if (job.status !== 'done') throw new Error(`the crawl job ended ${job.status}: ${JSON.stringify(job).slice(0, 500)}`);
  return { seconds: jobSeconds(job), pages: job.progress.outcomes['added'] ?? 0 };
}

async function searchOnce(server: RunningServer, query: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${server.url}/api/search?q=${encodeURIComponent(query)}&all_versions=1`);
  if (!response.ok) throw new Error(`search "${query}" answered ${response.status}`);
  await response.arrayBuffer();
  return performance.now() - started;
}

export async function runIngestWeb(options: BenchOptions): Promise<ResultFile<IngestWebResults>> {
  const conditions = {
    site: 'markdown/frrouting-user-manual-html/8.4.4 served by the crawler tests\' server on 127.0.0.1 (no rate limit for a private address)',
    embedder: 'none (lexical only)',
    crawls: `${CRAWLS}: the first into a fresh library (cold conversion worker), the others into new versions (warm)`,
    searches: `${QUERIES.length} FRR queries over HTTP, all versions; ${IDLE_ROUNDS} rounds idle, then repeated until the ingestion job ends`,
    ingestion: `add-paths job of ${displayPath(corpus.pdf)} in the server's job thread`,
  };
  return measure('ingest-web', commandFor('ingest-web', options), conditions, async () => {
    const data = path.join(WORK_DIR, 'ingest-web');
    fs.rmSync(data, { recursive: true, force: true });
    const config = loadConfig({ data, embedder: 'none', token: TOKEN, port: 0, host: '127.0.0.1' }, {});
    const library = await Library.open(config, 'write');
    const site = await startTestSite([serveFolder('/frr/', corpus.frr)]);
    const server = await startServer(config, library);
    try {
      const crawls: IngestWebResults['crawls'] = [];
      let pages = 0;
      for (let i = 0; i < CRAWLS; i++) {
        const version = `run-${i + 1}`;
        const crawl = await crawlOnce(server, site, version);
        pages = crawl.pages;
        const row = { version, warm: i > 0, seconds: round(crawl.seconds), pagesPerSecond: round(crawl.pages / crawl.seconds), loadavg: loadavg() };
        log(`ingest-web: crawl ${version} (${row.warm ? 'warm' : 'cold'}): ${crawl.pages} pages in ${row.seconds} s = ${row.pagesPerSecond} pages/s, load ${row.loadavg.join(' / ')}`);
        crawls.push(row);
      }

      for (const query of QUERIES) await searchOnce(server, query); // warm the rankers' caches
      const idle: number[] = [];
      for (let round = 0; round < IDLE_ROUNDS; round++) for (const query of QUERIES) idle.push(await searchOnce(server, query));
      log(`ingest-web: idle search median ${median(idle).toFixed(1)} ms over ${idle.length} searches`);

      const job = await server.ctx.jobs!.submit({ kind: 'add-paths', paths: [corpus.pdf], labels: {} });
      const during: number[] = [];
      for (let i = 0; ; i = (i + 1) % QUERIES.length) {
        const state = await server.ctx.jobs!.get(job.id);
        if (state.status !== 'queued' && state.status !== 'running') break;
        if (state.status === 'running') during.push(await searchOnce(server, QUERIES[i]!));
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const ended = await server.ctx.jobs!.get(job.id);
      if (ended.status !== 'done') throw new Error(`the ingestion job ended ${ended.status}: ${ended.error ?? ''}`);
      const idleSummary = summarizeLatency(idle);
      const duringSummary = summarizeLatency(during);
      log(`ingest-web: search median ${duringSummary.p50} ms during ingestion (${during.length} searches) vs ${idleSummary.p50} ms idle`);
      const counts = library.counts();
      const warm = crawls.filter((c) => c.warm).map((c) => c.pagesPerSecond);
      return {
        pages,
        crawls,
        coldPagesPerSecond: crawls[0]!.pagesPerSecond,
        warmMedianPagesPerSecond: round(median(warm)),
        search: {
          queries: QUERIES.length,
          idle: idleSummary,
          duringIngestion: duringSummary,
          medianRatio: round(duringSummary.p50 / idleSummary.p50),
          p95Ratio: round(duringSummary.p95 / idleSummary.p95),
          job: {
            kind: 'add-paths',
            seconds: round((Date.parse(ended.finishedAt!) - Date.parse(ended.startedAt!)) / 1000),
            documents: ended.progress.outcomes['added'] ?? 0,
            pages: ended.progress.pages,
          },
          library: { documents: counts.documents, chunks: counts.chunks },
        },
      };
    } finally {
      await server.close();
      await site.close();
      await library.close();
    }
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
