import { sourcePathOf } from '../library/ids.js';
import { LibraryError } from '../library/errors.js';
import type { Candidate, Collected, SearchEngine, SearchPlan, RankedPassage } from '../search/search-engine.js';
import { pageAt, pageStarts } from '../search/passage-pages.js';
import { windowChars } from '../search/match-evidence.js';
import { isRelevant, LEVEL_RANK, matchLevel, type MatchLevel } from '../search/relevance.js';
import { strongFirst } from '../search/match-order.js';
import { inferScope, type InferredScope, type ScopeCandidate } from '../search/query-scope.js';
import { queryContrast } from '../search/query-contrast.js';
import { makeSnippet } from '../search/snippet.js';
import { timed, type SearchTrace } from '../search/trace.js';
import type { CatalogEntry, CatalogStore, ContentStore, StoredDocument } from '../store/store.js';
import { filters, isLatest, selectDocuments } from './filters.js';
import { LIMITS } from '../library/limits.js';
import { nothingRelevantNotice, scopeOf, versionNotice, type Scope } from './search-notices.js';
import type { InferredScopeInfo, SearchHit, SearchRequest, SearchResponse, VersionMention } from './types.js';

export type SearchStore = CatalogStore & Pick<ContentStore, 'page'>;

/** Results whose best match decides whether anything relevant was found: about a page of them. */
const BEST_MATCH_DEPTH = 10;

/**
 * A search from request to response: check the request against the limits, resolve its filters
 * (and a product or version the query names), run the engine's stages (plan → retrieve → collect),
 * then judge the best passage against the relevance floor and build the hits a person or an agent
 * reads: the page of the best-matching text, snippets, labels, the same passage in other versions.
 */
export async function runSearch(engine: SearchEngine, store: SearchStore, request: SearchRequest, trace?: SearchTrace): Promise<SearchResponse> {
  const limit = Math.min(Math.max(1, request.limit ?? 10), LIMITS.searchLimit);
  const offset = Math.max(0, request.offset ?? 0);
  checkRequest(request, offset);
  const allVersions = request.versions === 'all' || (request.version !== undefined && request.version.trim().toLowerCase() === 'all');
  const filter = { ...request, ...(allVersions ? { version: undefined } : {}) };
  const { documents, inferred, namingTerms, subject, references, unheld } = timed(trace, 'filter', () => scopeDocuments(store, filter, request));
  const docRowids = documents ? new Set(documents.map((d) => d.rowid)) : undefined;
  const preferred = inferred?.applied === 'first' ? new Set(inferred.products.map((p) => p.product)) : undefined;
  const plan = engine.plan(request.query, {
    ...(request.mode ? { mode: request.mode } : {}), depth: (offset + limit) * 3, shown: Math.max(offset + limit, BEST_MATCH_DEPTH), ...(docRowids ? { docRowids } : {}), ...(preferred ? { preferredProducts: preferred } : {}),
    ...(namingTerms ? { scopeTerms: namingTerms } : {}), ...(subject ? { subject } : {}),
  }, trace);
  if (unheld) plan.notices.push(unheld);
  if (references) plan.notices.push(`Read ${references.map((r) => `"${r}"`).join(' and ')} as what the question sets itself against, not what it asks about; name the product as a filter to search it.`);
  const ranked = await engine.retrieve(plan, trace);
  const versionFiltered = (filter.version !== undefined && !isLatest(filter.version)) || (inferred?.versions.size ?? 0) > 0;
  // A page and one more passage: whether another page exists is then known.
  const collected = await engine.collectEnough(plan, ranked, !allVersions && !versionFiltered, offset + limit + 1, trace);
  return timed(trace, 'hits', () => respond(engine, store, request, plan, collected, { offset, limit, scope: scopeOf(filter, inferred) }));
}

/**
 * The documents to search: the filters, then what the query names, unless told not to. A product
 * named with a version is searched alone (the version is a precise intent); a product named alone
 * ranks first, since a question about one product is sometimes answered in a related product's guide.
 * `documents` is undefined when the whole library is searched: most searches name no filter, and
 * the list of every document is then not read.
 */
