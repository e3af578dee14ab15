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
    if (body !== 0) tfw += (this.w2 * body) / (1 - b + (b * this.lengths[l + 2]!) / this.a2);
    return tfw;
  }

  /** A term's contribution: weight (qtf · idf) times the saturated tfw of posting p. */
  contribution(weight: number, p: number, doc: number): number {
    const tfw = this.tfw(p, doc);
    return weight * ((tfw * this.k1Plus1) / (tfw + this.k1));
  }
}
