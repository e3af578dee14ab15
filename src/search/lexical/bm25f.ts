/**
 * The BM25F formula, written exactly as `../bm25.ts` evaluates it (same operations in the same
 * order), so that both rankers agree to the last bit:
 *   tfw   = Σ_f w_f·tf_f / (1 − b + b·len_f/avg_f)          (fields with the term, in field order)
 *   score = Σ_t qtf_t · idf_t · tfw·(k1 + 1)/(tfw + k1)      (query terms in query order)
 *   idf   = ln(1 + (N − df + 0.5)/(df + 0.5))
 * N, df and avg_f are exact over the live chunks of the whole index, never per segment. The
 * per-posting part lives in `posting-scorer.ts`.
 */
export function saturate(k1: number, tfw: number): number {
  return (tfw * (k1 + 1)) / (tfw + k1);
}

export function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Average field lengths as bm25.ts computes them: never below 1, N taken as at least 1. */
export function averageLengths(liveChunks: number, lengthSums: ArrayLike<number>): [number, number, number] {
  const n = Math.max(1, liveChunks);
  return [Math.max(1, lengthSums[0]! / n), Math.max(1, lengthSums[1]! / n), Math.max(1, lengthSums[2]! / n)];
}
