import type { Bm25Params } from '../bm25.js';

/**
 * The BM25F formula, in one place, written exactly as `../bm25.ts` evaluates it (same operations in
 * the same order), so that both rankers agree to the last bit on a field-by-field basis.
 *   tfw   = Σ_f w_f·tf_f / (1 − b + b·len_f/avg_f)          (fields with the term, in field order)
 *   score = Σ_t qtf_t · idf_t · tfw·(k1 + 1)/(tfw + k1)      (query terms in query order)
 *   idf   = ln(1 + (N − df + 0.5)/(df + 0.5))
 * N, df and avg_f are exact over the live chunks of the whole index, never per segment.
 */
export interface FieldScorer {
  b: number;
  w0: number;
  w1: number;
  w2: number;
  /** Average title, headings and body lengths. */
  a0: number;
  a1: number;
  a2: number;
}

export function fieldScorer(params: Bm25Params, averages: ArrayLike<number>): FieldScorer {
  const [w0, w1, w2] = params.fieldWeights;
  return { b: params.b, w0, w1, w2, a0: averages[0]!, a1: averages[1]!, a2: averages[2]! };
}

/** Field-weighted, length-normalised term frequency of one posting. */
export function postingTfw(s: FieldScorer, title: number, headings: number, body: number, lenT: number, lenH: number, lenB: number): number {
  let tfw = 0;
  if (title !== 0) tfw += (s.w0 * title) / (1 - s.b + (s.b * lenT) / s.a0);
  if (headings !== 0) tfw += (s.w1 * headings) / (1 - s.b + (s.b * lenH) / s.a1);
  if (body !== 0) tfw += (s.w2 * body) / (1 - s.b + (s.b * lenB) / s.a2);
  return tfw;
}

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
