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
  if (params.method === 'rerank') return lexical.length === 0 ? vector : rerank(lexical, vector, params, vectorWeightFor(params, lexicalCoverage));
  const fused = new Map<number, number>();
  const addList = (list: ScoredRowid[], weight: number) => {
    if (list.length === 0) return;
    const max = list[0]!.score;
    const min = list[list.length - 1]!.score;
    const range = max - min || 1;
    list.forEach(({ rowid, score }, index) => {
      const contribution = params.method === 'rrf' ? 1 / (params.k + index + 1) : (score - min) / range;
      fused.set(rowid, (fused.get(rowid) ?? 0) + weight * contribution);
    });
  };
  addList(lexical, params.lexicalWeight);
  addList(vector, vectorWeightFor(params, lexicalCoverage));
  return [...fused].map(([rowid, score]) => ({ rowid, score })).sort(byScore);
}

const byScore = (a: ScoredRowid, b: ScoredRowid) => b.score - a.score || a.rowid - b.rowid;

/**
 * `rerank` over the lexical candidates, one score per candidate in a typed array. BM25 scores have
 * a natural zero: divided by the best, they stay proportional to the lexical score, so the boosts
 * applied after fusion (identifiers, versions, named products) weigh the same in hybrid as in
 * lexical search. Vector similarities are min–max normalised among the candidates. Each sum is
 * formed as it always was (0 + lexical part, then + vector part, in list order), so the scores are
 * the same to the bit; a vector side of weight 0 adds exactly 0 and is not read.
 */
function rerank(lexical: ScoredRowid[], vector: ScoredRowid[], params: FusionParams, vectorWeight: number): ScoredRowid[] {
  const n = lexical.length;
  const sums = new Float64Array(n);
  /** Position of each candidate's first entry; a rowid listed twice adds both entries there, as one sum per rowid did. */
  const at = new Map<number, number>();
  const lexicalRange = lexical[0]!.score || 1;
  for (let i = 0; i < n; i++) {
    const { rowid, score } = lexical[i]!;
    let first = at.get(rowid);
    if (first === undefined) at.set(rowid, (first = i));
    sums[first] = sums[first]! + params.lexicalWeight * (score / lexicalRange);
  }
  if (vectorWeight !== 0 && vector.length > 0) {
    const max = vector[0]!.score;
    const min = vector[vector.length - 1]!.score;
    const range = max - min || 1;
    for (const { rowid, score } of vector) {
      const i = at.get(rowid);
      if (i !== undefined) sums[i] = sums[i]! + vectorWeight * ((score - min) / range);
    }
  }
  const fused: ScoredRowid[] = [];
  for (let i = 0; i < n; i++) if (at.get(lexical[i]!.rowid) === i) fused.push({ rowid: lexical[i]!.rowid, score: sums[i]! });
  return fused.sort(byScore);
}
