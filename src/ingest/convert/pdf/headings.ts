import type { FontStats } from './font-stats.js';
import { joinLines, type LineJoiner } from './hyphenation.js';
import { endsWithLeader } from './markdown-text.js';
import type { OutlineEntry, TextLine } from './model.js';

/**
 * Heading recovery. A PDF has no headings, only text set larger or in another font; and often an
 * outline (bookmarks) whose titles are the real headings. Three sources, strongest first:
 *  1. an outline entry whose title is a text block on the entry's page: heading at the entry's depth;
 *  2. a short block in one of the larger font sizes: levels by size, calibrated against (1);
 *  3. a short standalone line at body size in a heading font: one the larger headings use, or
 *     another family than the body text (bold run-in headings).
 */

/** A block of text lines that may be a heading. */
export interface TextBlock {
  pageNumber: number;
  lines: readonly TextLine[];
}

/** A size this much larger than the body size marks headings... */
const HEADING_SIZE_RATIO = 1.15;
/** ...and so does a size only a little larger, if little text is set in it (not a second body size). */
const SLIGHTLY_LARGER_RATIO = 1.05;
const MAX_SLIGHTLY_LARGER_SHARE = 0.1;
/** Without an outline, only this many distinct sizes are heading sizes. */
const MAX_SIZE_LEVELS = 3;
const MAX_HEADING_LINES = 3;
const MAX_HEADING_CHARS = 120;
const MAX_RUN_IN_HEADING_CHARS = 80;
const CAPTION = /^(figure|fig\.|table|example|note)\b/i;

