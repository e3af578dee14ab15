import { LibraryError } from '../../library/errors.js';
import type { ChunkInfo, DocumentInfo, Library, OutlineEntry, PageView } from '../../service/library.js';
import type { DocumentParams } from '../document-params.js';
import { html, raw, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { chunkHref, documentHref } from '../../http/links.js';
import { productAnchor } from '../links.js';
import { HeadingIds, renderMarkdown } from '../markdown-html.js';
import { pageTitle, shelfLabel } from '../page-labels.js';

/** Outline entries deeper than this stay out of the sidebar, which is for finding one's way. */
const OUTLINE_DEPTH = 3;

/**
 * GET /doc/:docId?page=N&chunk=ID: one page of a document, rendered as the sequence of its
 * chunks (each a contiguous slice of the page), with the requested chunk highlighted. The
 * `#chunkId` fragment scrolls to it without JavaScript.
 */
export function documentPage(library: Library, docId: string, params: DocumentParams): RenderedPage {
  const document = library.document(docId);
  const notices: SafeHtml[] = [];
  const highlight = params.chunk === undefined ? undefined : findChunk(library, document, params.chunk, notices);
  const pageNumber = params.page ?? highlight?.page ?? 1;
  // A bounded window of the page: from `start` / `from`, or the chunks around the highlighted one.
  const view = library.page(docId, pageNumber, {
    ...(params.start === undefined ? {} : { start: params.start }),
    ...(params.from === undefined ? {} : { chunkOffset: params.from }),
    ...(highlight && params.from === undefined ? { chunkOrdinal: highlight.ordinal } : {}),
  });
  if (highlight && !view.chunks.some((c) => c.id === highlight.id)) {
    notices.push(html`That chunk is on <a href="${documentHref(docId, highlight.page, highlight.id)}">page ${highlight.page}</a>, not on this page.`);
  }
  const title = pageTitle(view.page.number, view.page.label);
  const entries = library.outline(docId, { page: view.page.number }).entries;
  // The document's top heading level becomes h3: under the title (h1) and the page (h2).
  const headingShift = 3 - Math.min(...entries.map((e) => e.level), 6);
  const body = html`<p class="breadcrumb"><a href="/library#${productAnchor(document.key.product)}">${shelfLabel(document)}</a></p>
<h1>${document.title}</h1>
<p class="meta">source <code>${document.sourcePath}</code> · ${document.pageCount} pages · ${document.chunkCount} chunks</p>
<div class="viewer">
  <div class="viewer-page">
    <h2>${title} <span class="meta">of ${document.pageCount}</span></h2>
    ${pageNav(view, 'top')}
    ${notices.length > 0 ? html`<div class="notice" role="status">${notices.map((n) => html`<p>${n}</p>`)}</div>` : ''}
    <div class="prose">${pageContent(view, highlight?.id, headingShift)}</div>
    ${windowNav(view)}
    ${pageNav(view, 'bottom')}
  </div>
  ${outline(document, entries, view.page.number)}
</div>`;
  return { status: 200, body: layout({ title: `${title} – ${document.title}`, body }) };
}

/** The chunk to highlight, or a notice saying why there is none. */
function findChunk(library: Library, document: DocumentInfo, chunkId: string, notices: SafeHtml[]): ChunkInfo | undefined {
  try {
    const { chunk } = library.chunk(chunkId, { before: 0, after: 0 });
    if (chunk.docId === document.docId) return chunk;
    notices.push(html`Chunk <code>${chunkId}</code> belongs to another document: <a href="${chunkHref(chunkId)}">open it</a>.`);
  } catch (error) {
    if (!(error instanceof LibraryError)) throw error;
    notices.push(html`${error.message}`);
  }
  return undefined;
}

function pageContent(view: PageView, highlightId: string | undefined, headingShift: number): SafeHtml {
  const options = { headingShift, headingIds: new HeadingIds() };
  if (view.chunks.length === 0) {
    return view.page.markdown.trim()
      ? renderMarkdown(view.page.markdown, options)
      : html`<p class="hint">This page has no text (it may hold only images or be blank).</p>`;
  }
  const here = view.page.number;
  return html`${view.chunks.map((chunk) => {
    const highlighted = chunk.id === highlightId;
    const attributes = highlighted ? raw(' class="chunk highlighted" aria-current="true"') : raw(' class="chunk"');
    return html`<section id="${chunk.id}"${attributes}>
  <p class="chunk-label"><a href="${chunkHref(chunk.id)}" title="${chunk.id}">chunk ${chunk.ordinal}</a></p>
  ${chunk.page < here ? html`<p class="spill">Continued from page ${chunk.page}</p>` : ''}
  ${renderMarkdown(chunk.text, options)}
  ${chunk.pageEnd > here ? html`<p class="spill">Continues on page ${chunk.pageEnd}</p>` : ''}
</section>`;
  })}`;
}

/** Links to the rest of a page too long to show at once (its chunks, or its text when it has none). */
function windowNav(view: PageView): SafeHtml | '' {
  const docId = view.document.docId;
  const here = view.page.number;
  const window = view.chunks.length > 0 ? view.chunkWindow : view.text;
  const param = view.chunks.length > 0 ? 'from' : 'start';
  if (window.previousStart === undefined && window.nextStart === undefined) return '';
  const link = (at: number, text: string, rel: string) => html`<a href="${documentHref(docId, here)}&amp;${raw(param)}=${at}" rel="${rel}">${text}</a>`;
  return html`<nav class="page-nav" aria-label="Parts of this page">
  ${window.previousStart === undefined ? html`<span class="disabled">← Earlier on this page</span>` : link(window.previousStart, '← Earlier on this page', 'prev')}
  ${window.nextStart === undefined ? html`<span class="disabled">Later on this page →</span>` : link(window.nextStart, 'Later on this page →', 'next')}
</nav>`;
}

function pageNav(view: PageView, position: 'top' | 'bottom'): SafeHtml {
  const docId = view.document.docId;
  const previous = view.previous !== undefined
    ? html`<a href="${documentHref(docId, view.previous)}" rel="prev">← Page ${view.previous}</a>`
    : html`<span class="disabled">← Previous page</span>`;
  const next = view.next !== undefined
    ? html`<a href="${documentHref(docId, view.next)}" rel="next">Page ${view.next} →</a>`
    : html`<span class="disabled">Next page →</span>`;
  if (position === 'bottom') return html`<nav class="page-nav" aria-label="Pages (bottom)">${previous}${next}</nav>`;
  return html`<nav class="page-nav" aria-label="Pages">${previous}${next}
  <form class="jump" action="${documentHref(docId)}" method="get">
    <label for="jump-page">Go to page</label>
    <input type="number" id="jump-page" name="page" min="1" max="${view.document.pageCount}" value="${view.page.number}" required>
    <button type="submit">Go</button>
  </form>
</nav>`;
}

function outline(document: DocumentInfo, entries: OutlineEntry[], currentPage: number): SafeHtml {
  const shown = entries.filter((e) => e.level <= OUTLINE_DEPTH);
  if (shown.length === 0) return html`<nav class="outline" aria-label="Document outline"><p class="hint">This document has no headings.</p></nav>`;
  // Headings on this page, or else the section this page belongs to.
  const onPage = shown.filter((e) => e.page === currentPage);
  const current = new Set(onPage.length > 0 ? onPage : shown.filter((e) => e.page < currentPage).slice(-1));
  const items = shown.map((entry) => {
    const level = raw(`level-${entry.level}`);
    const here = current.has(entry) ? raw(' here') : '';
    return html`<li class="${level}${here}"><a href="${documentHref(document.docId, entry.page)}">${entry.text}<span class="page-no">p. ${entry.page}</span></a></li>`;
  });
  return html`<nav class="outline" aria-label="Document outline"><details open><summary>Outline</summary><ol>${items}</ol></details></nav>`;
}
