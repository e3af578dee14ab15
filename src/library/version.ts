/**
 * Vendor version strings are not semver: "v12.5", "12.5(1)", "12.6 SU2", "9.15", "latest",
 * "latest-2025-06". They are accepted as they are and ordered "naturally": split into runs of
 * digits and words, compare digit runs numerically and words alphabetically.
 */
const LATEST_WORDS = /^(latest|current|main|master|head|nightly)(\b|_)/i;
/** Words that mark a build before the release they qualify ("12.5 beta" < "12.5"). */
const PRERELEASE_WORDS = new Set(['alpha', 'a', 'beta', 'b', 'rc', 'pre', 'preview', 'dev', 'ea', 'draft']);

type Part = number | string;

function parts(version: string): Part[] {
  const cleaned = version.trim().replace(/^v(?=\d)/i, '');
  const result: Part[] = [];
  for (const match of cleaned.matchAll(/\d+|[^\d]+/g)) {
    const token = match[0];
    if (/^\d+$/.test(token)) result.push(Number(token));
    else {
      // Words of any script count ("版 2" vs "版 3" compare by their numbers, "β" after "α").
      for (const word of token.toLowerCase().split(/[^\p{L}]+/u)) if (word) result.push(word);
    }
  }
  return result;
}

/**
 * A label read once: searches compare the same few version labels and document names for every
 * passage they fold. Bounded, since labels come from the library and from callers.
 */
const parsedLabels = new Map<string, { latest: boolean; parts: Part[] }>();
const MAX_PARSED_LABELS = 20_000;

function parsed(label: string): { latest: boolean; parts: Part[] } {
  let kept = parsedLabels.get(label);
  if (!kept) {
    if (parsedLabels.size >= MAX_PARSED_LABELS) parsedLabels.clear();
    parsedLabels.set(label, (kept = { latest: LATEST_WORDS.test(label.trim()), parts: parts(label) }));
  }
  return kept;
}

/**
 * Where a part ranks at its position: pre-release words, then the end of a shorter version, then
 * other words, then numbers: "12.5 beta" < "12.5" < "12.5 SU1" < "12.5(1)", and
 * "12.6 SU2" < "12.6.1". Ranking pre-release words apart from other words (instead of comparing
 * all words alphabetically) is what keeps the order transitive: "" < "AA" < "b" < "" was possible.
 */
function rank(part: Part | undefined): number {
  if (part === undefined) return 1;
  if (typeof part === 'number') return 3;
  return PRERELEASE_WORDS.has(part) ? 0 : 2;
}

/** Compares two version labels; negative when a is older than b. A total, deterministic order. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const { latest: aLatest, parts: pa } = parsed(a);
  const { latest: bLatest, parts: pb } = parsed(b);
  // "latest..." labels name the newest snapshot, so they sort after every numbered release.
  if (aLatest !== bLatest) return aLatest ? 1 : -1;
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (rank(x) !== rank(y)) return rank(x) - rank(y);
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return x! < y! ? -1 : 1; // two words of the same rank
  }
  // Same natural parts ("v12.5" vs "12.5"): fall back to plain text so the order stays total.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortVersions(versions: Iterable<string>, order: 'asc' | 'desc' = 'asc'): string[] {
  const sorted = [...versions].sort(compareVersions);
  return order === 'asc' ? sorted : sorted.reverse();
}

export function latestVersion(versions: Iterable<string>): string | undefined {
  return sortVersions(versions, 'desc')[0];
}
