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
  /** Per chunk, the length normalisers of title, headings and body (`fieldNorms`). */
  private readonly titleNorms: Float64Array;
  private readonly headingNorms: Float64Array;
  private readonly bodyNorms: Float64Array;
  private readonly tfCodes: Uint8Array;
  private readonly exceptionAt: Uint32Array;
  private readonly exceptionTf: Uint32Array;
  private readonly w0: number;
  private readonly w1: number;
  private readonly w2: number;
  private readonly k1: number;
  private readonly k1Plus1: number;
  /** Whether `estimate` may rearrange the formula (see there). */
  private readonly estimates: boolean;

  constructor(source: TfSource, params: Bm25Params, averages: ArrayLike<number>) {
    this.tfCodes = source.tfCodes;
    this.exceptionAt = source.exceptionAt;
    this.exceptionTf = source.exceptionTf;
    [this.w0, this.w1, this.w2] = params.fieldWeights;
    this.k1 = params.k1;
    this.k1Plus1 = params.k1 + 1;
    this.estimates = params.fieldWeights.every((w) => w === 0 || w >= MIN_ESTIMATED_WEIGHT);
    [this.titleNorms, this.headingNorms, this.bodyNorms] = fieldNorms(source.lengths, params.b, averages);
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
    let tfw = 0;
    if (title !== 0) tfw += (this.w0 * title) / this.titleNorms[doc]!;
    if (headings !== 0) tfw += (this.w1 * headings) / this.headingNorms[doc]!;
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
   * one division instead of two for a posting in the body alone (most of them). With a field weight
   * so small that the products fall among subnormal numbers, whose precision is lost, it is exact.
   */
  estimate(weight: number, p: number, doc: number): number {
    if (!this.estimates) return this.contribution(weight, p, doc);
    const code = this.tfCodes[p]!;
    if (code !== EXCEPTION && code < 16) {
      const a = this.w2 * code;
      return (weight * this.k1Plus1 * a) / (a + this.k1 * this.bodyNorms[doc]!);
    }
    const tfw = this.tfw(p, doc);
    return (weight * this.k1Plus1 * tfw) / (tfw + this.k1);
  }
}

/** Products of a weight this small with the other factors stay far above the subnormal range. */
const MIN_ESTIMATED_WEIGHT = 1e-100;

/**
 * Each chunk's length normaliser per field, 1 − b + b·len/avg, computed as BM25F defines it (so the
 * same bits whoever computes it), once per segment and averages rather than once per posting. One
 * entry per thread and segment (24 bytes a chunk); the averages move only when the index changes.
 */
type FieldNorms = [Float64Array, Float64Array, Float64Array];
const cachedNorms = new WeakMap<Uint32Array, { b: number; averages: readonly number[]; norms: FieldNorms }>();

/** One array per field, so that the body's, read for most postings, are packed tight. */
function fieldNorms(lengths: Uint32Array, b: number, averages: ArrayLike<number>): FieldNorms {
  const cached = cachedNorms.get(lengths);
  if (cached && cached.b === b && cached.averages.every((a, f) => a === averages[f])) return cached.norms;
  const count = lengths.length / 3;
  const norms: FieldNorms = [new Float64Array(count), new Float64Array(count), new Float64Array(count)];
  for (let f = 0; f < 3; f++) {
    const field = norms[f]!;
    const average = averages[f]!;
    for (let doc = 0; doc < count; doc++) field[doc] = 1 - b + (b * lengths[3 * doc + f]!) / average;
  }
  cachedNorms.set(lengths, { b, averages: [averages[0]!, averages[1]!, averages[2]!], norms });
  return norms;
}
