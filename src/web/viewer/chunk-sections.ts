/**
 * The text of a page or a reading window as the sequence of its chunks, each a <section> whose id is
 * the chunk id (so `#chunkId` scrolls to it without script), the requested one highlighted.
 */
import { chunkHref } from '../../http/links.js';
import type { HeadingIds } from '../../library/heading-anchors.js';
import type { ChunkInfo } from '../../service/library.js';
import { html, raw, type SafeHtml } from '../html.js';
import { renderMarkdown } from '../markdown-html.js';

export interface ChunkSectionsOptions {
  highlightId: string | undefined;
  headingShift: number;
  headingIds: HeadingIds;
  /** The PDF page shown, to say where a chunk that straddles pages comes from or goes on; none for sections. */
  page?: number;
}

export function chunkSections(chunks: readonly ChunkInfo[], options: ChunkSectionsOptions): SafeHtml {
  const markdown = { headingShift: options.headingShift, headingIds: options.headingIds };
  const here = options.page;
  return html`${chunks.map((chunk) => {
    const highlighted = chunk.id === options.highlightId;
    const attributes = highlighted ? raw(' class="chunk highlighted" aria-current="true"') : raw(' class="chunk"');
    return html`<section id="${chunk.id}"${attributes}>
  <p class="chunk-label"><a href="${chunkHref(chunk.id)}" title="${chunk.id}">chunk ${chunk.ordinal}</a></p>
  ${here !== undefined && chunk.page < here ? html`<p class="spill">Continued from page ${chunk.page}</p>` : ''}
  ${renderMarkdown(chunk.text, markdown)}
  ${here !== undefined && chunk.pageEnd > here ? html`<p class="spill">Continues on page ${chunk.pageEnd}</p>` : ''}
</section>`;
  })}`;
}
