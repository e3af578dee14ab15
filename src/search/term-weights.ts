import { idf } from './lexical/bm25f.js';
import type { LexicalIndex } from './lexical/lexical-index.js';

/**
 * How much a query term says about relevance: its inverse document frequency over the library's
 * chunks, with the same formula as BM25, so that "the passage holds the rare words of the question"
 * means the same thing to the relevance floor as to the ranking. A term no chunk holds has
 * frequency 0 (see `known`).
 */
export interface TermWeights {
  /** idf of an analyzed term; terms absent from the library get the largest weight. */
  idf(term: string): number;
  /** True when at least one chunk of the library holds the term. */
  known(term: string): boolean;
  /** How many chunks hold the term. */
  frequency(term: string): number;
}

/**
 * Term weights read from one snapshot of the in-memory lexical index (the one a search ranks
 * with), so they agree with the ranking and never change under a running search. Made per search:
 * the cache only spares the spelling correction repeated look-ups.
 */
export class IndexTermWeights implements TermWeights {
  private readonly frequencies = new Map<string, number>();

  constructor(private readonly index: Pick<LexicalIndex, 'documentFrequency' | 'size'>) {}

  /** Live chunks holding the term in any field. */
  frequency(term: string): number {
    let df = this.frequencies.get(term);
    if (df === undefined) {
      df = this.index.documentFrequency(term);
      this.frequencies.set(term, df);
    }
    return df;
  }

  idf(term: string): number {
    return idf(this.index.size, this.frequency(term));
  }

  known(term: string): boolean {
    return this.frequency(term) > 0;
  }
}
