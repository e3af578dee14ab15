import type { RankedHeap } from '../segments/ranked-heap.js';
import { saturate, type FieldScorer } from './bm25f.js';
import { END, PostingCursor } from './posting-cursor.js';
import { tfwOfPosting } from './segment-builder.js';
import type { LexicalSegmentData } from './segment-data.js';

/**
 * Block-max MaxScore over one segment, rank-safe: it returns exactly the top k of exhaustive
 * scoring. Terms are ordered by their upper bound; while the heap's floor exceeds the summed bounds
 * of the weakest terms, those terms cannot make a chunk enter on their own ("non-essential"), so
 * only chunks of the other terms are visited, and they are scored on the weak terms only while their
 * running bound can still reach the floor. Block maxima tighten both tests and let whole blocks be
 * skipped.
 *
 * Every chunk's final score is summed in query-term order, whatever order the pruning looked at the
 * terms in, so scores are bit-identical to exhaustive scoring and across segmentations. Bounds are
 * compared against the floor lowered by a relative 1e-9, far above the rounding of a sum of a few
 * dozen terms, so rounding can never prune a chunk that would have entered (ties included).
 */
export interface ScoredTerm {
  /** Position among the query's scored terms: the summation order. */
  index: number;
  /** qtf · idf with global statistics. */
  weight: number;
}

export interface SegmentQuery {
  seg: LexicalSegmentData;
  removed: Uint8Array;
  /** Query terms present in this segment, with their segment term ids. */
  terms: { term: number; scored: ScoredTerm }[];
  /** Factor by which the segment's stored bounds must be raised under the current averages. */
  inflation: number;
  /** Allowed local ranges [s0, e0, s1, e1, …] ascending, or undefined for all chunks. */
  ranges: Uint32Array | undefined;
  /** Local chunks already ranked (phrase matches), ascending. */
  skip: Uint32Array | undefined;
}

export interface RankContext {
  scorer: FieldScorer;
  k1: number;
  /** Number of scored query terms (the length of the summation order). */
  termTotal: number;
  /** False for exhaustive scoring (the reference the pruning must equal). */
  pruning: boolean;
}

const SLACK = 1 - 1e-9;

function safeFloor(heap: RankedHeap, pruning: boolean): number {
  const floor = heap.floor;
  return pruning && floor > 0 ? floor * SLACK : -Infinity;
}

interface List {
  cursor: PostingCursor;
  index: number;
  weight: number;
  /** Upper bound of the term's contribution in this segment. */
  bound: number;
}

function blockBound(list: List, inflation: number, k1: number): number {
  return list.weight * saturate(k1, inflation * list.cursor.seg.blockMaxTfw[list.cursor.block]!);
}