function scopeDocuments(store: CatalogStore, filter: SearchRequest, request: SearchRequest): {
  documents?: readonly CatalogEntry[]; inferred?: InferredScopeInfo & { versions: Map<string, string> }; namingTerms?: Set<string>; subject?: string; references?: string[];
  /** A sentence saying which named releases the library does not hold. */
  unheld?: string;
} {
  const documents = filters(filter) ? selectDocuments(store.catalogEntries(), filter) : undefined;
  if (request.inferScope === false || filter.version !== undefined || filter.document !== undefined) return documents ? { documents } : {};
  // The catalog holds each product version of the documents once, with the labels of its first document.
  const catalog = documents ? scopeCatalog(documents) : wholeCatalog(store);
  const { scope, contrast } = queryScope(request.query, catalog);
  const unheld = scope && unheldNotice(scope, catalog);
  const unchanged = { ...(documents ? { documents } : {}), ...(contrast ? { subject: contrast.subject, references: contrast.references } : {}), ...(unheld ? { unheld } : {}) };
  if (!scope) return unchanged;
  const inScope = (product: string, version: string) => scope.products.includes(product) && (!scope.versions.has(product) || scope.versions.get(product) === version);
  // Naming every product in scope narrows nothing: say nothing about it either.
  if (catalog.every((c) => inScope(c.product, c.version))) return unchanged;
  const products = scope.products.map((product) => {
    const named = catalog.find((c) => inScope(c.product, c.version) && c.product === product)!;
    return scope.versions.has(product)
      ? { product, productLabel: named.productLabel, version: named.version, versionLabel: named.versionLabel }
      : { product, productLabel: named.productLabel };
  });
  if (scope.versions.size === 0) return { ...unchanged, inferred: { applied: 'first', products, versions: scope.versions } };
  const narrowed = (documents ?? selectDocuments(store.catalogEntries(), filter)).filter((d) => inScope(d.key.product, d.key.version));
  return { documents: narrowed, inferred: { applied: 'only', products, versions: scope.versions }, namingTerms: scope.namingTerms };
}

/**
 * The product and version the query names, and its subject when it sets itself against another
 * product's document (query-contrast.ts): "For the ASAv Azure autoscale, do I rename plink.exe to
 * ftdssh.exe like the FTDv guide says?" asks about ASAv, so FTDv is not inferred as its scope and
 * ftdssh.exe is not what the answer must hold. Only when the rest of the question names a product
 * and the reference is what brings another product into the question read whole: "configure BGP like
 * the FRR docs say" asks about FRR, and "for Edgefw, ... like the Edgefw guide says" about Edgefw;
 * both are read whole.
 */
function queryScope(query: string, catalog: readonly ScopeCandidate[]): { scope?: InferredScope; contrast?: { subject: string; references: string[] } } {
  const whole = inferScope(query, catalog);
  const contrast = whole && queryContrast(query);
  if (!whole || !contrast || contrast.subject === '') return whole ? { scope: whole } : {};
  const subject = inferScope(contrast.subject, catalog);
  if (!subject || whole.products.every((p) => subject.products.includes(p))) return { scope: whole };
  return { scope: subject, contrast: { subject: contrast.subject, references: contrast.references } };
}

/**
 * "NetBox 7" in a library holding NetBox 1-4 is not silently answered from another release: the
 * search ranks the product first, and says which releases it does hold.
 */
function unheldNotice(scope: InferredScope, catalog: readonly ScopeCandidate[]): string | undefined {
  if (scope.unheldVersions.length === 0) return undefined;
  const byVersion = new Map<string, string[]>();
  for (const { product, version } of scope.unheldVersions) {
    const held = catalog.filter((c) => c.product === product);
    const labels = [...new Set(held.map((c) => c.versionLabel))];
    const shown = labels.length > 8 ? `${labels.slice(0, 8).join(', ')} and ${labels.length - 8} more` : labels.join(', ');
    byVersion.set(version, [...(byVersion.get(version) ?? []), `${held[0]!.productLabel} (it holds ${shown})`]);
  }
  return [...byVersion].map(([version, products]) => `The library holds no version ${version} of ${products.join(' or of ')}: the results come from the versions it holds.`).join(' ');
}

/** The whole library's scope catalog, per store, kept until the library changes: most searches name no filter. */
const wholeCatalogs = new WeakMap<CatalogStore, { token: string; catalog: ScopeCandidate[] }>();

function wholeCatalog(store: CatalogStore): ScopeCandidate[] {
  // The token is read before the documents: a change in between only makes the next search rebuild.
  const token = store.changeToken();
  let kept = wholeCatalogs.get(store);
  if (kept?.token !== token) wholeCatalogs.set(store, (kept = { token, catalog: scopeCatalog(store.catalogEntries()) }));
  return kept.catalog;
}

/**
 * What inferring a scope reads of the documents: each product version (and label) once, in the
 * documents' order. A library holds thousands of documents but tens of product versions.
 */
function scopeCatalog(documents: readonly CatalogEntry[]): ScopeCandidate[] {
  const seen = new Map<string, Map<string, Set<string>>>();
  const catalog: ScopeCandidate[] = [];
  for (const d of documents) {
    let versions = seen.get(d.key.product);
    if (!versions) seen.set(d.key.product, (versions = new Map()));
    let labels = versions.get(d.key.version);
    if (!labels) versions.set(d.key.version, (labels = new Set()));
    if (labels.has(d.versionLabel)) continue;
    labels.add(d.versionLabel);
    catalog.push({ product: d.key.product, productLabel: d.productLabel, version: d.key.version, versionLabel: d.versionLabel });
  }
  return catalog;
}

