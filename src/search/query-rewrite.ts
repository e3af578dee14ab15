import { analyze } from '../analysis/analyzer.js';
import type { ParsedQuery } from './query.js';

/**
 * A query word the library does not hold, read before ranking as the compound the library writes
 * apart: "autoscalelayer" for the autoscale_layer.zip of the manual, "scaleset" for "scale set".
 * Ranking sees the two words (a word no chunk holds ranks nothing and breaks the query's phrase),
 * and so does the relevance floor, so both judge the same query. A word the library cannot split
 * is left as it is: that the library does not have it is what the floor needs to know.
 *
 * Misspellings are not corrected here: on SciFact, reading unknown words as the library word one
 * edit away lowered nDCG@10 (0.6848 → 0.6836), since a term a corpus lacks is more often a real
 * term than a typo. The relevance floor still reads them as the word they misspell (spelling.ts).
 */
export interface QueryRewrite {
  /** The word as the user wrote it. */
  word: string;
  /** Its analyzed term, which no chunk holds. */
  term: string;
  /** The two words it was read as. */
  as: string[];
  /** The analyzed terms that replace the word's term. */
  terms: string[];
}

/** Shortest part of a compound that counts as a word of its own (as in weighted-query.ts). */
const MIN_PART = 3;
/** Shortest word read as a compound: shorter ones split into fragments that happen to be words. */
const MIN_COMPOUND = 7;
const WORD = /[\p{L}\p{N}]+/gu;

export function rewriteUnknownWords(parsed: ParsedQuery, rawQuery: string, frequency: (term: string) => number): { parsed: ParsedQuery; rewrites: QueryRewrite[] } {
  const rawWords = [...new Set((rawQuery.toLowerCase().match(WORD) ?? []) as string[])];
  const replacements = new Map<string, string[]>();
  const rewrites: QueryRewrite[] = [];
  for (const term of parsed.terms.keys()) {
    if (frequency(term) > 0) continue;
    const word = rawWords.find((w) => analyzeOne(w) === term);
    if (word === undefined) continue;
    const rewrite = compound(word, term, frequency);
    if (!rewrite) continue;
    replacements.set(term, rewrite.terms);
    rewrites.push(rewrite);
  }
  if (rewrites.length === 0) return { parsed, rewrites };
  const replace = (tokens: string[]) => tokens.flatMap((t) => replacements.get(t) ?? [t]);
  const terms = new Map<string, number>();
  for (const [term, count] of parsed.terms) {
    for (const t of replacements.get(term) ?? [term]) terms.set(t, (terms.get(t) ?? 0) + count);
  }
  return { parsed: { terms, phrases: parsed.phrases.map(replace), tokens: replace(parsed.tokens) }, rewrites };
}

function analyzeOne(word: string): string | undefined {
  const terms = analyze(word);
  return terms.length === 1 ? terms[0] : undefined;
}

/** The split of a word into two words the library holds, the one whose rarer part is most common. */
function compound(word: string, term: string, frequency: (term: string) => number): QueryRewrite | undefined {
  if (word.length < MIN_COMPOUND || !/^\p{L}+$/u.test(word)) return undefined;
  let best: { rewrite: QueryRewrite; df: number } | undefined;
  for (let k = MIN_PART; k + MIN_PART <= word.length; k++) {
    const [left, right] = [word.slice(0, k), word.slice(k)];
    const [l, r] = [analyzeOne(left), analyzeOne(right)];
    if (l === undefined || r === undefined) continue;
    const df = Math.min(frequency(l), frequency(r));
    if (df > 0 && (!best || df > best.df)) best = { rewrite: { word, term, as: [left, right], terms: [l, r] }, df };
  }
  return best?.rewrite;
}

/** What a notice says about the rewrites: `"autoscalelayer" as "autoscale layer", "scaleset" as "scale set"`. */
export function describeRewrites(rewrites: readonly QueryRewrite[]): string {
  return rewrites.map((r) => `"${r.word}" as "${r.as.join(' ')}"`).join(', ');
}
