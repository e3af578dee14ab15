import { buildPdf } from '../hardening/pdf-builder.js';

/**
 * Pages of text set like a real layout program sets them: paragraphs broken into lines greedily
 * with Helvetica's real character widths (so a line ends where the next word would not fit),
 * placed in columns anywhere on the page. For tests of column, sidebar and table layouts.
 */

/** Helvetica advance widths (thousandths of an em) from its Adobe font metrics, for the characters the tests use. */
const HELVETICA: Record<string, number> = {
  ' ': 278, '.': 278, ',': 278, ':': 278, '-': 333, '(': 333, ')': 333,
  a: 556, b: 556, c: 500, d: 556, e: 556, f: 278, g: 556, h: 556, i: 222, j: 222, k: 500, l: 222, m: 833,
  n: 556, o: 556, p: 556, q: 556, r: 333, s: 500, t: 278, u: 556, v: 500, w: 722, x: 500, y: 500, z: 500,
  A: 667, B: 667, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, L: 556, M: 833, N: 722, O: 778,
  P: 667, R: 722, S: 667, T: 611, U: 722, V: 667, W: 944,
  '0': 556, '1': 556, '2': 556, '3': 556, '4': 556, '5': 556, '6': 556, '7': 556, '8': 556, '9': 556,
};

export function textWidth(text: string, size: number): number {
  let width = 0;
  for (const char of text) {
    const advance = HELVETICA[char];
    if (advance === undefined) throw new Error(`no Helvetica width for "${char}" in the test metrics`);
    width += (advance * size) / 1000;
  }
  return width;
}

/** A paragraph broken into lines no wider than `width` points. */
export function wrap(text: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textWidth(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

export interface PlacedText {
  /** Left edge and the first baseline, from the page's top-left corner (points). */
  x: number;
  top: number;
  width: number;
  paragraphs: string[];
  size?: number;
  /** Baseline to baseline. */
  leading?: number;
  /** Extra space between paragraphs. */
  paragraphGap?: number;
}

const PAGE_HEIGHT = 792;

function escape(text: string): string {
  return text.replace(/[()\\]/g, '\\$&');
}

/** The content stream placing each block's paragraphs, wrapped to its width. */
export function placeText(blocks: readonly PlacedText[]): string {
  const shown: string[] = [];
  for (const block of blocks) {
    const size = block.size ?? 10;
    const leading = block.leading ?? size * 1.2;
    let y = block.top;
    for (const paragraph of block.paragraphs) {
      for (const line of wrap(paragraph, block.width, size)) {
        shown.push(`/F1 ${size} Tf 1 0 0 1 ${block.x} ${PAGE_HEIGHT - y} Tm (${escape(line)}) Tj`);
        y += leading;
      }
      y += block.paragraphGap ?? leading * 0.6;
    }
  }
  return `BT ${shown.join(' ')} ET`;
}

/** A PDF whose pages each hold the given blocks. */
export function layoutPdf(pages: readonly (readonly PlacedText[])[]): Uint8Array {
  return buildPdf(pages.map((blocks) => ({ content: placeText(blocks) })));
}
