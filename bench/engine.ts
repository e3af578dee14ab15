import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from '../src/eval/metrics.js';
import { LexicalIndex, type LexicalQuery } from '../src/search/lexical/lexical-index.js';
import { parseQuery } from '../src/search/query.js';
import { SegmentedVectorIndex } from '../src/search/vector/vector-index.js';
import { sampledQueries, sciFactChunks, sentencePool, syntheticBatches, type SciFactChunks } from './lib/fixtures/engine-corpus.js';
import { loadavg, machineInfo } from './lib/parts/machine.js';
import { RESULTS_DIR, WORK_DIR } from './lib/run/paths.js';
import { seededRandom, sample } from './lib/fixtures/random.js';
import { summarizeLatency, type LatencySummary } from './lib/parts/stats.js';
import { useLikeVectors } from './lib/fixtures/use-like-vectors.js';

/**
 * Micro-benchmark of the in-memory search engine (src/search/lexical, src/search/vector), in process:
 *
 *   node --import tsx bench/engine.ts                  # SciFact only (quality + latency at 5.8k chunks)
 *   node --import tsx bench/engine.ts --size 100000    # plus a 100k-chunk synthetic set (see lib/engine-corpus.ts)
 *   node --import tsx bench/engine.ts --size 1000000 --no-vectors
 *
 * Reports build time, save and load time, memory (typed-array bytes per chunk), ranking latency
 * p50/p95/p99 over the 300 SciFact test claims (and 300 sampled documentation queries on synthetic
 * sets), with and without a document filter, pruned against exhaustive, for k = 10 and k = 300 (the
 * depth hybrid search fuses), and SciFact nDCG@10 (the FTS5-backed ranker measures 0.6848). Latency is
 * wall time per query and the query's own CPU time, which stays meaningful on a shared, busy machine.
 * Results: a Markdown table on stdout and bench/results/engine.json (one entry per size).
 */
const { values } = parseArgs({
  options: {
    size: { type: 'string' },
    'no-vectors': { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
  },
});
const size = values.size === undefined ? undefined : Number(values.size);
if (size !== undefined && !(Number.isSafeInteger(size) && size >= 1000)) {
  console.error(`--size must be a whole number of chunks ≥ 1000, got ${values.size}`);
  process.exit(2);
}
const withVectors = !values['no-vectors'];
const seed = Number(values.seed);
const K_SMALL = 10;
const K_FUSION = 300;
/** A filter as a product/version filter selects: this share of the documents. */
const FILTER_SHARE = 0.05;

interface LatencyRow {
  queries: string;
  k: number;
  filter: boolean;
  mode: 'pruned' | 'exhaustive';
  wall: LatencySummary;
  cpu: LatencySummary;
}

interface SetResult {
  set: string;
  chunks: number;
  documents: number;
  buildSeconds: number;
  segments: number;
  /** Merge steps run while building, their total and longest wall time. */
  merges?: { steps: number; totalSeconds: number; longestSeconds: number };
  saveMs: number;
  loadMs: number;
  loadCpuMs: number;
  fileBytes: number;
  lexicalBytes: number;
  lexicalBytesPerChunk: number;
  postings: number;
  ndcg10?: { pruned: number; exhaustive: number; reference: number };
  latency: LatencyRow[];
  vectors?: { count: number; dims: number; buildSeconds: number; bytesPerVector: number; latency: LatencyRow[] };
  loadavgAfter: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeQueries<Q>(run: (q: Q) => unknown, queries: Q[]): { wall: LatencySummary; cpu: LatencySummary } {
  for (const q of queries.slice(0, 50)) run(q); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const q of queries) {
    const c = process.cpuUsage();
    const t = performance.now();
    run(q);
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: summarizeLatency(wall), cpu: summarizeLatency(cpu) };
}

function lexicalLatency(index: LexicalIndex, sets: [string, LexicalQuery[]][], filter: Set<number>): LatencyRow[] {
  const rows: LatencyRow[] = [];
  for (const [name, queries] of sets) {
    for (const k of [K_SMALL, K_FUSION]) {
      for (const filtered of [false, true]) {
        for (const mode of ['pruned', 'exhaustive'] as const) {
          const allowed = filtered ? filter : undefined;
          const timing = timeQueries((q: LexicalQuery) => index.search(q, k, allowed, { exhaustive: mode === 'exhaustive' }), queries);
          rows.push({ queries: name, k, filter: filtered, mode, ...timing });
        }
      }
    }
  }
  // Pruning must not change a single result: checked on every query of the run.
  for (const [, queries] of sets) {
    for (const q of queries) {
      const pruned = index.search(q, K_SMALL);
      const exhaustive = index.search(q, K_SMALL, undefined, { exhaustive: true });
      if (JSON.stringify(pruned) !== JSON.stringify(exhaustive)) throw new Error('pruned and exhaustive results differ');
    }
  }
  return rows;
}

function saveAndLoad(index: LexicalIndex, name: string): { saveMs: number; loadMs: number; loadCpuMs: number; fileBytes: number } {
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const file = path.join(WORK_DIR, `engine-${name}.idx`);
  const t = performance.now();
  index.save(file, `bench:${name}`);
  const saveMs = performance.now() - t;
  const loads: number[] = [];
  const loadCpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { index: loaded } = LexicalIndex.load(file);
    loads.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    loadCpu.push((used.user + used.system) / 1000);
    if (loaded.size !== index.size) throw new Error('the loaded index lost chunks');
  }
  const fileBytes = fs.statSync(file).size;
  fs.rmSync(file);
  return { saveMs, loadMs: median(loads), loadCpuMs: median(loadCpu), fileBytes };
}

