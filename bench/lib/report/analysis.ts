import type { IngestResults } from '../../ingest-speed.js';
import type { LatencyResults } from '../../latency.js';
import type { MemoryResults } from '../../memory.js';
import type { ProfileResults } from '../../profile.js';
import type { ThroughputResults } from '../../throughput.js';
import { fixed, percent, table, thousands } from './markdown.js';
import type { ResultFile } from './results.js';

/**
 * The "what bounds it" part of the report, derived from the measured step times so that it stays
 * true when the suite is re-run elsewhere: which steps dominate a search at the largest size, what
 * each of them costs in proportion to (as the code does it now: keep this in step with src/search),
 * and the change that would cut it next.
 */
const WHY: Record<string, { bound: string; fix: string }> = {
  filter: {
    bound: 'resolving the request\'s vendor / product / version filter and the product or version the query names (query-scope.ts) against the catalog the store keeps cached: grows with the number of product versions and documents, not with the query',
    fix: 'none needed',
  },
  parse: {
    bound: 'analysing the query (tokens, stems, identifiers, phrases) and looking its words up in the index\'s term statistics for spelling and spelled-out forms',
    fix: 'none needed',
  },
  lexical: {
    bound: 'block-max MaxScore over the in-memory segments (src/search/lexical/segment-ranking.ts): the postings of the essential terms are scored in windows of 4,096 chunks whose block maxima can still reach the top-k floor, then completed with the other terms; it grows with the postings of the query\'s frequent words, so long queries of common words (SciFact\'s claims) make the p95',
    fix: 'precomputed 8-bit impacts per posting (a format change) would make each posting a table read and tighten the block maxima; the exact scoring of the survivors and the phrase checks are the rest',
  },
  embed: {
    bound: 'the USE-lite forward pass for the query in the embedder worker thread plus the message round trip; it does not depend on library size, and it is skipped when the best lexical passage holds the whole query (the vector side would weigh nothing)',
    fix: 'a smaller or quantised query encoder; repeated and paged queries already hit the LRU of query vectors',
  },
  vector: {
    bound: 'cosine of the query with the 8-bit vectors of the lexical candidates only (re-ranking, src/search/vector/vector-search.ts `score`); a nearest-neighbour scan of every 1-bit code happens only in vector mode',
    fix: 'none needed at this size',
  },
  fuse: { bound: 'weighing the vector side by how much of the query the best lexical passage holds, and merging the two scores of at most a few hundred candidates', fix: 'none needed' },
  load: {
    bound: 'finding each candidate\'s document in the index snapshot that ranked it (no row read; the store\'s rows only when a write has moved the store past the snapshot)',
    fix: 'none needed',
  },
  fold: {
    bound: 'grouping near-identical candidates across versions by the MinHash signatures kept in the lexical segments (no text read), judging each product\'s answering version from the indexed terms of its passages, and reading the rows (text, page, headings) of the passages shown and their other versions from SQLite',
    fix: 'read only the rows of the passages shown, and the other versions\' page and chunk id without their text',
  },
  hits: {
    bound: 'snippets (`makeSnippet`: the shown passages\' words matched to the query\'s stems) and hit objects with citations and "also in" lists for the returned page',
    fix: 'little to gain: it is per hit shown, not per candidate',
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
  // A library without an embedder answers a hybrid request lexically: say which one was timed.
  const embedded = steps['embed'];
  const what = embedded ? 'hybrid search' : 'search (hybrid asked; the library has no embedder, so it ranks lexically)';
  out.push(
    `At the largest size measured (${last.size}, ${thousands(chunks)} chunks) a warm in-process ${what} takes ${fixed(total)} ms at the median. ` +
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
  const searches = steps['search']?.samples ?? 0;
  if (embedded && searches > 0) {
    out.push(
      `A query vector was asked for (embedded, or taken from the cache of query vectors) in ${embedded.samples} of ${searches} searches: in the others the best lexical passage held the whole query, so the vector side would have weighed nothing. ` +
        'With the default fusion (re-ranking weighted by that coverage) the vector is asked for after the lexical ranking, from the embedder\'s own thread, so the steps do not overlap.',
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
        'through the SDK client' +
        (post === undefined
          ? '.'
          : `, ${fixed(post, 1)} ms as one raw POST of the same request (the server's share: the JSON-RPC body read and parsed, Host/Origin checks, the tool's input and output schemas, the result written twice as text content and structuredContent); ` +
            `the other ${fixed(mcp - post, 1)} ms are the client library's own work in the client's process (its checks and parsing of the answer).`),
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
    `CPU profile of the main thread during ${p.rounds ?? 1} × ${p.queries} warm searches (hybrid asked, embedder ${String(profile.conditions['embedder'] ?? '?')}) on ${thousands(p.chunks)} chunks ` +
      `(${fixed(p.msPerQuery)} ms/query while profiled; \`${profile.command}\`; raw profile in \`${p.rawProfile}\`). ` +
      'Self time is where the CPU was; total time includes callees (native `all` and `get` are better-sqlite3 reading rows' +
      (profile.conditions['embedder'] === 'none' ? '' : '; `(idle)` is the main thread waiting for the embedder\'s thread') + '):',
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
    `Memory: an empty library's server takes ${fixed(empty.rssListeningMB, 0)} MB once listening and ${fixed(empty.rssAfterWarmupMB, 0)} MB after its warm-up searches; ` +
      `beyond that, warm search state grows by about ${thousands(Math.round(perChunk))} bytes of RSS per chunk between the ${small.library} and ${large.library} libraries ` +
      '(the lexical segments: postings, each chunk\'s terms in order for phrases, folding signatures; the catalog; SQLite\'s page cache; with an embedder, the vector index\'s 1-bit codes and 8-bit vectors). ' +
      'Disk: the Markdown library is the smaller part; index.sqlite holds the chunks\' text and (with an embedder) their float32 vectors, 2 KB a chunk; index.lexical and index.vectors are the derived indexes, rebuilt from it when absent or stale.',
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
