import type { ColdStartResults } from '../../cold-start.js';
import type { FusionSummary } from '../../fusion.js';
import type { IngestScalingResults } from '../../ingest-scaling.js';
import type { IngestResults } from '../../ingest-speed.js';
import type { IngestWebResults } from '../../ingest-web.js';
import type { KnownItemResults, KnownItemScores } from '../../known-item.js';
import type { LatencyResults } from '../../latency.js';
import type { MemoryResults } from '../../memory.js';
import type { QaResults } from '../../qa.js';
import type { QualityResults } from '../../quality.js';
import type { ThroughputResults } from '../../throughput.js';
import { STEP_NAMES } from '../parts/breakdown.js';
import { conditionsList, fixed, percent, provenance, table, thousands } from './markdown.js';
import type { ResultFile } from './results.js';

/** One Markdown section per result file: figures, then conditions, then provenance. */
const section = (title: string, result: ResultFile, body: string[]) =>
  [`## ${title}`, '', ...body, '', 'Conditions:', '', conditionsList(result.conditions), '', provenance(result), ''].join('\n');

/** The relevance floor on claims that all have an answer: how many it would answer with nothing. */
function floorNote(floor: NonNullable<QualityResults['floor']>): string {
  const parts = floor.map((f) => `${f.mode} ${f.nothingRelevant} of ${f.queries} (${fixed((100 * f.nothingRelevant) / Math.max(1, f.queries), 1)} %; ${f.relevantHeldBack} of them with a relevant abstract among the hits held back)`);
  const served = floor.filter((f) => f.servedNdcg10 !== undefined).map((f) => `${f.mode} ${fixed(f.servedNdcg10!, 4)}`);
  const order = served.length === 0 ? '' : ` nDCG@10 of the hits in the order the service shows them (folded, strong matches first, held-back hits counted): ${served.join(', ')}.`;
  return `The relevance floor on the claims, every one of which has a relevant abstract (searched as a user would: the search service, limit 10): answered "nothing relevant" for ${parts.join('; ')}.${order}`;
}

/** What the evaluation's ms/query holds (older result files measured the first mode with the index load and the embedding in it). */
function msPerQueryNote(queryEmbeddingMs: number | undefined): string {
  if (queryEmbeddingMs === undefined) return 'ms/query: wall time per query of each mode in turn; the first mode to run also paid for loading the index, and for embedding the queries the next modes found cached.';
  return `ms/query: ranking to depth 300 with the index loaded and the query vector at hand; embedding a query took ${fixed(queryEmbeddingMs, 1)} ms on average (once per query, before the modes ran).`;
}

export function qualitySection(r: ResultFile<QualityResults>, fusion?: ResultFile<FusionSummary>): string {
  const q = r.results;
  const rows = [
    ...q.modes.map((m) => [`**McDewey ${m.mode}**`, fixed(m.ndcg10, 4), fixed(m.recall10, 4), fixed(m.recall100, 4), fixed(m.mrr10, 4), fixed(m.msPerQuery, 1)]),
    ...q.baselines.map((b) => [`${b.system} (published)`, fixed(b.ndcg10, 4), fixed(b.recall10, 4), fixed(b.recall100, 4), '–', '–']),
  ];
  const body = [
    `BEIR SciFact test split: ${thousands(q.documents)} abstracts, ${q.queries} judged queries. Published rows are copied from ../shared/corpus/SOURCES.md (Anserini BM25 regressions, MTEB results); the McDewey rows run through the library's own chunking, BM25F, embedding and fusion (\`src/eval\`).`,
    '',
    table(['system', 'nDCG@10', 'Recall@10', 'Recall@100', 'MRR@10', 'ms/query'], rows),
    '',
    msPerQueryNote(q.modes.find((m) => m.queryEmbeddingMs !== undefined)?.queryEmbeddingMs),
    '',
    ...(q.floor ? [floorNote(q.floor), ''] : []),
    '![SciFact retrieval quality](quality.svg)',
  ];
  if (fusion) {
    const f = fusion.results;
    body.push(
      '',
      `Fusion weights are tuned on the **train** split (809 queries, ${f.trainCandidates} settings) by \`bench/tune-fusion.ts\` and reported once on test: ` +
        `chosen ${JSON.stringify(f.chosen)}; test nDCG@10 lexical only ${fixed(f.test.lexicalOnly.ndcg10, 4)} → fused ${fixed(f.test.chosen.ndcg10, 4)}. ` +
        (f.default !== undefined && f.test.default && JSON.stringify(f.default) !== JSON.stringify(f.chosen)
          ? `The engine's default is ${JSON.stringify(f.default)} (test nDCG@10 ${fixed(f.test.default.ndcg10, 4)}); README.md says why. `
          : '') +
        'Every setting tried is in [fusion-tuning.json](fusion-tuning.json).',
    );
  } else {
    body.push('', 'Fusion weights were tuned on the train split by `bench/tune-fusion.ts`; see [fusion-tuning.json](fusion-tuning.json).');
  }
  return section('1. Retrieval quality: BEIR SciFact', r, body);
}

