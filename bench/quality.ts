import fs from 'node:fs';
import path from 'node:path';
import { createEmbedder, parseEmbedderSpec } from '../src/embed/factory.js';
import { loadBeir } from '../src/eval/beir-dataset.js';
import { evaluate, openEvalIndex, type EvalResult } from '../src/eval/beir-eval.js';
import { ndcgAt } from '../src/eval/metrics.js';
import type { BeirDataset } from '../src/eval/beir-dataset.js';
import type { Embedder } from '../src/embed/embedder.js';
import { LocalIndexes } from '../src/search/indexes/local-indexes.js';
import { CachedQueryVectors } from '../src/search/query-vectors.js';
import { DEFAULT_TUNING, SearchEngine } from '../src/search/search-engine.js';
import { isRelevant } from '../src/search/relevance.js';
import { runSearch } from '../src/service/search.js';
import type { SearchMode } from '../src/service/types.js';
import type { LibraryStore } from '../src/store/store.js';
import { log } from './lib/run/log.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { corpus, displayPath, WORK_DIR } from './lib/run/paths.js';
import { measure, type ResultFile } from './lib/report/results.js';

/**
 * BEIR SciFact test split through the library's own chunking, analysis, embedding and ranking
 * (src/eval), next to published baselines. The evaluation index is cached in bench/work/eval.
 */
export interface Baseline {
  system: string;
  ndcg10: number;
  recall10?: number;
  recall100?: number;
  source: string;
}

/** From ../shared/corpus/SOURCES.md (what each number is and where it was read). */
export const SCIFACT_BASELINES: Baseline[] = [
  { system: 'BM25, Anserini flat', ndcg10: 0.6789, recall100: 0.9253, source: 'castorini/anserini regressions-beir-v1.0.0-scifact.flat' },
  { system: 'BM25, Anserini multifield', ndcg10: 0.6647, recall100: 0.9076, source: 'castorini/anserini regressions-beir-v1.0.0-scifact.multifield' },
  { system: 'all-MiniLM-L6-v2', ndcg10: 0.6451, recall10: 0.7833, recall100: 0.925, source: 'MTEB paper results' },
  { system: 'bge-small-en-v1.5', ndcg10: 0.7127, recall10: 0.8362, recall100: 0.945, source: 'MTEB results' },
];

export interface QualityResults {
  dataset: string;
  documents: number;
  queries: number;
  /** Seconds the cached evaluation index took to build, when it was built (null when unknown). */
  indexBuiltSeconds: number | null;
  modes: EvalResult[];
  /** Per mode: the claims, all answerable, that the relevance floor answers with "nothing relevant" (hits: []). */
  floor?: FloorOnClaims[];
  baselines: Baseline[];
}

export interface FloorOnClaims {
  mode: SearchMode;
  queries: number;
  /** Claims searched as a user would (the search service, limit 10) that got "nothing relevant". */
  nothingRelevant: number;
  /** Of those, the claims whose relevant abstract was among the 10 hits the floor held back. */
  relevantHeldBack: number;
  /**
   * nDCG@10 of the hits as the service orders them (folded, strong matches first: match-order.ts),
   * with the hits the floor held back counted where they stood. The modes' nDCG above is the ranking's.
   */
  servedNdcg10?: number;
}

export async function runQuality(options: BenchOptions): Promise<ResultFile<QualityResults>> {
  const workDir = path.join(WORK_DIR, 'eval');
  const conditions = {
    corpus: displayPath(corpus.scifact), split: 'test', embedder: options.embedder, depth: 300,
    note: 'each abstract is one document; a document ranks at its best chunk',
  };
  return measure('quality', commandFor('quality', options, ['embedder']), conditions, async () => {
    const dataset = await loadBeir(corpus.scifact, 'test');
    const embedder = createEmbedder(parseEmbedderSpec(options.embedder));
    const started = performance.now();
    let built = false;
    const { store, idBySlug } = await openEvalIndex(dataset, workDir, embedder, ({ done, total }) => {
      built = true;
      if (done % 1024 === 0 || done === total) log(`quality: indexing SciFact ${done}/${total}`);
    });
    // The build time is kept beside the cached index, so that the report can say what a first run costs.
    const buildRecord = path.join(workDir, `${dataset.name}-${options.embedder.replace(/[^a-z0-9.-]+/gi, '_')}.build.json`);
    if (built) fs.writeFileSync(buildRecord, `${JSON.stringify({ seconds: Math.round((performance.now() - started) / 1000) })}\n`);
    const indexBuiltSeconds = fs.existsSync(buildRecord) ? (JSON.parse(fs.readFileSync(buildRecord, 'utf8')) as { seconds: number }).seconds : null;
    try {
      log('quality: evaluating lexical, vector and hybrid');
      const modes = await evaluate(dataset, store, idBySlug, embedder, ['lexical', 'vector', 'hybrid']);
      log('quality: the relevance floor on the claims');
      const floor = await floorOnClaims(dataset, store, idBySlug, embedder, embedder ? ['lexical', 'hybrid'] : ['lexical']);
      for (const f of floor) log(`quality: ${f.mode}: ${f.nothingRelevant} of ${f.queries} claims answered "nothing relevant" (${f.relevantHeldBack} of them with a relevant abstract in the top 10); nDCG@10 as served ${f.servedNdcg10}`);
      return {
        dataset: dataset.name, documents: dataset.corpus.length, queries: modes[0]?.queries ?? 0,
        indexBuiltSeconds, modes, floor, baselines: SCIFACT_BASELINES,
      };
    } finally {
      store.close();
      await embedder?.close();
    }
  });
}

/**
 * Every SciFact claim has a relevant abstract, so each one the relevance floor answers with
 * "nothing relevant" is an answerable query suppressed: a second answerable set beside the
 * question set's, in other words than the vendor manuals', that the floor was never tuned on.
 */
async function floorOnClaims(dataset: BeirDataset, store: LibraryStore, idBySlug: Map<string, string>, embedder: Embedder | null, modes: SearchMode[]): Promise<FloorOnClaims[]> {
  const indexes = new LocalIndexes(store, { params: DEFAULT_TUNING.bm25 });
  const queryVectors = embedder && new CachedQueryVectors(embedder.name, (query) => embedder.embedQuery(query));
  const engine = new SearchEngine(store, () => indexes.current(), queryVectors, DEFAULT_TUNING);
  const claims = [...dataset.qrels].filter(([id]) => dataset.queries.has(id));
  const abstractOf = new Map(store.documents().map((d) => [d.docId, idBySlug.get(d.key.document)]));
  const results: FloorOnClaims[] = [];
  for (const mode of modes) {
    let nothingRelevant = 0;
    let relevantHeldBack = 0;
    let ndcg = 0;
    for (const [id, qrels] of claims) {
      const query = dataset.queries.get(id)!;
      // With includeWeak the response judges the query as without it (bestMatch) and still returns the hits the floor would hold back.
      const response = await runSearch(engine, store, { query, mode, limit: 10, includeWeak: true });
      ndcg += ndcgAt([...new Set(response.hits.map((hit) => abstractOf.get(hit.docId) ?? hit.docId))], qrels, 10);
      if (isRelevant(response.bestMatch)) continue;
      nothingRelevant++;
      if (response.hits.some((hit) => (qrels.get(abstractOf.get(hit.docId) ?? '') ?? 0) > 0)) relevantHeldBack++;
    }
    results.push({ mode, queries: claims.length, nothingRelevant, relevantHeldBack, servedNdcg10: Math.round((ndcg / Math.max(1, claims.length)) * 1e4) / 1e4 });
  }
  return results;
}
