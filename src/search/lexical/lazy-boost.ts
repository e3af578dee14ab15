import { PhraseWords } from './phrase-match.js';
import type { SegmentQuery } from './ranking-types.js';

/**
 * Whether a chunk of one segment may get a lazy phrase's boost. Only a chunk holding every word of
 * a lazy phrase can, and the words' postings tell so, rarest first: one or two cursor steps for most
 * chunks. A chunk that cannot be boosted then faces the plain floor rather than the floor divided by
 * the largest boost, so it is neither scored in full nor checked on the forward index (rankSegment).
 * At 1M chunks, most survivors of a quoted phrase of 20 stop words lack its rarest word: 21,827
 * final scores and 18,153 forward-index checks before, 158 and 7 with the test.
 *
 * Where most chunks asked hold the words anyway (a phrase of words the query scores, such as
 * "7. Add the" in "7. Add the SFP Modules", 93% held), a test costs about half the final score it
 * rarely saves (that query ranked in 26 instead of 19 ms). So after SAMPLE tests in a segment of
 * which more than half held, the test stops and takes every chunk as boostable, as it was without
 * the test. Speed only: a chunk taken as boostable is merely kept against the lower floor.
 */
export class LazyBoostTest {
  static readonly SAMPLE = 256;
  private readonly words: PhraseWords[];
  private tested = 0;
  private held = 0;
  private stopped = false;

  constructor(q: SegmentQuery) {
    this.words = q.lazy.flatMap((phrase) => (phrase ? [new PhraseWords(q.seg, phrase)] : []));
  }

  mayBoost(doc: number): boolean {
    if (this.stopped) return true;
    let holds = false;
    for (const words of this.words) {
      if (words.holdsAll(doc)) {
        holds = true;
        break;
      }
    }
    if (holds) this.held++;
    if (++this.tested === LazyBoostTest.SAMPLE && 2 * this.held > this.tested) this.stopped = true;
    return holds;
  }
}
