import type { RankingStore } from '../store/store.js';

/**
 * How much a query term says about relevance: its inverse document frequency over the library's
 * chunks, with the same formula as BM25, so that "the passage holds the rare words of the question"
 * means the same thing to the relevance floor as to the ranking. Frequencies are cached until the
 * library changes; a term no chunk holds has frequency 0 (see `known`).
 */
export interface TermWeights {
  /** idf of an analyzed term; terms absent from the library get the largest weight. */
  idf(term: string): number;
  /** True when at least one chunk of the library holds the term. */
  known(term: string): boolean;
  /** How many chunks hold the term. */
  frequency(term: string): number;
}

/** Enough for the vocabulary of many queries; the cache starts over past it rather than growing without bound. */
const MAX_CACHED_TERMS = 50_000;

export interface TermStatisticsStore extends Pick<RankingStore, 'postings' | 'changeToken'> {
  counts(): { chunks: number };
}

export class LibraryTermWeights implements TermWeights {
  private token = '';
  private chunks = 0;
  private readonly frequencies = new Map<string, number>();

  constructor(private readonly store: TermStatisticsStore) {}

  private refresh(): void {
    const token = this.store.changeToken();
    if (token === this.token) return;
    this.token = token;
    this.chunks = this.store.counts().chunks;
    this.frequencies.clear();
  }

  /** Chunks holding the term in any field. */
  frequency(term: string): number {
    this.refresh();
    let df = this.frequencies.get(term);
    if (df === undefined) {
      df = new Set(this.store.postings(term).map((p) => p.rowid)).size;
      if (this.frequencies.size >= MAX_CACHED_TERMS) this.frequencies.clear();
      this.frequencies.set(term, df);
    }
    return df;
  }

  idf(term: string): number {
    const df = this.frequency(term);
    return Math.log(1 + (this.chunks - df + 0.5) / (df + 0.5));
  }

  known(term: string): boolean {
    return this.frequency(term) > 0;
  }
}
