import { analyzedWord } from './weighted-query.js';

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

/**
 * Markdown reduced to the words a reader sees: no heading marks, table rules, emphasis or escapes.
 * Written without backtracking regular expressions: document lines can be huge and hostile.
 */
export function markdownToPlain(markdown: string): string {
  const out: string[] = [];
  for (const raw of markdown.split('\n')) {
    let line = raw.trim();
    if (line.startsWith('```') || line.startsWith('~~~')) continue;
    if (line.includes('---') && /^[|:\-\s]+$/.test(line)) continue; // a table's rule row
    // Each rewrite runs only on a line holding its mark: most lines are plain prose.
    if (line.startsWith('#')) line = line.replace(/^#{1,6} /, '');
    if (line.startsWith('>')) line = line.replace(/^> ?/, '');
    if (line.startsWith('-') || line.startsWith('*') || line.startsWith('+')) line = line.replace(/^[-*+] /, '');
    if (line.startsWith('|')) line = line.slice(1);
    if (line.endsWith('|')) line = line.slice(0, -1);
    if (line.includes('|')) line = line.split('|').map((cell) => cell.trim()).join(' · ');
    if (line.includes('**') || line.includes('__') || line.includes('`')) line = line.replace(/\*\*|__|`/g, '');
    if (line.includes('\\')) line = line.replace(/\\([\\`*_{}\[\]()#+\-.!|<>])/g, '$1');
    out.push(line);
  }
  return out.join(' ');
}

export function makeSnippet(text: string, queryTokens: ReadonlySet<string>, maxChars = 260): Snippet {
  const plain = markdownToPlain(text).replace(/\s+/g, ' ').trim();
  const matches: [number, number][] = [];
  const initials = new Set<number>();
  for (const token of queryTokens) initials.add(token.charCodeAt(0));
  for (const m of plain.matchAll(WORD)) {
    // An ASCII word's analysed term starts with the word's first letter in lower case (stemming
    // changes endings only), so most words are ruled out without analysing them.
    const first = m[0].charCodeAt(0);
    if (first < 0x80 && !initials.has(first >= 65 && first <= 90 ? first + 32 : first)) continue;
    const token = analyzedWord(m[0])[0];
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
