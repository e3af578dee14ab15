import { LibraryError } from '../../library/errors.js';
import type { Library, SearchHit, SearchResponse, VersionMention } from '../../service/library.js';
import { readBySection } from '../../service/reading.js';
import { copyCitationButton, originalLink } from '../cite-actions.js';
import { errorNotice, statusOf } from '../error-page.js';
import { html, joinHtml, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { chunkHref, documentHref } from '../../http/links.js';
import { searchHref } from '../links.js';
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
  const tree = library.tree();
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
    ...(params.vendor ? { vendor: params.vendor } : {}),
    ...(params.product ? { product: params.product } : {}),
    ...(params.version ? { version: params.version } : {}),
  };
}

function resultsHtml(response: SearchResponse, params: SearchParams): SafeHtml {
  const notices = response.notices.length > 0
    ? html`<div class="notice" role="status">${response.notices.map((n) => html`<p>${n}</p>`)}</div>`
    : '';
  if (response.hits.length === 0) {
    const hint = params.offset > 0 ? 'There are no more results.' : 'Nothing matched. Try other words, fewer filters, or include older versions.';
    return html`${notices}<p class="results-summary" role="status">${hint}</p>`;
  }
  const first = params.offset + 1;
  const last = params.offset + response.hits.length;
  return html`${notices}
<p class="results-summary" role="status">Results ${first}–${last}${response.mode === 'lexical' ? ' (lexical search)' : ''}<span class="key-hint"> · <kbd>j</kbd> <kbd>k</kbd> to move, <kbd>?</kbd> for all keys</span></p>
<ol class="hits">${response.hits.map(hitHtml)}</ol>
${pager(response, params)}`;
}

function hitHtml(hit: SearchHit): SafeHtml {
  const paged = !readBySection(hit);
  const section = sectionPath(hit.headingPath, hit.title);
  const where = paged
    ? html`<strong>${pageTitle(hit.page, hit.pageLabel)}</strong>${section ? html` · ${section}` : ''}`
    : html`<strong>${locationTitle(hit)}</strong>`;
  const chunkPage = chunkHref(hit.chunkId);
  return html`<li class="hit">
  <h2><a href="${chunkPage}">${hit.title}</a></h2>
  <p class="meta">${shelfLabel(hit)} · ${where}</p>
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
  return html`<p class="also">Also in ${joinHtml(links, ', ')}</p>`;
}

function pager(response: SearchResponse, params: SearchParams): SafeHtml | '' {
  const base = { q: params.q, vendor: params.vendor, product: params.product, version: params.version, all: params.all };
  const previous = params.offset > 0
    ? html`<a href="${searchHref({ ...base, offset: Math.max(0, params.offset - RESULTS_PER_PAGE) })}" rel="prev">← Previous results</a>`
    : '';
  const next = response.nextOffset !== undefined
    ? html`<a href="${searchHref({ ...base, offset: response.nextOffset })}" rel="next">Next results →</a>`
    : '';
  if (!previous && !next) return '';
  return html`<nav class="pager" aria-label="Result pages">${previous}${next}</nav>`;
}