export function rankSegment(q: SegmentQuery, ctx: RankContext, heap: RankedHeap): void {
  const { seg, removed, inflation, ranges, skip } = q;
  const { k1, scorer } = ctx;
  const lists: List[] = q.terms.map(({ term, scored }) => ({
    cursor: new PostingCursor(seg, term),
    index: scored.index,
    weight: scored.weight,
    bound: scored.weight * saturate(k1, inflation * seg.termMaxTfw[term]!),
  }));
  lists.sort((a, b) => a.bound - b.bound || a.index - b.index);
  const m = lists.length;
  if (m === 0) return;
  const prefix = new Float64Array(m);
  for (let i = 0, sum = 0; i < m; i++) prefix[i] = sum += lists[i]!.bound;
  const contributions = new Float64Array(ctx.termTotal);
  const present = new Uint8Array(ctx.termTotal);
  const rowids = seg.rowids;

  let floor = safeFloor(heap, ctx.pruning);
  let essential = 0; // lists[0..essential) are non-essential
  while (essential < m && prefix[essential]! < floor) essential++;
  let range = 0;
  let skipAt = 0;

  for (;;) {
    if (essential >= m) return;
    let doc = END;
    for (let i = essential; i < m; i++) if (lists[i]!.cursor.doc < doc) doc = lists[i]!.cursor.doc;
    if (doc === END) return;

    if (ranges) {
      while (range < ranges.length && ranges[range + 1]! <= doc) range += 2;
      if (range >= ranges.length) return;
      if (doc < ranges[range]!) {
        for (let i = essential; i < m; i++) lists[i]!.cursor.advance(ranges[range]!);
        continue;
      }
    }

    let candidate = removed[doc] === 0;
    if (candidate && skip) {
      while (skipAt < skip.length && skip[skipAt]! < doc) skipAt++;
      candidate = skipAt >= skip.length || skip[skipAt] !== doc;
    }

    if (candidate && floor > 0) {
      // Block bounds of every essential list hold for all chunks up to the nearest block end.
      let bound = essential > 0 ? prefix[essential - 1]! : 0;
      let blocksEnd = END;
      for (let i = essential; i < m; i++) {
        const c = lists[i]!.cursor;
        if (c.doc === END) continue;
        bound += blockBound(lists[i]!, inflation, k1);
        const last = seg.blockLast[c.block]!;
        if (last < blocksEnd) blocksEnd = last;
      }
      if (bound < floor) {
        for (let i = essential; i < m; i++) lists[i]!.cursor.advance(blocksEnd + 1);
        continue;
      }
      bound = essential > 0 ? prefix[essential - 1]! : 0;
      for (let i = essential; i < m; i++) if (lists[i]!.cursor.doc === doc) bound += blockBound(lists[i]!, inflation, k1);
      if (bound < floor) candidate = false;
    }

    if (candidate) {
      let partial = 0;
      for (let i = essential; i < m; i++) {
        const list = lists[i]!;
        if (list.cursor.doc !== doc) continue;
        const c = list.weight * saturate(k1, tfwOfPosting(seg, scorer, list.cursor.pos, doc));
        contributions[list.index] = c;
        present[list.index] = 1;
        partial += c;
      }
      let rest = essential > 0 ? prefix[essential - 1]! : 0;
      for (let i = essential - 1; i >= 0 && candidate; i--) {
        const list = lists[i]!;
        if (partial + rest < floor) {
          candidate = false;
          break;
        }
        const c = list.cursor;
        c.seekBlock(doc);
        if (c.blockCovers(doc) && partial + rest - list.bound + blockBound(list, inflation, k1) >= floor) {
          c.advance(doc);
          if (c.doc === doc) {
            const contribution = list.weight * saturate(k1, tfwOfPosting(seg, scorer, c.pos, doc));
            contributions[list.index] = contribution;
            present[list.index] = 1;
            partial += contribution;
          }
        } else if (c.blockCovers(doc)) {
          candidate = false;
        }
        rest -= list.bound;
      }
      if (candidate) {
        let score = 0;
        for (let t = 0; t < ctx.termTotal; t++) if (present[t] === 1) score += contributions[t]!;
        heap.offer(score, rowids[doc]!);
        const raised = safeFloor(heap, ctx.pruning);
        if (raised !== floor) {
          floor = raised;
          while (essential < m && prefix[essential]! < floor) essential++;
        }
      }
      present.fill(0);
    }

    for (let i = essential; i < m; i++) if (lists[i]!.cursor.doc === doc) lists[i]!.cursor.next();
  }
}

/** Exact term score of chunks (ascending), or NaN for a chunk no query term occurs in. */
export function scoreChunks(q: SegmentQuery, ctx: RankContext, docs: Uint32Array): Float64Array {
  const cursors = q.terms.map(({ term }) => new PostingCursor(q.seg, term));
  const contributions = new Float64Array(ctx.termTotal);
  const present = new Uint8Array(ctx.termTotal);
  const scores = new Float64Array(docs.length);
  docs.forEach((doc, d) => {
    let any = false;
    q.terms.forEach(({ scored }, i) => {
      const c = cursors[i]!;
      c.advance(doc);
      if (c.doc !== doc) return;
      contributions[scored.index] = scored.weight * saturate(ctx.k1, tfwOfPosting(q.seg, ctx.scorer, c.pos, doc));
      present[scored.index] = 1;
      any = true;
    });
    let score = 0;
    for (let t = 0; t < ctx.termTotal; t++) if (present[t] === 1) score += contributions[t]!;
    scores[d] = any ? score : Number.NaN;
    present.fill(0);
  });
  return scores;
}
