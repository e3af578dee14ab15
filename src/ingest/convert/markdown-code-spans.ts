/** Inline code spans in one Markdown line, so prose rewrites can leave them untouched. */

export interface Range {
  start: number;
  /** Exclusive. */
  end: number;
}

/** Ranges of the line's code spans, backtick delimiters included. An unmatched run is literal text. */
export function codeSpanRanges(line: string): Range[] {
  const ranges: Range[] = [];
  const runs = /`+/g;
  for (let open = runs.exec(line); open; open = runs.exec(line)) {
    const length = open[0].length;
    const start = open.index;
    for (let close = runs.exec(line); close; close = runs.exec(line)) {
      if (close[0].length === length) {
        ranges.push({ start, end: close.index + length });
        break;
      }
    }
    if (ranges.at(-1)?.start !== start) runs.lastIndex = start + length;
  }
  return ranges;
}

export function isInside(ranges: readonly Range[], offset: number): boolean {
  return ranges.some((range) => offset >= range.start && offset < range.end);
}

/** Rewrites the parts of a line outside code spans, leaving the spans as they are. */
export function rewriteOutsideCodeSpans(line: string, rewrite: (text: string) => string): string {
  let output = '';
  let from = 0;
  for (const range of codeSpanRanges(line)) {
    output += rewrite(line.slice(from, range.start)) + line.slice(range.start, range.end);
    from = range.end;
  }
  return output + rewrite(line.slice(from));
}
