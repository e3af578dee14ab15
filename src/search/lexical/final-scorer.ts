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
    let score = this.termScore(doc);
    if (this.lazy) this.q.lazy.forEach((phrase, p) => {
      if (phrase && this.containsLazy(doc, p)) score *= this.ctx.phraseFactor;
    });
    return score;
  }

  /** Whether the chunk last scored contains lazy phrase p. */
  containsLazy(doc: number, p: number): boolean {
    const phrase = this.q.lazy[p]!;
    if (this.ctx.absentIsZero && this.q.lazyScoredWords[p]!.some((slot) => this.present[slot] === 0)) return false;
    return this.q.checker.contains(doc, phrase);
  }
}
