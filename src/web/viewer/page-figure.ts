/**
 * The original PDF page beside its extracted text: an <img> drawn on the server, and over it a
 * second, transparent image that boxes the highlighted chunk's words. Both load on their own, after
 * the text, so the text view never waits for them; without pdftoppm the figure says what to install.
 */
import { originalHref } from '../../http/links.js';
import type { DocumentInfo } from '../../service/library.js';
import { html, type SafeHtml } from '../html.js';
import { pageImageVersion } from '../page-image/page-image-response.js';
import { DEFAULT_PAGE_IMAGE_WIDTH, PAGE_IMAGE_WIDTHS } from '../page-image/page-render.js';
import { findTool, POPPLER_PACKAGE_HINT } from '../page-image/poppler.js';
import { highlightHref, pageImageHref } from './viewer-links.js';

const LARGEST_WIDTH = PAGE_IMAGE_WIDTHS.at(-1)!;

export interface PageFigureOptions {
  document: DocumentInfo;
  page: number;
  /** The chunk to box on the page, when it is on it. */
  highlightId?: string | undefined;
  /** False when the document's original is not kept (added before originals were). */
  originalKept: boolean;
}

export function pageFigure(options: PageFigureOptions): SafeHtml {
  const { document, page } = options;
  const open = html`<a href="${originalHref(document.docId, page)}">Open original (PDF page ${page})</a>`;
  if (!options.originalKept) {
    return html`<figure class="page-image unavailable"><p class="hint">The original PDF of this document is not kept, so its page cannot be shown. Add the document again to keep it.</p></figure>`;
  }
  if (!findTool('pdftoppm')) {
    return html`<figure class="page-image unavailable"><p class="hint">The original page cannot be shown: pdftoppm is not installed on the server. ${POPPLER_PACKAGE_HINT}.</p><figcaption>${open}</figcaption></figure>`;
  }
  const version = pageImageVersion(document.contentHash);
  const srcset = PAGE_IMAGE_WIDTHS.map((w) => `${pageImageHref(document.docId, page, version, w)} ${w}w`).join(', ');
  const overlay = options.highlightId === undefined
    ? ''
    : html`<img class="page-highlight" src="${highlightHref(document.docId, page, version, options.highlightId)}" alt="" aria-hidden="true" decoding="async">`;
  return html`<figure class="page-image">
  <a class="page-frame" href="${pageImageHref(document.docId, page, version, LARGEST_WIDTH)}" title="The page image at full size">
    <img class="page-scan" src="${pageImageHref(document.docId, page, version, DEFAULT_PAGE_IMAGE_WIDTH)}" srcset="${srcset}" sizes="(max-width: 1100px) 94vw, 24rem" alt="${`Page ${page} of the original PDF`}" loading="lazy" decoding="async">
    ${overlay}
  </a>
  <figcaption>Original PDF page ${page}${options.highlightId === undefined ? '' : ', the highlighted chunk boxed'} · ${open}</figcaption>
</figure>`;
}
