import type { ScoredRowid } from '../store/store.js';

/**
 * How the lexical and vector lists become one ranking. With an embedder that is not
 * retrieval-trained, equal-weight fusion ranks worse than lexical alone, so the lexical side
 * carries most of the weight; weights are tuned on SciFact's train split (bench/tune-fusion.ts).
 *
 * - `rrf`: weighted reciprocal rank fusion, Σ w / (k + rank).
 * - `convex`: Σ w · normalised score, scores min–max normalised within each list's top results
 *   (a document missing from a list gets 0 from it). Keeps the score margins RRF throws away.
 */
export interface FusionParams {
  method: 'rrf' | 'convex';
  k: number;
  lexicalWeight: number;
  vectorWeight: number;
}

// Chosen on SciFact train with use-lite: see bench/results/fusion-tuning.json.
export const DEFAULT_FUSION: FusionParams = { method: 'convex', k: 60, lexicalWeight: 1, vectorWeight: 0.3 };

export function fuseRanks(lexical: ScoredRowid[], vector: ScoredRowid[], params: FusionParams = DEFAULT_FUSION): ScoredRowid[] {
  const fused = new Map<number, number>();
  const addList = (list: ScoredRowid[], weight: number) => {
    if (weight === 0 || list.length === 0) return;
    const max = list[0]!.score;
    const min = list[list.length - 1]!.score;
    const range = max - min || 1;
    list.forEach(({ rowid, score }, index) => {
      const contribution = params.method === 'rrf' ? 1 / (params.k + index + 1) : (score - min) / range;
      fused.set(rowid, (fused.get(rowid) ?? 0) + weight * contribution);
    });
  };
  addList(lexical, params.lexicalWeight);
  addList(vector, params.vectorWeight);
  // Every candidate stays in the list even at zero weight, after everything that scored.
  for (const { rowid } of [...lexical, ...vector]) if (!fused.has(rowid)) fused.set(rowid, 0);
  return [...fused].map(([rowid, score]) => ({ rowid, score })).sort((a, b) => b.score - a.score || a.rowid - b.rowid);
}