interface Paging {
  offset: number;
  limit: number;
  scope: Scope;
}

function respond(engine: SearchEngine, store: SearchStore, request: SearchRequest, plan: SearchPlan, collected: Collected, paging: Paging): SearchResponse {
  // The best match among the first results, whatever their order: ranking and matching are judged apart.
  const levels = collected.passages.slice(0, BEST_MATCH_DEPTH).map((p) => matchLevel(engine.evidence(plan, p.primary)));
  // Then the first results are shown with the strong matches first (match-order.ts). The depth is fixed,
  // not the page's, so that every page of one query comes from the same order.
  const passages = strongFirst(collected.passages, levels);
  let bestMatch: MatchLevel | 'none' = levels.length === 0 ? 'none' : levels.reduce((a, b) => (LEVEL_RANK[b] > LEVEL_RANK[a] ? b : a));
  // Documents that never mention a name the query asks about ("Terraform", "Azure Government")
  // are about something else, however many of its other words they share: every hit is weak.
  const unmentioned = isRelevant(bestMatch) ? engine.unmentionedNames(plan, distinctDocuments(passages.slice(0, BEST_MATCH_DEPTH))) : [];
  if (unmentioned.length > 0) bestMatch = 'weak';
  const best = passages[0];
  const notices = [...plan.notices];
  if (paging.scope.inferred) notices.push(paging.scope.inferredNotice);
  const response: SearchResponse = { query: request.query, mode: plan.mode, bestMatch, scope: paging.scope.text, hits: [], notices };
  if (paging.scope.inferred) response.inferredScope = paging.scope.inferred;
  if (!isRelevant(bestMatch) && !request.includeWeak) {
    notices.push(nothingRelevantNotice(request.query, paging.scope, engine.unknownTerms(plan), best !== undefined, unmentioned));
    return response;
  }
  const page = passages.slice(paging.offset, paging.offset + paging.limit);
  const versions = versionNotice(collected.answering, page);
  if (versions) notices.push(versions);
  const queryTokens = engine.highlightTerms(plan);
  response.hits = page.map((passage, i) => hitOf(engine, store, plan, passage, paging.offset + i + 1, queryTokens, unmentioned.length > 0));
  if (paging.offset + paging.limit < collected.total) response.nextOffset = paging.offset + paging.limit;
  return response;
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

function distinctDocuments(passages: readonly RankedPassage[]): StoredDocument[] {
  const byRowid = new Map<number, StoredDocument>();
  for (const { primary } of passages) byRowid.set(primary.doc.rowid, primary.doc);
  return [...byRowid.values()];
}

/** The page the passage's best-matching text is on, with its printed label. */
function citedPage(engine: SearchEngine, store: SearchStore, plan: SearchPlan, candidate: Candidate): { page: number; pageLabel?: string } {
  const { chunk, doc } = candidate;
  let page = chunk.page;
  if (chunk.pageEnd > chunk.page) {
    const later = [];
    for (let n = chunk.page + 1; n <= chunk.pageEnd; n++) {
      const stored = store.page(doc.rowid, n);
      if (stored) later.push(stored);
    }
    const [start, end] = windowChars(chunk.text, engine.evidence(plan, candidate).tokens);
    page = pageAt(Math.floor((start + end) / 2), chunk.page, pageStarts(chunk.text, later));
  }
  const label = page === chunk.page ? chunk.pageLabel : store.page(doc.rowid, page)?.label;
  return label === undefined ? { page } : { page, pageLabel: label };
}

function hitOf(engine: SearchEngine, store: SearchStore, plan: SearchPlan, { primary, others, otherCount, score }: RankedPassage, rank: number, queryTokens: ReadonlySet<string>, weak: boolean): SearchHit {
  const { chunk, doc } = primary;
  return {
    rank,
    score: Math.round(score * 1e6) / 1e6,
    match: weak ? 'weak' : matchLevel(engine.evidence(plan, primary)),
    chunkId: chunk.id,
    docId: doc.docId,
    title: doc.title,
    vendor: doc.vendor,
    vendorLabel: doc.vendorLabel,
    product: doc.key.product,
    productLabel: doc.productLabel,
    version: doc.key.version,
    versionLabel: doc.versionLabel,
    ...citedPage(engine, store, plan, primary),
    chunkPage: chunk.page,
    chunkPageEnd: chunk.pageEnd,
    headingPath: chunk.headingPath,
    format: doc.format,
    sourcePath: sourcePathOf(doc.key),
    snippet: makeSnippet(chunk.text, queryTokens),
    alsoIn: others.map((o): VersionMention => ({ version: o.doc.key.version, versionLabel: o.doc.versionLabel, chunkId: o.chunk.id, ...citedPage(engine, store, plan, o) })),
    ...(otherCount > others.length ? { alsoInMore: otherCount - others.length } : {}),
  };
}
