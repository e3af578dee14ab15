import type { MatchLevel } from './relevance.js';

/**
 * The first results with the strong matches ahead of the rest, each part in its ranked order.
 *
 * Ranking adds up each query term's weight wherever the term occurs, so a passage that repeats one
 * rare term of the question (a version number, a product name) outranks the passage that holds the
 * whole question in one window: "What min/max does the FTDv 6.7 auto scale group start with" ranked
 * the "Enhancements to Auto Scale (Version 6.7)" passage above the sentence giving the defaults. The
 * match level reads exactly that difference (relevance.ts). Only strong matches move: partial and
 * weak ones keep their order, since a paraphrased question's answer often shares few of its words
 * and reads weak, and moving partial passages above it lost such answers from the first five.
 *
 * `levels` are the levels of the first `levels.length` results; results after them keep their place,
 * so a page beyond the first never holds a passage the first page showed.
 */
export function strongFirst<T>(ranked: readonly T[], levels: readonly MatchLevel[]): T[] {
  const head = ranked.slice(0, levels.length);
  const strong = head.filter((_, i) => levels[i] === 'strong');
  if (strong.length === 0 || strong.length === head.length) return ranked.slice();
  return [...strong, ...head.filter((_, i) => levels[i] !== 'strong'), ...ranked.slice(levels.length)];
}
