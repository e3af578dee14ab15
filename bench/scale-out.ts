/**
 * Scale-out over PostgreSQL, on a throw-away cluster on this machine:
 *   node --import tsx bench/scale-out.ts [--size 100k] [--embedder none] [--samples 100] [--seconds 15]
 *
 * The library is copied into PostgreSQL with `migrate`, then: how long a new node takes to become
 * ready (rebuilding from rows, and from a snapshot; in process and as a spawned `mcdewey serve`,
 * from a snapshot with the search index files and, as before they were stored, without them),
 * change propagation from commit to searchable on the other nodes, search latency on a node against
 * the embedded library, and throughput with 1, 2 and 3 nodes with each node's CPU time per query.
 * Writes bench/results/scale-out.json and prints a Markdown table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { dataDirAt } from '../src/library/data-dir.js';
import { ScaleOutNode } from '../src/service/scale-out/scale-out-node.js';
import { migrateLibrary } from '../src/service/scale-out/migrate.js';
import { PgRecordStore } from '../src/store/postgres/pg-record-store.js';
import { startTestPostgres } from '../test/support/postgres.js';
import { LocalIndexes } from '../src/search/indexes/local-indexes.js';
import { documentRecord } from '../test/store/record-fixtures.js';
import { searchPath } from './lib/parts/clients.js';
import { ensureLibrary, LIBRARY_DESCRIPTIONS, type LibraryName } from './lib/fixtures/libraries.js';
import { benchQueries } from './lib/fixtures/query-cache.js';
import { loadavg } from './lib/parts/machine.js';
import { startServerProcess, type ServerProcess } from './lib/parts/server-process.js';
import { median, summarizeLatency, type LatencySummary } from './lib/parts/stats.js';
import { measure } from './lib/report/results.js';
import { log } from './lib/run/log.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const size = flag('size', '100k') as LibraryName;
const embedder = flag('embedder', 'none');
const samples = Number(flag('samples', '100'));
const seconds = Number(flag('seconds', '15'));
const mode = embedder === 'none' ? 'lexical' : 'hybrid';
const CONNECTIONS = 8;
const RUNS = 3;

interface Results {
  library: { name: LibraryName; documents: number; chunks: number };
  migrateSeconds: number;
  snapshotBytes: number;
  /** Of them, the search index files. */
  snapshotIndexBytes: number;
  /** Deriving the search index files from the replica, as a serving node does once and then keeps saved. */
  indexBuildMs: number;
  readyMs: {
    inProcessRebuild: number;
    inProcessFromSnapshot: number[];
    serveFromSnapshot: number[];
    /** From a snapshot of the replica alone, as snapshots were before they carried the index files. */
    serveFromSnapshotWithoutIndexFiles: number[];
    serveEmbedded: number[];
  };
  propagationMs: LatencySummary;
  searchLatencyMs: { node: LatencySummary; embedded: LatencySummary; ratio: number };
  throughput: { nodes: number; requestsPerSecond: number; p50: number; p99: number; cpuMsPerQuery: number[]; errors: number; loadavg: number[] }[];
}

const temp: string[] = [];
const folder = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(dir);
  return dir;
};

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks of 1/100 s
}

