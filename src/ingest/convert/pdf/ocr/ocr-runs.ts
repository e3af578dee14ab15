import type { TextRun } from '../model.js';
import type { OcrLine, OcrWord } from './tesseract-hocr.js';

/**
 * Recognised words as text runs, so that OCR'd pages go through the same layout as pages with a
 * text layer (lines, running headers, tables, headings). The words of a line sit on tesseract's
 * baseline for it, and font sizes, which OCR only estimates, are snapped: sizes near the body
 * size become the body size, so paragraphs are not cut at every misjudged line.
 */
export interface RecognisedPage {
  number: number;
  lines: OcrLine[];
  /** Points per image pixel, horizontally and vertically. */
  scaleX: number;
  scaleY: number;
}

/** Estimated sizes within this factor of the body size are the body size. */
const BODY_TOLERANCE = 1.15;
/** tesseract's line size runs from descender to ascender, a little more than the font size. */
const LINE_SIZE_PER_POINT = 1.1;
/** Words tesseract is this unsure of, with no letter or digit, are specks and rules, not text. */
const MIN_SYMBOL_CONFIDENCE = 60;
/** A block of several words this doubtful as a whole is a picture read as text (a diagram, a photo). */
const MIN_BLOCK_CONFIDENCE = 70;
const MIN_BLOCK_WORDS = 4;
export const OCR_FONT = 'ocr';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function isSpeck(word: OcrWord): boolean {
  return word.confidence < MIN_SYMBOL_CONFIDENCE && !/[\p{L}\p{N}]/u.test(word.text);
}

/** The page's lines without specks and without blocks that are pictures. */
function textLines(page: RecognisedPage): OcrLine[] {
  const confidences = new Map<string, number[]>();
  for (const line of page.lines) for (const word of line.words) confidences.set(line.block, [...(confidences.get(line.block) ?? []), word.confidence]);
  const picture = (block: string) => {
    const values = confidences.get(block) ?? [];
    return values.length >= MIN_BLOCK_WORDS && median(values) < MIN_BLOCK_CONFIDENCE;
  };
  return page.lines
    .filter((line) => !picture(line.block))
    .map((line) => ({ ...line, words: line.words.filter((word) => !isSpeck(word)) }))
    .filter((line) => line.words.length > 0);
}

/**
 * Snaps estimated sizes: near the body size they are the body size; the others are grouped, each
 * group of sizes within BODY_TOLERANCE of its smallest taking its median, so that headings of one
 * level, estimated a little differently, keep one size (and one level).
 */
function sizeSnapper(sizes: readonly number[], bodySize: number | undefined): (size: number) => number {
  const body = bodySize ?? Math.round(median(sizes) * 2) / 2;
  const isBody = (size: number) => size <= body * BODY_TOLERANCE && size >= body / BODY_TOLERANCE;
  const others = [...new Set(sizes.filter((size) => !isBody(size)))].sort((a, b) => a - b);
  const snapped = new Map<number, number>();
  for (let i = 0; i < others.length; ) {
    let j = i;
    while (j < others.length && others[j]! <= others[i]! * BODY_TOLERANCE) j++;
    const group = others.slice(i, j);
    const size = Math.max(1, Math.round(median(group) * 2) / 2);
    for (const member of group) snapped.set(member, size);
    i = j;
  }
  return (size) => (isBody(size) ? body : (snapped.get(size) ?? Math.max(1, Math.round(size * 2) / 2)));
}

/**
 * Text runs per page number. `bodySize` is the body size of the document's typed pages, when it
 * has any: OCR'd pages then share it, instead of looking like a larger (heading) size.
 */
export function recognisedRuns(pages: readonly RecognisedPage[], bodySize?: number): Map<number, TextRun[]> {
  const perPage = pages.map((page) => ({
    page,
    lines: textLines(page).map((line) => ({ line, points: (line.size * page.scaleY) / LINE_SIZE_PER_POINT })),
  }));
  // Weighted by words, so that a few large headings do not move the body size.
  const sizes = perPage.flatMap(({ lines }) => lines.flatMap(({ line, points }) => line.words.map(() => points)));
  const snap = sizeSnapper(sizes, bodySize);
  const runs = new Map<number, TextRun[]>();
  for (const { page, lines } of perPage) {
    runs.set(
      page.number,
      lines.flatMap(({ line, points }) => {
        const fontSize = snap(points);
        return line.words.map((word) => ({
          text: word.text,
          x: word.left * page.scaleX,
          y: line.baseline * page.scaleY,
          width: (word.right - word.left) * page.scaleX,
          fontSize,
          fontName: OCR_FONT,
          fontFamily: 'sans-serif',
          monospace: false,
        }));
      }),
    );
  }
  return runs;
}
