import type { Library } from '../../../src/service/library.js';
import type { SearchStep } from '../../../src/search/trace.js';
import { SEARCH_LIMIT } from './clients.js';
import { summarizeLatency, type LatencySummary } from './stats.js';

/**
 * Where a warm hybrid search spends its time, read from the search pipeline's own trace hook (the
 * same code that serves requests, not a copy of its steps): resolving the filter, parsing, BM25F,
 * embedding the query, the vector index, fusion, finding the candidates' documents, folding versions
 * (reading the rows of the passages judged and shown),
 * building the hits; `search` is the whole call and `json` serialising its response. Each step's
 * summary is over the query set.
 */
export interface Breakdown {
  /** Mean number of chunks that reach version folding (the last fold's, when a search folds again deeper). */
  candidates: number;
  steps: Record<string, LatencySummary>;
}

export const STEP_NAMES: readonly SearchStep[] = ['filter', 'parse', 'lexical', 'embed', 'vector', 'fuse', 'load', 'fold', 'hits'];

export async function searchBreakdown(library: Library, queries: string[]): Promise<Breakdown> {
  const parts: Record<string, number[]> = {};
  let candidates = 0;
  const record = (name: string, ms: number) => (parts[name] ??= []).push(ms);
  // The first search loads the in-memory indexes; that is not per query.
  await library.search({ query: queries[0] ?? '', mode: 'hybrid', limit: SEARCH_LIMIT });
  for (const query of queries) {
    // A search that folds its candidates into too few passages ranks and folds again deeper
    // (SearchEngine.collectEnough): its steps are summed, one sample per query.
    const spent = new Map<SearchStep, number>();
    let folded = 0;
    const trace = {
      step(name: SearchStep, ms: number, counts?: Readonly<Record<string, number>>) {
        spent.set(name, (spent.get(name) ?? 0) + ms);
        if (name === 'fold') folded = counts?.['candidates'] ?? 0;
      },
    };
    const started = performance.now();
    const response = await library.search({ query, mode: 'hybrid', limit: SEARCH_LIMIT }, trace);
    record('search', performance.now() - started);
    for (const [name, ms] of spent) record(name, ms);
    candidates += folded;
    const json = performance.now();
    JSON.stringify(response);
    record('json', performance.now() - json);
  }
  const steps = Object.fromEntries(Object.entries(parts).map(([name, times]) => [name, summarizeLatency(times)]));
  return { candidates: Math.round(candidates / Math.max(1, queries.length)), steps };
}
