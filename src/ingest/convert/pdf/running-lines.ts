/**
 * Running headers and footers: lines in the top or bottom margin that repeat from page to page
 * (document title, chapter name, "Page 7", confidentiality stamps). They are noise in every
 * chunk they would land in, so they are dropped.
 */

/** What running-line detection needs to know about a line. */
export interface MarginCandidate {
  text: string;
  /** Baseline, from the top of the page. */
  y: number;
}

export interface MarginPage {
  height: number;
  lines: readonly MarginCandidate[];
  /** The page's printed label, if any: a margin line saying just that is a page number. */
  label?: string;
  /** The page's physical number (1-based), the page number of documents without labels. */
  number?: number;
}

/** Share of the page height, at the top and at the bottom, where running lines live. */
const MARGIN_BAND = 0.12;
/** The outermost strip: only headers and footers go there, so two repeats are enough. */
const OUTER_BAND = 0.07;
/** A repeated line counts as running when it is on this share of the pages... */
const MIN_PAGE_SHARE = 0.4;
/** ...and on at least this many pages. */
const MIN_PAGES = 3;
/** Footers that add a chapter name to a fixed text share at least this long a prefix. */
const MIN_SHARED_PREFIX = 24;

const ROMAN_NUMERAL = /^(?=[mdclxvi])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/;
const PAGE_NUMBER = /^(page\s*)?(#|[ivxlcdm]+)(\s*(of|\/)\s*#)?$/;

/** Lowercase, single-spaced, every number replaced by #. */
function withoutDigits(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

function withoutPageNumbers(words: string[]): string {
  const isNumber = (word: string | undefined) => word !== undefined && (/^\d+$/.test(word) || word === '#' || ROMAN_NUMERAL.test(word));
  if (words.length > 1 && isNumber(words[0])) words.shift();
  if (words.length > 1 && isNumber(words[words.length - 1])) words.pop();
  return words.join(' ');
}

/**
 * The form in which repeats are compared: case, spacing and numbers (page, release) do not count,
 * nor does a page number (arabic or roman) before or after the text, which moves on facing pages.
 */
export function runningKey(text: string): string {
  return withoutPageNumbers(withoutDigits(text).split(' '));
}

/** Like runningKey, but numbers inside the text count: "Step 20: Upload" is not "Step 23: Upload". */
function exactKey(text: string): string {
  return withoutPageNumbers(text.toLowerCase().replace(/\s+/g, ' ').trim().split(' '));
}

/** Notices that are footers wherever they stand in a margin, even once: a cover's or a one-page document's. */
const BOILERPLATE = /^(©|\(c\)\s|copyright\b)|\ball rights reserved\b|\bproprietary and confidential\b/i;

/**
 * A margin line that starts or ends with the page's own number ("1 AZURE AUTO SCALE TEMPLATE 1.1 |")
 * is its footer. The number may be the printed label or the physical page number (labels lie).
 */
function carriesPageNumber(text: string, page: MarginPage): boolean {
  const numbers = [page.label, page.number === undefined ? undefined : String(page.number)].filter((n): n is string => n !== undefined && n !== '');
  const words = text.trim().split(/\s+/);
  return words.length > 1 && numbers.some((n) => words[0] === n || words[words.length - 1] === n);
}

/** A year ("© 2021" on a cover) is no page number. */
const YEAR = /^(19|20)\d\d$/;

/** True for a bare page number: "7", "Page 7", "7 of 20", "iv". */
export function isPageNumber(text: string, label?: string): boolean {
  const trimmed = text.trim();
  if (label !== undefined && label !== '' && trimmed === label) return true;
  if (YEAR.test(trimmed)) return false;
  const match = PAGE_NUMBER.exec(withoutDigits(trimmed));
  if (!match) return false;
  return match[2] === '#' || ROMAN_NUMERAL.test(match[2]!);
}

type Band = 'top' | 'bottom';

function bandOf(line: MarginCandidate, height: number): Band | undefined {
  if (line.y <= height * MARGIN_BAND) return 'top';
  if (line.y >= height * (1 - MARGIN_BAND)) return 'bottom';
  return undefined;
}

function inOuterBand(line: MarginCandidate, height: number): boolean {
  return line.y <= height * OUTER_BAND || line.y >= height * (1 - OUTER_BAND);
}

function sharedPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * For each page, for each of its lines: whether the line is a running header/footer or a bare page
 * number in the margin. `isSectionTitle` recognises section titles (e.g. from the PDF outline),
 * which running headers often repeat.
 */
export function findRunningLines(pages: readonly MarginPage[], isSectionTitle: (text: string) => boolean = () => false): boolean[][] {
  // On how many pages each margin text appears, per band, and how often in the outer strip.
  const pagesPerKey = new Map<string, number>();
  const outerPagesPerKey = new Map<string, number>();
  for (const page of pages) {
    const seen = new Set<string>();
    const seenOuter = new Set<string>();
    for (const line of page.lines) {
      const band = bandOf(line, page.height);
      if (!band) continue;
      const key = bandKey(band, line.text);
      seen.add(key);
      if (inOuterBand(line, page.height)) seenOuter.add(`${key}\n${exactKey(line.text)}`);
    }
    for (const key of seen) pagesPerKey.set(key, (pagesPerKey.get(key) ?? 0) + 1);
    for (const key of seenOuter) outerPagesPerKey.set(key, (outerPagesPerKey.get(key) ?? 0) + 1);
  }

  const threshold = Math.max(MIN_PAGES, Math.ceil(pages.length * MIN_PAGE_SHARE));
  const running = new Set<string>();
  for (const [key, count] of pagesPerKey) if (count >= threshold) running.add(key);
  // A chapter title in the outer margin repeats only over its chapter, which may be a few pages;
  // it repeats word for word (numbers too), unlike headings that share a pattern ("Step 20: …").
  // Only lines in the outer margin are taken for one: the chapter's own heading sits lower.
  const chapterTitles = new Set<string>();
  for (const [keys, count] of outerPagesPerKey) if (count >= 2) chapterTitles.add(keys.split('\n')[0]!);

  const matches = (known: ReadonlySet<string>, key: string): boolean => {
    if (known.has(key)) return true;
    for (const other of known) {
      if (sharedPrefixLength(other, key) >= MIN_SHARED_PREFIX + key.indexOf(':') + 1) return true;
    }
    return false;
  };

  return pages.map((page) =>
    page.lines.map((line) => {
      const band = bandOf(line, page.height);
      if (!band) return false;
      const key = bandKey(band, line.text);
      if (isPageNumber(line.text, page.label) || matches(running, key) || BOILERPLATE.test(line.text.trim())) return true;
      if (inOuterBand(line, page.height)) {
        if (matches(chapterTitles, key)) return true;
        if (carriesPageNumber(line.text, page)) return true;
      }
      // Headers naming the current section ("Input Parameters") may appear on a single page.
      return inOuterBand(line, page.height) && isSectionTitle(line.text);
    }),
  );
}

function bandKey(band: Band, text: string): string {
  return `${band}:${runningKey(text)}`;
}
