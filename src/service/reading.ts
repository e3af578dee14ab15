/**
 * Read-side views of a document: a chunk with its neighbours, a page with its chunks, a window of
 * the whole text, the heading outline. Shared by every surface through the Library facade.
 */

import type { Page } from '../library/model.js';
import { pageMarker } from '../library/document-file.js';
import { parseAtxHeading } from '../ingest/chunking/markdown-blocks.js';
import type { CatalogStore, ContentStore, StoredChunk, StoredDocument } from '../store/store.js';
import { chunkInfo, documentInfo } from './public-types.js';
import type { ChunkInfo, DocumentInfo } from './types.js';
import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';

export interface ChunkView {
  chunk: ChunkInfo;
  document: DocumentInfo;
  before: ChunkInfo[];
  after: ChunkInfo[];
  /** Ids of the chunks just outside the returned window, for paging through a document. */
  previousId?: string;
  nextId?: string;
}

export interface PageView {
  document: DocumentInfo;
  page: Page;
  chunks: ChunkInfo[];
  previous?: number;
  next?: number;
}

export interface OutlineEntry { level: number; text: string; page: number }

/** A window of a document's Markdown, for readers that page through long documents. */
export interface TextWindow {
  document: DocumentInfo;
  /** Character offset of `text` in the whole document text. */
  start: number;
  text: string;
  /** Pages that the window touches. */
  firstPage: number;
  lastPage: number;
  totalChars: number;
  truncated: boolean;
  /** Where the next window starts, when truncated. */
  nextStart?: number;
}

type ReadingStore = CatalogStore & ContentStore;

export function chunkView(store: ReadingStore, chunk: StoredChunk, window: { before?: number; after?: number }): ChunkView {
  const stored = store.documentByRowid(chunk.docRowid)!;
  const document = documentInfo(stored);
  const info = (c: StoredChunk) => chunkInfo(c, stored.docId);
  const before = Math.min(Math.max(0, window.before ?? 1), LIMITS.chunkNeighbours);
  const after = Math.min(Math.max(0, window.after ?? 1), LIMITS.chunkNeighbours);
  const around = store.chunksByOrdinal(chunk.docRowid, chunk.ordinal - before - 1, chunk.ordinal + after + 1);
  const view: ChunkView = {
    chunk: info(chunk),
    document,
    before: around.filter((c) => c.ordinal < chunk.ordinal && c.ordinal >= chunk.ordinal - before).map(info),
    after: around.filter((c) => c.ordinal > chunk.ordinal && c.ordinal <= chunk.ordinal + after).map(info),
  };
  const previous = around.find((c) => c.ordinal === chunk.ordinal - before - 1);
  const next = around.find((c) => c.ordinal === chunk.ordinal + after + 1);
  if (previous) view.previousId = previous.id;
  if (next) view.nextId = next.id;
  return view;
}

export function pageView(store: ReadingStore, document: StoredDocument, number: number): PageView {
  const page = Number.isInteger(number) ? store.page(document.rowid, number) : undefined;
  if (!page) {
    throw new LibraryError('not_found', `${document.docId} has no page ${number}`, `Pages run from 1 to ${document.pageCount}`);
  }
  const view: PageView = { document: documentInfo(document), page, chunks: store.chunksOnPage(document.rowid, number).map((c) => chunkInfo(c, document.docId)) };
  if (number > 1) view.previous = number - 1;
  if (number < document.pageCount) view.next = number + 1;
  return view;
}

/**
 * A window of the document as Markdown with its page markers, starting at `start` (or at
 * `page`), at most `maxChars` long, cut at a line end where possible.
 */
export function textWindow(
  store: ReadingStore,
  document: StoredDocument,
  options: { start?: number; page?: number; maxChars?: number },
): TextWindow {
  const parts: { page: number; offset: number; text: string }[] = [];
  let offset = 0;
  for (const page of store.pages(document.rowid)) {
    const text = `${pageMarker(page)}\n${page.markdown}\n\n`;
    parts.push({ page: page.number, offset, text });
    offset += text.length;
  }
  const full = parts.map((p) => p.text).join('');
  const maxChars = Math.min(Math.max(200, options.maxChars ?? 8000), LIMITS.textWindowChars);
  let start = Math.max(0, Math.min(options.start ?? 0, full.length));
  if (options.page !== undefined) {
    const at = parts.find((p) => p.page === options.page);
    if (!at) throw new LibraryError('not_found', `${document.docId} has no page ${options.page}`, `Pages run from 1 to ${document.pageCount}`);
    start = at.offset;
  }
  let end = Math.min(full.length, start + maxChars);
  if (end < full.length) {
    const lineEnd = full.lastIndexOf('\n', end);
    if (lineEnd > start + maxChars / 2) end = lineEnd + 1;
  }
  const pageAt = (position: number) => [...parts].reverse().find((p) => p.offset <= position)?.page ?? 1;
  const window: TextWindow = {
    document: documentInfo(document), start, text: full.slice(start, end), firstPage: pageAt(start), lastPage: pageAt(Math.max(start, end - 1)),
    totalChars: full.length, truncated: end < full.length,
  };
  if (window.truncated) window.nextStart = end;
  return window;
}

/** The document's heading outline, from its pages' Markdown headings (code blocks skipped). */
export function outline(store: ReadingStore, document: StoredDocument): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  let inCode = false;
  for (const page of store.pages(document.rowid)) {
    for (const line of page.markdown.split('\n')) {
      if (/^(```|~~~)/.test(line)) inCode = !inCode;
      // parseAtxHeading, not a regex: the obvious one backtracks cubically on long runs of spaces.
      const heading = inCode ? undefined : parseAtxHeading(line);
      if (heading?.text) entries.push({ level: heading.level, text: heading.text, page: page.number });
    }
  }
  return entries;
}
