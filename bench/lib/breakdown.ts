import { createEmbedder, parseEmbedderSpec } from '../../src/embed/factory.js';
import { Bm25Ranker, DEFAULT_BM25 } from '../../src/search/bm25.js';
import { resolveFilter } from '../../src/search/filters.js';
import { groupNearDuplicates } from '../../src/search/fold-versions.js';
import { fuseRanks } from '../../src/search/fusion.js';
import { parseQuery } from '../../src/search/query.js';
import { DEFAULT_TUNING } from '../../src/search/search-service.js';
import type { Library } from '../../src/service/library.js';
import { VectorIndex } from '../../src/search/vector-index.js';
import { SEARCH_LIMIT } from './clients.js';
import { summarizeLatency, type LatencySummary } from './stats.js';

/**
 * Where a warm hybrid search spends its time, by calling the same functions SearchService.search
 * calls, one step at a time, with the same inputs: listing the documents (no filter), BM25F,
 * embedding the query, the in-memory vector index (and, for comparison, sqlite-vec's exact KNN,
 * which search no longer uses), fusion, loading the candidate chunks, folding versions, and the
 * whole library.search. "rest" is what the whole search takes beyond the steps
 * (snippets, sorting, building hits). Each step's median is over the query set.
 */
export interface Breakdown {
  /** Mean number of chunks that reach version folding. */
  candidates: number;
  /** Postings BM25F reads per query (a count, summarised like the times). */
  postingsPerQuery: LatencySummary;
  /**
   * documents, bm25, embedQuery, knn, fusion, loadChunks, foldVersions, search, rest, json;
   * bm25Postings (reading the postings alone, part of bm25) and sqliteVecKnn (for comparison).
   */
  steps: Record<string, LatencySummary>;
}

export const STEP_NAMES = ['documents', 'bm25', 'embedQuery', 'knn', 'fusion', 'loadChunks', 'foldVersions'] as const;

export async function searchBreakdown(library: Library, queries: string[]): Promise<Breakdown> {
  const store = library.store;
  const spec = library.embedderName ?? 'none';
  const embedder = createEmbedder(parseEmbedderSpec(spec));
  await embedder?.init();
  const ranker = new Bm25Ranker(store, DEFAULT_BM25);
  const vectorIndex = new VectorIndex(store);
  const depth = DEFAULT_TUNING.depth;
  const parts: Record<string, number[]> = {};
  const time = <T>(name: string, f: () => T): T => {
    const started = performance.now();
    const value = f();
    (parts[name] ??= []).push(performance.now() - started);
    return value;
  };
  const timeAsync = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await f();
    (parts[name] ??= []).push(performance.now() - started);
    return value;
  };
  let candidateCount = 0;
  const postingCounts: number[] = [];
  try {
    // Both keep statistics or vectors in memory after their first call; that load is not per query.
    ranker.search(parseQuery(queries[0] ?? ''), depth);
    if (embedder) vectorIndex.search(await embedder.embedQuery(queries[0] ?? ''), depth);
    for (const query of queries) {
      const documents = time('documents', () => resolveFilter(store, {}));
      const lexical = time('bm25', () => ranker.search(parseQuery(query), depth));
      const terms = [...parseQuery(query).terms.keys()];
      postingCounts.push(time('bm25Postings', () => terms.reduce((n, term) => n + store.postings(term).length, 0)));
      const queryVector = embedder ? await timeAsync('embedQuery', () => embedder.embedQuery(query)) : undefined;
      const vector = queryVector ? time('knn', () => vectorIndex.search(queryVector, depth)) : [];
      if (queryVector) time('sqliteVecKnn', () => store.vectorSearch(queryVector, depth));
      const fused = time('fusion', () => fuseRanks(lexical, vector, DEFAULT_TUNING.fusion));
      const chunks = time('loadChunks', () => store.chunksByRowid(fused.map((r) => r.rowid)));
      const docs = new Map(documents.map((d) => [d.rowid, d]));
      const candidates = chunks.flatMap((chunk) => {
        const doc = docs.get(chunk.docRowid);
        return doc ? [{ product: doc.key.product, version: doc.key.version, text: chunk.text }] : [];
      });
      candidateCount += candidates.length;
      time('foldVersions', () => groupNearDuplicates(candidates));
      const response = await timeAsync('search', () => library.search({ query, mode: 'hybrid', limit: SEARCH_LIMIT }));
      time('json', () => JSON.stringify(response));
    }
  } finally {
    await embedder?.close();
  }
  const rest = (parts['search'] ?? []).map((total, i) => Math.max(0, total - STEP_NAMES.reduce((s, n) => s + (parts[n]?.[i] ?? 0), 0)));
  const steps = Object.fromEntries(Object.entries({ ...parts, rest }).map(([name, times]) => [name, summarizeLatency(times)]));
  return { candidates: Math.round(candidateCount / Math.max(1, queries.length)), postingsPerQuery: summarizeLatency(postingCounts), steps };
}