const score3 = (s: KnownItemScores['strict']) => `${fixed(s.hit1, 3)} / ${fixed(s.hit5, 3)} / ${fixed(s.mrr10, 3)}`;

export function knownItemSection(r: ResultFile<KnownItemResults>): string {
  const k = r.results;
  const unique = k.items.filter((i) => i.uniqueInLibrary).length;
  const headings = k.items.filter((i) => i.kind === 'heading').length;
  const rows = k.scores.map((s) => [
    s.mode, s.filter === 'none' ? 'none (newest version preferred)' : 'right product + version',
    score3(s.strict), score3(s.folded), s.top1.right, s.top1.versionConfusion, s.versionConfusionsFoldedRight, s.top1.wrongPageRightDocument,
    s.top1.otherDocumentSameVersion, s.top1.otherProduct, fixed(s.uniqueQueries.strictHit1, 3), fixed(s.msPerQuery, 1),
  ]);
  return section('2. Known-item page search on the vendor PDFs', r, [
    `${k.items.length} queries built automatically from ${k.documents} PDFs (${k.pages} pages): for up to 6 sampled pages per document, a sentence printed on that page (${headings} headings where a page had no usable sentence) is the query and (document, page) the answer. ` +
      `${unique} of the queries appear verbatim in no other document; the other ${k.items.length - unique} are shared word for word with another version or revision, so only a version filter can tell the answer apart.`,
    '',
    '**Strict**: the hit itself is the answer page. **Folded**: the answer page is the hit or one of the versions folded into it (`alsoIn`). Top-1 outcome columns count queries by what ranked first (strict).',
    '',
    table(
      ['mode', 'version filter', 'strict hit@1 / hit@5 / MRR@10', 'folded hit@1 / hit@5 / MRR@10', 'top-1 right', 'version confusions', '…of which the answer is in alsoIn', 'wrong page, right document', 'other document, same version', 'other product', 'hit@1 on unique queries', 'ms/query'],
      rows,
    ),
  ]);
}

