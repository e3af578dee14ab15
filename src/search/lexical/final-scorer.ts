import { PostingCursor } from './posting-cursor.js';
import type { RankContext, SegmentQuery } from './ranking-types.js';

/**
 * The exact score of chunks of one segment, cheapest asked for in ascending order (a step back
 * costs a seek): every term's contribution added in query-term order (with cursors of its own), then the boosts of
 * the lazy phrases the chunk contains, in phrase order. A lazy phrase is checked on the forward index
 * only when each of its scored words is present.
 */
export class FinalScorer {
  private readonly cursors: PostingCursor[];
  private readonly present: Uint8Array;
  private readonly lazy: boolean;
  /** The chunk asked for last. */
  private last = -1;
  /** The largest product of lazy-phrase boosts a chunk can get. */
  readonly boostLimit: number;

  constructor(
    private readonly q: SegmentQuery,
    private readonly ctx: RankContext,
  ) {
    // q.terms is in query order: the summation order.
    this.cursors = q.terms.map(({ term }) => new PostingCursor(q.seg, term));
    this.present = new Uint8Array(ctx.termTotal);
    this.lazy = q.lazy.some((p) => p !== undefined);
    let limit = 1;
    for (const p of q.lazy) if (p) limit *= ctx.phraseFactor;
    this.boostLimit = limit;
  }

  /** The chunk's BM25F score on the query terms, or NaN when none of them occurs in it. */
  termScore(doc: number): number {
    const { q, cursors, present } = this;
    if (doc < this.last) for (const c of cursors) c.seek(doc);
    this.last = doc;
    let score = 0;
    let any = false;
    for (let i = 0; i < cursors.length; i++) {
      const c = cursors[i]!;
      c.advance(doc);
      const { scored } = q.terms[i]!;
      present[scored.index] = c.doc === doc ? 1 : 0;
      if (c.doc !== doc) continue;
      score += q.scorer.contribution(scored.weight, c.pos, doc);
      any = true;
    }
    return any ? score : Number.NaN;
  }

  /** termScore with the boosts of the lazy phrases the chunk contains. */
  score(doc: number): number {
    return this.scoreAtLeast(doc, -Infinity);
  }

  /**
   * score(doc), or NaN once it is known not to reach `threshold` (then the rest of its phrases are
   * not checked). A lazy phrase can only match where each of
   * its scored words is present (the term score just read says which), so after the term score the
   * chunk's own boost bound is the product over those phrases alone; phrases are then checked in
   * order, each only while the score so far times the boosts still possible reaches the threshold.
   * A query naming several phrases of common words ("IS-IS", "link-state") would otherwise check
   * each of them on the forward index of every chunk the global bound let through: ~16k checks for
   * one bench query at 1M chunks. The score returned is multiplied in phrase order exactly as
   * before, so it is the same to the bit; the caller's threshold must allow for rounding.
   */
  scoreAtLeast(doc: number, threshold: number): number {
    let score = this.termScore(doc);
    if (!this.lazy || Number.isNaN(score)) return score;
    const { lazy } = this.q;
    const factor = this.ctx.phraseFactor;
    let possible = 0;
    for (let p = 0; p < lazy.length; p++) if (lazy[p] && this.mayContainLazy(p)) possible++;
    for (let p = 0; p < lazy.length && possible > 0; p++) {
      const phrase = lazy[p];
      if (!phrase || !this.mayContainLazy(p)) continue;
      if (score * factor ** possible < threshold) return Number.NaN;
      possible--;
      if (this.q.checker.contains(doc, phrase)) score *= factor;
    }
    return score;
  }

  /** Whether the chunk last scored contains lazy phrase p. */
  containsLazy(doc: number, p: number): boolean {
    return this.mayContainLazy(p) && this.q.checker.contains(doc, this.q.lazy[p]!);
  }

  /** Whether the chunk last scored holds every scored word of lazy phrase p (a word it lacks scores zero only when every field weighs). */
  private mayContainLazy(p: number): boolean {
    return !(this.ctx.absentIsZero && this.q.lazyScoredWords[p]!.some((slot) => this.present[slot] === 0));
  }
}
