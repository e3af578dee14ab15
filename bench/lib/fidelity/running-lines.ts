import type { PopplerPage } from './poppler-pages.js';

/**
 * Running headers and footers on poppler's side, found independently of McDewey's own detector
 * (src/ingest/convert/pdf/running-lines.ts) so the benchmark does not grade that code by itself:
 *  - only lines in the margins count: bottom edge in the top 10.5 % of the page, or top edge in
 *    the bottom 11.5 %;
 *  - a margin line is running when its text, compared in lowercase letters and digits with every
 *    number as #, is in a margin on three or more pages of the document; or, in the outer 7 %
 *    strips only, is a bare page number ("7", "iv", "Page 7"), or (at the top) a line of body
 *    text on another page: a section title repeated as the running header of its pages;
 *  - a margin position (top edge, ±2 points) where text repeated in the margins, or a page number,
 *    sits on three pages or more is a header slot: whatever stands there on other pages (a section
 *    name used once) runs too;
 *  - a copyright or confidentiality notice in a margin is a footer even once (a cover's), and so
 *    is what stands beside it on its line ("Last Update: Jan 2018").
 * The removed lines are matched back to the default-mode text by the same key.
 */
const TOP_BAND = 0.105;
const BOTTOM_BAND = 0.885;
const OUTER_TOP = 0.07;
const OUTER_BOTTOM = 0.93;
const MIN_PAGES = 3;
/** Points a line may sit off a header slot (producers place footers a little differently on odd and even pages). */
const SLOT_TOLERANCE = 2;
const NOTICE = /^(©|\(c\)\s|copyright\b)|\ball rights reserved\b|\bproprietary and confidential\b/i;
const PAGE_NUMBER = /^(page#?|#|[ivxlcdm]+)$/;

const ROMAN = /^(?=[mdclxvi])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/;
const isNumber = (word: string | undefined) => word !== undefined && (/^#$/.test(word) || ROMAN.test(word));

/** Lowercase letters and digits, every number as #, without a page number at either end ("iv TABLE OF CONTENTS"). */
export function lineKey(text: string): string {
  const words = text.toLowerCase().normalize('NFKC').replace(/\d+/g, '#').split(/\s+/).filter(Boolean);
  if (words.length > 1 && isNumber(words[0])) words.shift();
  if (words.length > 1 && isNumber(words[words.length - 1])) words.pop();
  return words.join('').replace(/[^\p{L}\p{N}#]+/gu, '');
}

type Band = 'top' | 'bottom';

function bandOf(yMin: number, yMax: number, height: number): Band | undefined {
  if (yMax <= height * TOP_BAND) return 'top';
  if (yMin >= height * BOTTOM_BAND) return 'bottom';
  return undefined;
}

function outerBandOf(yMin: number, yMax: number, height: number): Band | undefined {
  if (yMax <= height * OUTER_TOP) return 'top';
  if (yMin >= height * OUTER_BOTTOM) return 'bottom';
  return undefined;
}

/** Per page: the keys of its running lines, with how often each occurs there (and in which band). */
export function runningLines(pages: readonly PopplerPage[]): { top: string[]; bottom: string[] }[] {
  const pagesPerKey = new Map<string, Set<number>>();
  const bodyPagesPerKey = new Map<string, Set<number>>();
  for (const page of pages) {
    for (const box of page.boxes) {
      const key = lineKey(box.text);
      if (key === '') continue;
      const counts = bandOf(box.yMin, box.yMax, page.height) ? pagesPerKey : bodyPagesPerKey;
      const seen = counts.get(key) ?? new Set<number>();
      seen.add(page.number);
      counts.set(key, seen);
    }
  }
  const repeated = (key: string, pageNumber: number, outer: Band | undefined) =>
    (pagesPerKey.get(key)?.size ?? 0) >= MIN_PAGES ||
    (outer !== undefined && PAGE_NUMBER.test(key)) ||
    (outer === 'top' && [...(bodyPagesPerKey.get(key) ?? [])].some((other) => other !== pageNumber));
  const proofs: { y: number; page: number }[] = [];
  for (const page of pages) {
    for (const box of page.boxes) {
      const key = lineKey(box.text);
      const outer = outerBandOf(box.yMin, box.yMax, page.height);
      if (!bandOf(box.yMin, box.yMax, page.height) || ((pagesPerKey.get(key)?.size ?? 0) < MIN_PAGES && !(outer && PAGE_NUMBER.test(key)))) continue;
      proofs.push({ y: box.yMin, page: page.number });
    }
  }
  const inSlot = (y: number) => new Set(proofs.filter((proof) => Math.abs(proof.y - y) <= SLOT_TOLERANCE).map((proof) => proof.page)).size >= MIN_PAGES;
  return pages.map((page) => {
    const found = { top: [] as string[], bottom: [] as string[] };
    const notices = page.boxes.filter((box) => bandOf(box.yMin, box.yMax, page.height) && NOTICE.test(box.text.trim())).map((box) => box.yMin);
    const besideNotice = (y: number) => notices.some((notice) => Math.abs(notice - y) <= SLOT_TOLERANCE);
    for (const box of page.boxes) {
      const band = bandOf(box.yMin, box.yMax, page.height);
      const key = lineKey(box.text);
      if (!band || key === '') continue;
      if (repeated(key, page.number, outerBandOf(box.yMin, box.yMax, page.height)) || inSlot(box.yMin) || besideNotice(box.yMin)) found[band].push(key);
    }
    return found;
  });
}

/**
 * The page's default-mode lines without its running lines: a header is taken from the first
 * lines with its key, a footer from the last, so a body heading that repeats the header stays.
 */
export function withoutRunningLines(lines: readonly string[], running: { top: string[]; bottom: string[] }): string[] {
  const keys = lines.map(lineKey);
  const drop = new Set<number>();
  for (const key of running.top) {
    const index = keys.findIndex((k, i) => k === key && !drop.has(i));
    if (index >= 0) drop.add(index);
  }
  for (const key of running.bottom) {
    const index = keys.findLastIndex((k, i) => k === key && !drop.has(i));
    if (index >= 0) drop.add(index);
  }
  return lines.filter((_, i) => !drop.has(i));
}
