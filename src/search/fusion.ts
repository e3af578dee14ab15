import type { ScoredRowid } from '../store/store.js';

/**
 * Weighted reciprocal rank fusion. With an embedder that is not retrieval-trained, equal weights
 * make results worse than lexical alone; the weights are tuned on SciFact's train split (see
 * bench/) and the lexical list carries most of the weight.
 */
export interface FusionParams {
  k: number;
  lexicalWeight: number;
  vectorWeight: number;
}

export const DEFAULT_FUSION: FusionParams = { k: 60, lexicalWeight: 1, vectorWeight: 0.35 };

export function fuseRanks(lexical: ScoredRowid[], vector: ScoredRowid[], params: FusionParams = DEFAULT_FUSION): ScoredRowid[] {
  const fused = new Map<number, number>();
  const addList = (list: ScoredRowid[], weight: number) => {
    list.forEach(({ rowid }, index) => {
      fused.set(rowid, (fused.get(rowid) ?? 0) + weight / (params.k + index + 1));
    });
  };
  addList(lexical, params.lexicalWeight);
  addList(vector, params.vectorWeight);
  return [...fused].map(([rowid, score]) => ({ rowid, score })).sort((a, b) => b.score - a.score || a.rowid - b.rowid);
}
