import { compareVersions } from '../library/version.js';
import type { StoredChunk, StoredDocument } from '../store/store.js';
import { LEVEL_RANK, type MatchLevel } from './relevance.js';

/**
 * Which version of each product answers a search that names none: the newest version that has a
 * passage matching as well as the product's best passage does (strong, partial or weak, see
 * relevance.ts). A newest release that only has release notes touching the topic therefore does not
 * hide the previous version's guide, while a newest guide that says the same thing in other words
 * does answer. Passages that only older versions hold are ranked below the answering version's best
 * passage, so an older wording never outranks the newest one's, unless the query quotes it word for
 * word: a quotation is answered from the version it quotes.
 */
export interface Member {
  chunk: StoredChunk;
  doc: StoredDocument;
  product: string;
  score: number;
}

export interface PassageGroup<M extends Member = Member> {
  /** Near-identical passages, best ranked first. */
  members: M[];
  /** The member shown: from the newest version, and within it the newest-named revision. */
  newest: M;
  score: number;
}

/** The version a product answers from by default, and whether its older versions matched too. */
export interface AnsweringVersion {
  slug: string;
  label: string;
  olderMatched: boolean;
  /** Score of the answering version's best passage. */
  bestScore: number;
}

/**
 * The member to show: from the newest version, and within a version from the revision whose name
 * sorts last naturally ("guide_rev2018-02" after "guide_rev2017-12", "guide-revised" after "guide"):
 * documents carry no revision date, and names are how revisions are told apart.
 */
/** How well a passage matches, for choosing a version: a verbatim quotation of the query above any strong match. */
export interface MatchRank {
  level: MatchLevel;
  verbatim: boolean;
}

function matchRank({ level, verbatim }: MatchRank): number {
  return verbatim ? LEVEL_RANK.strong + 1 : LEVEL_RANK[level];
}

export function newestMember<M extends Member>(members: M[]): M {
  const newer = (a: M, b: M) => compareVersions(a.doc.versionLabel, b.doc.versionLabel) || compareVersions(a.doc.key.document, b.doc.key.document);
  return members.reduce((best, m) => (newer(m, best) > 0 ? m : best));
}

/**
 * For each product among the groups (in score order), its answering version: how well each version
 * matches is the best level among its passages in the first `maxJudged` groups (a version seen only
 * further down counts below every judged one), and its best score is that of its first passage.
 */
export function answeringVersions(groups: readonly PassageGroup[], rankOf: (group: PassageGroup) => MatchRank, maxJudged: number): Map<string, AnsweringVersion> {
  const judged = new Map<string, Map<string, { slug: string; rank: number; score: number }>>();
  groups.forEach((group, index) => {
    const product = group.newest.product;
    const versions = judged.get(product) ?? new Map<string, { slug: string; rank: number; score: number }>();
    judged.set(product, versions);
    const rank = index < maxJudged ? matchRank(rankOf(group)) : -1;
    for (const m of group.members) {
      const seen = versions.get(m.doc.versionLabel);
      if (!seen) versions.set(m.doc.versionLabel, { slug: m.doc.key.version, rank, score: group.score });
      else seen.rank = Math.max(seen.rank, rank);
    }
  });
  const answering = new Map<string, AnsweringVersion>();
  for (const [product, versions] of judged) {
    const bestRank = Math.max(...[...versions.values()].map((v) => v.rank));
    let answer: AnsweringVersion | undefined;
    for (const [label, v] of versions) {
      if (v.rank === bestRank && (!answer || compareVersions(label, answer.label) > 0)) answer = { slug: v.slug, label, olderMatched: false, bestScore: v.score };
    }
    answer!.olderMatched = [...versions.keys()].some((label) => compareVersions(label, answer!.label) < 0);
    answering.set(product, answer!);
  }
  return answering;
}

/** A group's score once its product's answering version is preferred: older-only passages rank below that version's best. */
export function preferredScore(group: PassageGroup, answer: AnsweringVersion | undefined, olderWeight: number): number {
  if (!answer || compareVersions(group.newest.doc.versionLabel, answer.label) >= 0) return group.score;
  return Math.min(group.score, answer.bestScore) * olderWeight;
}