export function ingestSection(r: ResultFile<IngestResults>): string {
  const i = r.results;
  return section('3. Ingestion speed', r, [
    table(['measure', 'value'], [
      ['PDF conversion alone, in process (convertFile)', `${fixed(i.conversion.inProcessPagesPerSecond)} pages/s (${i.pages} pages in ${i.files} PDFs; passes ${i.conversion.inProcessSeconds.join(' / ')} s)`],
      ['PDF conversion alone, isolated worker (as `add` runs it)', `${fixed(i.conversion.isolatedPagesPerSecond)} pages/s (${fixed(i.conversion.isolatedSeconds)} s)`],
      ['`Library.add` end to end (model load excluded)', `${fixed(i.add.pagesPerSecond)} pages/s; ${fixed(i.add.totalSeconds)} s total, of which model load ${fixed(i.add.modelLoadSeconds)} s`],
      ['…phases: convert + chunk / embed / store', `${fixed(i.add.phases.convertAndChunkSeconds)} s / ${fixed(i.add.phases.embedSeconds)} s / ${fixed(i.add.phases.storeSeconds)} s`],
      ['Chunks', `${i.add.chunks} chunks, ${i.add.embedded} embedded (identical text across versions reuses vectors)`],
      ['Embedding during ingestion (add total − model load − conversion)', `${fixed(i.add.ingestChunksPerSecond)} chunks/s`],
      ['Embedding phase alone', `${fixed(i.add.embedPhaseChunksPerSecond)} chunks/s`],
      ['Raw model throughput, same texts, same run', `${fixed(i.raw.chunksPerSecond)} chunks/s (${i.raw.texts} texts, batch ${i.raw.batchSize}; ${fixed(i.raw.secondsBefore)} s before and ${fixed(i.raw.secondsAfter)} s after the add)`],
      ['**Ratio ingestion / raw**', `**${percent(i.ratio.ingest)}** (embedding phase alone ${percent(i.ratio.embedPhase)})`],
    ]),
  ]);
}

export function ingestWebSection(r: ResultFile<IngestWebResults>): string {
  const w = r.results;
  const s = w.search;
  return section('3b. Web ingestion and searching during ingestion', r, [
    `A site crawl started as a curator starts it (\`POST /api/jobs\`, lexical only) and run by the server's job thread: the FRR manual's ${w.pages} HTML pages fetched from 127.0.0.1, converted, chunked and indexed. Pages per second is pages added over the job's own run time.`,
    '',
    table(['crawl', 'conversion worker', 'seconds', 'pages/s', 'load avg'], w.crawls.map((c) => [c.version, c.warm ? 'warm' : 'cold (first job)', fixed(c.seconds, 2), fixed(c.pagesPerSecond), c.loadavg.join(' / ')])),
    '',
    `**${fixed(w.warmMedianPagesPerSecond)} pages/s** median once the server has run a job (its conversion worker is warm); ${fixed(w.coldPagesPerSecond)} pages/s for the first job, which also starts the worker and compiles the converter.`,
    '',
    `Searches (${s.queries} queries, HTTP, all versions) over the library of ${thousands(s.library.documents)} documents / ${thousands(s.library.chunks)} chunks, idle and while the job thread ingested the vendor PDFs (${s.job.documents} documents, ${s.job.pages} pages, ${fixed(s.job.seconds)} s):`,
    '',
    table(['searches', 'samples', 'p50 ms', 'p95 ms', 'mean ms'], [
      ['idle', s.idle.samples, fixed(s.idle.p50), fixed(s.idle.p95), fixed(s.idle.mean)],
      ['during ingestion', s.duringIngestion.samples, fixed(s.duringIngestion.p50), fixed(s.duringIngestion.p95), fixed(s.duringIngestion.mean)],
      ['**ratio**', '', `**${fixed(s.medianRatio, 2)}×**`, `${fixed(s.p95Ratio, 2)}×`, ''],
    ]),
  ]);
}

