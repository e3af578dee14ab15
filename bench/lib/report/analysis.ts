import type { IngestResults } from '../../ingest-speed.js';
import type { LatencyResults } from '../../latency.js';
import type { MemoryResults } from '../../memory.js';
import type { ProfileResults } from '../../profile.js';
import type { ThroughputResults } from '../../throughput.js';
import { fixed, percent, table, thousands } from './markdown.js';
import type { ResultFile } from './results.js';

/**
 * The "what bounds it" part of the report, derived from the measured step times so that it stays
 * true when the suite is re-run elsewhere: which steps dominate a hybrid search at the largest
 * size, what each of them costs in proportion to, and the change that would cut it.
 */
const WHY: Record<string, { bound: string; fix: string }> = {
  filter: {
    bound: 'every search resolves its filter against the whole document list (the store caches it) and then maps every document by rowid, filter or not; it grows with the number of documents (14k in the 100k library), not with the query',
    fix: 'keep a rowid → document map in the store\'s cached catalog (keyed by the change token) and look up only the candidates\' documents; compute the newest version per product once per catalog change instead of per query',
  },
  lexical: {
    bound: 'BM25F reads the full postings of every query term from the FTS5 `instance` vocabulary table (`SELECT doc, col, count(*) … GROUP BY doc, col`, one row per occurrence) and scores every posting in JavaScript; common terms have tens of thousands of postings at 100k chunks, so the cost grows linearly with the library and with the number of query terms',
    fix: 'store per-term, per-chunk, per-field term frequencies in a `WITHOUT ROWID` table keyed by (term, chunk) so a term is one range scan without GROUP BY; skip or cap terms whose idf is near zero (df > ~N/3), or evaluate with MaxScore/WAND so low-impact postings of frequent terms are never read; cache the postings of the most frequent terms in memory',
  },
  embed: {
    bound: 'the USE-lite forward pass for the query in the embedder worker thread plus the message round trip; it does not depend on library size',
    fix: 'start the query embedding before the lexical ranking and await it after (the worker computes while BM25 runs on the main thread); an LRU of query vectors for repeated and paged queries',
  },
  vector: {
    bound: 'the in-memory vector index (`src/search/vector-index.ts`) computes the Hamming distance of the query\'s 1-bit code to every chunk\'s 64-byte code, then rescores at least 1,000 candidates with int8 dot products: linear in the number of chunks, in JavaScript',
    fix: 'skip the codes of documents the search cannot return (older versions when only the newest is wanted) by keeping codes grouped by product and version; popcount 32 bits at a time in WebAssembly/SIMD; beyond ~1M chunks, a graph index (HNSW)',
  },
  fuse: { bound: 'merging two lists of at most 300 candidates', fix: 'none needed' },
  load: {
    bound: 'all fused candidates (up to 600) are loaded with their full text before the ranking is final, because folding compares texts',
    fix: 'load (rowid, document, page) first and texts only for the candidates that can still reach the requested page, or fold on a per-chunk signature computed at index time',
  },
  fold: {
    bound: 'reading the words of candidate passages: the match evidence of passages that could reach the page when the query names an identifier (the identifier bonus needs it), of the passages judged for each product\'s answering version, and the shingles of passages no recent search saw (signatures are kept by text in `src/search/passage-signatures.ts`; only passages that can reach the page are ranked)',
    fix: 'keep each passage\'s analyzed terms (or its signature and term set) with the derived index, so that evidence and folding read no text per query',
  },
  hits: {
    bound: 'snippets (`makeSnippet`) and hit objects for the returned page, plus sorting the groups',
    fix: 'little to gain',
  },
};

/** Steps below this share of the search are not worth changing yet. */
const SMALL_SHARE = 0.03;

const STEP_LABEL: Record<string, string> = {
  filter: 'resolving filters', parse: 'parsing the query', lexical: 'BM25F', embed: 'query embedding', vector: 'vector KNN (in-memory index)', fuse: 'fusion',
  load: 'loading candidate chunks', fold: 'folding versions', hits: 'snippets and hits',
};

