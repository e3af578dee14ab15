/**
 * The k best (score, rowid) pairs seen, best = higher score, then lower rowid. Breaking ties by rowid
 * makes the kept set a function of the scores alone, whatever order candidates arrive in (segment
 * order, pruning), which is what lets differently segmented indexes answer alike.
 */
export interface ScoredRowid {
  rowid: number;
  score: number;
}

export class RankedHeap {
  private readonly scores: Float64Array;
  private readonly rowids: Float64Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
    this.rowids = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The weakest kept score once the heap is full (a newcomer must reach it), else -Infinity. */
  get floor(): number {
    return this.count === this.capacity && this.capacity > 0 ? this.scores[0]! : this.capacity === 0 ? Infinity : -Infinity;
  }

  /** Makes this heap hold what `other` (of the same capacity) holds. */
  copyFrom(other: RankedHeap): void {
    this.scores.set(other.scores);
    this.rowids.set(other.rowids);
    this.count = other.count;
  }

  /**
   * Copies the kept scores, in heap order, into `target` (of length ≥ capacity); returns how many.
   * A heap by (score, then rowid) is a heap by score too, so they form a valid FloorHeap.
   */
  copyScoresTo(target: Float64Array): number {
    target.set(this.scores.subarray(0, this.count));
    return this.count;
  }

  /** Keeps the pair if it is among the best so far. */
  offer(score: number, rowid: number): void {
    const { scores, rowids } = this;
    if (this.count < this.capacity) {
      let i = this.count++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(score, rowid, scores[parent]!, rowids[parent]!)) break;
        scores[i] = scores[parent]!;
        rowids[i] = rowids[parent]!;
        i = parent;
      }
      scores[i] = score;
      rowids[i] = rowid;
      return;
    }
    if (this.capacity === 0 || !worse(scores[0]!, rowids[0]!, score, rowid)) return;
    siftDown(scores, rowids, this.count, score, rowid);
  }

  /**
   * The kept pairs, best first. A copy of the heap gives up its weakest pair, one at a time, into the
   * list's last free place (a heap sort, with no comparator to call); the heap itself is unchanged.
   */
  results(): ScoredRowid[] {
    const scores = this.scores.slice(0, this.count);
    const rowids = this.rowids.slice(0, this.count);
    const out = new Array<ScoredRowid>(this.count);
    for (let n = this.count; n > 0; n--) {
      out[n - 1] = { rowid: rowids[0]!, score: scores[0]! };
      siftDown(scores, rowids, n - 1, scores[n - 1]!, rowids[n - 1]!);
    }
    return out;
  }
}

/** Puts (score, rowid) at the root of the first n entries of a heap whose root is free, and sifts it down. */
function siftDown(scores: Float64Array, rowids: Float64Array, n: number, score: number, rowid: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const weaker = r < n && worse(scores[r]!, rowids[r]!, scores[l]!, rowids[l]!) ? r : l;
    if (!worse(scores[weaker]!, rowids[weaker]!, score, rowid)) break;
    scores[i] = scores[weaker]!;
    rowids[i] = rowids[weaker]!;
    i = weaker;
  }
  if (n > 0) {
    scores[i] = score;
    rowids[i] = rowid;
  }
}

function worse(scoreA: number, rowidA: number, scoreB: number, rowidB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && rowidA > rowidB);
}
