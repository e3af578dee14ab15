import { lowerBound } from '../segments/lower-bound.js';
import { FloorHeap } from '../segments/floor-heap.js';
import type { RankedHeap } from '../segments/ranked-heap.js';
import { saturate } from './bm25f.js';
import { chooseNonEssential } from './essential-choice.js';
import { FinalScorer } from './final-scorer.js';
import { LazyBoostTest } from './lazy-boost.js';
import { PostingCursor } from './posting-cursor.js';
import { postingCount, type LexicalSegmentData } from './segment-data.js';
import type { PostingScorer } from './posting-scorer.js';
import type { RankContext, SegmentQuery } from './ranking-types.js';

/**
 * Rank-safe dynamic pruning over one segment: MaxScore over windows of 2^12 chunks, scored in bulk,
 * with bounds from block maxima. It returns exactly the top k of exhaustive scoring.
 *
 * In each window every term gets the bound of its strongest block there. Windows are visited
 * strongest first (by their summed bounds), so that the floor rises early, and the visit stops at
 * the first window whose bounds sum below it. In a window, terms whose bounds sum below the floor
 * are "non-essential": no chunk can enter on them alone (which ones: essential-choice.ts). The
 * essential terms' postings in the window are scored and summed per chunk (skipping blocks that
 * cannot reach the floor even with every other term at its bound); then the touched
 * chunks are completed with the non-essential terms, strongest first, dropping those whose running
 * score plus the remaining bounds cannot reach the floor. The survivors' running sums are lower
 * bounds of their final scores: kept in a copy of the heap, they raise the floor as the visit goes
 * on, and the survivors get their final score from `FinalScorer` only once every window is done,
 * those that can still reach the floor then (about the k best, rather than every chunk that once
 * looked good enough).
 *
 * Phrases that were not matched up front (`lazy`: every word common) are checked per surviving
 * chunk; during pruning their possible boost is allowed for by dividing the floor by the largest
 * product of boosts. Only a chunk holding every word of a lazy phrase can get it, though: a survivor
 * below the undivided (plain) floor is kept only when it does (lazy-boost.ts), so that a phrase
 * no chunk holds does not make thousands of chunks be scored in full and checked.
 *
 * A final score adds the terms' contributions in query-term order, whatever order pruning looked
 * at them in, so it is bit-identical to exhaustive scoring and across segmentations. Pruning uses
 * running sums of contributions estimated to a few units in the last place
 * (`PostingScorer.estimate`), compared against the floor lowered by a relative 1e-9 (and taken as
 * lower bounds once lowered by as much), far above the rounding of a sum of a few dozen terms, so
 * rounding can never prune a chunk that would have entered (ties included).
 */
const SLACK = 1 - 1e-9;
/**
 * 4,096 chunks a window. Per bench query at 100k chunks, against 2,048: 25 windows visited instead of
 * 46 (each brings every term's cursor to it and sorts the terms) for 8% more postings scored
 * (8.3k instead of 7.7k), which costs less. Against 8,192: 14 windows visited, 13% more postings
 * scored, no faster.
 *
 * Finer bounds would not pay either, as counted on the bench queries at 100k: were each term's
 * exact maximum known per sub-window, the essential postings lying where the sub-windows' bounds
 * sum below the floor are 20% of them for sub-windows of 64 chunks (128: 14%, 256: 9%): some 9k
 * bounds to read per query to save 1.7k postings. Exact maxima per window rather than the
 * strongest block's leave as many essential postings (8.7k). Most windows are visited (25 of 28)
 * because the floor of the k = 100 best stays well below most windows' summed bounds.
 */
const WINDOW_BITS = 12;
const WINDOW = 1 << WINDOW_BITS;

interface List {
  cursor: PostingCursor;
  term: number;
  index: number;
  weight: number;
  /** Position in q.terms: the list's column in the window bounds. */
  slot: number;
  /** Bound of the term's contribution in the current window. */
  bound: number;
  /** About how many of the term's postings lie in the current window. */
  postings: number;
}

