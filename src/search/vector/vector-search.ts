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
  at = 0;
  segments.forEach(({ data }, s) => {
    const span = spans[s]!;
    for (let r = 0; r < span.length; r += 2) {
      for (let i = span[r]!; i < span[r + 1]!; i++, at++) {
        if (distances[at]! > cutoff) continue;
        heap.offer(similarity(data, i, query), data.rowids[i]!);
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
  for (const rowid of rowids) {
    const found = findLive(segments, rowid);
    if (found) scored.push({ rowid, score: similarity(found.data, found.local, query) });
  }
  return scored.sort((a, b) => b.score - a.score || a.rowid - b.rowid);
}

/** The segment and local number of a rowid's live vector, if it has one. */
export function findLive(
  segments: readonly { data: VectorSegmentData; live: VectorLiveState }[],
  rowid: number,
): { data: VectorSegmentData; local: number } | undefined {
  for (const { data, live } of segments) {
    const local = findLocal(data, rowid);
    if (local >= 0 && live.removed[local] === 0) return { data, local };
  }
  return undefined;
}

/** Cosine of the query with a segment's 8-bit vector `local` (vector ≈ quantized · scale). */
function similarity(data: VectorSegmentData, local: number, query: Float32Array): number {
  const dims = query.length;
  const base = local * dims;
  let dot = 0;
  for (let j = 0; j < dims; j++) dot += data.quantized[base + j]! * query[j]!;
  return dot * data.scales[local]!;
}
