import type { RankedHeap } from './ranked-heap.js';

/**
 * The k-th best of the scores offered: a min-heap of the k best scores, without rowids. Pruning
 * only reads that floor, and the k-th best score is the same whichever tied chunk is kept, so the
 * ties RankedHeap breaks by rowid need not be broken here: an offer moves one array instead of two
 * and compares numbers only.
 */
export class FloorHeap {
  private readonly scores: Float64Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
  }

  /** The weakest kept score once the heap is full, else -Infinity (Infinity when k is 0), as RankedHeap.floor. */
  get floor(): number {
    return this.count === this.capacity && this.capacity > 0 ? this.scores[0]! : this.capacity === 0 ? Infinity : -Infinity;
  }

  /** Makes this heap hold the scores `heap` (of the same capacity) keeps. */
  copyFrom(heap: RankedHeap): void {
    this.count = heap.copyScoresTo(this.scores);
  }

  /** Keeps the score if it is among the k best so far. */
  offer(score: number): void {
    const scores = this.scores;
    if (this.count < this.capacity) {
      let i = this.count++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (scores[parent]! <= score) break;
        scores[i] = scores[parent]!;
        i = parent;
      }
      scores[i] = score;
      return;
    }
    if (this.capacity === 0 || score <= scores[0]!) return;
    // The root gives way to the newcomer, which sinks below every smaller child.
    const n = this.count;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const smaller = r < n && scores[r]! < scores[l]! ? r : l;
      if (scores[smaller]! >= score) break;
      scores[i] = scores[smaller]!;
      i = smaller;
    }
    scores[i] = score;
  }
}