/** Per-window scratch, reused across calls (a thread runs one search at a time). */
const partials = new Float64Array(WINDOW);
/** One bit per chunk of the window that an essential term touched: set bits come out in order. */
const touchedBits = new Uint32Array(WINDOW / 32);
/** The touched chunks (offsets in the window) still able to reach the floor, ascending. */
const candidates = new Uint16Array(WINDOW);
/** Per-segment scratch, grown as needed: chunks left for exact scoring, and their running sums. */
let pendingDocs = new Uint32Array(1024);
let pendingSums = new Float64Array(1024);
/** The heap's scores and the survivors' lower bounds, scores only (see rankSegment), replaced when k changes. */
let scratchBounds = new FloorHeap(0);
/** Per-segment scratch, grown as needed: window bounds per term ([window · m + slot]), their sums, the visiting order. */
let windowBounds = new Float64Array(1024);
/** Per-segment scratch: about how many postings each term has per window ([window · m + slot]). */
let windowPostings = new Float64Array(1024);
let windowTotals = new Float64Array(64);
let windowOrder = new Uint32Array(64);

export function rankSegment(q: SegmentQuery, ctx: RankContext, heap: RankedHeap): void {
  const { seg, removed, inflation, ranges, skip, scorer } = q;
  const { k1, pruning } = ctx;
  const m = q.terms.length;
  if (m === 0) return;
  const lists: List[] = q.terms.map(({ term, scored }, slot) =>
    ({ cursor: new PostingCursor(seg, term), term, index: scored.index, weight: scored.weight, slot, bound: 0, postings: 0 }));
  const finalScorer = new FinalScorer(q, ctx);
  const boostLimit = finalScorer.boostLimit;
  const lazy = boostLimit > 1;
  // Tests of whether a chunk may be boosted, one for the window survivors and one for the final
  // scores: each keeps its cursors in the order it asks (ascending within a window, window by window).
  const survivorBoost = lazy ? new LazyBoostTest(q) : undefined;
  const pendingBoost = lazy ? new LazyBoostTest(q) : undefined;
  const { blockFirst, blockLast, blockPostings, blockMaxTfw, docOffsets } = seg;
  const count = seg.rowids.length;
  const windows = windowsByBound(q, ctx, lists);
  // The heap with lower bounds of the final scores of chunks not scored yet, their running sums
  // (lowered by SLACK, for rounding): its floor is one the heap will reach.
  if (scratchBounds.capacity !== heap.capacity) scratchBounds = new FloorHeap(heap.capacity);
  const bounds = scratchBounds;
  bounds.copyFrom(heap);
  // The floor is a plain local (no closure writes it) so that the loops below keep it in a register;
  // so are the scratch arrays, read through module bindings otherwise.
  let floor = raisedFloor(-Infinity, heap.floor, pruning, boostLimit);
  // The floor of chunks that hold no lazy phrase's every word, which no boost can lift.
  let plainFloor = raisedFloor(-Infinity, heap.floor, pruning, 1);
  let boundsFloor = bounds.floor;
  let pending = 0;
  let docs = pendingDocs;
  let sums = pendingSums;
  const order = windowOrder;
  const totals = windowTotals;
  const perTerm = windowBounds;
  const perTermPostings = windowPostings;

  for (let j = 0; j < windows; j++) {
    const w = order[j]!;
    const total = totals[w]!;
    // Windows come strongest first: once one cannot reach the floor, none after it can.
    if (total < floor) break;
    const lo = w << WINDOW_BITS;
    const hi = Math.min(count, lo + WINDOW);
    // Cursors are brought to the window when read: a weak term may not be.
    for (let i = 0; i < m; i++) {
      const list = lists[i]!;
      list.bound = perTerm[w * m + list.slot]!;
      list.postings = perTermPostings[w * m + list.slot]!;
    }
    const range = ranges ? firstRangeEndingAfter(ranges, lo) : 0;
    let skipAt = skip ? lowerBound(skip, lo) : 0;
    sortByBound(lists);
    const essential = chooseNonEssential(lists, floor);
    let weak = 0; // summed bounds of the non-essential lists, lists[0..essential)
    for (let i = 0; i < essential; i++) weak += lists[i]!.bound;

    // Essential terms: (estimated) contributions of their postings in the window (allowed ranges only),
    // summed per chunk; blocks that cannot reach the floor with every other term at its bound are skipped.
    let firstWord = WINDOW / 32;
    let lastWord = -1;
    for (let i = essential; i < m; i++) {
      const list = lists[i]!;
      const c = list.cursor;
      c.seek(lo);
      const weight = list.weight;
      const others = total - list.bound;
      // The first list's chunks are all new to the window: no need to look.
      const fresh = i === essential;
      let r = range;
      for (;;) {
        let from = lo;
        let to = hi;
        if (ranges) {
          if (r >= ranges.length || ranges[r]! >= hi) break;
          from = Math.max(lo, ranges[r]!);
          to = Math.min(hi, ranges[r + 1]!);
          r += 2;
        }
        c.advance(from);
        while (c.doc < to) {
          const b = c.block;
          if (weight * saturate(k1, inflation * blockMaxTfw[b]!) + others < floor) {
            c.advance(Math.min(to, blockLast[b]! + 1));
            continue;
          }
          const base = blockFirst[b]!;
          const end = blockPostings[b + 1]!;
          const start = c.pos;
          let p = start;
          for (; p < end; p++) {
            const doc = base + docOffsets[p]!;
            if (doc >= to) break;
            const off = doc - lo;
            const contribution = scorer.estimate(weight, p, doc);
            const word = off >>> 5;
            const bit = 1 << (off & 31);
            if (fresh || (touchedBits[word]! & bit) === 0) {
              touchedBits[word] = touchedBits[word]! | bit;
              partials[off] = contribution;
            } else {
              partials[off] = partials[off]! + contribution;
            }
          }
          if (p > start) {
            firstWord = Math.min(firstWord, (base + docOffsets[start]! - lo) >>> 5);
            lastWord = Math.max(lastWord, (base + docOffsets[p - 1]! - lo) >>> 5);
          }
          if (p < end) {
            c.pos = p;
            c.doc = base + docOffsets[p]!;
          } else {
            c.pos = end - 1;
            c.next();
          }
        }
        if (!ranges) break;
      }
    }

    // Touched chunks are completed with the non-essential terms, strongest first, one term at a time
    // over the window; before each term, chunks whose running score plus the remaining bounds
    // cannot reach the floor are dropped. (Removed and already ranked chunks are left out after.)
    // The touched chunks are listed once, those that can still reach the floor; each term's pass
    // then reads that list (and shortens it), not the window's bits.
    let rest = weak;
    let alive = listAtLeast(floor - rest, firstWord, lastWord);
    for (let i = essential - 1; i >= 0 && alive > 0; i--) {
      const list = lists[i]!;
      list.cursor.seek(lo);
      // Few chunks left: look each up; many: read the term's postings in the window once.
      if (alive * 8 < (postingCount(seg, list.term) * (hi - lo)) / count) addEach(list, scorer, lo, alive);
      else addAll(list, seg, scorer, lo, hi);
      rest -= list.bound;
      // After the last term the survivors' loop compares with the floor itself.
      if (i > 0) alive = keepAtLeast(floor - rest, alive);
    }
    if (lastWord >= firstWord) touchedBits.fill(0, firstWord, lastWord + 1);
    // Survivors (chunks whose complete running sum reaches the floor) wait for their exact score
    // until every window is done, when the floor is as high as the running sums can raise it.
    if (pending + WINDOW > docs.length) {
      pendingDocs = docs = grown(docs, pending + WINDOW);
      pendingSums = sums = grown(sums, pending + WINDOW);
    }
    for (let a = 0; a < alive; a++) {
      const off = candidates[a]!;
      const sum = partials[off]!;
      const doc = lo + off;
      if (sum < floor || removed[doc] !== 0) continue;
      if (skip) {
        while (skipAt < skip.length && skip[skipAt]! < doc) skipAt++;
        if (skip[skipAt] === doc) continue;
      }
      // Only a chunk holding every word of a lazy phrase can be boosted: the others face the plain floor.
      if (survivorBoost && sum < plainFloor && !survivorBoost.mayBoost(doc)) continue;
      docs[pending] = doc;
      sums[pending++] = sum;
      // Below the copy's weakest kept bound, the offer would keep nothing.
      if (pruning && sum * SLACK >= boundsFloor) {
        bounds.offer(sum * SLACK);
        boundsFloor = bounds.floor;
        floor = raisedFloor(floor, boundsFloor, pruning, boostLimit);
        plainFloor = raisedFloor(plainFloor, boundsFloor, pruning, 1);
      }
    }
  }

  // In window order, so mostly ascending: the final scorer seeks back only between windows.
  for (let i = 0; i < pending; i++) {
    if (sums[i]! < floor) continue;
    const doc = docs[i]!;
    if (pendingBoost && sums[i]! < plainFloor && !pendingBoost.mayBoost(doc)) continue;
    heap.offer(finalScorer.score(doc), seg.rowids[doc]!);
    floor = raisedFloor(floor, heap.floor, pruning, boostLimit);
    plainFloor = raisedFloor(plainFloor, heap.floor, pruning, 1);
  }
}

