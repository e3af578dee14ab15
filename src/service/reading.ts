/**
 * Read-side views of a document: a chunk with its neighbours, a window of a page with its chunks,
 * a window of the whole text, the heading outline. Shared by every surface through the Library
 * facade. Every view is bounded by LIMITS whatever the size of the document (a page of 150 MB of
 * Markdown, 200,000 headings): pages, texts and outlines are read in windows that say where the
 * next and previous ones start, and a page's text is read a window at a time (see page-text.ts),
 * never whole; a page's chunks are found by ordinal, never by reading all of them.
 * Positions in page and text windows count characters (Unicode code points).
 */

import type { Page } from '../library/model.js';
import { pageMarker } from '../library/document-file.js';
import { HeadingIds } from '../library/heading-anchors.js';
import { parseBlocks } from '../ingest/chunking/markdown-blocks.js';
import type { CatalogStore, ContentStore, StoredChunk, StoredDocument } from '../store/store.js';
import { chunkInfo, documentInfo } from './public-types.js';
import type { ChunkInfo, DocumentInfo } from './types.js';
import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';
import { partitionWindows } from './section-windows.js';
import { headingLines, indexedOutline, outlineHeading, outlineWindow, type OutlineEntry, type OutlineIndex, type OutlineWindow } from './outline-index.js';
import type { PageText } from './page-text.js';

export interface ChunkView {
  chunk: ChunkInfo;
  document: DocumentInfo;
  before: ChunkInfo[];
  after: ChunkInfo[];
  /** Ids of the chunks just outside the returned window, for paging through a document. */
  previousId?: string;
  nextId?: string;
}

/** Where a window sits in what it is a window of, and where its neighbours start. */
export interface WindowPosition {
  start: number;
  /** Where the window ends (exclusive). */
  end: number;
  total: number;
  previousStart?: number;
  nextStart?: number;
}

export interface PageView {
  document: DocumentInfo;
  /** The page, its `markdown` being the window `text` describes. */
  page: Page;
  /** The Markdown window, in characters of the page. */
  text: WindowPosition;
  /** A window of the chunks covering the page, in order. */
  chunks: ChunkInfo[];
  /** The chunk window, counted in chunks of this page. */
  chunkWindow: WindowPosition;
  previous?: number;
  next?: number;
}

export interface PageWindowOptions {
  /** Character offset in the page's Markdown (a `nextStart`). */
  start?: number;
  /** Position among the page's chunks (a chunk window's `nextStart`). */
  chunkOffset?: number;
  /** A chunk of this page the chunk window must show (when no `chunkOffset` is given). */
  chunkOrdinal?: number;
}

export type { OutlineEntry, OutlineWindow } from './outline-index.js';

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

/** Characters (code points) in a string: the unit of every window position. */
function charCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** Shortens a window that does not reach the end to its last line end, where that keeps at least half of it. */
function cutAtLineEnd(text: string, reachesEnd: boolean): string {
  if (reachesEnd) return text;
  const lineEnd = text.lastIndexOf('\n');
  return lineEnd > text.length / 2 ? text.slice(0, lineEnd + 1) : text;
}

/** Positions of a window of `length` from `start` in `total`, with the neighbours' starts. */
function position(start: number, length: number, total: number, size: number): WindowPosition {
  const end = Math.min(total, start + length);
  const window: WindowPosition = { start, end, total };
  if (start > 0) window.previousStart = Math.max(0, start - size);
  if (end < total) window.nextStart = end;
  return window;
}

const checkOffset = (value: number | undefined, what: string): number => {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LibraryError('invalid_input', `${what} ${value} is not a position`, 'Pass a whole number from 0, such as a previous next_start');
  }
  return value;
};

/**
 * One page: a window of at most LIMITS.pageWindowChars characters of its Markdown from `start`,
 * and a window of at most LIMITS.pageChunks of the chunks covering it (the one holding
 * `chunkOrdinal`, or from `chunkOffset`). Only the window of its text is read.
 */
