/**
 * The viewer for a document without pages (HTML, Markdown, text): one reading window of whole
 * sections at a time, with the previous and next section, an outline whose links jump to heading
 * anchors (within the window, or into the window that holds them), and the collection's tree.
 */
import { HeadingIds } from '../../library/heading-anchors.js';
import { LIMITS } from '../../library/limits.js';
import type { ReadingOrder, SectionEntry, SectionView } from '../../service/library.js';
import { html, raw, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { renderInline } from '../markdown-inline.js';
import { chunkSections } from './chunk-sections.js';
import { docHeader } from './doc-header.js';
import { documentNeighbours, readingOrderTree } from './reading-order-nav.js';
import { sectionHref, windowHref } from './viewer-links.js';

/** Headings more than this many levels below the document's top one stay out of the outline. */
const OUTLINE_LEVELS = 3;

export interface SectionPageOptions {
  view: SectionView;
  order: ReadingOrder | undefined;
  highlightId: string | undefined;
  notices: SafeHtml[];
}

export function sectionPage({ view, order, highlightId, notices }: SectionPageOptions): RenderedPage {
  const { document, window } = view;
  const top = Math.min(...view.sections.map((s) => s.level), 6);
  // The document's top heading level becomes h3: under the title (h1) and the section (h2).
  const headingShift = 3 - top;
  const headingIds = new HeadingIds();
  for (const text of view.headingsBefore) headingIds.next(text);
  const part = view.windowCount > 1 ? html` <span class="meta">part ${window.index + 1} of ${view.windowCount}</span>` : '';
  const header = docHeader(document, {
    position: html`<h2>Section: ${renderInline(window.title)}${part}</h2>`,
    navigation: html`${view.windowCount > 1 ? sectionNav(view, 'Sections') : ''}${order ? documentNeighbours(order, 'Documents') : ''}`,
  });
  const text = view.chunks.length > 0
    ? chunkSections(view.chunks, { highlightId, headingShift, headingIds })
    : html`<p class="hint">This document has no text.</p>`;
  const body = html`${header}
<p class="meta">source <code>${document.sourcePath}</code> · ${document.chunkCount} chunks · ${view.sections.length} sections</p>
<div class="viewer">
  <div class="viewer-page">
    ${notices.length > 0 ? html`<div class="notice" role="status">${notices.map((n) => html`<p>${n}</p>`)}</div>` : ''}
    <div class="prose">${text}</div>
    ${view.windowCount > 1 ? sectionNav(view, 'Sections (bottom)') : ''}
    ${order ? documentNeighbours(order, 'Documents (bottom)') : ''}
  </div>
  <div class="sidebar">
    ${order ? readingOrderTree(order) : ''}
    ${outline(view, top)}
  </div>
</div>`;
  return { status: 200, body: layout({ title: `${window.title} – ${document.title}`, body }) };
}

function sectionNav(view: SectionView, label: string): SafeHtml {
  const docId = view.document.docId;
  const previous = view.previous
    ? html`<a href="${windowHref(docId, view.previous)}" rel="prev">← ${renderInline(view.previous.title)}</a>`
    : html`<span class="disabled">← Previous section</span>`;
  const next = view.next
    ? html`<a href="${windowHref(docId, view.next)}" rel="next">${renderInline(view.next.title)} →</a>`
    : html`<span class="disabled">Next section →</span>`;
  return html`<nav class="page-nav section-nav" aria-label="${label}">${previous}${next}</nav>`;
}

/** Links within the window are bare fragments (no reload); others open the window that holds the heading. */
function outline(view: SectionView, top: number): SafeHtml {
  const all = view.sections.filter((s) => s.level < top + OUTLINE_LEVELS);
  // At most LIMITS.outlineEntries headings, those around the current window: the page stays bounded.
  const at = Math.max(0, all.findIndex((s) => s.window >= view.window.index));
  const from = Math.max(0, Math.min(at - Math.floor(LIMITS.outlineEntries / 2), all.length - LIMITS.outlineEntries));
  const shown = all.slice(from, from + LIMITS.outlineEntries);
  if (shown.length === 0) return html`<nav class="outline" aria-label="Document outline"><p class="hint">This document has no headings.</p></nav>`;
  const item = (entry: SectionEntry) => {
    const here = entry.window === view.window.index;
    // In a document read in one window every heading is "here": marking them all would say nothing.
    const level = raw(`level-${entry.level - top + 1}${here && view.windowCount > 1 ? ' here' : ''}`);
    const href = here ? `#${entry.anchor}` : sectionHref(view.document.docId, entry.anchor);
    return html`<li class="${level}"><a href="${href}">${renderInline(entry.text)}</a></li>`;
  };
  return html`<nav class="outline" aria-label="Document outline"><details open><summary>Outline</summary><ol>${shown.map(item)}</ol></details></nav>`;
}