function ndcg(index: LexicalIndex, sf: SciFactChunks, exhaustive: boolean): number {
  const judged = [...sf.dataset.qrels].filter(([q]) => sf.dataset.queries.has(q));
  const runs = judged.map(([queryId, qrels]) => {
    const ranked: string[] = [];
    const seen = new Set<string>();
    for (const { rowid } of index.search(parseQuery(sf.dataset.queries.get(queryId)!), K_FUSION, undefined, { exhaustive })) {
      const id = sf.docIdOf.get(rowid)!;
      if (!seen.has(id)) {
        seen.add(id);
        ranked.push(id);
      }
    }
    return { ranked, qrels };
  });
  return summarize(runs).ndcg10;
}

function vectorRun(count: number, documents: number, queries: number): SetResult['vectors'] {
  const dims = 512;
  const index = SegmentedVectorIndex.create({ dims });
  const started = performance.now();
  const batch = 20_000;
  for (let start = 0; start < count; start += batch) {
    const vectors = useLikeVectors(Math.min(batch, count - start), dims, seed + start);
    index.add(vectors.map((vector, i) => ({ rowid: start + i + 1, docRowid: 1 + Math.floor(((start + i) * documents) / count), vector })));
    while (index.mergeStep());
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const queryVectors = useLikeVectors(queries, dims, seed + 7_777_777);
  const filter = new Set(Array.from({ length: Math.max(1, Math.round(documents * FILTER_SHARE)) }, (_, i) => 1 + i));
  const latency: LatencyRow[] = [];
  for (const filtered of [false, true]) {
    const timing = timeQueries((q: Float32Array) => index.search(q, K_SMALL, filtered ? filter : undefined), queryVectors);
    latency.push({ queries: 'use-like vectors', k: K_SMALL, filter: filtered, mode: 'pruned', ...timing });
  }
  return { count, dims, buildSeconds, bytesPerVector: index.stats().bytesPerLiveVector, latency };
}

async function sciFactSet(sf: SciFactChunks): Promise<SetResult> {
  const started = performance.now();
  const index = LexicalIndex.create();
  index.add(sf.chunks);
  const buildSeconds = (performance.now() - started) / 1000;
  const claims = [...sf.dataset.qrels.keys()].filter((q) => sf.dataset.queries.has(q)).map((q) => parseQuery(sf.dataset.queries.get(q)!));
  const documents = sf.dataset.corpus.length;
  const filter = new Set(sample(Array.from({ length: documents }, (_, d) => d + 1), Math.round(documents * FILTER_SHARE), seededRandom(seed)));
  const stats = index.stats();
  return {
    set: 'scifact', chunks: index.size, documents, buildSeconds, segments: index.segmentCount, ...saveAndLoad(index, 'scifact'),
    lexicalBytes: stats.bytes, lexicalBytesPerChunk: stats.bytesPerLiveChunk, postings: stats.postings,
    ndcg10: { pruned: ndcg(index, sf, false), exhaustive: ndcg(index, sf, true), reference: 0.6848 },
    latency: lexicalLatency(index, [['scifact claims', claims]], filter),
    vectors: withVectors ? vectorRun(index.size, documents, 300) : undefined,
    loadavgAfter: loadavg(),
  };
}

async function syntheticSet(sf: SciFactChunks, chunks: number): Promise<SetResult> {
  const t = performance.now();
  const pool = sentencePool(sf.dataset);
  console.error(`sentence pool: ${pool.sentences.length} sentences, ${pool.titles.length} titles in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const started = performance.now();
  const index = LexicalIndex.create();
  let documents = 0;
  const merges = { steps: 0, totalSeconds: 0, longestSeconds: 0 };
  for (const batch of syntheticBatches(pool, chunks, 50_000, seed)) {
    index.add(batch);
    documents = batch[batch.length - 1]!.docRowid;
    for (;;) {
      const t = performance.now();
      if (!index.mergeStep()) break;
      const seconds = (performance.now() - t) / 1000;
      merges.steps++;
      merges.totalSeconds += seconds;
      merges.longestSeconds = Math.max(merges.longestSeconds, seconds);
    }
    console.error(`  ${index.size} chunks, ${index.segmentCount} segments`);
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const claims = [...sf.dataset.qrels.keys()].filter((q) => sf.dataset.queries.has(q)).map((q) => parseQuery(sf.dataset.queries.get(q)!));
  const sampled = sampledQueries(pool, 300, seed).map(parseQuery);
  // A product's documents: a contiguous run of document ids, as one product/version's are.
  const first = Math.floor(documents * 0.4);
  const filter = new Set(Array.from({ length: Math.round(documents * FILTER_SHARE) }, (_, i) => first + i));
  const stats = index.stats();
  return {
    set: `synthetic-${chunks}`, chunks: index.size, documents, buildSeconds, segments: index.segmentCount, merges, ...saveAndLoad(index, String(chunks)),
    lexicalBytes: stats.bytes, lexicalBytesPerChunk: stats.bytesPerLiveChunk, postings: stats.postings,
    latency: lexicalLatency(index, [['scifact claims', claims], ['sampled doc queries', sampled]], filter),
    vectors: withVectors ? vectorRun(chunks, documents, 300) : undefined,
    loadavgAfter: loadavg(),
  };
}

function table(result: SetResult): string {
  const ms = (n: number) => n.toFixed(2);
  const lines = [
    `### ${result.set}: ${result.chunks.toLocaleString('en')} chunks, ${result.documents.toLocaleString('en')} documents`,
    '',
    `build ${result.buildSeconds.toFixed(1)} s (${result.segments} segments) · save ${result.saveMs.toFixed(0)} ms · ` +
      `load ${result.loadMs.toFixed(0)} ms (CPU ${result.loadCpuMs.toFixed(0)} ms; median of 5; ${(result.fileBytes / 2 ** 20).toFixed(1)} MiB file) · ` +
      `lexical index ${(result.lexicalBytes / 2 ** 20).toFixed(1)} MiB = ${result.lexicalBytesPerChunk.toFixed(0)} bytes/chunk`,
  ];
  if (result.merges) {
    lines.push('', `build = adds of 50,000 chunks + every merge step due: ${result.merges.steps} merges, ${result.merges.totalSeconds.toFixed(1)} s in all, longest ${result.merges.longestSeconds.toFixed(1)} s`);
  }
  if (result.ndcg10) {
    lines.push('', `SciFact test nDCG@10: pruned ${result.ndcg10.pruned.toFixed(4)}, exhaustive ${result.ndcg10.exhaustive.toFixed(4)} (FTS5-backed ranker: ${result.ndcg10.reference})`);
  }
  lines.push('', '| queries | k | filter | mode | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms | CPU p99 ms |', '|---|---:|---|---|---:|---:|---:|---:|---:|---:|');
  const rows = [...result.latency, ...(result.vectors?.latency.map((r) => ({ ...r, queries: `vectors: ${r.queries}`, mode: 'sign codes + 8-bit' })) ?? [])];
  for (const r of rows) {
    lines.push(`| ${r.queries} | ${r.k} | ${r.filter ? `${FILTER_SHARE * 100}% of docs` : 'none'} | ${r.mode} | ${ms(r.wall.p50)} | ${ms(r.wall.p95)} | ${ms(r.wall.p99)} | ${ms(r.cpu.p50)} | ${ms(r.cpu.p95)} | ${ms(r.cpu.p99)} |`);
  }
  if (result.vectors) {
    lines.push('', `vector index: ${result.vectors.count.toLocaleString('en')} × ${result.vectors.dims}-d USE-lite-like vectors, built in ${result.vectors.buildSeconds.toFixed(1)} s, ${result.vectors.bytesPerVector.toFixed(0)} bytes/vector`);
  }
  lines.push('', `load average after: ${result.loadavgAfter.join(' / ')}`);
  return lines.join('\n');
}

const machine = machineInfo();
const startedAt = new Date().toISOString();
console.error(`engine benchmark on ${machine.cpus} × ${machine.cpuModel}, load ${machine.loadavg.join(' / ')}`);
const sf = await sciFactChunks();
const results: SetResult[] = [await sciFactSet(sf)];
console.log(table(results[0]!));
if (size !== undefined) {
  results.push(await syntheticSet(sf, size));
  console.log(`\n${table(results[1]!)}`);
}

const file = path.join(RESULTS_DIR, 'engine.json');
const previous = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { runs?: Record<string, unknown> }) : {};
const runs = { ...previous.runs };
for (const result of results) {
  runs[result.set] = { command: `node --import tsx bench/engine.ts${size === undefined ? '' : ` --size ${size}`}${withVectors ? '' : ' --no-vectors'}`, startedAt, machine, result };
}
fs.mkdirSync(RESULTS_DIR, { recursive: true });
fs.writeFileSync(file, `${JSON.stringify({ benchmark: 'engine', runs }, null, 2)}\n`);
console.error(`wrote ${path.relative(process.cwd(), file)}`);
