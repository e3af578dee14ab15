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
      for (const word of token.toLowerCase().split(/[^a-z]+/)) if (word) result.push(word);
    }
  }
  return result;
}

/** How a version with extra trailing parts compares with its prefix ("12.5" vs "12.5 SU1"). */
function extraPartSign(extra: Part): number {
  if (typeof extra === 'number') return 1; // 12.5(1) is after 12.5
  return PRERELEASE_WORDS.has(extra) ? -1 : 1; // 12.5 beta before 12.5; 12.6 SU2 after 12.6
}

/** Compares two version labels; negative when a is older than b. A total, deterministic order. */
export function compareVersions(a: string, b: string): number {
  const aLatest = LATEST_WORDS.test(a.trim());
  const bLatest = LATEST_WORDS.test(b.trim());
  // "latest..." labels name the newest snapshot, so they sort after every numbered release.
  if (aLatest !== bLatest) return aLatest ? 1 : -1;
  const pa = parts(a);
  const pb = parts(b);
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -extraPartSign(y!);
    if (y === undefined) return extraPartSign(x);
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    // A release number outranks a qualifier word at the same position: 12.6.1 after 12.6 SU2.
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    return x < y ? -1 : 1;
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
