/**
 * Finds a chunk's text on a PDF page: the page's words that continue a run of the chunk's own
 * words (three in a row, so that "the" or a running header alone never lights up), merged into one
 * box per line. Words are compared folded (case, accents, punctuation), because the extracted
 * Markdown and poppler's words differ in exactly those.
 */
import type { PageWords } from './word-boxes.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Consecutive words that must match for a highlight; shorter chunks use all their words. */
const RUN = 3;

export function foldWord(word: string): string {
  return word.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Words of a chunk's Markdown, without its markup (headings, emphasis, table pipes, code fences). */
export function chunkWords(markdown: string): string[] {
  return markdown
    .replace(/^```.*$/gm, ' ')
    .split(/[\s|]+/)
    .map(foldWord)
    .filter(Boolean);
}

export function highlightBoxes(page: PageWords, markdown: string): Box[] {
  const target = chunkWords(markdown);
  if (target.length === 0) return [];
  const run = Math.min(RUN, target.length);
  const runs = new Set<string>();
  for (let i = 0; i + run <= target.length; i++) runs.add(target.slice(i, i + run).join(' '));

  // The page's words in reading order, remembering the line each one is on.
  const words = page.lines.flatMap((line, lineIndex) => line.map((box) => ({ box, lineIndex, folded: foldWord(box.text) }))).filter((w) => w.folded);
  const marked = new Array<boolean>(words.length).fill(false);
  for (let i = 0; i + run <= words.length; i++) {
    if (runs.has(words.slice(i, i + run).map((w) => w.folded).join(' '))) marked.fill(true, i, i + run);
  }

  const boxes: Box[] = [];
  let current: { lineIndex: number; x0: number; y0: number; x1: number; y1: number } | undefined;
  const close = () => {
    if (current) boxes.push({ x: current.x0, y: current.y0, width: current.x1 - current.x0, height: current.y1 - current.y0 });
    current = undefined;
  };
  words.forEach((word, i) => {
    if (!marked[i]) return close();
    const { box } = word;
    if (current && current.lineIndex === word.lineIndex) {
      current.x0 = Math.min(current.x0, box.x0);
      current.y0 = Math.min(current.y0, box.y0);
      current.x1 = Math.max(current.x1, box.x1);
      current.y1 = Math.max(current.y1, box.y1);
    } else {
      close();
      current = { lineIndex: word.lineIndex, x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1 };
    }
  });
  close();
  return boxes;
}

/** The boxes as an SVG drawn over the page image: same coordinate space (PDF points), transparent elsewhere. */
export function highlightSvg(page: PageWords, boxes: readonly Box[]): string {
  const round = (n: number) => Math.round(n * 100) / 100;
  const rects = boxes
    .map((b) => `<rect x="${round(b.x - 1)}" y="${round(b.y - 1)}" width="${round(b.width + 2)}" height="${round(b.height + 2)}" rx="1.5"/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(page.width)} ${round(page.height)}" preserveAspectRatio="none">` +
    `<g fill="#f59e0b" fill-opacity="0.3" stroke="#b45309" stroke-opacity="0.6" stroke-width="0.6">${rects}</g></svg>`;
}
