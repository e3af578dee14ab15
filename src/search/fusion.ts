import type { ScoredRowid } from '../store/store.js';

/**
 * How the lexical and vector lists become one ranking. With an embedder that is not
 * retrieval-trained (USE-lite, the default), letting the vector list add candidates of its own
 * brings in look-alike pages of other products and ranks worse than lexical alone; so by default
 * the vector side only re-orders what lexical search found. Weights are tuned on SciFact's train
 * split (bench/tune-fusion.ts).
 *
 * - `rrf`: weighted reciprocal rank fusion of both lists, Σ w / (k + rank).
 * - `convex`: Σ w · normalised score over both lists, scores min–max normalised within each list's
 *   top results (a candidate missing from a list gets 0 from it). Keeps the margins RRF throws away.
 * - `rerank`: `convex` over the lexical candidates only; the vector list adds evidence, never
 *   candidates. Its list is the candidates' own similarities (the engine reads only their
 *   vectors), min–max normalised among them. Lexical scores are divided by the best one rather
 *   than min–max normalised. When lexical search finds nothing at all (no query word is in the library), the
 *   vector list is the answer, and the relevance floor judges it.
 *
 * With `adaptive`, the vector weight shrinks with how much of the query the best lexical passage
 * already holds (its window coverage, see match-evidence.ts): a passage holding every word of the
 * query together leaves semantic similarity nothing to add, one holding half of them leaves it half.
 */
export interface FusionParams {
  method: 'rrf' | 'convex' | 'rerank';
  k: number;
  lexicalWeight: number;
  vectorWeight: number;
  adaptive?: boolean;
}

// Chosen on SciFact train with use-lite: see bench/results/fusion-tuning.json.
export const DEFAULT_FUSION: FusionParams = { method: 'rerank', k: 60, lexicalWeight: 1, vectorWeight: 0.5, adaptive: true };

/** The vector list's weight for one query; `lexicalCoverage` is the best lexical passage's window coverage (0..1). */
export function vectorWeightFor(params: FusionParams, lexicalCoverage: number): number {
  return params.adaptive ? params.vectorWeight * (1 - Math.min(1, Math.max(0, lexicalCoverage))) : params.vectorWeight;
}

export function fuseRanks(lexical: ScoredRowid[], vector: ScoredRowid[], params: FusionParams = DEFAULT_FUSION, lexicalCoverage = 0): ScoredRowid[] {
  if (params.method === 'rerank' && lexical.length === 0) return vector;
  const fused = new Map<number, number>();
  const admitted = params.method === 'rerank' ? new Set(lexical.map((r) => r.rowid)) : undefined;
  const addList = (list: ScoredRowid[], weight: number, fromZero = false) => {
    if (list.length === 0) return;
    const max = list[0]!.score;
    const min = fromZero ? 0 : list[list.length - 1]!.score;
    const range = max - min || 1;
    list.forEach(({ rowid, score }, index) => {
      if (admitted && !admitted.has(rowid)) return;
      const contribution = params.method === 'rrf' ? 1 / (params.k + index + 1) : (score - min) / range;
      fused.set(rowid, (fused.get(rowid) ?? 0) + weight * contribution);
    });
  };
  // BM25 scores have a natural zero: divided by the best, they stay proportional to the lexical
  // score, so the boosts applied after fusion (identifiers, versions, named products) weigh the
  // same in hybrid as in lexical search. Vector similarities are min–max normalised.
  addList(lexical, params.lexicalWeight, params.method === 'rerank');
  addList(vector, vectorWeightFor(params, lexicalCoverage));
  return [...fused].map(([rowid, score]) => ({ rowid, score })).sort((a, b) => b.score - a.score || a.rowid - b.rowid);
}
