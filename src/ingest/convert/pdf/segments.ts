import type { FontStats } from './font-stats.js';
import { endsWithLeader } from './markdown-text.js';
import type { TextLine } from './model.js';
import type { ColumnsRegion, TableRegion } from './tables.js';

/**
 * A page cut into the pieces Markdown is made of. Text blocks are not yet classified: whether one
 * is a heading is decided over the whole document (font sizes, outline), not page by page.
 */
export type Segment =
  | { kind: 'text'; lines: TextLine[] }
  | { kind: 'list-item'; depth: number; lines: TextLine[] }
  | { kind: 'code'; lines: TextLine[] }
  | { kind: 'table'; rows: string[][] };

// Glyphs that only ever mark list items, including symbol-font bullets mapped to private-use code points.
const BULLET_GLYPH = /^([•●○◦▪▫■□‣⁃∙◆◇►▶➢➤✓✔❖]|[\uE000-\uF8FF])\s*/;
// Dashes, asterisks, arrows and the letter o (a common second-level bullet) mark list items only when drawn apart from the text.
const DASH_GLYPH = /^[-–—*o>›»]$/;
// Numbered or lettered steps ("1.", "2)", "a.", "Step 3") start a new block of their own.
const ITEM_START = /^(\d{1,3}[.)]|[a-z][.)]|step \d+)\s/i;
/** Lines further apart than this times their usual spacing start a new paragraph. */
const PARAGRAPH_GAP = 1.25;
/** Text this much larger than the body is display type; its lines may be this many ems apart. */
const DISPLAY_SIZE = 1.15;
const DISPLAY_LEADING = 1.5;
/** Indentation changes beyond this (ems) start a new block. */
const INDENT_CHANGE = 1.5;
/** A line ending a sentence this far (share of text width) short of the right edge ends its paragraph. */
const SHORT_LINE = 0.15;

/** If the line starts with a bullet: the line's text without it. */
export function stripBullet(line: TextLine): string | undefined {
  const first = line.runs[0];
  if (!first) return undefined;
  const glyph = BULLET_GLYPH.exec(line.text);
  if (glyph && line.text.length > glyph[0].length) return line.text.slice(glyph[0].length).trim();
  const second = line.runs[1];
  if (DASH_GLYPH.test(first.text.trim()) && second && second.x - (first.x + first.width) >= 0.3 * first.fontSize) {
    return line.text.slice(line.text.indexOf(first.text.trim()) + 1).trim();
  }
  return undefined;
}

/** Bullets further right are nested deeper: depth is the rank of the bullet's x on the page. */
function bulletDepths(lines: readonly TextLine[]): (x: number) => number {
  const positions: number[] = [];
  for (const line of lines) {
    if (stripBullet(line) === undefined) continue;
    if (!positions.some((x) => Math.abs(x - line.x) < 3)) positions.push(line.x);
  }
  positions.sort((a, b) => a - b);
  return (x) => Math.min(3, Math.max(0, positions.findIndex((p) => Math.abs(p - x) < 3)));
}

interface PageGeometry {
  left: number;
  right: number;
}

function textGeometry(lines: readonly TextLine[], fonts: FontStats): PageGeometry {
  const body = lines.filter((line) => line.fontSize === fonts.bodySize);
  const measured = body.length > 0 ? body : lines;
  return {
    left: Math.min(...measured.map((line) => line.x)),
    right: Math.max(...measured.map((line) => line.xEnd)),
  };
}

/** Whether `line` carries on the block whose lines so far are `block`. */
function continues(block: readonly TextLine[], line: TextLine, fonts: FontStats, page: PageGeometry): boolean {
  const previous = block[block.length - 1]!;
  if (line.fontSize !== previous.fontSize || line.monospace !== previous.monospace) return false;
  const em = line.fontSize;
  const gap = line.y - previous.y;
  // Display type (titles, headings) is often set looser than the body's usual leading.
  const display = line.fontSize > fonts.bodySize * DISPLAY_SIZE ? line.fontSize * DISPLAY_LEADING : 0;
  if (gap > Math.max(fonts.lineSpacing(line.fontSize) * PARAGRAPH_GAP + 0.5, display)) return false;
  if (stripBullet(line) !== undefined || ITEM_START.test(line.text)) return false;
  if (endsWithLeader(previous.text)) return false;
  // After its first line (which may be indented, or hang out), a paragraph keeps its left edge.
  if (block.length > 1 && Math.abs(line.x - previous.x) > INDENT_CHANGE * em) return false;
  const width = page.right - page.left;
  const shortLine = previous.xEnd < page.right - SHORT_LINE * width;
  return !(shortLine && /[.!?:]$/.test(previous.text));
}

/** Whether `line` carries on a list item (indented under the item's text, no new bullet). */
function continuesItem(item: readonly TextLine[], line: TextLine, fonts: FontStats): boolean {
  const first = item[0]!;
  const previous = item[item.length - 1]!;
  if (line.fontSize !== previous.fontSize || line.monospace !== previous.monospace) return false;
  if (stripBullet(line) !== undefined || ITEM_START.test(line.text)) return false;
  const gap = line.y - previous.y;
  return gap <= fonts.lineSpacing(line.fontSize) * PARAGRAPH_GAP + 0.5 && line.x > first.x + 0.3 * line.fontSize;
}

/** Whether `line` carries on a code listing (code keeps its own blank lines). */
function continuesCode(code: readonly TextLine[], line: TextLine, fonts: FontStats): boolean {
  const previous = code[code.length - 1]!;
  return line.monospace && line.y - previous.y <= fonts.lineSpacing(line.fontSize) * 3;
}

/**
 * Cuts a page's lines (running lines already removed) into segments, in reading order. Lines in
 * side-by-side columns are cut column by column, each column as a page of its own.
 */
export function segmentPage(lines: readonly TextLine[], tables: readonly TableRegion[], fonts: FontStats, columns: readonly ColumnsRegion[] = []): Segment[] {
  const segments: Segment[] = [];
  if (lines.length === 0) return segments;
  const page = textGeometry(lines, fonts);
  const depthOf = bulletDepths(lines);
  const tableAt = new Map(tables.map((table) => [table.start, table]));
  const columnsAt = new Map(columns.map((region) => [region.start, region]));
  let current: Extract<Segment, { lines: TextLine[] }> | undefined;

  for (let i = 0; i < lines.length; i++) {
    const table = tableAt.get(i);
    if (table) {
      current = undefined;
      segments.push({ kind: 'table', rows: table.rows });
      i = table.end - 1;
      continue;
    }
    const region = columnsAt.get(i);
    if (region) {
      current = undefined;
      for (const column of region.columns) segments.push(...segmentPage(column, [], fonts));
      i = region.end - 1;
      continue;
    }
    const line = lines[i]!;
    if (current) {
      const carriesOn =
        current.kind === 'code'
          ? continuesCode(current.lines, line, fonts)
          : current.kind === 'list-item'
            ? continuesItem(current.lines, line, fonts)
            : continues(current.lines, line, fonts, page);
      if (carriesOn) {
        current.lines.push(line);
        continue;
      }
    }
    if (line.monospace) current = { kind: 'code', lines: [line] };
    else if (stripBullet(line) !== undefined) current = { kind: 'list-item', depth: depthOf(line.x), lines: [line] };
    else current = { kind: 'text', lines: [line] };
    segments.push(current);
  }
  return segments;
}
