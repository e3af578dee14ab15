import { allowedRanges } from '../segments/doc-runs.js';
import { RankedHeap, type ScoredRowid } from '../segments/ranked-heap.js';
import { findLocal } from '../segments/rowid-table.js';
import { encodeSigns, popcount, wordsFor } from './sign-code.js';
import type { VectorLiveState, VectorSegmentData } from './vector-segment.js';

/** Candidates rescored exactly per requested result (the approximation's safety margin). */
const RESCORE_FACTOR = 8;
const MIN_RESCORE = 1000;

/** Hamming distances of the current query, reused across queries (one search at a time per thread). */
let distances = new Uint16Array(0);

/**
 * The k nearest live vectors by cosine (dot product of unit vectors), as the in-memory index has
 * always ranked: the Hamming distance of every allowed live code to the query's, one histogram over
 * all segments, the smallest distance cut-off that keeps at least max(8k, 1000) candidates, and those
 * candidates rescored with their 8-bit vectors. Candidates and scores depend only on the live
 * vectors, not on how they are cut into segments; ties go to the lower rowid. With a document
 * filter only the allowed documents' vectors are visited.
 */
export function searchVectors(
  segments: readonly { data: VectorSegmentData; live: VectorLiveState }[],
  mean: Float32Array,
  query: Float32Array,
  k: number,
  allowed: ReadonlySet<number> | undefined,
): ScoredRowid[] {
  const dims = mean.length;
  const words = wordsFor(dims);
  const queryCode = new Uint32Array(words);
  encodeSigns(query, mean, queryCode, 0);
  const spans = segments.map(({ data }) => (allowed ? allowedRanges(data, allowed) : Uint32Array.of(0, data.rowids.length)));
  const visited = spans.reduce((sum, s) => {
    for (let r = 0; r < s.length; r += 2) sum += s[r + 1]! - s[r]!;
    return sum;
  }, 0);
  if (distances.length < visited) distances = new Uint16Array(visited);
  const histogram = new Uint32Array(dims + 1);
  const excluded = 0xffff; // above any cut-off

  let at = 0;
  segments.forEach(({ data, live }, s) => {
    const span = spans[s]!;
    for (let r = 0; r < span.length; r += 2) {
      for (let i = span[r]!; i < span[r + 1]!; i++, at++) {
        if (live.removed[i] !== 0) {
          distances[at] = excluded;
          continue;
        }
        let d = 0;
        const base = i * words;
        for (let w = 0; w < words; w++) d += popcount(data.codes[base + w]! ^ queryCode[w]!);
        distances[at] = d;
        histogram[d]!++;
      }
    }
  });
  const wanted = Math.max(k * RESCORE_FACTOR, MIN_RESCORE);
  let cutoff = 0;
  for (let seen = 0; cutoff <= dims && seen + histogram[cutoff]! <= wanted; cutoff++) seen += histogram[cutoff]!;

  const heap = new RankedHeap(k);
  const wide = widened(query);
  at = 0;
  segments.forEach(({ data }, s) => {
    const span = spans[s]!;
    for (let r = 0; r < span.length; r += 2) {
      for (let i = span[r]!; i < span[r + 1]!; i++, at++) {
        if (distances[at]! > cutoff) continue;
        heap.offer(similarity(data, i, wide), data.rowids[i]!);
      }
    }
  });
  return heap.results();
}

/**
 * The cosine of the query with each of these rowids' live vectors (8-bit vectors, as rescoring
 * uses), best first, ties by rowid; rowids without a live vector are left out. For re-ranking
 * known candidates: it reads only their vectors, where a nearest-neighbour search scans them all.
 */
export function scoreVectors(
  segments: readonly { data: VectorSegmentData; live: VectorLiveState }[],
  query: Float32Array,
  rowids: readonly number[],
): ScoredRowid[] {
  const scored: ScoredRowid[] = [];
  const wide = widened(query);
  for (const rowid of rowids) {
    const found = findLive(segments, rowid);
    if (found) scored.push({ rowid, score: similarity(found.data, found.local, wide) });
  }
  return scored.sort((a, b) => b.score - a.score || a.rowid - b.rowid);
}

/** The segment and local number of a rowid's live vector, if it has one. */
export function findLive(
  segments: readonly { data: VectorSegmentData; live: VectorLiveState }[],
  rowid: number,
): { data: VectorSegmentData; local: number } | undefined {
  for (const { data, live } of segments) {
    // Segments hold runs of rowids added together: most cannot hold this one, and say so without a search.
    const sorted = data.rowidSorted;
    if (sorted.length === 0 || rowid < sorted[0]! || rowid > sorted[sorted.length - 1]!) continue;
    const local = findLocal(data, rowid);
    if (local >= 0 && live.removed[local] === 0) return { data, local };
  }
  return undefined;
}

/**
 * The query as float64, once per search. Each product of an 8-bit value and a float32 is exact
 * in a double, so reading the query widened beforehand gives every sum bit for bit as reading the
 * float32 value in the loop did, without converting it again for each of the candidates.
 */
function widened(query: Float32Array): Float64Array {
  return Float64Array.from(query);
}

/**
 * Cosine of the query with a segment's 8-bit vector `local` (vector ≈ quantized · scale). Four
 * products per step into the one sum, in the same order as one at a time: scores stay identical
 * to the bit, where several partial sums would round differently. With the widened query, score()
 * of 300 candidates at 100k chunks takes 0.49 ms instead of 0.63 (paired medians).
 */
function similarity(data: VectorSegmentData, local: number, query: Float64Array): number {
  const dims = query.length;
  const values = data.quantized;
  const base = local * dims;
  const whole = dims - (dims % 4);
  let dot = 0;
  let j = 0;
  for (; j < whole; j += 4) {
    const at = base + j;
    dot += values[at]! * query[j]!;
    dot += values[at + 1]! * query[j + 1]!;
    dot += values[at + 2]! * query[j + 2]!;
    dot += values[at + 3]! * query[j + 3]!;
  }
  for (; j < dims; j++) dot += values[base + j]! * query[j]!;
  return dot * data.scales[local]!;
}