export function pageView(store: ReadingStore, text: PageText, document: StoredDocument, number: number, options: PageWindowOptions = {}): PageView {
  const start = checkOffset(options.start, 'start');
  const slice = Number.isInteger(number) ? text.pageSlice(number, start, LIMITS.pageWindowChars) : undefined;
  if (!slice) {
    throw new LibraryError('not_found', `${document.docId} has no page ${number}`, `Pages run from 1 to ${document.pageCount}`);
  }
  if (start > 0 && start >= slice.chars) {
    throw new LibraryError('not_found', `start ${start} is past the end of page ${number} (${slice.chars} characters)`, 'Read from a smaller start, or from 0');
  }
  const markdown = cutAtLineEnd(slice.text, start + charCount(slice.text) >= slice.chars);
  const page: Page = { number: slice.number, markdown };
  if (slice.label !== undefined) page.label = slice.label;

  const total = store.chunksOnPageCount(document.rowid, number);
  const wanted = options.chunkOffset !== undefined || options.chunkOrdinal === undefined
    ? checkOffset(options.chunkOffset, 'chunk offset')
    : store.chunksOnPageCount(document.rowid, number, options.chunkOrdinal);
  // Windows start at multiples of the window size, so that every chunk has one window it is in.
  const chunkOffset = Math.min(wanted, Math.max(0, total - 1)) - (Math.min(wanted, Math.max(0, total - 1)) % LIMITS.pageChunks);
  const chunks = store.chunksOnPage(document.rowid, number, { offset: chunkOffset, limit: LIMITS.pageChunks });

  const view: PageView = {
    document: documentInfo(document),
    page,
    text: position(start, charCount(markdown), slice.chars, LIMITS.pageWindowChars),
    chunks: chunks.map((c) => chunkInfo(c, document.docId)),
    chunkWindow: position(chunkOffset, chunks.length, total, LIMITS.pageChunks),
  };
  if (number > 1) view.previous = number - 1;
  if (number < document.pageCount) view.next = number + 1;
  return view;
}

/**
 * A window of the document as Markdown with its page markers, starting at `start` (or at `page`),
 * at most `maxChars` long, cut at a line end where possible. Built from the pages it touches only,
 * each read a window at a time.
 */
export function textWindow(
  pageText: PageText,
  document: StoredDocument,
  options: { start?: number; page?: number; maxChars?: number },
): TextWindow {
  // Each page is its marker line, its Markdown and a blank line.
  const parts: { page: number; offset: number; head: string; headChars: number; chars: number; total: number }[] = [];
  let offset = 0;
  for (const page of pageText.pageLengths()) {
    const head = `${pageMarker(page)}\n`;
    const headChars = charCount(head);
    const total = headChars + page.chars + 2;
    parts.push({ page: page.number, offset, head, headChars, chars: page.chars, total });
    offset += total;
  }
  const totalChars = offset;
  const maxChars = Math.min(Math.max(200, options.maxChars ?? 8000), LIMITS.textWindowChars);
  let start = Math.min(checkOffset(options.start, 'start'), totalChars);
  if (options.page !== undefined) {
    const at = parts.find((p) => p.page === options.page);
    if (!at) throw new LibraryError('not_found', `${document.docId} has no page ${options.page}`, `Pages run from 1 to ${document.pageCount}`);
    start = at.offset;
  }
  const end = Math.min(totalChars, start + maxChars);
  let text = '';
  for (const part of parts) {
    if (part.offset + part.total <= start || part.offset >= end) continue;
    const from = Math.max(start, part.offset) - part.offset;
    const to = Math.min(end, part.offset + part.total) - part.offset;
    const headFrom = Math.min(from, part.headChars);
    const headTo = Math.min(to, part.headChars);
    if (headTo > headFrom) text += [...part.head].slice(headFrom, headTo).join('');
    const bodyFrom = Math.max(from, part.headChars) - part.headChars;
    const bodyTo = Math.min(to - part.headChars, part.chars);
    if (bodyTo > bodyFrom) text += pageText.pageSlice(part.page, bodyFrom, bodyTo - bodyFrom)?.text ?? '';
    const tailFrom = Math.max(from - part.headChars - part.chars, 0);
    const tailTo = Math.max(to - part.headChars - part.chars, 0);
    if (tailTo > tailFrom) text += '\n\n'.slice(tailFrom, tailTo);
  }
  text = cutAtLineEnd(text, end >= totalChars);
  const windowEnd = start + charCount(text);
  const pageAt = (at: number) => [...parts].reverse().find((p) => p.offset <= at)?.page ?? 1;
  const window: TextWindow = {
    document: documentInfo(document), start, text, firstPage: pageAt(start), lastPage: pageAt(Math.max(start, windowEnd - 1)),
    totalChars, truncated: windowEnd < totalChars,
  };
  if (window.truncated) window.nextStart = windowEnd;
  return window;
}

