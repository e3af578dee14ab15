import { analyze } from '../analysis/analyzer.js';
import { analyzedWord, type WeightedQuery } from './weighted-query.js';

/**
 * How well one passage matches a query, read from the passage's own words rather than from a
 * ranking score (scores of different queries do not compare): which of the query's subject terms
 * it holds, each weighted by its rarity in the library, how many of them sit together in one
 * window of the text, and whether the query's identifiers or whole wording appear verbatim. Words
 * of the passage's frame (its document's title and labels, its headings) count as found wherever
 * the window is: "FTDv 6.6.0" in a question is answered by any passage of that version. The
 * densest window is also where a hit's cited page is.
 */
export interface MatchEvidence {
  /** Weighted share of the query's subject terms found anywhere in the passage or its frame, 0..1. */
  coverage: number;
  /** The same share within the densest window of the text (the frame counts too), 0..1. */
  windowCoverage: number;
  /** Identifiers and quoted phrases of the query found verbatim, of `identifiersAsked`. */
  identifiersFound: number;
  identifiersAsked: number;
  /** The query's rarest subject term is in the passage or its frame. */
  rarestFound: boolean;
  /** The whole query (three terms or more) appears verbatim. */
  verbatim: boolean;
  /** [start, end) characters of the densest window in the passage text; [0, 0] when nothing matched. */
  window: [number, number];
}

export interface Passage {
  /** What frames the passage: its document's title and labels (vendor, product, version). */
  context: readonly string[];
  headingPath: readonly string[];
  text: string;
}

/** Tokens of the text a window may span: about a paragraph, the reach of one statement. */
export const WINDOW_TOKENS = 48;

const WORD = /[\p{L}\p{N}]+/gu;

interface Token {
  term: string;
  start: number;
  end: number;
}

interface Match {
  term: string;
  /** Position among the passage's tokens. */
  index: number;
  start: number;
  end: number;
}

/** The analyzed terms of a passage's text with the characters each came from. */
function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    const end = start + match[0].length;
    for (const term of analyzedWord(match[0])) tokens.push({ term, start, end });
  }
  return tokens;
}

function containsSequence(tokens: readonly string[], sequence: readonly string[]): boolean {
  if (sequence.length === 0 || sequence.length > tokens.length) return false;
  outer: for (let i = 0; i + sequence.length <= tokens.length; i++) {
    for (let j = 0; j < sequence.length; j++) if (tokens[i + j] !== sequence[j]) continue outer;
    return true;
  }
  return false;
}

/** Query terms that the passage terms at `i` hold, directly or as a compound written apart or together. */
function termsAt(query: WeightedQuery, terms: readonly string[], i: number): string[] {
  const found: string[] = [];
  const term = terms[i]!;
  if (query.weights.has(term)) found.push(term);
  const joined = query.joins.get(term);
  if (joined) found.push(...joined);
  const next = terms[i + 1];
  if (next !== undefined) {
    const split = query.splits.get(`${term} ${next}`);
    if (split) found.push(split);
  }
  return found;
}

export function matchEvidence(query: WeightedQuery, passage: Passage): MatchEvidence {
  const tokens = tokensOf(passage.text);
  const terms = tokens.map((t) => t.term);
  const frame = [...analyze(passage.context.join(' ')), ...analyze(passage.headingPath.join(' '))];
  const frameTerms = new Set(frame.flatMap((_, i) => termsAt(query, frame, i)));
  const matches: Match[] = [];
  for (let i = 0; i < terms.length; i++) {
    for (const term of termsAt(query, terms, i)) matches.push({ term, index: i, start: tokens[i]!.start, end: tokens[i]!.end });
  }
  const found = new Set([...frameTerms, ...matches.map((m) => m.term)]);
  let foundWeight = 0;
  for (const term of found) foundWeight += query.weights.get(term) ?? 0;
  const { weight: windowWeight, window } = densestWindow(query, matches, frameTerms);
  const share = (weight: number) => (query.total === 0 ? 0 : Math.min(1, weight / query.total));
  return {
    coverage: share(foundWeight),
    windowCoverage: share(windowWeight),
    identifiersFound: query.identifiers.filter((p) => containsSequence(terms, p) || containsSequence(frame, p)).length,
    identifiersAsked: query.identifiers.length,
    rarestFound: query.rarest !== undefined && found.has(query.rarest),
    verbatim: query.whole !== undefined && containsSequence(terms, query.whole),
    window,
  };
}

/**
 * The window of at most WINDOW_TOKENS tokens holding the largest weight of distinct query terms,
 * plus the weight the frame holds. Two pointers over the matched tokens: linear in the passage.
 */
function densestWindow(query: WeightedQuery, matched: Match[], frameTerms: ReadonlySet<string>): { weight: number; window: [number, number] } {
  let frameWeight = 0;
  for (const [term, weight] of query.weights) if (frameTerms.has(term)) frameWeight += weight;
  const inWindow = new Map<string, number>();
  let weight = 0;
  let best = { weight: -1, from: 0, to: -1 };
  let from = 0;
  for (let to = 0; to < matched.length; to++) {
    const term = matched[to]!.term;
    const count = inWindow.get(term) ?? 0;
    if (count === 0 && !frameTerms.has(term)) weight += query.weights.get(term)!;
    inWindow.set(term, count + 1);
    while (matched[to]!.index - matched[from]!.index >= WINDOW_TOKENS) {
      const leaving = matched[from]!.term;
      const left = inWindow.get(leaving)! - 1;
      inWindow.set(leaving, left);
      if (left === 0 && !frameTerms.has(leaving)) weight -= query.weights.get(leaving)!;
      from++;
    }
    if (weight > best.weight) best = { weight, from, to };
  }
  const window: [number, number] = best.to < 0 ? [0, 0] : [matched[best.from]!.start, matched[best.to]!.end];
  return { weight: frameWeight + Math.max(0, best.weight), window };
}
