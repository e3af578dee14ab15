import { analyze } from './analyzer.js';

/**
 * A short window of a chunk's text around the densest cluster of query terms, with the
 * character ranges of the matched words so that each surface renders highlights its own way
 * (HTML <mark>, ANSI bold, plain JSON ranges).
 */
export interface Snippet {
  text: string;
  /** [start, end) character offsets into `text`. */
  highlights: [number, number][];
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Markdown reduced to the words a reader sees: no heading marks, table rules, emphasis or escapes. */
export function markdownToPlain(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line) && !/^\s*(```|~~~)/.test(line))
    .map((line) =>
      line
        .replace(/^\s*#{1,6}\s+/, '')
        .replace(/^\s*>\s?/, '')
        .replace(/^\s*[-*+]\s+/, '')
        .replace(/^\s*\|\s*|\s*\|\s*$/g, '')
        .replace(/\s*\|\s*/g, ' · ')
        .replace(/\*\*|__|`/g, '')
        .replace(/\\([\\`*_{}\[\]()#+\-.!|<>])/g, '$1'),
    )
    .join(' ');
}

export function makeSnippet(text: string, queryTokens: ReadonlySet<string>, maxChars = 260): Snippet {
  const plain = markdownToPlain(text).replace(/\s+/g, ' ').trim();
  const matches: [number, number][] = [];
  for (const m of plain.matchAll(WORD)) {
    const token = analyze(m[0])[0];
    if (token !== undefined && queryTokens.has(token)) matches.push([m.index, m.index + m[0].length]);
  }
  let start = 0;
  if (plain.length > maxChars && matches.length > 0) {
    // Slide a window over the matches and keep the one covering the most of them.
    let best = 0;
    let bestCount = 0;
    let j = 0;
    for (let i = 0; i < matches.length; i++) {
      while (j < matches.length && matches[j]![1] - matches[i]![0] <= maxChars) j++;
      if (j - i > bestCount) {
        bestCount = j - i;
        best = i;
      }
    }
    start = Math.max(0, matches[best]![0] - Math.floor(maxChars / 5));
    const space = plain.lastIndexOf(' ', start);
    if (space > 0 && start - space < 30) start = space + 1;
  }
  let end = Math.min(plain.length, start + maxChars);
  if (end < plain.length) {
    const space = plain.lastIndexOf(' ', end);
    if (space > start + maxChars / 2) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < plain.length ? '…' : '';
  const body = plain.slice(start, end);
  const highlights = matches
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]): [number, number] => [s - start + prefix.length, e - start + prefix.length]);
  return { text: prefix + body + suffix, highlights };
}