/**
 * A window of the document's heading outline (code blocks skipped): at most
 * LIMITS.outlineEntries entries from `offset`, or the window holding the first heading at or after
 * `page`. With the document's outline index (outline-index.ts) only the pages holding the window's
 * headings are read; without it pages are read from the start a window at a time, and reading
 * stops once the window is full.
 */
export function outline(text: PageText, options: { offset?: number; page?: number } = {}, index?: OutlineIndex): OutlineWindow {
  const size = LIMITS.outlineEntries;
  // Unknown until the first heading at or after `page` is met, when a page is asked for.
  let offset: number | undefined = options.offset !== undefined || options.page === undefined ? checkOffset(options.offset, 'outline offset') : undefined;
  if (index) return indexedOutline(text, index, offset === undefined ? { page: options.page! } : { offset });
  const entries: OutlineEntry[] = [];
  let seen = 0;
  const fence = { inCode: false };
  let more = false;
  scan: for (const page of text.pageLengths()) {
    for (const line of headingLines(text.pagePieces(page.number, page.chars))) {
      const heading = outlineHeading(line, fence);
      if (!heading) continue;
      if (offset === undefined) {
        // Only the window being passed through is kept, until the page's window is reached.
        if (seen % size === 0) entries.length = 0;
        if (page.number >= options.page!) offset = seen - (seen % size);
      }
      if (offset !== undefined && seen >= offset + size) {
        more = true;
        break scan;
      }
      if (offset === undefined || seen >= offset) entries.push({ level: heading.level, text: heading.text, page: page.number });
      seen++;
    }
  }
  offset ??= seen - entries.length; // the page is past the last heading: the last window
  return outlineWindow(entries, offset, more);
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

/**
 * Whether the viewer shows the document section by section. A section view reads and parses the
 * whole document on every request, so a document beyond `LIMITS.sectionReadingChunks` is shown
 * in the page viewer's bounded windows instead (it is still cited by section).
 */
export function viewBySection(document: { format: DocumentInfo['format']; chunkCount: number }): boolean {
  return readBySection(document) && document.chunkCount <= LIMITS.sectionReadingChunks;
}

export function sectionView(store: ReadingStore, document: StoredDocument, target: SectionTarget): SectionView {
  if (!viewBySection(document)) {
    throw new LibraryError(
      'invalid_input',
      `${document.docId} has ${document.chunkCount} chunks, more than the ${LIMITS.sectionReadingChunks} read section by section`,
      'Read it page by page (the page viewer and text windows), or open one chunk by its id',
    );
  }
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
  const documents = store
    .collectionEntries(product, version, collection)
    .sort((a, b) => (a.navOrder ?? UNPLACED) - (b.navOrder ?? UNPLACED) || a.title.localeCompare(b.title))
    .map((d) => ({ docId: d.docId, title: d.title, trail: d.trail }));
  const position = documents.findIndex((d) => d.docId === document.docId);
  const order: ReadingOrder = { documents, position };
  if (position > 0) order.previous = documents[position - 1]!;
  if (position + 1 < documents.length) order.next = documents[position + 1]!;
  return order;
}