function latencyAnalysis(latency: LatencyResults): string[] {
  const out: string[] = [];
  const last = latency.breakdown[latency.breakdown.length - 1];
  if (!last) return out;
  const steps = last.parts.steps;
  const total = steps['search']?.p50 ?? 0;
  const ranked = Object.keys(WHY)
    .filter((name) => steps[name])
    .map((name) => ({ name, p50: steps[name]!.p50, p95: steps[name]!.p95 }))
    .sort((a, b) => b.p50 - a.p50);
  const chunks = latency.rows.find((r) => r.size === last.size)?.chunks ?? 0;
  out.push(
    `At the largest size measured (${last.size}, ${thousands(chunks)} chunks) a warm in-process hybrid search takes ${fixed(total)} ms at the median. ` +
      `Timed step by step on the same queries (medians; steps overlap nothing, so they add up to roughly the whole):`,
    '',
    table(['step', 'p50 ms', 'p95 ms', 'share of the search p50', 'what it costs in proportion to', 'proposed change'], ranked.map((s) => {
      const share = total > 0 ? s.p50 / total : 0;
      return [STEP_LABEL[s.name] ?? s.name, fixed(s.p50, 2), fixed(s.p95, 1), percent(share), WHY[s.name]!.bound, share < SMALL_SHARE ? 'none needed at this size' : WHY[s.name]!.fix];
    })),
    '',
  );
  const top = ranked.slice(0, 3).map((s) => `${STEP_LABEL[s.name]} (${fixed(s.p50, 1)} ms)`);
  out.push(`The bound at this size is ${top.join(', then ')}; ${last.parts.candidates} candidates reach version folding per query.`, '');
  if (steps['embed'] && steps['lexical']) {
    out.push(
      `\`rank\` runs BM25F and only then awaits the query embedding, although the embedding runs on another thread: starting it first would hide up to ${fixed(Math.min(steps['embed'].p50, steps['lexical'].p50), 1)} ms of the median.`,
      '',
    );
    const others = ranked.filter((s) => s.name !== 'lexical' && s.name !== 'embed').reduce((sum, s) => sum + s.p50, 0);
    const critical = Math.max(steps['lexical'].p50, steps['embed'].p50);
    const budget = 20 - steps['embed'].p50;
    out.push(
      `Budget for the 20 ms p50 goal: with the embedding overlapped, a median search costs max(BM25F, embedding) + the other steps = ${fixed(critical, 1)} + ${fixed(others, 1)} ≈ ${fixed(critical + others, 1)} ms. ` +
        (budget > 0
          ? `Since the query embedding alone takes ${fixed(steps['embed'].p50, 1)} ms here, BM25F must come below that and folding, KNN, snippets and loading together from ${fixed(others, 1)} to about ${fixed(budget, 1)} ms; `
          : `The query embedding alone takes ${fixed(steps['embed'].p50, 1)} ms here, more than the whole budget, so the goal needs a faster model or a query-vector cache on this machine; `) +
        'all of the changes above are needed together, not one of them.',
      '',
    );
  }
  const first = latency.breakdown[0];
  if (first && first !== last) {
    const growth = (name: string) => (first.parts.steps[name]?.p50 ? (last.parts.steps[name]?.p50 ?? 0) / first.parts.steps[name]!.p50 : Number.NaN);
    const firstChunks = latency.rows.find((r) => r.size === first.size)?.chunks ?? 0;
    out.push(
      `From ${first.size} to ${last.size} (${fixed(chunks / Math.max(1, firstChunks), 1)}× the chunks) the steps grew: ` +
        ranked.map((s) => `${STEP_LABEL[s.name]} ×${fixed(growth(s.name), 1)}`).join(', ') + '.',
    );
  }
  for (const b of latency.breakdown) {
    const paired = (surface: string) => latency.overhead?.find((o) => o.size === b.size && o.surface === surface)?.pairedMedianMs;
    const http = paired('http');
    const mcp = paired('mcp');
    const post = paired('mcp-post');
    if (http === undefined || mcp === undefined) continue;
    out.push(
      '',
      `Protocol overhead at ${b.size} (hybrid, median of per-query differences against the same query in process): HTTP adds ${fixed(http, 1)} ms ` +
        `(loopback, the hop to a search worker and back, Hono routing, zod validation, presenting hits, JSON of ${fixed(b.parts.steps['json']?.p50 ?? 0, 2)} ms); /mcp adds ${fixed(mcp, 1)} ms ` +
        'through the SDK client (JSON-RPC framing, the SDK\'s checks of the request, envelope, input, result and output schema, the result serialised twice as text content and structuredContent, and the client\'s own parsing and checks)' +
        (post === undefined ? '.' : `, ${fixed(post, 1)} ms as one raw POST of the same request (the server's share).`),
    );
  }
  return out;
}

function throughputAnalysis(throughput: ThroughputResults): string[] {
  const out: string[] = [];
  const keys = [...new Set(throughput.rows.map((r) => `${r.size}|${r.endpoint}`))];
  const lines = keys.map((key) => {
    const rows = throughput.rows.filter((r) => `${r.size}|${r.endpoint}` === key).sort((a, b) => a.connections - b.connections);
    const one = rows[0]!;
    const most = rows[rows.length - 1]!;
    const best = Math.max(...rows.map((r) => r.requestsPerSecond));
    const plural = one.connections === 1 ? 'connection' : 'connections';
    return `${one.size} ${one.endpoint}: ${fixed(one.requestsPerSecond)} req/s at ${one.connections} ${plural}, at most ${fixed(best)} req/s (×${fixed(best / Math.max(0.1, one.requestsPerSecond), 1)}), and at ${most.connections} connections p50 ${most.latencyMs.p50} ms but p99 ${most.latencyMs.p99} ms`;
  });
  if (lines.length === 0) return out;
  // Little's law for a closed loop: with every connection always waiting, a request waits about
  // connections ÷ throughput; the measured p50 beside that figure shows whether anything else adds up.
  const queued = keys.map((key) => {
    const rows = throughput.rows.filter((r) => `${r.size}|${r.endpoint}` === key).sort((a, b) => a.connections - b.connections);
    const most = rows[rows.length - 1]!;
    return `${most.size} ${most.endpoint} ${fixed((most.connections / Math.max(0.1, most.requestsPerSecond)) * 1000, 0)} ms against ${most.latencyMs.p50} measured`;
  });
  out.push(
    '',
    `Concurrency: ${lines.join('; ')}. ` +
      'Searches run in a pool of worker threads (one per core by default) over the shared index; the main thread parses requests, hands each search to a worker and writes the answer, ' +
      'and the query embedding runs in the embedder worker. So throughput grows until the cores are busy, and past that extra connections only wait their turn: ' +
      `at the most connections a closed loop waits about connections ÷ throughput (${queued.join('; ')}). ` +
      'The wait is bounded: beyond the search queue (64 by default) or an expected wait of --search-max-wait, the server answers 503 busy with Retry-After at once (the overload bench measures that).',
  );
  return out;
}

