import type { Page } from '../library/model.js';

/**
 * Which page a position in a chunk's text is printed on. A chunk spans several pages only when a
 * paragraph runs over a page break (the chunker keeps it whole), so the later pages begin inside
 * the chunk's text exactly where their first line's text does. A hit cites the page of its best
 * match, not the page its chunk happens to start on.
 */
export interface PageStart {
  page: number;
  /** Character offset in the chunk's text where this page's text begins. */
  offset: number;
}

/** Enough characters of a page's first line to find it again, short enough to survive the chunker's re-joining of lines. */
const PROBE_CHARS = 48;

/**
 * Where each of `laterPages` (the chunk's pages after its first, in order) begins in `text`.
 * A page whose opening cannot be found is left out: its text is then counted with the page before.
 */
export function pageStarts(text: string, laterPages: readonly Page[]): PageStart[] {
  const starts: PageStart[] = [];
  let searchFrom = 0;
  for (const page of laterPages) {
    const firstLine = page.markdown.split('\n').map((line) => line.trim()).find((line) => line.length > 0);
    if (firstLine === undefined) continue;
    const probe = firstLine.slice(0, PROBE_CHARS);
    const offset = text.indexOf(probe, searchFrom);
    if (offset < 0) continue;
    starts.push({ page: page.number, offset });
    searchFrom = offset + probe.length;
  }
  return starts;
}

/** The page the character at `offset` is on, given the chunk's first page and where later pages start. */
export function pageAt(offset: number, firstPage: number, starts: readonly PageStart[]): number {
  let page = firstPage;
  for (const start of starts) if (offset >= start.offset) page = start.page;
  return page;
}