/**
 * The floor running sums are compared against, once `kept` (a score the heap will reach) is known:
 * lowered by SLACK for rounding and divided by the largest boost the lazy phrases can still give.
 */
function raisedFloor(floor: number, kept: number, pruning: boolean, boostLimit: number): number {
  return pruning && kept > 0 ? Math.max(floor, (kept * SLACK) / boostLimit) : floor;
}

function grown<T extends Uint32Array | Float64Array>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(length, 2 * array.length));
  next.set(array);
  return next;
}

/**
 * Lists in `candidates`, ascending, the touched chunks whose running score reaches `threshold`, and
 * clears the others' bits; returns how many it listed.
 */
function listAtLeast(threshold: number, firstWord: number, lastWord: number): number {
  let alive = 0;
  for (let word = firstWord; word <= lastWord; word++) {
    let bits = touchedBits[word]!;
    for (let pending = bits; pending !== 0; pending &= pending - 1) {
      const bit = pending & -pending;
      const off = (word << 5) | (31 - Math.clz32(bit));
      if (partials[off]! < threshold) bits &= ~bit;
      else candidates[alive++] = off;
    }
    touchedBits[word] = bits;
  }
  return alive;
}

/** Keeps the first `alive` candidates whose running score reaches `threshold` (clearing the others' bits); returns how many. */
function keepAtLeast(threshold: number, alive: number): number {
  let kept = 0;
  for (let a = 0; a < alive; a++) {
    const off = candidates[a]!;
    if (partials[off]! < threshold) touchedBits[off >>> 5] = touchedBits[off >>> 5]! & ~(1 << (off & 31));
    else candidates[kept++] = off;
  }
  return kept;
}