async function waitReady(url: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${url}/api/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A compiled `mcdewey serve --store` (bin/mcdewey.js runs dist/: `npm run build` first), spawn → /api/ready 200. */
async function spawnReady(data: string, store: string): Promise<{ node: ServerProcess; ms: number }> {
  const node = await startServerProcess(data, embedder, [], store);
  await waitReady(node.url);
  return { node, ms: performance.now() - node.spawnedAt };
}

async function searchMs(base: string, query: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}${searchPath(query, mode)}`);
  await response.json();
  if (!response.ok) throw new Error(`search on ${base} answered ${response.status}`);
  return performance.now() - started;
}

async function propagation(store: string, nodes: ServerProcess[]): Promise<number[]> {
  const writer = await PgRecordStore.open(store);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const token = `propagationtoken${i}x${Date.now().toString(36)}`;
      const record = await documentRecord({ product: 'bench-propagation', vendor: 'bench', document: `probe-${i}`, texts: [`${token} arrives.`], withVectors: false });
      await writer.writeDocument(record);
      const committed = performance.now();
      // Time until every other node finds it: the slowest node is what a client behind a balancer sees.
      await Promise.all(nodes.map(async (node) => {
        for (;;) {
          const response = await fetch(`${node.url}/api/search?${new URLSearchParams({ q: token, mode: 'lexical', product: 'bench-propagation' })}`);
          const body = (await response.json()) as { hits?: unknown[] };
          if (response.ok && (body.hits?.length ?? 0) > 0) return;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }));
      times.push(performance.now() - committed);
    }
    for (let i = 0; i < samples; i++) await writer.removeDocument(`bench-propagation::12.5::guides::probe-${i}`);
  } finally {
    await writer.close();
  }
  return times;
}

async function throughput(nodes: ServerProcess[], queries: string[]): Promise<Results['throughput'][number]> {
  const before = nodes.map((n) => cpuMs(n.pid));
  let next = 0;
  const runs = await Promise.all(nodes.map((node, i) => autocannon({
    url: node.url,
    connections: Math.max(1, Math.round(CONNECTIONS / nodes.length) + (i < CONNECTIONS % nodes.length ? 1 : 0)),
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, method: 'GET', path: searchPath(queries[next++ % queries.length]!, mode) }) }],
  })));
  const cpu = nodes.map((n, i) => cpuMs(n.pid) - before[i]!);
  const total = runs.reduce((s, r) => s + r.requests.total, 0);
  return {
    nodes: nodes.length,
    requestsPerSecond: Math.round((total / seconds) * 10) / 10,
    p50: Math.max(...runs.map((r) => r.latency.p50)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    cpuMsPerQuery: runs.map((r, i) => Math.round((cpu[i]! / Math.max(1, r.requests.total)) * 100) / 100),
    errors: runs.reduce((s, r) => s + r.errors + r.non2xx, 0),
    loadavg: loadavg(),
  };
}

const command = `node --import tsx bench/scale-out.ts --size ${size} --embedder ${embedder} --samples ${samples} --seconds ${seconds}`;
const conditions = {
  library: LIBRARY_DESCRIPTIONS[size], embedder, mode, connections: CONNECTIONS, durationSeconds: seconds, runs: RUNS,
  postgres: 'a throw-away PostgreSQL 15 cluster on this machine (fsync off), as the tests start it',
  nodes: 'compiled `mcdewey serve --store` processes (bin/mcdewey.js, dist/), without a token, each with its own cache directory; load generator on the same 2 cores',
};

const file = await measure('scale-out', command, conditions, async (): Promise<Results> => {
  const library = await ensureLibrary(size, embedder);
  const queries = (await benchQueries(embedder, 200, 7)).map((q) => q.text);
  const cluster = await startTestPostgres();
  const nodes: ServerProcess[] = [];
  let embedded: ServerProcess | undefined;
  try {
    const store = cluster.createDatabase('bench');
    log(`scale-out: migrating ${size} (${library.chunks} chunks) into PostgreSQL`);
    const migrateStarted = performance.now();
    await migrateLibrary(library.data, store);
    const migrateSeconds = (performance.now() - migrateStarted) / 1000;
    log(`scale-out: migrated in ${migrateSeconds.toFixed(1)} s`);

    let started = performance.now();
    const firstDir = dataDirAt(folder('mcdewey-bench-node-'));
    const first = await ScaleOutNode.open(store, firstDir, { snapshotEvery: 0 });
    const inProcessRebuild = performance.now() - started;
    const replicaBytes = (await first.writeSnapshot())?.bytes ?? 0;
    log(`scale-out: rebuilt a replica in ${inProcessRebuild.toFixed(0)} ms; snapshot without index files ${(replicaBytes / 2 ** 20).toFixed(1)} MiB`);
    const serveFromSnapshotWithoutIndexFiles: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { node, ms } = await spawnReady(folder('mcdewey-bench-serve-'), store);
      serveFromSnapshotWithoutIndexFiles.push(ms);
      await node.stop();
    }
    log(`scale-out: ready from a snapshot without index files, as serve ${median(serveFromSnapshotWithoutIndexFiles).toFixed(0)} ms`);
    // A serving node's index thread keeps these files saved; this node derives them here, once.
    started = performance.now();
    const indexes = new LocalIndexes(first.replica, { files: firstDir.searchIndexFiles });
    indexes.current();
    indexes.close();
    const indexBuildMs = performance.now() - started;
    const snapshotBytes = (await first.writeSnapshot())?.bytes ?? 0;
    await first.close();
    log(`scale-out: derived the index files in ${indexBuildMs.toFixed(0)} ms; snapshot with them ${(snapshotBytes / 2 ** 20).toFixed(1)} MiB`);

    const inProcessFromSnapshot: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      const node = await ScaleOutNode.open(store, dataDirAt(folder('mcdewey-bench-node-')), { snapshotEvery: 0 });
      inProcessFromSnapshot.push(performance.now() - started);
      await node.close();
    }
    const serveFromSnapshot: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { node, ms } = await spawnReady(folder('mcdewey-bench-serve-'), store);
      serveFromSnapshot.push(ms);
      if (run < RUNS - 1) await node.stop();
      else nodes.push(node);
    }
    const serveEmbedded: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const server = await startServerProcess(library.data, embedder);
      await waitReady(server.url);
      serveEmbedded.push(performance.now() - server.spawnedAt);
      if (run < RUNS - 1) await server.stop();
      else embedded = server;
    }
    log(`scale-out: ready from a snapshot in process ${median(inProcessFromSnapshot).toFixed(0)} ms, as serve ${median(serveFromSnapshot).toFixed(0)} ms (embedded serve ${median(serveEmbedded).toFixed(0)} ms)`);
    nodes.push(...(await Promise.all([0, 1].map(async () => (await spawnReady(folder('mcdewey-bench-serve-'), store)).node))));

    const propagated = await propagation(store, nodes.slice(1));
    log(`scale-out: propagation p50 ${median(propagated).toFixed(0)} ms`);

    // Warm both, then alternate queries between the node and the embedded server.
    for (const query of queries.slice(0, 20)) {
      await searchMs(nodes[0]!.url, query);
      await searchMs(embedded!.url, query);
    }
    const onNode: number[] = [];
    const onEmbedded: number[] = [];
    for (const query of queries) {
      onNode.push(await searchMs(nodes[0]!.url, query));
      onEmbedded.push(await searchMs(embedded!.url, query));
    }
    await embedded!.stop();
    embedded = undefined;
    // The throughput runs use all three nodes; the two spawned for propagation have only answered
    // single-product probes, so they first see the same queries the first node just answered.
    for (const other of nodes.slice(1)) for (const query of queries) await searchMs(other.url, query);
    const node = summarizeLatency(onNode);
    const local = summarizeLatency(onEmbedded);

    const rows: Results['throughput'] = [];
    for (const count of [1, 2, 3]) {
      const row = await throughput(nodes.slice(0, count), queries);
      log(`scale-out: ${count} node(s): ${row.requestsPerSecond} req/s, CPU ${row.cpuMsPerQuery.join(' / ')} ms per query, load ${row.loadavg.join(' / ')}`);
      rows.push(row);
    }
    return {
      library: { name: size, documents: library.documents, chunks: library.chunks },
      migrateSeconds: Math.round(migrateSeconds * 10) / 10,
      snapshotBytes,
      snapshotIndexBytes: snapshotBytes - replicaBytes,
      indexBuildMs: Math.round(indexBuildMs),
      readyMs: {
        inProcessRebuild: Math.round(inProcessRebuild),
        inProcessFromSnapshot: inProcessFromSnapshot.map(Math.round),
        serveFromSnapshot: serveFromSnapshot.map(Math.round),
        serveFromSnapshotWithoutIndexFiles: serveFromSnapshotWithoutIndexFiles.map(Math.round),
        serveEmbedded: serveEmbedded.map(Math.round),
      },
      propagationMs: summarizeLatency(propagated),
      searchLatencyMs: { node, embedded: local, ratio: Math.round((node.p50 / local.p50) * 1000) / 1000 },
      throughput: rows,
    };
  } finally {
    await embedded?.stop();
    await Promise.all(nodes.map((n) => n.stop()));
    cluster.stop();
    for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
  }
});

const r = file.results;
const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;
const lines = [
  `Scale-out over PostgreSQL, ${r.library.name} library (${r.library.chunks} chunks, embedder ${embedder}), load ${file.machine.loadavg.join(' / ')} → ${file.loadavgAtEnd.join(' / ')}`,
  '',
  '| figure | value |',
  '|---|---|',
  `| migrate embedded → PostgreSQL | ${r.migrateSeconds} s |`,
  `| new node ready, rebuilt from rows (in process) | ${r.readyMs.inProcessRebuild} ms |`,
  `| deriving the search index files from the replica (once; a serving node keeps them saved) | ${r.indexBuildMs} ms |`,
  `| new node's replica ready from a snapshot (${(r.snapshotBytes / 2 ** 20).toFixed(1)} MiB, of which index files ${(r.snapshotIndexBytes / 2 ** 20).toFixed(1)} MiB), in process, median of ${RUNS} | ${ms(r.readyMs.inProcessFromSnapshot)} |`,
  `| new \`mcdewey serve\` node from that snapshot: spawn → /api/ready 200, median of ${RUNS} | ${ms(r.readyMs.serveFromSnapshot)} |`,
  `| the same from a snapshot without index files (as before they were stored), median of ${RUNS} | ${ms(r.readyMs.serveFromSnapshotWithoutIndexFiles)} |`,
  `| embedded \`mcdewey serve\`: spawn → /api/ready 200, median of ${RUNS} | ${ms(r.readyMs.serveEmbedded)} |`,
  `| propagation commit → searchable on 2 other nodes, p50 / p99 (${r.propagationMs.samples} writes) | ${r.propagationMs.p50} / ${r.propagationMs.p99} ms |`,
  `| search latency p50 / p95, node vs embedded (${r.searchLatencyMs.node.samples} queries, ${mode}) | ${r.searchLatencyMs.node.p50} / ${r.searchLatencyMs.node.p95} ms vs ${r.searchLatencyMs.embedded.p50} / ${r.searchLatencyMs.embedded.p95} ms (×${r.searchLatencyMs.ratio}) |`,
  ...r.throughput.map((t) => `| throughput, ${t.nodes} node(s), ${CONNECTIONS} connections | ${t.requestsPerSecond} req/s (CPU ${t.cpuMsPerQuery.join(' / ')} ms per query per node; load ${t.loadavg.join(' / ')}) |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
