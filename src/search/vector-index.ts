/**
 * An in-memory approximate nearest-neighbour index over the store's vectors. A full scan of
 * float vectors costs ~2 ms per 1,000 chunks (hundreds of ms at 100,000), so the scan runs on
 * one-bit codes (the sign of each mean-centred dimension: 64 bytes per 512-d vector, compared by
 * Hamming distance) and only the closest candidates are rescored by dot product with 8-bit
 * quantised vectors. Loaded lazily and reloaded when the library changes.
 */

import type { RankingStore, ScoredRowid } from '../store/store.js';
import { topK } from './top-k.js';

interface Loaded {
  token: string;
  dims: number;
  words: number;
  count: number;
  rowids: Int32Array;
  docRowids: Int32Array;
  mean: Float32Array;
  codes: Uint32Array;
  quantized: Int8Array;
  scales: Float32Array;
}

/** Candidates rescored exactly per requested result (the approximation's safety margin). */
const RESCORE_FACTOR = 8;
const MIN_RESCORE = 1000;

export class VectorIndex {
  private loaded: Loaded | undefined;

  constructor(private readonly store: RankingStore) {}

  private state(): Loaded | undefined {
    const token = this.store.changeToken();
    if (this.loaded?.token === token) return this.loaded;
    this.loaded = undefined;
    const rows = [...this.store.vectors()];
    if (rows.length === 0) return undefined;
    const dims = rows[0]!.vector.length;
    const words = Math.ceil(dims / 32);
    const count = rows.length;
    const mean = new Float32Array(dims);
    for (const { vector } of rows) for (let j = 0; j < dims; j++) mean[j]! += vector[j]! / count;
    const state: Loaded = {
      token, dims, words, count, mean,
      rowids: new Int32Array(count),
      docRowids: new Int32Array(count),
      codes: new Uint32Array(count * words),
      quantized: new Int8Array(count * dims),
      scales: new Float32Array(count),
    };
    rows.forEach(({ rowid, docRowid, vector }, i) => {
      state.rowids[i] = rowid;
      state.docRowids[i] = docRowid;
      encode(vector, mean, state.codes, i * words);
      let max = 0;
      for (let j = 0; j < dims; j++) max = Math.max(max, Math.abs(vector[j]!));
      const scale = max > 0 ? max / 127 : 1;
      state.scales[i] = scale;
      for (let j = 0; j < dims; j++) state.quantized[i * dims + j] = Math.round(vector[j]! / scale);
    });
    this.loaded = state;
    return state;
  }

  /** The k nearest chunks by cosine similarity (vectors are unit length), optionally within some documents. */
  search(query: Float32Array, k: number, docRowids?: ReadonlySet<number>): ScoredRowid[] {
    const s = this.state();
    if (!s || k <= 0 || query.length !== s.dims) return [];
    const queryCode = new Uint32Array(s.words);
    encode(query, s.mean, queryCode, 0);

    // Hamming distance of every (allowed) code to the query's, bucketed by distance.
    const distances = new Uint16Array(s.count);
    const histogram = new Uint32Array(s.dims + 1);
    const excluded = 0xffff; // above any cut-off
    for (let i = 0; i < s.count; i++) {
      if (docRowids && !docRowids.has(s.docRowids[i]!)) {
        distances[i] = excluded;
        continue;
      }
      let d = 0;
      const base = i * s.words;
      for (let w = 0; w < s.words; w++) d += popcount(s.codes[base + w]! ^ queryCode[w]!);
      distances[i] = d;
      histogram[d]!++;
    }
    // The smallest distance cut-off that keeps enough candidates to rescore.
    const wanted = Math.max(k * RESCORE_FACTOR, MIN_RESCORE);
    let cutoff = 0;
    for (let seen = 0; cutoff <= s.dims && seen + histogram[cutoff]! <= wanted; cutoff++) seen += histogram[cutoff]!;
    const scored: ScoredRowid[] = [];
    for (let i = 0; i < s.count; i++) {
      if (distances[i]! > cutoff) continue;
      let dot = 0;
      const base = i * s.dims;
      for (let j = 0; j < s.dims; j++) dot += s.quantized[base + j]! * query[j]!;
      scored.push({ rowid: s.rowids[i]!, score: dot * s.scales[i]! });
    }
    return topK(scored, k);
  }
}

function encode(vector: Float32Array, mean: Float32Array, into: Uint32Array, offset: number): void {
  for (let w = 0; w * 32 < vector.length; w++) {
    let word = 0;
    for (let b = 0; b < 32 && w * 32 + b < vector.length; b++) {
      if (vector[w * 32 + b]! > mean[w * 32 + b]!) word |= 1 << b;
    }
    into[offset + w] = word >>> 0;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