export function latencySection(r: ResultFile<LatencyResults>): string {
  const l = r.results;
  const rows = l.rows.map((row) => [
    `${row.size} (${thousands(row.chunks)} chunks)`, row.surface, row.mode,
    fixed(row.latencyMs.p50), fixed(row.latencyMs.p95), fixed(row.latencyMs.p99), fixed(row.latencyMs.mean), row.loadavg.join(' / '),
  ]);
  const steps = [...STEP_NAMES, 'search', 'json'];
  const breakdown = l.breakdown.map((b) => [
    `${b.size}`, ...steps.map((s) => (b.parts.steps[s] ? `${fixed(b.parts.steps[s]!.p50, 2)} / ${fixed(b.parts.steps[s]!.p95, 1)}` : '–')), String(b.parts.candidates),
  ]);
  return section('4. Query latency (warm, sequential)', r, [
    `${l.queries} fixed queries (${Object.entries(l.querySources).map(([k, v]) => `${v} ${k}`).join(', ')}); an untimed pass over all of them and ${l.warmup} warm-up queries first; then one request at a time, limit 10, the surfaces taking turns query by query. MCP \`search_docs\` always searches hybrid; \`mcp\` is the SDK client, \`mcp-post\` the same request as one raw POST.`,
    '',
    table(['library', 'surface', 'mode', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'load avg'], rows),
    '',
    ...(l.embedded && l.embedded.length > 0
      ? [
        'The hybrid rows above reuse cached query vectors (the warm-up asked every query). Hybrid in process with each query embedded (asked for the first time; the warm-up was lexical in process):',
        '',
        table(['library', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'load avg'], l.embedded.map((e) => [
          e.size, fixed(e.latencyMs.p50), fixed(e.latencyMs.p95), fixed(e.latencyMs.p99), fixed(e.latencyMs.mean), e.loadavg.join(' / '),
        ])),
        '',
      ]
      : []),
    '![Query latency](latency.svg)',
    '',
    'Where an in-process hybrid search spends its time (median / p95 ms per step, read from the search pipeline\'s trace hook: `filter` resolving filters, `lexical` BM25F, `embed` the query embedding, `vector` the in-memory vector index, `fuse`, `load` the candidate chunks, `fold` near-identical passages, `hits` snippets and hits; `search` = the whole call, `json` = serialising the response):',
    '',
    table(['library', ...steps, 'candidates folded'], breakdown),
  ]);
}

