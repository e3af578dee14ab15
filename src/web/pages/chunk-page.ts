import { LibraryError } from '../../library/errors.js';
import type { ChunkView, Library } from '../../service/library.js';
import { html } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { chunkHref, documentHref, originalHref } from '../../http/links.js';
import type { DocumentInfo } from '../../service/types.js';
import { productAnchor } from '../links.js';
import { renderMarkdown, shallowestHeading } from '../markdown-html.js';
import { shelfLabel } from '../page-labels.js';

/**
 * GET /chunk/:id: the seed page. "Page N", the link into the document viewer, the citation
 * facts (page, source, chunk_id), then the chunk's text and its neighbours.
 */
export function chunkPage(library: Library, chunkId: string): RenderedPage {
  const { chunk, document, before, after } = lookUp(library, chunkId);
  const previous = before.at(-1);
  const next = after[0];
  const printed = chunk.pageLabel !== undefined && chunk.pageLabel !== String(chunk.page)
    ? html`<tr><th scope="row">printed page</th><td>${chunk.pageLabel}</td></tr>`
    : '';
  const pages = chunk.pageEnd > chunk.page ? html`${chunk.page}–${chunk.pageEnd}` : html`${chunk.page}`;
  const section = chunk.headingPath.length > 0 ? html`<tr><th scope="row">section</th><td>${chunk.headingPath.join(' › ')}</td></tr>` : '';
  const body = html`<h1>Page ${chunk.page}</h1>
<p><a class="context-link" href="${documentHref(document.docId, chunk.page, chunk.id)}">↗ View in doc context</a>
  <a class="original-link" href="${originalHref(document.docId, document.format === 'pdf' ? chunk.page : undefined)}">Open original${document.format === 'pdf' ? html` (PDF page ${chunk.page})` : ''}</a>
  ${sourceUrlOf(document) ? html`<a class="original-link" href="${sourceUrlOf(document)}" rel="noopener noreferrer">Open at its source</a>` : ''}</p>
<table class="facts">
  <tr><th scope="row">page</th><td>${pages}</td></tr>
  <tr><th scope="row">source</th><td><code>${document.sourcePath}</code></td></tr>
  <tr><th scope="row">chunk_id</th><td><code>${chunk.id}</code></td></tr>
  ${printed}
  <tr><th scope="row">document</th><td><a href="${documentHref(document.docId)}">${document.title}</a></td></tr>
  <tr><th scope="row">library</th><td><a href="/library#${productAnchor(document.key.product)}">${shelfLabel(document)}</a></td></tr>
  ${section}
</table>
<article class="prose" aria-label="Chunk text">
${renderMarkdown(chunk.text, { headingShift: 2 - (shallowestHeading(chunk.text) ?? 2) })}
</article>
<nav class="neighbours" aria-label="Neighbouring chunks">
  ${previous ? html`<a href="${chunkHref(previous.id)}" rel="prev">← Previous chunk (page ${previous.page})</a>` : html`<span></span>`}
  ${next ? html`<a href="${chunkHref(next.id)}" rel="next">Next chunk (page ${next.page}) →</a>` : ''}
</nav>`;
  return { status: 200, body: layout({ title: `Page ${chunk.page} – ${document.title}`, body }) };
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
