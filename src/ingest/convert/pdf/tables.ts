import type { LineJoiner } from './hyphenation.js';
import type { TextLine, TextRun } from './model.js';
import { buildRows, type CellBox, type TableLine } from './table-rows.js';
import { buildLine } from './text-layout.js';

/**
 * Table recovery. A table starts at a line whose text sits in two or more cells separated by wide
 * gaps. The gaps between its cells are the table's gutters: vertical strips of white space.
 * Following lines belong to the table while each gutter keeps a strip (at least half an em wide)
 * that none of their text crosses; the gutters narrow to the white space all the table's lines
 * share, so centred headers over left-aligned cells work. Lines are grouped into rows (see
 * table-rows.ts), so cells that wrap onto several lines stay in one row. Lines side by side with no
 * rows across them (columns of text, a sidebar) are no table: they are read column by column.
 */

/** A vertical strip of white space between two columns. */
export interface Gutter {
  from: number;
  to: number;
}

export interface TableGrid {
  /** The table's left edge: text further left is not in the table. */
  left: number;
  /** Left to right; columns = gutters + 1. */
  gutters: Gutter[];
}

export interface TableRegion {
  /** Index of the table's first line. */
  start: number;
  /** Index after the table's last line. */
  end: number;
  grid: TableGrid;
  /** Rows of cell texts; the first row is the header. */
  rows: string[][];
}

/**
 * Lines side by side that are not a table: columns of running text, or a sidebar beside the
 * body, with no rows across them. They are read column by column, left to right.
 */
export interface ColumnsRegion {
  start: number;
  end: number;
  /** Each column's lines, top to bottom. */
  columns: TextLine[][];
}

/** A table that reached the bottom of a page and may continue on the next one. */
export interface OpenTable {
  grid: TableGrid;
  header: string[];
}

/** What table recovery needs to know about the document. */
export interface TableContext {
  /** The usual distance between consecutive lines of a paragraph set in a font size. */
  lineSpacing: (fontSize: number) => number;
  /** Joins the lines of a wrapped cell. */
  joinLines: LineJoiner;
}

/** How far (points) text may start left of the table's left edge. */
const LEFT_TOLERANCE = 2;
/** A gutter must keep at least this much white space (ems). */
const MIN_GUTTER = 0.5;
/** Lines further apart than this (ems) cannot be in one table. */
const MAX_LINE_GAP = 3.5;
/**
 * Nor can lines whose gap is both this much wider than any gap in the table so far and at least
 * MIN_SECTION_GAP line spacings (the space above a new heading or paragraph).
 */
const MAX_GAP_GROWTH = 1.5;
const MIN_SECTION_GAP = 2.5;
const WORD_GAP = 0.12;
const LIST_MARKER = /^([•●○◦▪■□‣⁃∙◆►▶➢➤✓✔❖*\-–—o>›»]|[\uE000-\uF8FF]|\(?\d{1,3}[.)]|\(?[a-z][.)])$/;

/**
 * The grid narrowed to the white space `line` leaves in each gutter, or undefined when the line's
 * text fills a gutter or starts left of the table.
 */
function narrowGrid(grid: TableGrid, line: TextLine): TableGrid | undefined {
  const first = line.runs[0];
  if (!first || first.x < grid.left - LEFT_TOLERANCE) return undefined;
  const minWidth = MIN_GUTTER * line.fontSize;
  const gutters: Gutter[] = [];
  for (const gutter of grid.gutters) {
    // White space inside the gutter: the gutter minus the runs overlapping it; keep the widest piece.
    let best: Gutter | undefined;
    let from = gutter.from;
    const blockers = line.runs
      .filter((run) => run.x < gutter.to && run.x + run.width > gutter.from)
      .sort((a, b) => a.x - b.x);
    for (const run of [...blockers, undefined]) {
      const to = run ? Math.min(run.x, gutter.to) : gutter.to;
      if (to - from > (best ? best.to - best.from : 0)) best = { from, to };
      if (run) from = Math.max(from, run.x + run.width);
    }
    if (!best || best.to - best.from < minWidth) return undefined;
    gutters.push(best);
  }
  return { left: grid.left, gutters };
}

