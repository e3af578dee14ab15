import type { Bm25Params } from './bm25-params.js';
import { EXCEPTION, exceptionIndex } from './tf-code.js';

/** The arrays a posting's exact score is read from. */
export interface TfSource {
  lengths: Uint32Array;
  tfCodes: Uint8Array;
  exceptionAt: Uint32Array;
  exceptionTf: Uint32Array;
}

/**
 * Exact BM25F of one posting under given average field lengths (see `bm25f.ts`): one object per
 * segment and query, so that the search loops read parameters and arrays from fixed fields.
 */
export class PostingScorer {
  private readonly lengths: Uint32Array;
  private readonly bodyNorms: Float64Array;
  private readonly tfCodes: Uint8Array;
  private readonly exceptionAt: Uint32Array;
  private readonly exceptionTf: Uint32Array;
  private readonly b: number;
  private readonly w0: number;
  private readonly w1: number;
  private readonly w2: number;
  private readonly a0: number;
  private readonly a1: number;
  private readonly a2: number;
  private readonly k1: number;
  private readonly k1Plus1: number;

  constructor(source: TfSource, params: Bm25Params, averages: ArrayLike<number>) {
    this.lengths = source.lengths;
    this.tfCodes = source.tfCodes;
    this.exceptionAt = source.exceptionAt;
    this.exceptionTf = source.exceptionTf;
    this.b = params.b;
    [this.w0, this.w1, this.w2] = params.fieldWeights;
    this.a0 = averages[0]!;
    this.a1 = averages[1]!;
    this.a2 = averages[2]!;
    this.k1 = params.k1;
    this.k1Plus1 = params.k1 + 1;
    this.bodyNorms = bodyNorms(source.lengths, this.b, this.a2);
  }

  /** Field-weighted, length-normalised term frequency of posting p (in chunk `doc`). */
  tfw(p: number, doc: number): number {
    const code = this.tfCodes[p]!;
    let title: number;
    let headings: number;
    let body: number;
    if (code !== EXCEPTION) {
      title = code >>> 6;
      headings = (code >>> 4) & 3;
      body = code & 15;
    } else {
      const e = 3 * exceptionIndex(this.exceptionAt, p);
      title = this.exceptionTf[e]!;
      headings = this.exceptionTf[e + 1]!;
      body = this.exceptionTf[e + 2]!;
    }
    const l = 3 * doc;
    const b = this.b;
    let tfw = 0;
    if (title !== 0) tfw += (this.w0 * title) / (1 - b + (b * this.lengths[l]!) / this.a0);
    if (headings !== 0) tfw += (this.w1 * headings) / (1 - b + (b * this.lengths[l + 1]!) / this.a1);
    if (body !== 0) tfw += (this.w2 * body) / this.bodyNorms[doc]!;
    return tfw;
  }

  /** A term's contribution: weight (qtf · idf) times the saturated tfw of posting p. */
  contribution(weight: number, p: number, doc: number): number {
    const tfw = this.tfw(p, doc);
    return weight * ((tfw * this.k1Plus1) / (tfw + this.k1));
  }

  /**
   * `contribution` up to a few units in the last place, for pruning (whose tests allow a relative
   * 1e-9): the same value with the saturation folded into one division, w·tf·(k1 + 1)/(w·tf + k1·norm),
   * one division instead of two for a posting in the body alone (most of them).
   */
  estimate(weight: number, p: number, doc: number): number {
    const code = this.tfCodes[p]!;
    if (code !== EXCEPTION && code < 16) {
      const a = this.w2 * code;
      return (weight * this.k1Plus1 * a) / (a + this.k1 * this.bodyNorms[doc]!);
    }
    const tfw = this.tfw(p, doc);
    return (weight * this.k1Plus1 * tfw) / (tfw + this.k1);
  }
}

/**
 * Each chunk's body length normaliser, 1 − b + b·len/avg, computed as `tfw` would compute it (so the
 * same bits), once per segment and averages rather than once per posting: most postings are in the
 * body alone, and this saves them a division. One entry per thread and segment; the averages move
 * only when the index changes.
 */
const cachedNorms = new WeakMap<Uint32Array, { b: number; average: number; norms: Float64Array }>();

function bodyNorms(lengths: Uint32Array, b: number, average: number): Float64Array {
  const cached = cachedNorms.get(lengths);
  if (cached && cached.b === b && cached.average === average) return cached.norms;
  const norms = new Float64Array(lengths.length / 3);
  for (let doc = 0; doc < norms.length; doc++) norms[doc] = 1 - b + (b * lengths[3 * doc + 2]!) / average;
  cachedNorms.set(lengths, { b, average, norms });
  return norms;
}