/** Text compared with outline titles: letters and digits only, lowercase. */
export function matchKey(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A block's lines as one string. */
export function blockText(lines: readonly TextLine[], join: LineJoiner = joinLines): string {
  return lines.reduce((text, line) => join(text, line.text), '');
}

/** Whether a block's text reads like a heading rather than a sentence. */
export function isHeadingLike(text: string, lineCount: number): boolean {
  return (
    lineCount <= MAX_HEADING_LINES &&
    text.length > 0 &&
    text.length <= MAX_HEADING_CHARS &&
    /\p{L}/u.test(text) &&
    !/[.,;]$/.test(text) &&
    !endsWithLeader(text)
  );
}

/**
 * Heading level per font size. Sizes used only on the first page of a longer document are cover
 * page type: level 1, without taking up a level. The other larger sizes get levels from largest to
 * smallest; `calibrated` (level per size, from outline matches) overrides, and sizes in between
 * calibrated ones continue from the level above.
 */
export function headingLevelsBySize(fonts: FontStats, pageCount: number, calibrated: ReadonlyMap<number, number>): Map<number, number> {
  const bodyChars = fonts.charsPerSize.get(fonts.bodySize) ?? 0;
  const isHeadingSize = (size: number): boolean => {
    if (size < fonts.bodySize + 0.5) return false;
    if (size >= fonts.bodySize * HEADING_SIZE_RATIO) return true;
    return size >= fonts.bodySize * SLIGHTLY_LARGER_RATIO && (fonts.charsPerSize.get(size) ?? 0) <= bodyChars * MAX_SLIGHTLY_LARGER_SHARE;
  };
  const larger = [...fonts.charsPerSize.keys()].filter(isHeadingSize).sort((a, b) => b - a);
  const isCover = (size: number): boolean => {
    const pages = fonts.pagesPerSize.get(size);
    return pageCount >= 3 && pages !== undefined && pages.size === 1 && pages.has(1);
  };
  const levels = new Map<number, number>();
  let previous = 0;
  let rank = 0;
  for (const size of larger) {
    if (isCover(size)) {
      levels.set(size, calibrated.get(size) ?? 1);
      continue;
    }
    rank++;
    const level = calibrated.size > 0 ? (calibrated.get(size) ?? Math.min(previous + 1, 6)) : rank <= MAX_SIZE_LEVELS ? rank : undefined;
    if (level === undefined) continue;
    levels.set(size, level);
    previous = level;
  }
  return levels;
}

/** Level per block index: outline-matched blocks, and from them the size calibration. */
function matchOutline(blocks: readonly TextBlock[], outline: readonly OutlineEntry[], fonts: FontStats, join: LineJoiner): { matched: Map<number, number>; calibrated: Map<number, number> } {
  const unmatched = new Map<string, OutlineEntry[]>();
  for (const entry of outline) {
    const key = `${entry.pageNumber}:${matchKey(entry.title)}`;
    unmatched.set(key, [...(unmatched.get(key) ?? []), entry]);
  }
  const matched = new Map<number, number>();
  const votes = new Map<number, Map<number, number>>();
  blocks.forEach((block, index) => {
    const first = block.lines[0]!;
    if (block.lines.length > MAX_HEADING_LINES || first.fontSize < fonts.bodySize - 0.5) return;
    const key = `${block.pageNumber}:${matchKey(blockText(block.lines, join))}`;
    const entry = unmatched.get(key)?.shift();
    if (!entry || matchKey(entry.title) === '') return;
    const level = Math.min(entry.depth + 1, 6);
    matched.set(index, level);
    const sizeVotes = votes.get(first.fontSize) ?? new Map<number, number>();
    sizeVotes.set(level, (sizeVotes.get(level) ?? 0) + 1);
    votes.set(first.fontSize, sizeVotes);
  });
  const calibrated = new Map<number, number>();
  for (const [size, sizeVotes] of votes) {
    const [level] = [...sizeVotes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    calibrated.set(size, level);
  }
  return { matched, calibrated };
}

/** The fonts most heading text is set in. */
function headingFonts(blocks: readonly TextBlock[], levels: ReadonlyMap<number, number>): Set<string> {
  const chars = new Map<string, number>();
  for (const block of blocks) {
    for (const line of block.lines) {
      if (levels.has(line.fontSize)) chars.set(line.fontName, (chars.get(line.fontName) ?? 0) + line.text.length);
    }
  }
  const total = [...chars.values()].reduce((a, b) => a + b, 0);
  return new Set([...chars].filter(([, count]) => count >= total * 0.2).map(([font]) => font));
}

/**
 * A body-size line on its own in a heading font (one the larger headings use, or another family
 * than the body text), e.g. a bold sans "Outside Subnet" above its serif paragraph.
 */
function isRunInHeading(block: TextBlock, fonts: FontStats, headingFontNames: ReadonlySet<string>): boolean {
  const line = block.lines[0]!;
  return (
    block.lines.length === 1 &&
    line.cells.length === 1 &&
    line.fontSize === fonts.bodySize &&
    line.fontName !== fonts.bodyFont &&
    (headingFontNames.has(line.fontName) || line.fontFamily !== fonts.bodyFontFamily) &&
    !CAPTION.test(line.text) &&
    line.text.length <= MAX_RUN_IN_HEADING_CHARS &&
    /^[\p{Lu}\p{N}]/u.test(line.text) &&
    !/[.,;:]$/.test(line.text)
  );
}

/** Heading level for each block (undefined: not a heading). */
export function classifyHeadings(
  blocks: readonly TextBlock[],
  fonts: FontStats,
  outline: readonly OutlineEntry[],
  pageCount: number,
  join: LineJoiner = joinLines,
): (number | undefined)[] {
  const { matched, calibrated } = matchOutline(blocks, outline, fonts, join);
  const levels = headingLevelsBySize(fonts, pageCount, calibrated);
  const deepest = Math.max(0, ...levels.values(), ...matched.values());
  const runInLevel = Math.min(6, deepest + 1);
  const fontsOfHeadings = headingFonts(blocks, levels);
  return blocks.map((block, index) => {
    const outlineLevel = matched.get(index);
    if (outlineLevel !== undefined) return outlineLevel;
    const sizeLevel = levels.get(block.lines[0]!.fontSize);
    const text = blockText(block.lines, join);
    if (sizeLevel !== undefined && isHeadingLike(text, block.lines.length)) return sizeLevel;
    if (deepest > 0 && isRunInHeading(block, fonts, fontsOfHeadings)) return runInLevel;
    return undefined;
  });
}