function columnOf(run: TextRun, grid: TableGrid): number {
  return grid.gutters.filter((gutter) => gutter.to <= run.x).length;
}

/** The width of a run's first word, by its share of the run's characters. */
function firstWordWidth(run: TextRun): number {
  const text = run.text.trimStart();
  const word = /^\S*/.exec(text)![0];
  return text.length === 0 ? 0 : (run.width * word.length) / text.length;
}

/** The line's text and extent per column (the grid must fit the line). */
function splitIntoColumns(line: TextLine, grid: TableGrid): TableLine {
  const texts = grid.gutters.map(() => '').concat('');
  const boxes: (CellBox | undefined)[] = texts.map(() => undefined);
  let previousEnd = -Infinity;
  for (const run of line.runs) {
    const column = columnOf(run, grid);
    const before = texts[column]!;
    const space = before !== '' && run.x - previousEnd > WORD_GAP * run.fontSize ? ' ' : '';
    texts[column] = before + space + run.text;
    const box = boxes[column];
    if (box) box.xEnd = Math.max(box.xEnd, run.x + run.width);
    else if (run.text.trim() !== '') boxes[column] = { x: run.x, xEnd: run.x + run.width, firstWordWidth: firstWordWidth(run) };
    previousEnd = run.x + run.width;
  }
  return { line, cells: texts.map((text) => text.replace(/\s+/g, ' ').trim()), boxes };
}

/** Each column's part of the lines, as lines of their own. */
function columnLines(lines: readonly TableLine[], grid: TableGrid): TextLine[][] {
  return grid.gutters.concat([{ from: Infinity, to: Infinity }]).map((_, column) =>
    lines.flatMap(({ line }) => {
      const runs = line.runs.filter((run) => columnOf(run, grid) === column);
      return runs.length > 0 ? [buildLine(runs)] : [];
    }),
  );
}

function occupied(cells: readonly string[]): number {
  return cells.filter((cell) => cell !== '').length;
}

/** Extends a table from `start` over the lines that fit its grid. */
function collectTableLines(lines: readonly TextLine[], start: number, initial: TableGrid, { lineSpacing }: TableContext): { collected: TableLine[]; grid: TableGrid } {
  const fitted: { line: TextLine }[] = [];
  const fontSize = lines[start]?.fontSize ?? 0;
  let grid = initial;
  let widestGap = 0;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const previous = fitted[fitted.length - 1]?.line;
    if (previous) {
      const gap = line.y - previous.y;
      if (gap > MAX_LINE_GAP * Math.max(fontSize, line.fontSize)) break;
      if (fitted.length >= 2 && gap > widestGap * MAX_GAP_GROWTH && gap > lineSpacing(line.fontSize) * MIN_SECTION_GAP) break;
      widestGap = Math.max(widestGap, gap);
    }
    if (line.fontSize > fontSize * 1.3) break;
    const narrowed = narrowGrid(grid, line);
    if (!narrowed) break;
    grid = narrowed;
    fitted.push({ line });
  }
  // Cells are cut along the final, narrowest gutters, which every collected line respects.
  return { collected: fitted.map(({ line }) => splitIntoColumns(line, grid)), grid };
}

function sameRow(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((cell, i) => cell === b[i]);
}

/** Rows of a table carried over from the previous page, or undefined when the page does not start with one. */
function continueTable(lines: readonly TextLine[], open: OpenTable, context: TableContext): TableRegion | undefined {
  const { collected, grid } = collectTableLines(lines, 0, open.grid, context);
  if (collected.length === 0 || !collected.some((entry) => occupied(entry.cells) >= 2)) return undefined;
  const rows = buildRows(collected, context);
  // Many documents repeat the header on each page.
  if (sameRow(rows[0]!, open.header)) rows.shift();
  return { start: 0, end: collected.length, grid, rows: [open.header, ...rows] };
}

