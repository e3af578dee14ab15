import type { MatchEvidence } from './match-evidence.js';

/**
 * The relevance floor: how well a passage matches, in three words a person and an agent can act
 * on. Ranking scores do not compare across queries (a gibberish query still has a best hit), so
 * the level is read from the passage's evidence: the share of the query's rare words it holds
 * together in one window, and verbatim identifiers or wording.
 *
 * - strong: the passage holds the query's wording or identifiers, or most of its weight in one window
 *   (nearly all of it for a statement) when the query names no identifier (a passage lacking HYPI-30 is no strong answer about HYPI-30,
 *   and version judging then prefers the version whose passage names it)
 * - partial: a good part of the query's weight in one window
 * - weak: scattered or few of the query's words; a query whose best passage is weak found nothing relevant
 */
export type MatchLevel = 'strong' | 'partial' | 'weak';

export const RELEVANCE_THRESHOLDS = {
  /** Window coverage for a strong match to a question, with the query's rarest term present. */
  strong: 0.6,
  /**
   * The same for a statement or a list of words with none the library lacks. A question asks one
   * thing, and a passage holding most of its weight with its rarest word answers it; a statement
   * says several things, and a passage holding most but not all of them in one window is as often
   * one on a neighbouring subject as the one it draws on. Strong matches lead the first results
   * (match-order.ts), so that difference decides their order: at 0.6, SciFact's nDCG@10 as served
   * fell below that of the same hits in score order (lexical 0.6856 → 0.6837); at 0.9 it rose above it (0.6870), and the
   * known-item sentences found their page first more often (folded hit@1 0.876 → 0.882); 0.8 did
   * less for both; never strong from coverage alone lost known-item passages from the first five.
   */
  strongStatement: 0.9,
  /**
   * Window coverage for a partial match (and for a strong one that holds every identifier), when the
   * query asks a question or holds a word the library lacks. A question asks one thing, which a
   * passage answering it holds in about a paragraph; a word no document holds weighs against every
   * passage. The vendor questions were judged alike from 0.4 down to 0.25, and a question the
   * manuals do not answer ("the disaster recovery procedure if the whole region goes down") had
   * its best passage's weight scattered below 0.35 but above 0.3.
   */
  partial: 0.35,
  /**
   * The same for a statement or a list of words with none the library lacks (partial only: a
   * strong match needs `partial` and the identifiers, or `strong`). A statement says
   * several things at once (a subject, a mechanism, an outcome), and the passage it draws on
   * spreads them over more than one window: SciFact's 300 claims, all answerable, got "nothing
   * relevant" for 19 at 0.35 and 16 at 0.25 (0.2 did no better), none of the questions changed.
   */
  partialStatement: 0.25,
};

export function matchLevel(evidence: MatchEvidence): MatchLevel {
  const { windowCoverage, identifiersFound, identifiersAsked, rarestFound, verbatim, lacking, question } = evidence;
  if (verbatim) return 'strong';
  // A query with a word the library lacks is judged as a question is (see `partial`).
  const asQuestion = question || lacking;
  if (windowCoverage < (asQuestion ? RELEVANCE_THRESHOLDS.partial : RELEVANCE_THRESHOLDS.partialStatement)) return 'weak';
  // A statement's words spread below the question's threshold make it partial, never strong (whatever identifiers it holds).
  if (windowCoverage < RELEVANCE_THRESHOLDS.partial) return 'partial';
  if (identifiersAsked > 0) return identifiersFound === identifiersAsked ? 'strong' : 'partial';
  if (windowCoverage >= (asQuestion ? RELEVANCE_THRESHOLDS.strong : RELEVANCE_THRESHOLDS.strongStatement) && rarestFound) return 'strong';
  return 'partial';
}

/** Levels in order, for sorting: higher is better. */
export const LEVEL_RANK: Readonly<Record<MatchLevel, number>> = { strong: 2, partial: 1, weak: 0 };

/** True for a level that counts as having found something. */
export function isRelevant(level: MatchLevel | 'none'): boolean {
  return level === 'strong' || level === 'partial';
}
