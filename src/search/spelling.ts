import { analyze, MAX_TOKEN_LENGTH } from '../analysis/analyzer.js';

/**
 * Words one edit away (a letter deleted, inserted, replaced, or two swapped): "suposed" is
 * "supposed", "flavour" is "flavor". A query word the library does not hold is taken as a
 * misspelling of a word the library does hold when one edit gets there; otherwise it names
 * something the library does not have.
 */
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Shortest word checked: shorter words are one edit away from too many others to tell anything. */
export const MIN_SPELLED_LENGTH = 4;

/**
 * Letters of a word whose edits are read. The analyzer cuts a word to its first MAX_TOKEN_LENGTH
 * letters, and an edit can bring in at most one more (a deletion), so edits further on give the
 * word's own term: reading only these gives the same terms in the same order, and each letter
 * costs ~54 edits, each analysed (a 1,000-letter word took 350 ms at 1M chunks; now ~20).
 */
export const SPELLED_LETTERS = MAX_TOKEN_LENGTH + 1;

/** Letters of `word` that spellingCorrection reads: 0 for a word it does not read at all. */
export function spelledLetters(word: string): number {
  return word.length < MIN_SPELLED_LENGTH || !/^[a-z]+$/i.test(word) ? 0 : Math.min(word.length, SPELLED_LETTERS);
}

function edits(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) out.push(head + tail.slice(1));
    if (tail.length > 1) out.push(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of LETTERS) {
      if (tail) out.push(head + c + tail.slice(1));
      out.push(head + c + tail);
    }
  }
  return out;
}

/**
 * The analyzed term a misspelt word stands for: of the library's terms one edit away, the one
 * the library holds most often (`frequency` gives how many chunks hold a term). Undefined when no
 * edit reaches a term of the library, or for words too short or not made of letters.
 */
export function correction(word: string, frequency: (term: string) => number): string | undefined {
  return spellingCorrection(word, frequency)?.term;
}

/** The same, with the corrected word as well as its term (what a notice shows the user; of a word over SPELLED_LETTERS, an edit of its start). */
export function spellingCorrection(word: string, frequency: (term: string) => number): { word: string; term: string } | undefined {
  const lower = word.toLowerCase();
  if (lower.length < MIN_SPELLED_LENGTH || !/^[a-z]+$/.test(lower)) return undefined;
  let best: { word: string; term: string; df: number } | undefined;
  const seen = new Set<string>();
  for (const candidate of edits(lower.slice(0, SPELLED_LETTERS))) {
    const [term] = analyze(candidate);
    if (term === undefined || seen.has(term)) continue;
    seen.add(term);
    const df = frequency(term);
    if (df > 0 && (!best || df > best.df)) best = { word: candidate, term, df };
  }
  return best && { word: best.word, term: best.term };
}
