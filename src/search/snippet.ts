import { matchedWords } from './snippet-words.js';

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
  const plain = collapseSpaces(markdownToPlain(text));
  const matches = matchedWords(plain, queryTokens);
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

/**
 * `text.replace(/\s+/g, ' ').trim()` (the same white space: ASCII's and Unicode's spaces, line
 * separators and the BOM) without a regular expression, copying only around runs to collapse.
 */
export function collapseSpaces(text: string): string {
  let out = '';
  let from = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    if (j - i > 1 || text.charCodeAt(i) !== 32) {
      out += `${text.slice(from, i)} `;
      from = j;
    }
    i = j;
  }
  return (from === 0 ? text : out + text.slice(from)).trim();
}

function isSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