/** Adds the term's contributions to the first `alive` candidates, looking each chunk up in its postings. */
function addEach(list: List, scorer: PostingScorer, lo: number, alive: number): void {
  const c = list.cursor;
  for (let a = 0; a < alive; a++) {
    const off = candidates[a]!;
    c.advance(lo + off);
    if (c.doc === lo + off) partials[off] = partials[off]! + scorer.estimate(list.weight, c.pos, c.doc);
  }
}

/** Adds the term's contributions to the touched chunks, reading its postings in [lo, hi) in order. */
function addAll(list: List, seg: LexicalSegmentData, scorer: PostingScorer, lo: number, hi: number): void {
  const c = list.cursor;
  const { blockFirst, blockPostings, docOffsets } = seg;
  c.advance(lo);
  while (c.doc < hi) {
    const base = blockFirst[c.block]!;
    const end = blockPostings[c.block + 1]!;
    let p = c.pos;
    for (; p < end; p++) {
      const doc = base + docOffsets[p]!;
      if (doc >= hi) break;
      const off = doc - lo;
      if ((touchedBits[off >>> 5]! & (1 << (off & 31))) !== 0) partials[off] = partials[off]! + scorer.estimate(list.weight, p, doc);
    }
    if (p < end) {
      c.pos = p;
      c.doc = base + docOffsets[p]!;
    } else {
      c.pos = end - 1;
      c.next();
    }
  }
}

/**
 * Fills windowBounds and windowTotals for the segment's windows and windowOrder with the windows to
 * visit, strongest first (by summed bounds, then in chunk order); returns how many. A term's bound in
 * a window is that of its strongest block overlapping it; windows no term's block overlaps, or
 * outside the allowed ranges, are left out.
 */
