/**
 * Near-identical passages across versions of one product ("the same paragraph in the 6.6.0,
 * 6.7.0 and latest guides") are folded into one hit that says where else it appears.
 */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Word 3-shingles, ignoring words with digits: the same passage in two versions of a manual
 * usually differs in exactly those (release numbers, dates, limits).
 */
export function shingles(text: string, size = 3): Set<string> {
  const words = ((text.toLowerCase().match(WORD) ?? []) as string[]).filter((w) => !/\d/.test(w));
  const set = new Set<string>();
  if (words.length < size) {
    if (words.length > 0) set.add(words.join(' '));
    return set;
  }
  for (let i = 0; i + size <= words.length; i++) set.add(words.slice(i, i + size).join(' '));
  return set;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const s of small) if (large.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

export const NEAR_DUPLICATE_THRESHOLD = 0.8;

export interface Foldable {
  product: string;
  version: string;
  text: string;
}

/**
 * Groups hits (in rank order) so that each group holds one hit per version at most and all its
 * members are near-identical to the group's first member. Returns groups in rank order of
 * their first member.
 */
export function groupNearDuplicates<T extends Foldable>(hits: T[], threshold = NEAR_DUPLICATE_THRESHOLD): T[][] {
  // Shingles are computed only for hits that are compared at all (a product with one version
  // among the hits has nothing to fold), and pairs whose sizes already rule out the threshold are
  // skipped: under load this function dominated the cost of a search.
  const groups: { members: T[]; shingles?: Set<string> }[] = [];
  for (const hit of hits) {
    let own: Set<string> | undefined;
    const group = groups.find((g) => {
      if (g.members[0]!.product !== hit.product || g.members.some((m) => m.version === hit.version)) return false;
      own ??= shingles(hit.text);
      const theirs = (g.shingles ??= shingles(g.members[0]!.text));
      // Jaccard is at most the ratio of the two set sizes (written as jaccard() would compute it; 0/0 passes on).
      if (Math.min(theirs.size, own.size) / Math.max(theirs.size, own.size) < threshold) return false;
      return jaccard(theirs, own) >= threshold;
    });
    if (group) group.members.push(hit);
    else groups.push(own ? { members: [hit], shingles: own } : { members: [hit] });
  }
  return groups.map((g) => g.members);
}
