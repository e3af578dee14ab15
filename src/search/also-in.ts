import { compareVersions } from '../library/version.js';
import type { StoredDocument } from '../store/store.js';

/**
 * Which of a passage's other copies its hit lists under "also in", at most `limit`: the newest copy
 * of each version first (so that every version holding the passage is named while there is room),
 * then further copies (the same passage in other documents of a version), newest first; in rank
 * order within a version. A passage repeated across a dozen versions and a hundred reference pages
 * would otherwise list every copy in every hit (287 for one hit at 1M chunks), growing the response
 * and the rows read with the library instead of with the page asked for. Returned newest first.
 */
export function listedCopies<T extends { doc: StoredDocument }>(copies: readonly T[], limit: number): T[] {
  const newestFirst = [...copies].sort((a, b) => compareVersions(b.doc.versionLabel, a.doc.versionLabel));
  if (newestFirst.length <= limit) return newestFirst;
  const named = new Set<string>();
  const firsts: T[] = [];
  const rest: T[] = [];
  for (const copy of newestFirst) {
    if (named.has(copy.doc.key.version)) rest.push(copy);
    else {
      named.add(copy.doc.key.version);
      firsts.push(copy);
    }
  }
  const kept = new Set([...firsts, ...rest].slice(0, limit));
  return newestFirst.filter((copy) => kept.has(copy));
}
