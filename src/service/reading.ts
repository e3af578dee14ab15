/**
 * Read-side views of a document: a chunk with its neighbours, a page with its chunks, a window of
 * the whole text, the heading outline. Shared by every surface through the Library facade.
 */

import type { Page } from '../library/model.js';
import { pageMarker } from '../library/document-file.js';
import { HeadingIds } from '../library/heading-anchors.js';
import { parseAtxHeading, parseBlocks } from '../ingest/chunking/markdown-blocks.js';
import type { CatalogStore, ContentStore, StoredChunk, StoredDocument } from '../store/store.js';
import { chunkInfo, documentInfo } from './public-types.js';
import type { ChunkInfo, DocumentInfo } from './types.js';
import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';
import { partitionWindows } from './section-windows.js';

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

// ---- documents read by section ----------------------------------------------------------------

/** A heading of a document, with the anchor the viewer gives it and the window it is read in. */
export interface SectionEntry {
  level: number;
  text: string;
  anchor: string;
  /** Ordinal of the chunk the heading opens. */
  ordinal: number;
  /** 0-based index of the reading window that holds it. */
  window: number;
}

/** One reading window of a document: a run of whole chunks, named after its first section. */
export interface SectionWindow {
  /** 0-based. */
  index: number;
  title: string;
  /** Anchor of the heading the window opens with; absent when it continues a section cut by size. */
  anchor?: string;
  firstOrdinal: number;
}

export interface SectionView {
  document: DocumentInfo;
  window: SectionWindow;
  windowCount: number;
  chunks: ChunkInfo[];
  /** Every heading of the document, in order, for the outline. */
  sections: SectionEntry[];
  /**
   * Texts of the headings before this window, in order: a renderer that numbers repeated headings
   * (`h-route-selection-2`) counts these first, so its anchors are the ones in `sections`.
   */
  headingsBefore: string[];
  previous?: SectionWindow;
  next?: SectionWindow;
}

/** Which window to show: the one holding a chunk, the one holding a heading anchor, or the n-th (1-based). */
export interface SectionTarget {
  chunk?: string;
  section?: string;
  part?: number;
}

/** Where a document is read window by window (no pages: HTML, Markdown, text) and cited by section. */
export function readBySection(document: { format: DocumentInfo['format'] }): boolean {
  return document.format !== 'pdf';
}

export function sectionView(store: ReadingStore, document: StoredDocument, target: SectionTarget): SectionView {
  const stored = store.chunksByOrdinal(document.rowid, 0, Number.MAX_SAFE_INTEGER);
  const chunks = stored.map((c) => chunkInfo(c, document.docId));
  const ids = new HeadingIds();
  // The chunker's own block reader: a heading here is exactly a heading it cut the document at.
  const blocksOf = chunks.map((chunk) => parseBlocks(chunk.text));
  const headingsOf = blocksOf.map((blocks) => blocks.flatMap((b) => (b.kind === 'heading' ? [{ level: b.level, text: b.text }] : [])));
  const units = blocksOf.map((blocks, i) => {
    const first = blocks[0];
    return { tokens: chunks[i]!.tokenCount, ...(first?.kind === 'heading' ? { level: first.level } : {}) };
  });
  const ranges = partitionWindows(units);
  const windowOf = (position: number) => ranges.findIndex((r) => position >= r.start && position < r.end);
  const sections: SectionEntry[] = chunks.flatMap((chunk, i) =>
    headingsOf[i]!.map((h) => ({ level: h.level, text: h.text, anchor: ids.next(h.text), ordinal: chunk.ordinal, window: windowOf(i) })),
  );
  const windows: SectionWindow[] = ranges.map((range, index) => {
    const first = chunks[range.start]!;
    const opening = units[range.start]!.level !== undefined ? sections.find((s) => s.ordinal === first.ordinal) : undefined;
    const window: SectionWindow = {
      index,
      title: opening?.text ?? `${first.headingPath.at(-1) ?? document.title} (continued)`,
      firstOrdinal: first.ordinal,
    };
    if (opening) window.anchor = opening.anchor;
    return window;
  });
  if (windows.length === 0) {
    windows.push({ index: 0, title: document.title, firstOrdinal: 0 });
    ranges.push({ start: 0, end: 0 });
  }
  const index = windowFor(document, target, { chunks, sections, count: windows.length, windowOf });
  const window = windows[index]!;
  const view: SectionView = {
    document: documentInfo(document),
    window,
    windowCount: windows.length,
    chunks: chunks.slice(ranges[index]!.start, ranges[index]!.end),
    sections,
    headingsBefore: sections.filter((s) => s.ordinal < window.firstOrdinal).map((s) => s.text),
  };
  if (index > 0) view.previous = windows[index - 1]!;
  if (index + 1 < windows.length) view.next = windows[index + 1]!;
  return view;
}

interface WindowLookup {
  chunks: ChunkInfo[];
  sections: SectionEntry[];
  count: number;
  /** Window index of the chunk at this position. */
  windowOf(position: number): number;
}

/** A chunk that is not in this document is ignored here: the viewer says where it is instead. */
function windowFor(document: StoredDocument, target: SectionTarget, lookup: WindowLookup): number {
  const position = target.chunk === undefined ? -1 : lookup.chunks.findIndex((c) => c.id === target.chunk);
  if (position >= 0) return lookup.windowOf(position);
  if (target.section !== undefined) {
    const section = lookup.sections.find((s) => s.anchor === target.section);
    if (!section) {
      throw new LibraryError('not_found', `${document.docId} has no section "${target.section.slice(0, 100)}"`, 'Pick a section from the document\'s outline');
    }
    return section.window;
  }
  if (target.part !== undefined) {
    if (!Number.isInteger(target.part) || target.part < 1 || target.part > lookup.count) {
      throw new LibraryError('not_found', `${document.docId} has no part ${target.part}`, `Parts run from 1 to ${lookup.count}`);
    }
    return target.part - 1;
  }
  return 0;
}

// ---- reading order of a collection ------------------------------------------------------------

export interface ReadingOrderEntry {
  docId: string;
  title: string;
  /** Sections above the document in its collection's navigation, outermost first. */
  trail: string[];
}

/** A document's place among the documents of its collection, in their navigation order. */
export interface ReadingOrder {
  documents: ReadingOrderEntry[];
  /** Position of the document itself in `documents`. */
  position: number;
  previous?: ReadingOrderEntry;
  next?: ReadingOrderEntry;
}

/** Documents without a place in the navigation come after those with one. */
const UNPLACED = Number.MAX_SAFE_INTEGER;

/**
 * The collection's documents in reading order (navigation order, then title for any without one),
 * or undefined when the document has no navigation: a lone manual has no neighbours to read.
 */
export function readingOrder(store: ReadingStore, document: StoredDocument): ReadingOrder | undefined {
  if (!document.navigation) return undefined;
  const { product, version, collection } = document.key;
  const ordered = store
    .documents({ product, version, collection })
    .sort((a, b) => (a.navigation?.order ?? UNPLACED) - (b.navigation?.order ?? UNPLACED) || a.title.localeCompare(b.title));
  const documents = ordered.map((d) => ({ docId: d.docId, title: d.title, trail: d.navigation?.trail ?? [] }));
  const position = documents.findIndex((d) => d.docId === document.docId);
  const order: ReadingOrder = { documents, position };
  if (position > 0) order.previous = documents[position - 1]!;
  if (position + 1 < documents.length) order.next = documents[position + 1]!;
  return order;
}
