import type { PhraseChecker, SegmentPhrase } from './phrase-match.js';
import type { PostingScorer } from './posting-scorer.js';
import type { LexicalSegmentData } from './segment-data.js';

/** What ranking one segment works from: the query as that segment sees it, and the ranking settings. */
export interface ScoredTerm {
  /** Position among the query's scored terms: the summation order. */
  index: number;
  /** qtf · idf with global statistics. */
  weight: number;
}

export interface SegmentQuery {
  seg: LexicalSegmentData;
  removed: Uint8Array;
  /** Exact per-posting scores under the index's current averages. */
  scorer: PostingScorer;
  /** Query terms present in this segment (in query order), with their segment term ids. */
  terms: { term: number; scored: ScoredTerm }[];
  /** Factor by which the segment's stored bounds must be raised under the current averages. */
  inflation: number;
  /** Allowed local ranges [s0, e0, s1, e1, …] ascending, or undefined for all chunks. */
  ranges: Uint32Array | undefined;
  /** Local chunks already ranked (eager phrase matches), ascending. */
  skip: Uint32Array | undefined;
  /** Per query phrase: the phrase when it is to be checked per chunk, else undefined. */
  lazy: (SegmentPhrase | undefined)[];
  /** Per lazy phrase: the summation slots of its words that are scored terms. */
  lazyScoredWords: (readonly number[] | undefined)[];
  checker: PhraseChecker;
}

export interface RankContext {
  k1: number;
  /** Number of scored query terms (the length of the summation order). */
  termTotal: number;
  /** 1 + phrase boost: the factor per matched phrase. */
  phraseFactor: number;
  /** False for exhaustive scoring (the reference the pruning must equal). */
  pruning: boolean;
  /** True when every field weight is positive, so a term present in a chunk contributes more than 0. */
  absentIsZero: boolean;
}

