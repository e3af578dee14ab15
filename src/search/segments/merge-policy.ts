/**
 * Which segments to merge next: a tiered policy by size. Segments of similar size (one tier spans
 * a factor of `mergeFactor`) are merged once a tier holds `mergeFactor` of them, so each chunk is
 * rewritten about log_factor(N / floor) times over the index's life and a search visits at most
 * about mergeFactor segments per tier. Segments that lost many chunks are rewritten alone to drop them.
 */
export interface MergePolicy {
  /** Segments up to this many live chunks all belong to the smallest tier. */
  floorChunks: number;
  /** How many segments of one tier trigger a merge, and how many are merged at once. */
  mergeFactor: number;
  /** Merges never produce more live chunks than this (a bound on one step's time and memory). */
  maxMergedChunks: number;
  /** A segment whose removed share reaches this is rewritten without its removed chunks. */
  maxRemovedShare: number;
}

export const DEFAULT_MERGE_POLICY: MergePolicy = { floorChunks: 2000, mergeFactor: 8, maxMergedChunks: 4_000_000, maxRemovedShare: 0.3 };

export interface SegmentShape {
  /** Chunks stored, removed ones included. */
  chunks: number;
  live: number;
}

export function validateMergePolicy(policy: MergePolicy): MergePolicy {
  const { floorChunks, mergeFactor, maxMergedChunks, maxRemovedShare } = policy;
  if (!(Number.isSafeInteger(floorChunks) && floorChunks >= 1)) throw new RangeError(`merge policy floorChunks must be a positive integer, got ${floorChunks}`);
  if (!(Number.isSafeInteger(mergeFactor) && mergeFactor >= 2)) throw new RangeError(`merge policy mergeFactor must be an integer ≥ 2, got ${mergeFactor}`);
  if (!(Number.isSafeInteger(maxMergedChunks) && maxMergedChunks >= 1)) throw new RangeError(`merge policy maxMergedChunks must be a positive integer, got ${maxMergedChunks}`);
  if (!(maxRemovedShare > 0 && maxRemovedShare <= 1)) throw new RangeError(`merge policy maxRemovedShare must be in (0, 1], got ${maxRemovedShare}`);
  return policy;
}

function tierOf(live: number, policy: MergePolicy): number {
  return live <= policy.floorChunks ? 0 : 1 + Math.floor(Math.log(live / policy.floorChunks) / Math.log(policy.mergeFactor));
}

/** Indexes of the segments to merge into one (a single index: rewrite it alone), or undefined. */
export function planMerge(shapes: readonly SegmentShape[], policy: MergePolicy): number[] | undefined {
  // Empty segments go first: dropping them costs nothing.
  const empty = shapes.findIndex((s) => s.live === 0);
  if (empty >= 0) return [empty];

  const tiers = new Map<number, number[]>();
  shapes.forEach((s, i) => {
    const tier = tierOf(s.live, policy);
    tiers.set(tier, [...(tiers.get(tier) ?? []), i]);
  });
  for (const tier of [...tiers.keys()].sort((a, b) => a - b)) {
    const members = tiers.get(tier)!;
    if (members.length < policy.mergeFactor) continue;
    const smallest = members.sort((a, b) => shapes[a]!.live - shapes[b]!.live || a - b).slice(0, policy.mergeFactor);
    if (smallest.reduce((sum, i) => sum + shapes[i]!.live, 0) <= policy.maxMergedChunks) return smallest.sort((a, b) => a - b);
  }

  let worst = -1;
  let worstShare = 0;
  shapes.forEach((s, i) => {
    const share = (s.chunks - s.live) / s.chunks;
    if (share >= policy.maxRemovedShare && share > worstShare) {
      worst = i;
      worstShare = share;
    }
  });
  return worst >= 0 ? [worst] : undefined;
}
