import { analyze } from '../analysis/analyzer.js';
import type { ParsedQuery } from './query.js';
import { spellingCorrection } from './spelling.js';

/**
 * Query words the library does not hold, read as what they most likely mean before ranking:
 *
 * - a compound written together that the library writes apart: "autoscalelayer" for the
 *   autoscale_layer.zip of the manual, "scaleset" for "scale set";
 * - a misspelling one edit from a word the library holds: "suposed", "flavour".
 *
 * Ranking sees the rewritten terms (a word no chunk holds ranks nothing and breaks the query's
 * phrase), and so does the relevance floor, so both judge the same query. A word that neither
 * explains is left as it is: that the library does not have it is what the floor needs to know.
 */
export interface QueryRewrite {
  /** The word as the user wrote it. */
  word: string;
  /** Its analyzed term, which no chunk holds. */
  term: string;
  /** What it was read as: two words (a compound) or one (a correction). */
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
    const rewrite = compound(word, term, frequency) ?? corrected(word, term, frequency);
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

function corrected(word: string, term: string, frequency: (term: string) => number): QueryRewrite | undefined {
  const correction = spellingCorrection(word, frequency);
  return correction && { word, term, as: [correction.word], terms: [correction.term] };
}

/** What a notice says about the rewrites: `"suposed" as "supposed", "autoscalelayer" as "autoscale layer"`. */
export function describeRewrites(rewrites: readonly QueryRewrite[]): string {
  return rewrites.map((r) => `"${r.word}" as "${r.as.join(' ')}"`).join(', ');
}
