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
  /** Per chunk, the lengths of title, headings and body, 16 bits each (`shortLengths`). */
  private readonly titleLengths: Uint16Array;
  private readonly headingLengths: Uint16Array;
  private readonly bodyLengths: Uint16Array;
  /** Per length, the normaliser of title, headings and body (`normTables`). */
  private readonly titleTable: Float64Array;
  private readonly headingTable: Float64Array;
  private readonly bodyTable: Float64Array;
  private readonly lengths: Uint32Array;
  private readonly b: number;
  private readonly averages: readonly number[];
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
    this.lengths = source.lengths;
    this.b = params.b;
    this.averages = [averages[0]!, averages[1]!, averages[2]!];
    const short = shortLengths(source.lengths);
    [this.titleLengths, this.headingLengths, this.bodyLengths] = short.lengths;
    [this.titleTable, this.headingTable, this.bodyTable] = normTables(short, params.b, this.averages);
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
    if (title !== 0) tfw += (this.w0 * title) / this.norm(this.titleLengths, this.titleTable, doc, 0);
    if (headings !== 0) tfw += (this.w1 * headings) / this.norm(this.headingLengths, this.headingTable, doc, 1);
    if (body !== 0) tfw += (this.w2 * body) / this.norm(this.bodyLengths, this.bodyTable, doc, 2);
    return tfw;
  }

  /**
   * The chunk's length normaliser for field f, 1 − b + b·len/avg: read from the field's table by
   * length, or for a length past the table (rare), computed as the table's entries are.
   */
  private norm(lengths: Uint16Array, table: Float64Array, doc: number, f: number): number {
    const length = lengths[doc]!;
    return length < table.length ? table[length]! : fieldNorm(this.lengths[3 * doc + f]!, this.b, this.averages[f]!);
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
      return (weight * this.k1Plus1 * a) / (a + this.k1 * this.norm(this.bodyLengths, this.bodyTable, doc, 2));
    }
    const tfw = this.tfw(p, doc);
    return (weight * this.k1Plus1 * tfw) / (tfw + this.k1);
  }
}

/** Products of a weight this small with the other factors stay far above the subnormal range. */
const MIN_ESTIMATED_WEIGHT = 1e-100;

/**
 * A length normaliser as BM25F defines it (so the same bits whoever computes it). The scorer reads
 * it from per-field tables by length rather than from arrays per chunk: a posting's norm is then
 * read from 2 bytes per chunk (its length) and a table with one entry per length up to the
 * segment's longest, not from 8 bytes per chunk and field. Per thread that is 6 bytes a chunk
 * instead of 24, and the chunks a query touches share fewer cache lines.
 */
function fieldNorm(length: number, b: number, average: number): number {
  return 1 - b + (b * length) / average;
}

/** Lengths at or past this are not stored in 16 bits (SHORT_LONG stands for them). */
const SHORT_LONG = 0xffff;

/**
 * Each chunk's title, headings and body lengths as 16-bit numbers (SHORT_LONG for a longer one), and
 * the longest length below SHORT_LONG per field: 6 bytes a chunk per thread and segment, computed
 * once per segment.
 */
interface ShortLengths {
  lengths: [Uint16Array, Uint16Array, Uint16Array];
  longest: [number, number, number];
}
const cachedLengths = new WeakMap<Uint32Array, ShortLengths>();

function shortLengths(lengths: Uint32Array): ShortLengths {
  const cached = cachedLengths.get(lengths);
  if (cached) return cached;
  const count = lengths.length / 3;
  const short: ShortLengths = { lengths: [new Uint16Array(count), new Uint16Array(count), new Uint16Array(count)], longest: [0, 0, 0] };
  for (let f = 0; f < 3; f++) {
    const field = short.lengths[f]!;
    let longest = 0;
    for (let doc = 0; doc < count; doc++) {
      const length = Math.min(lengths[3 * doc + f]!, SHORT_LONG);
      field[doc] = length;
      if (length < SHORT_LONG) longest = Math.max(longest, length);
    }
    short.longest[f] = longest;
  }
  cachedLengths.set(lengths, short);
  return short;
}

/**
 * Per field, the normaliser of every length up to the segment's longest below SHORT_LONG. One entry
 * per segment and thread; the averages move only when the index changes.
 */
type NormTables = [Float64Array, Float64Array, Float64Array];
const cachedTables = new WeakMap<ShortLengths, { b: number; averages: readonly number[]; tables: NormTables }>();

function normTables(short: ShortLengths, b: number, averages: readonly number[]): NormTables {
  const cached = cachedTables.get(short);
  if (cached && cached.b === b && cached.averages.every((a, f) => a === averages[f])) return cached.tables;
  const tables = short.longest.map((longest, f) => {
    const table = new Float64Array(longest + 1);
    for (let length = 0; length <= longest; length++) table[length] = fieldNorm(length, b, averages[f]!);
    return table;
  }) as NormTables;
  cachedTables.set(short, { b, averages, tables });
  return tables;
}