function windowsByBound(q: SegmentQuery, ctx: RankContext, lists: readonly List[]): number {
  const { seg, ranges, inflation } = q;
  const { blockFirst, blockLast, blockMaxTfw, blockPostings, termBlocks } = seg;
  const m = lists.length;
  const count = Math.ceil(seg.rowids.length / WINDOW);
  if (windowBounds.length < count * m) {
    windowBounds = new Float64Array(Math.max(count * m, 2 * windowBounds.length));
    windowPostings = new Float64Array(windowBounds.length);
  }
  if (windowTotals.length < count) {
    windowTotals = new Float64Array(Math.max(count, 2 * windowTotals.length));
    windowOrder = new Uint32Array(windowTotals.length);
  }
  // First the strongest block's tfw per window and term (-1: no block there), then its bound.
  windowBounds.fill(-1, 0, count * m);
  windowPostings.fill(0, 0, count * m);
  for (const list of lists) {
    for (let b = termBlocks[list.term]!, end = termBlocks[list.term + 1]!; b < end; b++) {
      const max = blockMaxTfw[b]!;
      const first = blockFirst[b]! >>> WINDOW_BITS;
      const last = blockLast[b]! >>> WINDOW_BITS;
      // A block over several windows is counted evenly across them: an estimate is all the choice needs.
      const share = (blockPostings[b + 1]! - blockPostings[b]!) / (last - first + 1);
      for (let w = first; w <= last; w++) {
        const at = w * m + list.slot;
        if (max > windowBounds[at]!) windowBounds[at] = max;
        windowPostings[at] = windowPostings[at]! + share;
      }
    }
  }
  let visited = 0;
  let range = 0;
  for (let w = 0; w < count; w++) {
    if (ranges) {
      const lo = w << WINDOW_BITS;
      while (range < ranges.length && ranges[range + 1]! <= lo) range += 2;
      if (range >= ranges.length) break;
      if (ranges[range]! >= lo + WINDOW) continue; // the next allowed range starts past this window
    }
    let total = 0;
    let any = false;
    for (let i = 0; i < m; i++) {
      const at = w * m + i;
      const max = windowBounds[at]!;
      if (max < 0) {
        windowBounds[at] = 0;
        continue;
      }
      any = true;
      windowBounds[at] = q.terms[i]!.scored.weight * saturate(ctx.k1, inflation * max);
      total += windowBounds[at]!;
    }
    windowTotals[w] = total;
    if (any) windowOrder[visited++] = w;
  }
  sortByTotal(windowOrder, windowTotals, visited);
  return visited;
}

/**
 * Orders the first `n` windows of `order` by descending total, then ascending window. A few dozen
 * (a segment of 100k chunks) are sorted by insertion, in place: a typed array's sort with a
 * comparator costs more there.
 */
function sortByTotal(order: Uint32Array, totals: Float64Array, n: number): void {
  if (n > 64) {
    order.subarray(0, n).sort((a, b) => totals[b]! - totals[a]! || a - b);
    return;
  }
  for (let i = 1; i < n; i++) {
    const w = order[i]!;
    const total = totals[w]!;
    let j = i - 1;
    while (j >= 0 && (totals[order[j]!]! < total || (totals[order[j]!]! === total && order[j]! > w))) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = w;
  }
}

/** The first range pair [start, end) of `ranges` with end > lo (ranges.length if none). */
function firstRangeEndingAfter(ranges: Uint32Array, lo: number): number {
  let a = 0;
  let b = ranges.length >>> 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (ranges[2 * mid + 1]! <= lo) a = mid + 1;
    else b = mid;
  }
  return 2 * a;
}

function sortByBound(lists: List[]): void {
  for (let i = 1; i < lists.length; i++) {
    const list = lists[i]!;
    let j = i - 1;
    while (j >= 0 && (lists[j]!.bound > list.bound || (lists[j]!.bound === list.bound && lists[j]!.index > list.index))) {
      lists[j + 1] = lists[j]!;
      j--;
    }
    lists[j + 1] = list;
  }
}