export function throughputSection(r: ResultFile<ThroughputResults>): string {
  const rows = r.results.rows.map((row) => [
    `${row.size} (${thousands(row.chunks)} chunks)`, row.endpoint, row.connections, fixed(row.requestsPerSecond), thousands(row.requests),
    row.latencyMs.p50, row.latencyMs.p90, row.latencyMs.p99, row.latencyMs.max, row.errors, row.timeouts, row.non2xx, row.rpcErrors, row.loadavg.join(' / '),
  ]);
  return section('5. Throughput under concurrency (autocannon)', r, [
    table(['library', 'endpoint', 'connections', 'req/s', 'requests', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors', 'timeouts', 'non-2xx', 'JSON-RPC errors', 'load avg'], rows),
    '',
    '![Throughput](throughput.svg)',
  ]);
}

export function memorySection(r: ResultFile<MemoryResults>): string {
  const rows = r.results.rows.map((row) => [
    row.library, thousands(row.documents), thousands(row.chunks), fixed(row.rssListeningMB), fixed(row.rssAfterWarmupMB), fixed(row.peakRssMB),
    fixed(row.indexBytes / 2 ** 20), fixed(row.markdownBytes / 2 ** 20), row.bytesPerChunk === null ? '–' : thousands(row.bytesPerChunk),
  ]);
  return section('6. Memory and disk', r, [
    table(['library', 'documents', 'chunks', 'RSS listening MB', `RSS after ${r.results.warmupQueries} searches MB`, 'peak RSS MB', 'index.sqlite MB', 'Markdown MB', 'bytes on disk per chunk'], rows),
  ]);
}

export function coldStartSection(r: ResultFile<ColdStartResults>): string {
  const rows = r.results.rows.map((row) => [
    `${row.size} (${thousands(row.chunks)} chunks)`, row.median.listeningMs, row.median.firstSearchMs, row.median.firstSearchCpuMs ?? '–', row.median.secondSearchMs,
    row.runs.map((run) => run.firstSearchMs).join(', '),
  ]);
  return section('7. Cold start', r, [
    `From spawning the server process to the first hybrid search answered over HTTP ("${r.results.query}"); median of ${r.results.rows[0]?.runs.length ?? 0} runs. The server listens once its index thread has loaded the saved search indexes and its search workers have started; the first search then reads the document catalog (ahead, in the worker that takes it) and, with an embedder, loads the model. CPU is the server's, every thread, up to the first answer.`,
    '',
    table(['library', 'listening ms', 'first search answered ms', 'CPU ms to first answer (all threads)', 'second search ms', 'first search, every run (ms)'], rows),
  ]);
}

export function ingestScalingSection(r: ResultFile<IngestScalingResults>): string {
  const rows = r.results.rows.map((row) => [
    row.library, thousands(row.before.documents), thousands(row.before.chunks), `${thousands(row.added)} of ${thousands(row.files)}${row.failed ? ` (${row.failed} failed)` : ''}`,
    fixed(row.wallSeconds, 1), fixed(row.cpuSeconds, 1), fixed(row.wallMsPerFile, 2), fixed(row.cpuMsPerFile, 2), fixed(row.peakRssMB), row.loadavgAtStart.map((l) => fixed(l, 1)).join(' '),
  ]);
  return section('7b. Ingestion cost per file as the library grows', r, [
    `The same ${thousands(r.results.rows[0]?.files ?? 0)} files (\`${r.results.input}\`, as product \`${r.results.labels.product}\` version ${r.results.labels.version}) added with \`Library.add\` to a copy of each library; flat rows mean an added file costs the same whatever the library already holds.`,
    '',
    table(['library', 'documents before', 'chunks before', 'files added', 'wall s', 'CPU s', 'wall ms per file', 'CPU ms per file', 'peak RSS MB', 'load average at start'], rows),
  ]);
}

const pair = (p: { hit1: number; hit5: number }) => `${fixed(p.hit1, 2)} / ${fixed(p.hit5, 2)}`;

export function qaSection(r: ResultFile<QaResults>): string {
  const q = r.results;
  const kinds = ['paraphrase', 'identifier', 'version'] as const;
  const rows = q.modes.map((m) => [
    m.mode,
    ...kinds.map((k) => (m.kinds[k] ? `${pair(m.kinds[k]!.strict)} (${pair(m.kinds[k]!.lenient)})` : '–')),
    `${m.unanswerable.recognised} of ${m.unanswerable.questions} (${percent(m.unanswerable.rate)})`,
    `${m.answerable.suppressed} of ${m.answerable.questions} (${percent(m.answerable.rate)})`,
    ...kinds.map((k) => (m.kinds[k] ? pair(m.kinds[k]!.endToEnd) : '–')),
    fixed(m.msPerQuery, 1),
  ]);
  const t = q.mcpTokens;
  return section('2b. Hand-written questions about the vendor PDFs', r, [
    `${q.modes[0]?.outcomes.length ?? 0} questions (${q.questionSet}) over a library of ${thousands(q.library.documents)} documents and ${thousands(q.library.chunks)} chunks, asked as search answers by default (top 5, no filters). ` +
      'hit@1 / hit@5 strict (the gold document and page; a hit\'s page is where its best match is), lenient in brackets (the same answer in another version or revision; never for version questions). ' +
      'Ranking figures include hits the relevance floor would hide; "recognised" counts unanswerable questions for which search said it found nothing relevant, "suppressed" answerable ones for which it said so wrongly, and the end-to-end columns count a suppressed question as a miss.',
    '',
    table(['mode', 'paraphrase hit@1 / hit@5', 'identifier hit@1 / hit@5', 'version hit@1 / hit@5', 'unanswerable recognised', 'answerable suppressed', 'paraphrase end to end', 'identifier end to end', 'version end to end', 'ms/query'], rows),
    '',
    `MCP output (${t.method}): tool list ${thousands(t.toolList.tokens)} tokens (${thousands(t.toolList.outputSchemaTokens)} of them output schemas; ${t.toolList.tools.map((x) => `${x.name} ${x.tokens}`).join(', ')}); ` +
      `search_docs ${t.search.tokensPerHit} tokens per hit, ${t.search.tokensPerResult} per result (${t.search.results} answerable questions with hits, ${t.search.hits} hits; the text block repeats the JSON as the protocol asks: ${t.search.textBlockTokensPerResult} tokens).`,
  ]);
}
