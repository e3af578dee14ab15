import { LibraryError } from '../../library/errors.js';
import { HeadingIds } from '../../library/heading-anchors.js';
import type { ChunkInfo, DocumentInfo, Library, OutlineEntry, PageView, ReadingOrder } from '../../service/library.js';
import { viewBySection } from '../../service/reading.js';
import type { DocumentParams } from '../document-params.js';
import { html, raw, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { chunkHref, documentHref } from '../../http/links.js';
import { renderMarkdown } from '../markdown-html.js';
import { pageTitle } from '../page-labels.js';
import { chunkSections } from '../viewer/chunk-sections.js';
import { docHeader } from '../viewer/doc-header.js';
import { pageFigure } from '../viewer/page-figure.js';
import { documentNeighbours, readingOrderTree } from '../viewer/reading-order-nav.js';
import { sectionPage } from '../viewer/section-page.js';

/** Outline entries deeper than this stay out of the sidebar, which is for finding one's way. */
const OUTLINE_DEPTH = 3;

/**
 * GET /doc/:docId: the document viewer. A PDF opens at a page (`?page=N`), its text as the
 * sequence of its chunks beside the original page's image; a document without pages opens at a
 * section (`?section=anchor`, or the window holding `?chunk=ID`). The requested chunk is
 * highlighted and the `#chunkId` fragment scrolls to it without JavaScript.
 */
export function documentPage(library: Library, docId: string, params: DocumentParams): RenderedPage {
  const document = library.document(docId);
  const notices: SafeHtml[] = [];
  const highlight = params.chunk === undefined ? undefined : findChunk(library, document, params.chunk, notices);
  const order = library.readingOrder(docId);
  if (viewBySection(document)) {
    const target = highlight ? { chunk: highlight.id } : { ...(params.section ? { section: params.section } : {}), ...(params.part ? { part: params.part } : {}) };
    return sectionPage({ view: library.sections(docId, target), order, highlightId: highlight?.id, notices });
  }
  return pdfPage(library, document, params, { highlight, order, notices });
}

function pdfPage(
  library: Library,
  document: DocumentInfo,
  params: DocumentParams,
  context: { highlight: ChunkInfo | undefined; order: ReadingOrder | undefined; notices: SafeHtml[] },
): RenderedPage {
  const { highlight, order, notices } = context;
  const docId = document.docId;
  const pageNumber = params.page ?? highlight?.page ?? 1;
  // A bounded window of the page: from `start` / `from`, or the chunks around the highlighted one.
  const view = library.page(docId, pageNumber, {
    ...(params.start === undefined ? {} : { start: params.start }),
    ...(params.from === undefined ? {} : { chunkOffset: params.from }),
    ...(highlight && params.from === undefined ? { chunkOrdinal: highlight.ordinal } : {}),
  });
  const onPage = highlight !== undefined && view.chunks.some((c) => c.id === highlight.id);
  if (highlight && !onPage) {
    notices.push(html`That chunk is on <a href="${documentHref(docId, highlight.page, highlight.id)}">page ${highlight.page}</a>, not on this page.`);
  }
  const title = pageTitle(view.page.number, view.page.label);
  const entries = library.outline(docId, { page: view.page.number }).entries;
  // The document's top heading level becomes h3: under the title (h1) and the page (h2).
  const headingShift = 3 - Math.min(...entries.map((e) => e.level), 6);
  const header = docHeader(document, {
    position: html`<h2>${title} <span class="meta">of ${document.pageCount}</span></h2>`,
    navigation: html`${pageNav(view, 'top')}${order ? documentNeighbours(order, 'Documents') : ''}`,
  });
  const body = html`${header}
<p class="meta">source <code>${document.sourcePath}</code> · ${document.pageCount} pages · ${document.chunkCount} chunks</p>
<div class="viewer">
  <div class="viewer-page">
    ${notices.length > 0 ? html`<div class="notice" role="status">${notices.map((n) => html`<p>${n}</p>`)}</div>` : ''}
    <div class="page-split">
      <div class="prose page-text">${pageContent(view, onPage ? highlight.id : undefined, headingShift)}${windowNav(view)}</div>
      ${pageFigure({ document, page: view.page.number, highlightId: onPage ? highlight.id : undefined, originalKept: originalKept(library, docId) })}
    </div>
    ${pageNav(view, 'bottom')}
  </div>
  <div class="sidebar">
    ${order ? readingOrderTree(order) : ''}
    ${outline(document, entries, view.page.number)}
  </div>
</div>`;
  return { status: 200, body: layout({ title: `${title} – ${document.title}`, body }) };
}

function originalKept(library: Library, docId: string): boolean {
  try {
    library.original(docId);
    return true;
  } catch (error) {
    if (error instanceof LibraryError && error.code === 'not_found') return false;
    throw error;
  }
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
  const headingIds = new HeadingIds();
  if (view.chunks.length === 0) {
    return view.page.markdown.trim()
      ? renderMarkdown(view.page.markdown, { headingShift, headingIds })
      : html`<p class="hint">This page has no text (it may hold only images or be blank).</p>`;
  }
  return chunkSections(view.chunks, { highlightId, headingShift, headingIds, page: view.page.number });
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
