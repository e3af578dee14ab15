import type { LineJoiner } from './hyphenation.js';
import { endsWithLeader } from './markdown-text.js';
import type { TextLine } from './model.js';

/** A cell's extent on one line. */
export interface CellBox {
  x: number;
  xEnd: number;
  /** Width of the cell's first word: whether it would have fitted at the end of the line above. */
  firstWordWidth: number;
}

export interface TableLine {
  line: TextLine;
  /** Text per column ('' for none). */
  cells: string[];
  /** Extent per column, where there is text. */
  boxes: (CellBox | undefined)[];
}

export interface RowContext {
  lineSpacing: (fontSize: number) => number;
  joinLines: LineJoiner;
}

/** Lines of one cell are no further apart than this times the usual line spacing; rows are. */
const ROW_BREAK_FACTOR = 1.3;
/** A line closer than this (ems) to the one above sits between that line and the next. */
const INTERLEAVED = 0.8;
/** The space before a word, in ems. */
const SPACE = 0.25;
/** Cells that label a row (numbers, "Step 4", roman numerals, "a.") never carry on the line above. */
const ROW_LABEL = /^(\(?\d+(\.\d+)*[.)]?|[Ss]tep\s*\d+[.:]?|[IVXLC]+[.)]|[ivxlc]+[.)]|\(?[a-z][.)])$/;
/** How closely (ems) a word must have fitted on the line above for its line break to be deliberate. */
const FIT_SLACK = 0.5;
/** Lines whose text starts this close (points) are aligned. */
const ALIGNED = 2;
/** A header row (its cells wrapped) is at most this many lines. */
const MAX_HEADER_LINES = 3;

/**
 * Groups a table's lines into rows of cell texts. The header is the first line and the lines after
 * it in the same font (a few at most). Rows are padded: a line that fills the first column after
 * more than the usual line spacing (white space across the whole table) starts a row, a closer one
 * continues a wrapped cell. When first-column lines sit between the lines of their neighbours
 * (labels centred vertically in tall rows), each line belongs to the row whose label is nearest.
 * In a table without padding, a line that fills the first column starts a row unless it carries on
 * a cell: its text wrapped there because its first word did not fit on the line above (measured in
 * its own column, where lines of other cells may interleave), it is indented in the cell (a note),
 * or it starts a note beside a cell whose text runs on. Row labels ("Step 4", "8.2") always start a row.
 */
export function buildRows(lines: readonly TableLine[], { lineSpacing, joinLines }: RowContext): string[][] {
  const columns = lines[0]?.cells.length ?? 0;
  // Per column, the previous line with text in it.
  const previousIn: number[][] = Array.from({ length: columns }, () => []);
  const last = new Array<number>(columns).fill(-1);
  lines.forEach((entry, i) => {
    for (let c = 0; c < columns; c++) {
      previousIn[c]![i] = last[c]!;
      if (entry.cells[c] !== '') last[c] = i;
    }
  });
  const boxesIn = (c: number) => lines.flatMap((entry) => (entry.boxes[c] ? [entry.boxes[c]] : []));
  const leftEdge = Array.from({ length: columns }, (_, c) => Math.min(...boxesIn(c).map((box) => box.x)));
  /** The right edge of the text that starts where `box` does: a note indented in a cell has its own. */
  const rightEdgeOf = (c: number, box: CellBox) =>
    Math.max(...boxesIn(c).filter((other) => Math.abs(other.x - box.x) <= ALIGNED).map((other) => other.xEnd));
  const rowGap = (i: number) => lineSpacing(lines[i]!.line.fontSize) * ROW_BREAK_FACTOR;
  const pageGap = (i: number) => (i === 0 ? 0 : lines[i]!.line.y - lines[i - 1]!.line.y);
  const columnGap = (i: number, c: number) => {
    const previous = previousIn[c]![i]!;
    return previous < 0 ? Infinity : lines[i]!.line.y - lines[previous]!.line.y;
  };
  /** Whether the text of line i in column c continues the line above in that column, wrapped. */
  const wraps = (i: number, c: number) => {
    const previous = previousIn[c]![i]!;
    const above = lines[previous]?.boxes[c];
    const box = lines[i]!.boxes[c];
    if (!above || !box || columnGap(i, c) > rowGap(i) || endsWithLeader(lines[previous]!.cells[c]!)) return false;
    // Widths are estimates, so a word that would have fitted only just is taken not to have.
    const em = lines[i]!.line.fontSize;
    return above.xEnd + SPACE * em + box.firstWordWidth > rightEdgeOf(c, above) - FIT_SLACK * em;
  };
  // A first-column block starting beside a cell that runs on (a note beside a paragraph) is no row.
  const besideRunningCell = (i: number) => columnGap(i, 0) > rowGap(i) && lines[i]!.cells.some((cell, c) => c > 0 && cell !== '' && wraps(i, c));
  const isRowGap = (i: number) => pageGap(i) > rowGap(i);
  const padded = lines.some((_, i) => i > 0 && isRowGap(i));
  const headerFont = lines[0]?.line.fontName;
  const labelsWhere = (startsRow: (i: number) => boolean) => {
    const isLabel = (i: number) => {
      const first = lines[i]!.cells[0]!;
      return first !== '' && (ROW_LABEL.test(first) || startsRow(i));
    };
    let headerEnd = 1;
    while (headerEnd < lines.length && !isLabel(headerEnd) && lines[headerEnd]!.line.fontName === headerFont) headerEnd++;
    // More lines than a header row has: the first row is data, and runs on to the first label.
    if (headerEnd > MAX_HEADER_LINES) {
      headerEnd = 1;
      while (headerEnd < lines.length && !isLabel(headerEnd)) headerEnd++;
    }
    return { headerEnd, labels: lines.map((_, i) => i).filter((i) => i >= headerEnd && isLabel(i)) };
  };
  const loose = labelsWhere((i) => (padded ? isRowGap(i) : !wraps(i, 0)));
  const interleaved = loose.labels.filter((i) => pageGap(i) < INTERLEAVED * lines[i]!.line.fontSize);
  const centred = loose.labels.length >= 2 && interleaved.length * 2 > loose.labels.length;
  // Otherwise a row's label starts at the column's left edge: text indented in it (a note) is inside a cell.
  const atLeftEdge = (i: number) => (lines[i]!.boxes[0]?.x ?? Infinity) - leftEdge[0]! <= lines[i]!.line.fontSize;
  const { headerEnd, labels } = centred || padded ? loose : labelsWhere((i) => atLeftEdge(i) && !wraps(i, 0) && !besideRunningCell(i));

  // Row index per line: 0 is the header.
  const rowOf = lines.map((entry, i) => {
    if (i < headerEnd) return 0;
    if (centred) {
      const nearest = labels.reduce((best, label) =>
        Math.abs(lines[label]!.line.y - entry.line.y) < Math.abs(lines[best]!.line.y - entry.line.y) ? label : best,
      );
      return labels.indexOf(nearest) + 1;
    }
    const labelsSoFar = labels.filter((label) => label <= i).length;
    return labels[0] === headerEnd ? labelsSoFar : labelsSoFar + 1;
  });

  const rows: string[][][] = [];
  lines.forEach((entry, i) => {
    const row = (rows[rowOf[i]!] ??= entry.cells.map(() => []));
    entry.cells.forEach((cell, c) => {
      if (cell !== '') row[c]!.push(cell);
    });
  });
  return rows.filter((row) => row !== undefined).map((row) => row.map((parts) => parts.reduce((text, part) => joinLines(text, part), '')));
}
