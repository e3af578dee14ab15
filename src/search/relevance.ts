import type { MatchEvidence } from './match-evidence.js';

/**
 * The relevance floor: how well a passage matches, in three words a person and an agent can act
 * on. Ranking scores do not compare across queries (a gibberish query still has a best hit), so
 * the level is read from the passage's evidence: the share of the query's rare words it holds
 * together in one window, and verbatim identifiers or wording.
 *
 * - strong: the passage holds the query's wording or identifiers, or most of its weight in one window
 *   when the query names no identifier (a passage lacking HYPI-30 is no strong answer about HYPI-30,
 *   and version judging then prefers the version whose passage names it)
 * - partial: a good part of the query's weight in one window
 * - weak: scattered or few of the query's words; a query whose best passage is weak found nothing relevant
 */
export type MatchLevel = 'strong' | 'partial' | 'weak';

export const RELEVANCE_THRESHOLDS = {
  /** Window coverage for a strong match, with the query's rarest term present. */
  strong: 0.6,
  /**
   * Window coverage for a partial match (and for a strong one that holds every identifier). A
   * statement's relevant passage often spreads its words over more than one window: at 0.4 the
   * floor answered "nothing relevant" to 36 of SciFact's 300 claims (all answerable), at 0.35 to 19;
   * the vendor questions were judged alike from 0.4 down to 0.25 (5 of 8 unanswerable recognised,
   * none of 38 answerable suppressed), so their recognition rests on the other rules.
   */
  partial: 0.35,
};

export function matchLevel(evidence: MatchEvidence): MatchLevel {
  const { windowCoverage, identifiersFound, identifiersAsked, rarestFound, verbatim } = evidence;
  if (verbatim) return 'strong';
  if (windowCoverage < RELEVANCE_THRESHOLDS.partial) return 'weak';
  if (identifiersAsked > 0) return identifiersFound === identifiersAsked ? 'strong' : 'partial';
  if (windowCoverage >= RELEVANCE_THRESHOLDS.strong && rarestFound) return 'strong';
  return 'partial';
}

/** Levels in order, for sorting: higher is better. */
export const LEVEL_RANK: Readonly<Record<MatchLevel, number>> = { strong: 2, partial: 1, weak: 0 };

/** True for a level that counts as having found something. */
export function isRelevant(level: MatchLevel | 'none'): boolean {
  return level === 'strong' || level === 'partial';
}
