import type { AnsweringVersion, RankedPassage } from '../search/search-engine.js';
import { isLatest, type LibraryFilter } from './filters.js';
import type { InferredScopeInfo } from './types.js';

/**
 * The plain sentences a search answers with besides its hits: what was searched, why a version
 * answered, and, when nothing relevant was found, what to try next. Every surface shows the same
 * sentences; parameter names are the service's (version, infer_scope), which every surface accepts.
 */
export interface Scope {
  /** "the library", "product ftdv-autoscale-aws, version 6.6.0", "ftdv-autoscale-aws 6.6.0 (named in the query)" */
  text: string;
  inferred?: InferredScopeInfo;
  inferredNotice: string;
  filtered: boolean;
}

export function scopeOf(filter: LibraryFilter, inferred: InferredScopeInfo | undefined): Scope {
  const filterParts = (['vendor', 'product', 'version', 'collection', 'document'] as const).flatMap((field) => {
    const value = filter[field];
    if (value === undefined) return [];
    return field === 'version' && isLatest(value) ? ['the latest version of each product'] : [`${field} ${value}`];
  });
  if (inferred) {
    const named = joinAnd(inferred.products.map((p) => (p.versionLabel === undefined ? p.productLabel : `${p.productLabel} ${p.versionLabel}`)));
    const where = filterParts.length > 0 ? filterParts.join(', ') : 'the library';
    return inferred.applied === 'only'
      ? {
        text: `${named} (named in the query)`,
        inferred,
        inferredNotice: `Searched only ${named}, which the query names; to search without this, set infer_scope to false.`,
        filtered: true,
      }
      : {
        text: `${where}, ${named} first (named in the query)`,
        inferred,
        inferredNotice: `Ranked ${named} first, which the query names; to rank every product alike, set infer_scope to false.`,
        filtered: filterParts.length > 0,
      };
  }
  return { text: filterParts.length > 0 ? filterParts.join(', ') : 'the library', inferredNotice: '', filtered: filterParts.length > 0 };
}

/** Said only when a product on this page answered from its newest relevant version while older versions matched too. */
export function versionNotice(answering: ReadonlyMap<string, AnsweringVersion>, page: readonly RankedPassage[]): string | undefined {
  const shown = [...answering].filter(([product, answer]) =>
    answer.olderMatched && page.some((p) => p.primary.doc.key.product === product && p.primary.doc.key.version === answer.slug));
  if (shown.length === 0) return undefined;
  const which = shown.map(([product, answer]) => `${product} ${answer.label}`).join(', ');
  return `Newest relevant version per product: ${which}. Older versions: under also in, or ranked lower; version "all" ranks every version alike.`;
}

/**
 * `unmentioned` are names the query writes that the closest documents never mention
 * (SearchEngine.unmentionedNames); those no document of the library holds are said once, as unknown.
 */
export function nothingRelevantNotice(query: string, scope: Scope, unknownTerms: readonly string[], hadCandidates: boolean, unmentioned: readonly string[] = []): string {
  const unknown = new Set(unknownTerms.map((t) => t.toLowerCase()));
  const named = unmentioned.filter((name) => !unknown.has(name.toLowerCase()));
  const closest = !hadCandidates
    ? ''
    : named.length > 0
      ? `: the closest documents never mention ${joinAnd(named.map((n) => `"${n}"`), 'or')}`
      : unmentioned.length > 0
        ? ': the closest documents share some of its words but not what it names'
        : ': the closest passages hold only a few of its words, scattered';
  const missing = unknownTerms.length > 0 ? ` No document contains ${joinAnd(unknownTerms.map((t) => `"${t}"`), 'or')}.` : '';
  const broaden = scope.inferred
    ? ' Try the words the manuals use, or set infer_scope to false to search beyond what the query names.'
    : scope.filtered
      ? ' Try the words the manuals use, or drop a filter to search more of the library.'
      : ' Try the words the manuals use, or fewer words; the library list shows which products and versions it holds.';
  return `Nothing relevant found for "${query}" in ${scope.text}${closest}.${missing}${broaden}`;
}

function joinAnd(items: readonly string[], conjunction = 'and'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
