import { LibraryError } from '../../library/errors.js';
import { citation } from '../../present/citation.js';
import type { ChunkInfo, ChunkView, DocumentInfo, Library } from '../../service/library.js';
import { readBySection, viewBySection } from '../../service/reading.js';
import { copyCitationButton, originalLink, passageOf } from '../cite-actions.js';
import { html, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { chunkHref, documentHref } from '../../http/links.js';
import { productAnchor } from '../links.js';
import { renderMarkdown, shallowestHeading } from '../markdown-html.js';
import { renderInline } from '../markdown-inline.js';
import { sectionPath, shelfLabel } from '../page-labels.js';

/**
 * GET /chunk/:id: the seed page. "Page N" (or, in a document without pages, its section), the
 * link into the document viewer, the citation facts (page, source, chunk_id), then the chunk's
 * text and its neighbours.
 */
export function chunkPage(library: Library, chunkId: string): RenderedPage {
  const { chunk, document, before, after } = lookUp(library, chunkId);
  const bySection = readBySection(document);
  const passage = passageOf(document, chunk);
  const section = sectionPath(chunk.headingPath, document.title);
  const heading = bySection ? html`<h1>${section ? html`Section: ${renderInline(chunk.headingPath.at(-1)!)}` : document.title}</h1>` : html`<h1>Page ${chunk.page}</h1>`;
  const body = html`${heading}
<p class="actions"><a class="context-link" href="${documentHref(document.docId, viewBySection(document) ? undefined : chunk.page, chunk.id)}">↗ View in doc context</a>
  ${originalLink(passage)}
  ${sourceUrlOf(document) ? html`<a class="original-link" href="${sourceUrlOf(document)}" rel="noopener noreferrer">Open at its source</a>` : ''}
  ${copyCitationButton(passage, chunkHref(chunk.id))}</p>
<table class="facts">
  ${bySection ? '' : pageFacts(chunk)}
  <tr><th scope="row">source</th><td><code>${document.sourcePath}</code></td></tr>
  <tr><th scope="row">chunk_id</th><td><code>${chunk.id}</code></td></tr>
  <tr><th scope="row">document</th><td><a href="${documentHref(document.docId)}">${document.title}</a></td></tr>
  <tr><th scope="row">library</th><td><a href="/library#${productAnchor(document.key.product)}">${shelfLabel(document)}</a></td></tr>
  ${chunk.headingPath.length > 0 ? html`<tr><th scope="row">section</th><td>${chunk.headingPath.join(' › ')}</td></tr>` : ''}
  <tr><th scope="row">citation</th><td class="citation">${citation(passage)}</td></tr>
</table>
<article class="prose" aria-label="Chunk text">
${renderMarkdown(chunk.text, { headingShift: 2 - (shallowestHeading(chunk.text) ?? 2) })}
</article>
<nav class="neighbours" aria-label="Neighbouring chunks">
  ${before.at(-1) ? neighbour(before.at(-1)!, document, 'prev') : html`<span></span>`}
  ${after[0] ? neighbour(after[0], document, 'next') : ''}
</nav>`;
  const title = bySection ? `${chunk.headingPath.at(-1) ?? 'Section'} – ${document.title}` : `Page ${chunk.page} – ${document.title}`;
  return { status: 200, body: layout({ title, body }) };
}

function pageFacts(chunk: ChunkInfo): SafeHtml {
  const pages = chunk.pageEnd > chunk.page ? html`${chunk.page}–${chunk.pageEnd}` : html`${chunk.page}`;
  const printed = chunk.pageLabel !== undefined && chunk.pageLabel !== String(chunk.page)
    ? html`<tr><th scope="row">printed page</th><td>${chunk.pageLabel}</td></tr>`
    : '';
  return html`<tr><th scope="row">page</th><td>${pages}</td></tr>${printed}`;
}

/** "← Previous chunk (page 8)", or by section where pages mean nothing. */
function neighbour(chunk: ChunkInfo, document: DocumentInfo, rel: 'prev' | 'next'): SafeHtml {
  const where = readBySection(document) ? chunk.headingPath.at(-1) ?? document.title : `page ${chunk.page}`;
  return rel === 'prev'
    ? html`<a href="${chunkHref(chunk.id)}" rel="prev">← Previous chunk (${where})</a>`
    : html`<a href="${chunkHref(chunk.id)}" rel="next">Next chunk (${where}) →</a>`;
}

/** A malformed id in a URL names no page: 404, like an id that is well-formed but unknown. */
function lookUp(library: Library, chunkId: string): ChunkView {
  try {
    return library.chunk(chunkId, { before: 1, after: 1 });
  } catch (error) {
    if (error instanceof LibraryError && error.code === 'invalid_input') throw new LibraryError('not_found', error.message);
    throw error;
  }
}

/** The web address a document was added from (as given, fragment kept), for a second "Open original". */
function sourceUrlOf(document: DocumentInfo): string | undefined {
  return document.origin?.kind === 'url' && /^https?:\/\//i.test(document.originalFile) ? document.originalFile : undefined;
}
