import type { LexicalSegmentData } from './segment-data.js';

/** Past every local chunk number. */
export const END = 0x100000000;

/**
 * A position in one term's postings in one segment. `advance` skips whole blocks by their last
 * chunk number (galloping, then binary search), then scans the block's 16-bit offsets.
 */
export class PostingCursor {
  doc: number;
  /** The block holding `doc`. */
  block: number;
  pos: number;
  readonly blockStart: number;
  readonly blockEnd: number;

  constructor(
    readonly seg: LexicalSegmentData,
    term: number,
  ) {
    this.block = seg.termBlocks[term]!;
    this.blockStart = this.block;
    this.blockEnd = seg.termBlocks[term + 1]!;
    this.pos = seg.blockPostings[this.block]!;
    this.doc = this.block < this.blockEnd ? seg.blockFirst[this.block]! : END;
  }

  next(): void {
    const s = this.seg;
    const p = ++this.pos;
    if (p < s.blockPostings[this.block + 1]!) {
      this.doc = s.blockFirst[this.block]! + s.docOffsets[p]!;
    } else if (++this.block < this.blockEnd) {
      this.doc = s.blockFirst[this.block]!;
    } else {
      this.doc = END;
    }
  }

  /** Moves to the first posting at or after `target`. */
  advance(target: number): void {
    if (this.doc >= target) return;
    this.block = blockAtOrAfter(this.seg.blockLast, this.block, this.blockEnd, target);
    if (this.block >= this.blockEnd) {
      this.doc = END;
      return;
    }
    const s = this.seg;
    const base = s.blockFirst[this.block]!;
    let p = Math.max(this.pos, s.blockPostings[this.block]!);
    const offset = target - base;
    while (s.docOffsets[p]! < offset) p++;
    this.pos = p;
    this.doc = base + s.docOffsets[p]!;
  }

  /**
   * Moves to the first posting at or after `target`, backwards too: from the current block when that
   * posting must be there or later, else from the term's first block (galloping either way).
   */
  seek(target: number): void {
    const s = this.seg;
    if (this.block < this.blockEnd && s.blockFirst[this.block]! < target) {
      // Every earlier block ends before this one starts, so before target: rescan this block if past it.
      if (this.doc >= target) {
        this.pos = s.blockPostings[this.block]!;
        this.doc = s.blockFirst[this.block]!;
      }
    } else {
      this.block = this.blockStart;
      this.pos = s.blockPostings[this.block]!;
      this.doc = this.block < this.blockEnd ? s.blockFirst[this.block]! : END;
    }
    this.advance(target);
  }
}

/** The first block in [from, end) whose last chunk is ≥ target, or end: galloping, then binary search. */
export function blockAtOrAfter(blockLast: Uint32Array, from: number, end: number, target: number): number {
  let lo = from;
  if (lo >= end || blockLast[lo]! >= target) return lo;
  let hi = lo + 1;
  for (let step = 1; hi < end && blockLast[hi]! < target; step *= 2) {
    lo = hi;
    hi = lo + step;
  }
  if (hi > end) hi = end;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (blockLast[mid]! < target) lo = mid;
    else hi = mid;
  }
  return hi;
}
