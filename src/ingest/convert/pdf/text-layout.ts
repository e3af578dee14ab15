import type { LineCell, TextLine, TextRun } from './model.js';

/** Runs whose baselines differ by less than this share a line (fraction of the larger font size). */
const SAME_LINE_TOLERANCE = 0.4;
/** Text at most this share of its neighbour's size, slightly above or below it, is a super/subscript. */
const SCRIPT_SIZE = 0.85;
const SUPERSCRIPT_RISE = 0.6;
const SUBSCRIPT_DROP = 0.45;
/** A horizontal gap wider than this (in ems) separates words. */
const WORD_GAP = 0.12;
/** A horizontal gap wider than this (in ems) separates columns, e.g. table cells. */
const CELL_GAP = 1.5;

/** Groups runs into lines, top to bottom, each line's runs left to right. */
export function groupIntoLines(runs: readonly TextRun[]): TextLine[] {
  const sorted = [...runs].sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: { runs: TextRun[]; baseline: number; size: number }[] = [];
  let group: (typeof groups)[number] | undefined;
  for (const run of sorted) {
    const sameLine = group !== undefined && Math.abs(run.y - group.baseline) <= SAME_LINE_TOLERANCE * Math.max(group.size, run.fontSize);
    if (!sameLine) {
      group = { runs: [], baseline: run.y, size: 0 };
      groups.push(group);
    }
    group!.runs.push(run);
    // The biggest text on a line defines its baseline; superscripts and margin labels sit off it.
    if (run.fontSize > group!.size) {
      group!.size = run.fontSize;
      group!.baseline = run.y;
    }
  }
  return attachScripts(groups).map((runsOfLine) => buildLine(runsOfLine));
}

/** Superscripts ("3rd", footnote marks) and subscripts sit too far off the baseline to join their line above; join them here. */
function attachScripts(groups: readonly { runs: TextRun[]; baseline: number; size: number }[]): TextRun[][] {
  const merged: { runs: TextRun[]; baseline: number; size: number }[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    const next = groups[i + 1];
    const previous = merged[merged.length - 1];
    const isSmall = (than: { size: number }) => group.size <= than.size * SCRIPT_SIZE;
    if (next && isSmall(next) && next.baseline - group.baseline <= next.size * SUPERSCRIPT_RISE) {
      next.runs.push(...group.runs);
    } else if (previous && isSmall(previous) && group.baseline - previous.baseline <= previous.size * SUBSCRIPT_DROP) {
      previous.runs.push(...group.runs);
    } else {
      merged.push(group);
    }
  }
  return merged.map((group) => group.runs);
}

function isDuplicate(a: TextRun, b: TextRun): boolean {
  // Some PDFs fake bold by drawing the same text twice, slightly offset.
  return a.text === b.text && Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1;
}

/** Builds a line from runs that share a baseline. */
export function buildLine(runs: readonly TextRun[]): TextLine {
  const ordered: TextRun[] = [];
  for (const run of [...runs].sort((a, b) => a.x - b.x)) {
    if (!ordered.some((kept) => isDuplicate(kept, run))) ordered.push(run);
  }
  const first = ordered[0]!;
  const cells: LineCell[] = [];
  let cell: LineCell = { text: first.text, x: first.x, xEnd: first.x + first.width };
  let previous = first;
  for (const run of ordered.slice(1)) {
    const gap = run.x - cell.xEnd;
    const em = Math.max(previous.fontSize, run.fontSize);
    if (gap > CELL_GAP * em) {
      cells.push(cell);
      cell = { text: run.text, x: run.x, xEnd: run.x + run.width };
    } else {
      cell.text += separator(cell.text, run, gap, em, previous);
      cell.text += run.text;
      cell.xEnd = Math.max(cell.xEnd, run.x + run.width);
    }
    previous = run;
  }
  cells.push(cell);

  const monospace = share(ordered, (run) => run.monospace) >= 0.8;
  for (const c of cells) c.text = monospace ? c.text.trimEnd() : c.text.replace(/\s+/g, ' ').trim();
  const nonEmpty = cells.filter((c) => c.text !== '');
  return {
    text: nonEmpty.map((c) => c.text).join(monospace ? '   ' : ' '),
    runs: ordered,
    x: first.x,
    xEnd: Math.max(...ordered.map((run) => run.x + run.width)),
    y: ordered.reduce((best, run) => (run.fontSize > best.fontSize ? run : best), first).y,
    fontSize: mostCommon(ordered, (run) => roundSize(run.fontSize)),
    fontName: mostCommon(ordered, (run) => run.fontName),
    fontFamily: mostCommon(ordered, (run) => run.fontFamily),
    monospace,
    cells: nonEmpty,
  };
}

/** What goes between the text so far and the next run: nothing, a space, or (in code) the spaces the gap holds. */
function separator(before: string, run: TextRun, gap: number, em: number, previous: TextRun): string {
  if (gap <= WORD_GAP * em || /\s$/.test(before) || /^\s/.test(run.text)) return '';
  if (run.monospace && previous.monospace) {
    const charWidth = previous.width / Math.max(1, previous.text.length) || em * 0.6;
    return ' '.repeat(Math.max(1, Math.round(gap / charWidth)));
  }
  return ' ';
}

/** Font sizes are compared at half-point precision: PDFs scale fonts in slightly different ways. */
export function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

function share(runs: readonly TextRun[], test: (run: TextRun) => boolean): number {
  let matching = 0;
  let total = 0;
  for (const run of runs) {
    const chars = run.text.replace(/\s/g, '').length;
    total += chars;
    if (test(run)) matching += chars;
  }
  return total === 0 ? 0 : matching / total;
}

/** The key most characters carry. */
function mostCommon<K>(runs: readonly TextRun[], key: (run: TextRun) => K): K {
  const weights = new Map<K, number>();
  for (const run of runs) weights.set(key(run), (weights.get(key(run)) ?? 0) + run.text.length);
  let best = key(runs[0]!);
  let bestWeight = -1;
  for (const [k, w] of weights) {
    if (w > bestWeight) {
      best = k;
      bestWeight = w;
    }
  }
  return best;
}
