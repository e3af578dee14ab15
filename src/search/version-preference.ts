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
 *
 * Judging a passage reads its words, so passages are judged only as far as the answer needs: not
 * at all for a product found in one version, and no further than the newest version when that one
 * matches as well as any passage can (strong, or verbatim when `verbatimPossible`).
 */
export function answeringVersions<M extends Member>(groups: readonly PassageGroup<M>[], rankOf: (group: PassageGroup<M>) => MatchRank, maxJudged: number, verbatimPossible = true): Map<string, AnsweringVersion> {
  const seen = versionsByProduct(groups, maxJudged);
  const ranks = new Map<number, number>();
  const rankAt = (index: number) => {
    let rank = ranks.get(index);
    if (rank === undefined) ranks.set(index, (rank = matchRank(rankOf(groups[index]!))));
    return rank;
  };
  const ceiling = verbatimPossible ? LEVEL_RANK.strong + 1 : LEVEL_RANK.strong;
  const rankOfVersion = (version: SeenVersion) => {
    let rank = -1;
    for (const index of version.judged) {
      rank = Math.max(rank, rankAt(index));
      if (rank === ceiling) break;
    }
    return rank;
  };
  const answering = new Map<string, AnsweringVersion>();
  for (const [product, versions] of seen) {
    let answer = newestOf(versions, () => true);
    if (versions.length > 1 && rankOfVersion(answer) < ceiling) {
      const rank = new Map(versions.map((v) => [v, rankOfVersion(v)]));
      const bestRank = Math.max(...rank.values());
      answer = newestOf(versions, (v) => rank.get(v) === bestRank);
    }
    answering.set(product, {
      slug: answer.slug, label: answer.label, bestScore: answer.score,
      olderMatched: versions.some((v) => compareVersions(v.label, answer.label) < 0),
    });
  }
  return answering;
}

interface SeenVersion {
  label: string;
  slug: string;
  /** Score of the first group holding this version. */
  score: number;
  /** Indexes of the judged groups holding it. */
  judged: number[];
}

/** Each product's versions among the groups, in the order first seen. */
function versionsByProduct(groups: readonly PassageGroup[], maxJudged: number): Map<string, SeenVersion[]> {
  const byProduct = new Map<string, Map<string, SeenVersion>>();
  groups.forEach((group, index) => {
    const product = group.newest.product;
    let versions = byProduct.get(product);
    if (!versions) byProduct.set(product, (versions = new Map()));
    for (const m of group.members) {
      let version = versions.get(m.doc.versionLabel);
      if (!version) versions.set(m.doc.versionLabel, (version = { label: m.doc.versionLabel, slug: m.doc.key.version, score: group.score, judged: [] }));
      if (index < maxJudged && version.judged.at(-1) !== index) version.judged.push(index);
    }
  });
  return new Map([...byProduct].map(([product, versions]) => [product, [...versions.values()]]));
}

/** The newest of the versions that pass `keep`; of versions that sort alike, the first seen. */
function newestOf(versions: readonly SeenVersion[], keep: (version: SeenVersion) => boolean): SeenVersion {
  let newest: SeenVersion | undefined;
  for (const v of versions) if (keep(v) && (!newest || compareVersions(v.label, newest.label) > 0)) newest = v;
  return newest!;
}

/** A group's score once its product's answering version is preferred: older-only passages rank below that version's best. */
export function preferredScore(group: PassageGroup, answer: AnsweringVersion | undefined, olderWeight: number): number {
  if (!answer || compareVersions(group.newest.doc.versionLabel, answer.label) >= 0) return group.score;
  return Math.min(group.score, answer.bestScore) * olderWeight;
}
