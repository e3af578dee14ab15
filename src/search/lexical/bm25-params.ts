/**
 * The BM25F settings of the lexical index. FTS5's built-in bm25() fixed k1 = 1.2 and b = 0.75 and
 * scored fields separately; field-weighted term frequencies with tuned k1/b rank documentation
 * measurably better (see bench/), so the index computes BM25F itself (see bm25f.ts).
 */
export interface Bm25Params {
  k1: number;
  b: number;
  /** Weights of title, headings and body term frequencies. */
  fieldWeights: [number, number, number];
  /** Score multiplier for chunks containing a query phrase or identifier verbatim. */
  phraseBoost: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 0.9, b: 0.4, fieldWeights: [1.5, 1.2, 1], phraseBoost: 0.5 };