/** Lines this close (line spacings) run on from one to the next. */
const RUN_ON = 1.3;

/**
 * Where a columns region found at `start` really starts: the lines just above it that fit its
 * gutters and run on at line spacing belong to its columns too (a sidebar whose first lines sit
 * beside nothing), back to `floor`; but not the last line of a paragraph across the gutters.
 */
function columnsStart(lines: readonly TextLine[], start: number, floor: number, grid: TableGrid, { lineSpacing }: TableContext): number {
  let first = start;
  for (let j = start - 1; j >= floor; j--) {
    const line = lines[j]!;
    const below = lines[first]!;
    if (below.y - line.y > lineSpacing(below.fontSize) * RUN_ON || !narrowGrid(grid, line)) break;
    const above = j > floor ? lines[j - 1] : undefined;
    if (above && line.y - above.y <= lineSpacing(line.fontSize) * RUN_ON && !narrowGrid(grid, above)) break;
    first = j;
  }
  return first;
}

/**
 * The table whose first line is the one at `start`, if the lines from there form one; or the
 * columns they form when they have no rows across them (every line carries on the one above).
 * Columns may take in lines above `start`, down to `floor`.
 */
function regionStartingAt(lines: readonly TextLine[], start: number, context: TableContext, floor = start): TableRegion | ColumnsRegion | undefined {
  const line = lines[start]!;
  // A bullet or item number set apart from its text is a list, not a first column.
  if (line.cells.length < 2 || line.monospace || LIST_MARKER.test(line.cells[0]!.text)) return undefined;
  const initial: TableGrid = {
    left: line.cells[0]!.x,
    gutters: line.cells.slice(1).map((cell, i) => ({ from: line.cells[i]!.xEnd, to: cell.x })),
  };
  const { collected, grid } = collectTableLines(lines, start, initial, context);
  const rows = buildRows(collected, context);
  const multiColumnLines = collected.filter((entry) => occupied(entry.cells) >= 2).length;
  if (multiColumnLines < 2) return undefined;
  const end = start + collected.length;
  if (rows.length >= 2) return { start, end, grid, rows };
  const first = columnsStart(lines, start, floor, grid, context);
  const above = lines.slice(first, start).map((line) => splitIntoColumns(line, grid));
  return { start: first, end, columns: columnLines([...above, ...collected], grid) };
}

export interface PageRegions {
  tables: TableRegion[];
  columns: ColumnsRegion[];
  /** The last table, when it reaches the bottom of the page and may go on on the next. */
  open?: OpenTable;
}

/** Finds the tables and side-by-side columns among a page's lines. `open` is a table left open at the bottom of the previous page. */
export function findTables(lines: readonly TextLine[], context: TableContext, open?: OpenTable): PageRegions {
  const found: PageRegions = { tables: [], columns: [] };
  let i = 0;
  // A page that starts with its own header row (the table's header repeated) needs no carried grid.
  const own = lines.length > 0 ? regionStartingAt(lines, 0, context) : undefined;
  const continued = open && !(own && 'rows' in own) ? continueTable(lines, open, context) : undefined;
  if (continued) {
    found.tables.push(continued);
    i = continued.end;
  }
  let last: TableRegion | ColumnsRegion | undefined = continued;
  while (i < lines.length) {
    const region = regionStartingAt(lines, i, context, last?.end ?? 0);
    if (region) {
      if ('rows' in region) found.tables.push(region);
      else found.columns.push(region);
      last = region;
      i = region.end;
    } else {
      i++;
    }
  }
  if (last && 'rows' in last && last.end === lines.length) found.open = { grid: last.grid, header: last.rows[0]! };
  return found;
}
