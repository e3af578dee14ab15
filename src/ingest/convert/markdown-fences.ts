/**
 * Finds fenced code blocks in Markdown lines so that rewrites of the prose around them never
 * touch code. Fences may be indented (list items) or quoted (`> ```).
 */

export interface Segment {
  /** True for a fenced code block, fences included. */
  code: boolean;
  lines: string[];
}

interface Fence {
  marker: '`' | '~';
  length: number;
}

// Indentation and quote markers as one character class: the former `^\s*(?:>\s?)*\s*` could split a
// run of spaces between its two `\s*` in quadratically many ways, so a long indented line took seconds.
const OPENING_FENCE = /^[\s>]*(`{3,}|~{3,})(.*)$/;
const CLOSING_FENCE = /^[\s>]*(`{3,}|~{3,})\s*$/;

/** The fence a line opens, if it opens one. */
export function openingFence(line: string): Fence | undefined {
  const match = OPENING_FENCE.exec(line);
  const run = match?.[1];
  if (!run) return undefined;
  const marker = run[0] === '~' ? '~' : '`';
  // A backtick fence's info string cannot itself contain backticks (it would be inline code).
  if (marker === '`' && match[2]?.includes('`')) return undefined;
  return { marker, length: run.length };
}

export function closesFence(line: string, fence: Fence): boolean {
  const run = CLOSING_FENCE.exec(line)?.[1];
  return run !== undefined && run[0] === fence.marker && run.length >= fence.length;
}

/** Splits lines into alternating prose and fenced-code segments; an unclosed fence runs to the end. */
export function splitByCodeFences(lines: readonly string[]): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { code: false, lines: [] };
  let fence: Fence | undefined;
  const startSegment = (code: boolean): void => {
    if (current.lines.length > 0) segments.push(current);
    current = { code, lines: [] };
  };
  for (const line of lines) {
    if (fence) {
      current.lines.push(line);
      if (closesFence(line, fence)) {
        fence = undefined;
        startSegment(false);
      }
      continue;
    }
    fence = openingFence(line);
    if (fence) startSegment(true);
    current.lines.push(line);
  }
  startSegment(false);
  return segments;
}

/** Applies `rewrite` to the prose segments only and reassembles the lines. */
export function rewriteProse(lines: readonly string[], rewrite: (prose: string[]) => string[]): string[] {
  return splitByCodeFences(lines).flatMap((segment) => (segment.code ? segment.lines : rewrite(segment.lines)));
}