function profileAnalysis(profile: ResultFile<ProfileResults>): string[] {
  const p = profile.results;
  return [
    '',
    `CPU profile of the main thread during ${p.queries} warm hybrid searches on ${thousands(p.chunks)} chunks (${fixed(p.msPerQuery)} ms/query while profiled; \`${profile.command}\`; raw profile in \`${p.rawProfile}\`). ` +
      'Self time is where the CPU was; total time includes callees (native `all` is better-sqlite3 fetching rows; `(idle)` is the main thread waiting for the embedding worker):',
    '',
    table(['function (self time)', 'ms', 'share', 'function (total time)', 'ms', 'share'], Array.from({ length: 12 }, (_, i) => {
      const self = p.self[i];
      const total = p.total[i];
      return [self ? `\`${self.function}\`` : '', self?.ms ?? '', self ? percent(self.share, 1) : '', total ? `\`${total.function}\`` : '', total?.ms ?? '', total ? percent(total.share, 1) : ''];
    })),
  ];
}

function memoryAnalysis(memory: MemoryResults): string[] {
  const empty = memory.rows.find((r) => r.library === 'empty');
  const sized = memory.rows.filter((r) => r.chunks > 0).sort((a, b) => a.chunks - b.chunks);
  const small = sized[0];
  const large = sized[sized.length - 1];
  if (!empty || !small || !large || large === small) return [];
  const perChunk = ((large.rssAfterWarmupMB - small.rssAfterWarmupMB) * 2 ** 20) / (large.chunks - small.chunks);
  return [
    '',
    `Memory: an empty library's server takes ${fixed(empty.rssListeningMB, 0)} MB once listening and ${fixed(empty.rssAfterWarmupMB, 0)} MB once the model is loaded; ` +
      `beyond that, warm search state grows by about ${thousands(Math.round(perChunk))} bytes of RSS per chunk between the ${small.library} and ${large.library} libraries ` +
      '(BM25 statistics per chunk, the vector index\'s int8 vectors and codes, SQLite\'s page cache). Disk: the Markdown library is the smaller part; the index holds FTS5 postings, vectors (2 KB per chunk as float32) and chunk text.',
  ];
}

function ingestAnalysis(ingest: IngestResults): string[] {
  const { phases } = ingest.add;
  const total = phases.convertAndChunkSeconds + phases.embedSeconds + phases.storeSeconds;
  return [
    '',
    `Ingestion: of ${fixed(total)} s spent on files, embedding took ${percent(phases.embedSeconds / Math.max(1e-9, total))}, conversion and chunking ${percent(phases.convertAndChunkSeconds / Math.max(1e-9, total))}, storing ${percent(phases.storeSeconds / Math.max(1e-9, total))}. ` +
      `The embedding phase runs at ${percent(ingest.ratio.embedPhase)} of the raw model rate, so the pipeline adds little around the model; the model itself (one core, WASM) bounds ingestion. ` +
      'Overlapping the next file\'s conversion with the current file\'s embedding (they run on different threads already) would hide the conversion time; a second embedding worker would use the second core.',
  ];
}

export interface AnalysisInputs {
  latency?: ResultFile<LatencyResults>;
  profile?: ResultFile<ProfileResults>;
  ingest?: ResultFile<IngestResults>;
  throughput?: ResultFile<ThroughputResults>;
  memory?: ResultFile<MemoryResults>;
}

export function analysisSection(all: AnalysisInputs): string {
  const body: string[] = [];
  if (all.latency) body.push(...latencyAnalysis(all.latency.results));
  if (all.profile) body.push(...profileAnalysis(all.profile));
  if (all.throughput) body.push(...throughputAnalysis(all.throughput.results));
  if (all.memory) body.push(...memoryAnalysis(all.memory.results));
  if (all.ingest) body.push(...ingestAnalysis(all.ingest.results));
  if (body.length === 0) return '';
  return ['## 8. What bounds the numbers, and proposed fixes', '', ...body, ''].join('\n');
}
