/**
 * Word-level, order-aware comparison of two texts (used by the PDF tests and bench/fidelity.ts). Words are compared in lowercase, NFKC-folded
 * (ligatures), with hyphens removed, so a word broken at a line end ("configu-" "ration", which
 * pdftotext joins, McDewey too) and a compound ("auto-scaling") compare equal on both sides.
 * Punctuation separates words and is not itself a word: leaders, pipes and Markdown syntax
 * ("#", "|", "---", "```") do not count.
 */
export function words(text: string): string[] {
  const folded = text.toLowerCase().normalize('NFKC').replace(/[-\u2010\u2011\u00ad]/g, '');
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The words of a page of McDewey Markdown: entities and escapes undone first. */
export function markdownWords(markdown: string): string[] {
  return words(markdown.replace(/&lt;/g, '<').replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, '$1'));
}

/** Length of the longest common subsequence, in O(n·m) time and O(m) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const word = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      current[j] = word === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/** Share of `expected`'s words that `actual` has, in the same order: LCS / expected word count. */
export function wordsRecovered(expected: readonly string[], actual: readonly string[]): number {
  return expected.length === 0 ? 1 : lcsLength(expected, actual) / expected.length;
}
