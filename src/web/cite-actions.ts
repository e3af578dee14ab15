/**
 * "Copy citation" and "Open original" beside a passage (search hits, chunk pages). The citation is
 * the same text agents get (present/citation.ts); the script adds the chunk page's full URL when it
 * copies. Copying needs the script, so the button stays hidden without it; the chunk page shows
 * the citation as text for everyone.
 */
import { originalHref } from '../http/links.js';
import { citation } from '../present/citation.js';
import type { ChunkInfo, DocumentInfo } from '../service/library.js';
import { html, type SafeHtml } from './html.js';

export interface CitedPassage {
  title: string;
  productLabel: string;
  versionLabel: string;
  docId: string;
  chunkId: string;
  page: number;
  pageLabel?: string | undefined;
  format: DocumentInfo['format'];
  headingPath: readonly string[];
}

export function passageOf(document: DocumentInfo, chunk: ChunkInfo): CitedPassage {
  return {
    title: document.title, productLabel: document.productLabel, versionLabel: document.versionLabel, docId: document.docId, chunkId: chunk.id,
    page: chunk.page, pageLabel: chunk.pageLabel, format: document.format, headingPath: chunk.headingPath,
  };
}

export function copyCitationButton(passage: CitedPassage, chunkPageHref: string): SafeHtml {
  return html`<button type="button" class="copy-citation" data-citation="${citation(passage)}" data-link="${chunkPageHref}" hidden>Copy citation</button>`;
}

/** A PDF opens at the passage's page in the browser's own viewer; other originals are shown as text. */
export function originalLink(passage: Pick<CitedPassage, 'docId' | 'format' | 'page'>): SafeHtml {
  return passage.format === 'pdf'
    ? html`<a class="original-link" href="${originalHref(passage.docId, passage.page)}">Open original (PDF page ${passage.page})</a>`
    : html`<a class="original-link" href="${originalHref(passage.docId)}">Open original</a>`;
}
