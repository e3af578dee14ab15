import { LibraryError } from '../../library/errors.js';
import type { Library, SearchHit, SearchResponse, VersionMention } from '../../service/library.js';
import { readBySection } from '../../service/reading.js';
import { copyCitationButton, originalLink } from '../cite-actions.js';
import { errorNotice, statusOf } from '../error-page.js';
import { html, joinHtml, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { chunkHref, documentHref } from '../../http/links.js';
import { searchHref, type SearchLink } from '../links.js';
import { locationTitle, pageTitle, sectionPath, shelfLabel } from '../page-labels.js';
import { searchForm } from '../search-form.js';
import { RESULTS_PER_PAGE, type SearchParams } from '../search-params.js';
import { snippetHtml } from '../snippet-html.js';

/**
 * GET /search: the form with its filters, then ranked hits with everything needed to cite them
 * (page, source, chunk id) and to open them in context. A filter that names nothing in the
 * library is shown in the page, with the form kept, so it can be corrected in place.
 */
export async function searchPage(library: Library, params: SearchParams, signal?: AbortSignal): Promise<RenderedPage> {
  const tree = library.shelves();
  let results: SafeHtml | '' = '';
  let status: RenderedPage['status'] = 200;
  if (params.q) {
    try {
      results = resultsHtml(await library.search(toRequest(params), undefined, signal), params);
    } catch (error) {
      if (!(error instanceof LibraryError)) throw error;
      results = errorNotice(error);
      status = statusOf(error);
    }
  }
  const heading = params.q ? html`Results for “${params.q}”` : 'Search the library';
  const body = html`<h1>${heading}</h1>
${searchForm(tree, params, { filters: true })}
${tree.documents === 0 ? html`<div class="notice"><p>The library is empty: see the <a href="/">home page</a> for how to add documents.</p></div>` : ''}
${results}`;
  const title = params.q ? `${params.q} – Search` : 'Search';
  return { status, body: layout({ title, body, section: 'search', headerSearch: false }) };
}

function toRequest(params: SearchParams) {
  return {
    query: params.q,
    limit: RESULTS_PER_PAGE,
    offset: params.offset,
    versions: params.all ? ('all' as const) : ('latest' as const),
    inferScope: params.infer,
    includeWeak: params.weak,
    ...(params.vendor ? { vendor: params.vendor } : {}),
    ...(params.product ? { product: params.product } : {}),
    ...(params.version ? { version: params.version } : {}),
  };
}

function resultsHtml(response: SearchResponse, params: SearchParams): SafeHtml {
  const base = baseLink(params);
  const notices = response.notices.length > 0
    ? html`<div class="notice" role="status">${response.notices.map((n) => html`<p>${n}</p>`)}${response.inferredScope
      ? html`<p><a href="${searchHref({ ...base, infer: false })}">Search without narrowing to what the query names</a></p>`
      : ''}</div>`
    : '';
  if (response.hits.length === 0) {
    if (params.offset > 0) return html`${notices}<p class="results-summary" role="status">There are no more results.</p>`;
    return html`${notices}${nothingRelevant(response, params)}`;
  }
  const first = params.offset + 1;
  const last = params.offset + response.hits.length;
  const weak = response.bestMatch === 'weak' ? ' · none of them matches well' : '';
  return html`${notices}
<p class="results-summary" role="status">Results ${first}–${last}${response.mode === 'lexical' ? ' (lexical search)' : ''}${weak}<span class="key-hint"> · <kbd>j</kbd> <kbd>k</kbd> to move, <kbd>?</kbd> for all keys</span></p>
<ol class="hits">${response.hits.map(hitHtml)}</ol>
${pager(response, params)}`;
}

/** What to do when nothing relevant was found: each way to widen the search, as a link. */
function nothingRelevant(response: SearchResponse, params: SearchParams): SafeHtml {
  const base = baseLink(params);
  const filtered = Boolean(params.vendor || params.product || params.version);
  const ways: SafeHtml[] = [];
  if (response.bestMatch === 'weak') ways.push(html`<li><a href="${searchHref({ ...base, weak: true })}">Show the closest passages anyway</a> (they match few of the words)</li>`);
  if (response.inferredScope) ways.push(html`<li><a href="${searchHref({ ...base, infer: false })}">Search beyond the product and version the query names</a></li>`);
  if (filtered) ways.push(html`<li><a href="${searchHref({ q: params.q, all: params.all })}">Search the whole library</a></li>`);
  if (!params.all && !params.version) ways.push(html`<li><a href="${searchHref({ ...base, all: true })}">Rank all versions alike</a></li>`);
  ways.push(html`<li>Use the words the manuals use, or fewer words</li>`, html`<li><a href="/library">See what the library holds</a></li>`);
  const heading = response.bestMatch === 'none' ? 'Nothing matched' : 'Nothing relevant found';
  return html`<section class="nothing-relevant" aria-labelledby="nothing-title">
  <h2 id="nothing-title">${heading} for “${params.q}” in ${response.scope}</h2>
  <ul>${ways}</ul>
</section>`;
}

function hitHtml(hit: SearchHit): SafeHtml {
  const paged = !readBySection(hit);
  const section = sectionPath(hit.headingPath, hit.title);
  // A passage's own span only where it runs past the page of its best match.
  const span = paged && hit.chunkPageEnd > hit.chunkPage ? html` <span class="span">(passage on pages ${hit.chunkPage}–${hit.chunkPageEnd})</span>` : '';
  const where = paged
    ? html`<strong>${pageTitle(hit.page, hit.pageLabel)}</strong>${span}${section ? html` · ${section}` : ''}`
    : html`<strong>${locationTitle(hit)}</strong>`;
  const match = hit.match === 'strong' ? '' : html` · <span class="match match-${hit.match}">${hit.match} match</span>`;
  const chunkPage = chunkHref(hit.chunkId);
  return html`<li class="hit">
  <h2><a href="${chunkPage}">${hit.title}</a></h2>
  <p class="meta">${shelfLabel(hit)} · ${where}${match}</p>
  <p class="snippet">${snippetHtml(hit.snippet)}</p>
  <p class="meta">source <code>${hit.sourcePath}</code> · chunk_id <code>${hit.chunkId}</code></p>
  <p class="actions">
    <a class="context-link" href="${documentHref(hit.docId, paged ? hit.page : undefined, hit.chunkId)}">↗ View in doc context</a>
    <a href="${chunkPage}">Chunk page</a>
    ${copyCitationButton(hit, chunkPage)}
    ${originalLink(hit)}
  </p>
  ${alsoIn(hit)}
</li>`;
}

function alsoIn(hit: SearchHit): SafeHtml | '' {
  if (hit.alsoIn.length === 0) return '';
  const where = (m: VersionMention) => (readBySection(hit) ? '' : ` (${pageTitle(m.page, m.pageLabel).toLowerCase()})`);
  const links = hit.alsoIn.map((m) => html`<a href="${chunkHref(m.chunkId)}">${m.versionLabel}${where(m)}</a>`);
  const more = hit.alsoInMore ? html` and ${hit.alsoInMore} more` : '';
  return html`<p class="also">Also in ${joinHtml(links, ', ')}${more}</p>`;
}

/** The current search as a link, to vary one thing of it. */
function baseLink(params: SearchParams): SearchLink {
  return { q: params.q, vendor: params.vendor, product: params.product, version: params.version, all: params.all, infer: params.infer, weak: params.weak };
}

function pager(response: SearchResponse, params: SearchParams): SafeHtml | '' {
  const base = baseLink(params);
  const previous = params.offset > 0
    ? html`<a href="${searchHref({ ...base, offset: Math.max(0, params.offset - RESULTS_PER_PAGE) })}" rel="prev">← Previous results</a>`
    : '';
  const next = response.nextOffset !== undefined
    ? html`<a href="${searchHref({ ...base, offset: response.nextOffset })}" rel="next">Next results →</a>`
    : '';
  if (!previous && !next) return '';
  return html`<nav class="pager" aria-label="Result pages">${previous}${next}</nav>`;
}
