/**
 * A document's outline index: how many outline headings each page holds, and whether a code block
 * is open where it starts. With it a window of the outline (reading.ts `outline`) reads only the
 * pages holding the window's headings, instead of every page from the document's start: the
 * outline of a late page of a long document costs that window. It is built in the background, a
 * piece of a page per turn of the event loop, once per version of a document, and kept in memory.
 */

import { parseAtxHeading } from '../ingest/chunking/markdown-blocks.js';
import { LIMITS } from '../library/limits.js';
import type { PageText } from './page-text.js';

export interface OutlineEntry {
  level: number;
  text: string;
  page: number;
}

export interface OutlineWindow {
  entries: OutlineEntry[];
  /** Position of the first entry in the whole outline. */
  offset: number;
  previousOffset?: number;
  /** Where the next window starts; absent at the end of the outline. */
  nextOffset?: number;
}

export interface OutlineIndex {
  /** Pages in document order, as `PageText.pageLengths` lists them. */
  pages: { number: number; chars: number; headings: number; inCodeAtStart: boolean }[];
  /** Outline headings in the whole document. */
  total: number;
}

/** Longest line kept whole while scanning for headings; a longer one is cut (it is no heading: see LIMITS.headingChars). */
const SCAN_LINE_CHARS = 64 * 1024;

/**
 * The outline heading a line makes, if any, given whether a code block is open before it; the
 * line's fence, if it is one, opens or closes the block in `fence`.
 */
export function outlineHeading(line: string, fence: { inCode: boolean }): { level: number; text: string } | undefined {
  if (/^(```|~~~)/.test(line)) fence.inCode = !fence.inCode;
  // parseAtxHeading, not a regex: the obvious one backtracks cubically on long runs of spaces.
  const heading = fence.inCode ? undefined : parseAtxHeading(line);
  return heading?.text && heading.text.length <= LIMITS.headingChars ? heading : undefined;
}

export function outlineWindow(entries: OutlineEntry[], offset: number, more: boolean): OutlineWindow {
  const window: OutlineWindow = { entries, offset };
  if (offset > 0) window.previousOffset = Math.max(0, offset - LIMITS.outlineEntries);
  if (more) window.nextOffset = offset + entries.length;
  return window;
}

/**
 * Splits a page's text, given in pieces (a line may span pieces), into the lines that can open a
 * heading or a code fence, without splitting the whole page.
 */
class HeadingLineSplitter {
  private carry: string | undefined; // the start of a candidate line that continues in the next piece
  private skipping = false; // inside a line that is no candidate, until its end

  push(piece: string): string[] {
    const lines: string[] = [];
    let at = 0;
    if (this.carry !== undefined || this.skipping) {
      const lineEnd = piece.indexOf('\n');
      const end = lineEnd < 0 ? piece.length : lineEnd;
      if (this.carry !== undefined) this.carry = (this.carry + piece.slice(0, end)).slice(0, SCAN_LINE_CHARS);
      if (lineEnd < 0) return lines;
      if (this.carry !== undefined) lines.push(this.carry);
      this.carry = undefined;
      this.skipping = false;
      at = lineEnd + 1;
    }
    while (at < piece.length) {
      const lineEnd = piece.indexOf('\n', at);
      const first = piece[at];
      const candidate = first === '#' || first === '`' || first === '~';
      if (lineEnd < 0) {
        if (candidate) this.carry = piece.slice(at, at + SCAN_LINE_CHARS);
        else this.skipping = true;
        break;
      }
      if (candidate) lines.push(piece.slice(at, lineEnd));
      at = lineEnd + 1;
    }
    return lines;
  }

  end(): string[] {
    return this.carry === undefined ? [] : [this.carry];
  }
}

/** The lines of a page that can open a heading or a code fence, from the page's text in pieces. */
export function* headingLines(texts: Iterable<string>): Generator<string> {
  const splitter = new HeadingLineSplitter();
  for (const piece of texts) yield* splitter.push(piece);
  yield* splitter.end();
}

/**
 * Builds a document's outline index from its page text, a piece of a page per turn of the event
 * loop; undefined when `stop` says to give up (the library closing).
 */
export async function buildOutlineIndex(text: PageText, stop: () => boolean = () => false): Promise<OutlineIndex | undefined> {
  const fence = { inCode: false };
  const pages: OutlineIndex['pages'] = [];
  let total = 0;
  for (const page of text.pageLengths()) {
    const inCodeAtStart = fence.inCode;
    let headings = 0;
    const splitter = new HeadingLineSplitter();
    for (const piece of text.pagePieces(page.number, page.chars)) {
      for (const line of splitter.push(piece)) if (outlineHeading(line, fence)) headings++;
      await new Promise((resolve) => setImmediate(resolve));
      if (stop()) return undefined;
    }
    for (const line of splitter.end()) if (outlineHeading(line, fence)) headings++;
    pages.push({ number: page.number, chars: page.chars, headings, inCodeAtStart });
    total += headings;
  }
  return { pages, total };
}

/**
 * The outline window from `offset`, or the one holding the first heading at or after `page`, as
 * reading.ts `outline` finds it, reading only the pages that hold the window's headings.
 */
export function indexedOutline(text: PageText, index: OutlineIndex, where: { offset: number } | { page: number }): OutlineWindow {
  const size = LIMITS.outlineEntries;
  let offset: number;
  if ('offset' in where) offset = where.offset;
  else {
    // Headings before the first one on a page at or after `page`; past the last heading, the last window.
    let before = 0;
    let found = false;
    for (const page of index.pages) {
      if (page.number >= where.page && page.headings > 0) {
        found = true;
        break;
      }
      before += page.headings;
    }
    offset = found ? before - (before % size) : index.total === 0 ? 0 : index.total - 1 - ((index.total - 1) % size);
  }
  const entries: OutlineEntry[] = [];
  let seen = 0;
  for (const page of index.pages) {
    if (entries.length >= size) break;
    if (seen + page.headings <= offset || page.headings === 0) {
      seen += page.headings;
      continue;
    }
    const fence = { inCode: page.inCodeAtStart };
    for (const line of headingLines(text.pagePieces(page.number, page.chars))) {
      const heading = outlineHeading(line, fence);
      if (!heading) continue;
      if (seen >= offset) entries.push({ level: heading.level, text: heading.text, page: page.number });
      seen++;
      if (entries.length >= size) break;
    }
  }
  return outlineWindow(entries, offset, offset + entries.length < index.total);
}
