import { sourcePathOf } from '../library/ids.js';
import { compareVersions } from '../library/version.js';
import { LibraryError } from '../library/errors.js';
import type { SearchEngine, RankedPassage } from '../search/search-engine.js';
import { makeSnippet } from '../search/snippet.js';
import { timed, type SearchTrace } from '../search/trace.js';
import type { CatalogStore } from '../store/store.js';
import { filters, resolveFilter } from './filters.js';
import { LIMITS } from '../library/limits.js';
import type { SearchHit, SearchRequest, SearchResponse, VersionMention } from './types.js';

/**
 * A search from request to response: check the request against the limits, resolve its filters,
 * run the engine's stages (plan → retrieve → collect), then build the hits a person or an agent
 * reads: snippets around the matched words, labels, the same passage in other versions, paging.
 */
export async function runSearch(engine: SearchEngine, catalog: CatalogStore, request: SearchRequest, trace?: SearchTrace): Promise<SearchResponse> {
  const limit = Math.min(Math.max(1, request.limit ?? 10), LIMITS.searchLimit);
  const offset = Math.max(0, request.offset ?? 0);
  checkRequest(request, offset);
  const documents = timed(trace, 'filter', () => resolveFilter(catalog, request));
  const docRowids = filters(request) ? new Set(documents.map((d) => d.rowid)) : undefined;
  const plan = engine.plan(request.query, { ...(request.mode ? { mode: request.mode } : {}), depth: (offset + limit) * 3, ...(docRowids ? { docRowids } : {}) }, trace);
  const ranked = await engine.retrieve(plan, trace);
  const newestOnly = (request.versions ?? 'latest') === 'latest' && !request.version;
  const { passages, preferredNewest } = engine.collect(ranked, new Map(documents.map((d) => [d.rowid, d])), newestOnly, trace);
  const page = passages.slice(offset, offset + limit);
  return timed(trace, 'hits', () => {
    const notices = [...plan.notices];
    // Only products whose newest version answered on this page, while older ones also matched.
    const preferred = [...preferredNewest].filter(([product, newest]) =>
      page.some((p) => p.primary.doc.key.product === product && p.primary.doc.key.version === newest.slug));
    if (preferred.length > 0) {
      notices.push(
        `Preferred the newest matching version of ${preferred.map(([product, newest]) => `${product} (${newest.label})`).join(', ')}; ` +
          'passages found only in older versions rank lower. Pass a version, or all versions, to change this.',
      );
    }
    // Highlight what was scored (stop words only inside phrases), not every "to" and "the".
    const queryTokens = new Set([...plan.parsed.terms.keys(), ...plan.parsed.phrases.flat()]);
    const response: SearchResponse = {
      query: request.query,
      mode: plan.mode,
      hits: page.map((passage, i) => hitOf(passage, offset + i + 1, queryTokens)),
      notices,
    };
    if (offset + limit < passages.length) response.nextOffset = offset + limit;
    return response;
  });
}

function checkRequest(request: SearchRequest, offset: number): void {
  if (request.query.length > LIMITS.queryChars) {
    throw new LibraryError('invalid_input', `the query is ${request.query.length} characters long`, `Shorten it to at most ${LIMITS.queryChars}`);
  }
  if (offset > LIMITS.searchOffset) {
    throw new LibraryError('invalid_input', `offset ${offset} is past the deepest result page (${LIMITS.searchOffset})`, 'Narrow the search with filters or other words instead');
  }
  for (const field of ['vendor', 'product', 'version', 'document'] as const) {
    const value = request[field];
    if (value !== undefined && value.length > LIMITS.filterChars) {
      throw new LibraryError('invalid_input', `the ${field} filter is longer than ${LIMITS.filterChars} characters`, 'See the library for the names it holds');
    }
  }
}

function hitOf({ primary, others, score }: RankedPassage, rank: number, queryTokens: ReadonlySet<string>): SearchHit {
  const { chunk, doc } = primary;
  const hit: SearchHit = {
    rank,
    score: Math.round(score * 1e6) / 1e6,
    chunkId: chunk.id,
    docId: doc.docId,
    title: doc.title,
    vendor: doc.vendor,
    vendorLabel: doc.vendorLabel,
    product: doc.key.product,
    productLabel: doc.productLabel,
    version: doc.key.version,
    versionLabel: doc.versionLabel,
    page: chunk.page,
    pageEnd: chunk.pageEnd,
    headingPath: chunk.headingPath,
    format: doc.format,
    sourcePath: sourcePathOf(doc.key),
    snippet: makeSnippet(chunk.text, queryTokens),
    alsoIn: [...others]
      .sort((a, b) => compareVersions(b.doc.versionLabel, a.doc.versionLabel))
      .map((o) => {
        const mention: VersionMention = { version: o.doc.key.version, versionLabel: o.doc.versionLabel, chunkId: o.chunk.id, page: o.chunk.page };
        if (o.chunk.pageLabel !== undefined) mention.pageLabel = o.chunk.pageLabel;
        return mention;
      }),
  };
  if (chunk.pageLabel !== undefined) hit.pageLabel = chunk.pageLabel;
  return hit;
}
