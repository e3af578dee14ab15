/**
 * How a document without pages (HTML, Markdown, text: one long "page") is cut into windows a
 * person can read: whole sections where they fit, split at the shallowest headings inside where
 * they do not, and small neighbouring sections read together. A pure function of the chunks, so a
 * window (and a link to it) stays the same as long as the document does.
 */

/** What the partition needs to know about one chunk, in document order. */
export interface WindowUnit {
  tokens: number;
  /** Level of the first heading that opens the chunk; undefined when it continues a section. */
  level?: number;
}

/** A window as a half-open range of chunk positions [start, end). */
export interface UnitRange {
  start: number;
  end: number;
}

/** About ten chunks: long enough to read a section whole, short enough to load and scroll quickly. */
export const WINDOW_TOKENS = 3600;

export function partitionWindows(units: readonly WindowUnit[], budget: number = WINDOW_TOKENS): UnitRange[] {
  if (units.length === 0) return [];
  const prefix = [0];
  for (const unit of units) prefix.push(prefix.at(-1)! + unit.tokens);
  const size = (range: UnitRange) => prefix[range.end]! - prefix[range.start]!;

  const split = (range: UnitRange): UnitRange[] => {
    if (size(range) <= budget || range.end - range.start === 1) return [range];
    const inner: number[] = [];
    for (let i = range.start + 1; i < range.end; i++) if (units[i]!.level !== undefined) inner.push(i);
    if (inner.length === 0) return bySize(range);
    const shallowest = Math.min(...inner.map((i) => units[i]!.level!));
    const cuts = inner.filter((i) => units[i]!.level === shallowest);
    const bounds = [range.start, ...cuts, range.end];
    const pieces = bounds.slice(0, -1).flatMap((start, k) => split({ start, end: bounds[k + 1]! }));
    return mergeSmall(pieces);
  };

  // A long run without headings is cut by size alone, at chunk boundaries.
  const bySize = (range: UnitRange): UnitRange[] => {
    const out: UnitRange[] = [];
    let start = range.start;
    for (let i = range.start + 1; i <= range.end; i++) {
      if (i === range.end || prefix[i + 1]! - prefix[start]! > budget) {
        out.push({ start, end: i });
        start = i;
      }
    }
    return out;
  };

  const mergeSmall = (pieces: UnitRange[]): UnitRange[] => {
    const out: UnitRange[] = [];
    for (const piece of pieces) {
      const last = out.at(-1);
      if (last && size({ start: last.start, end: piece.end }) <= budget) last.end = piece.end;
      else out.push({ ...piece });
    }
    return out;
  };

  return split({ start: 0, end: units.length });
}
