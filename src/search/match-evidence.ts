import { analyze, isAscii } from '../analysis/analyzer.js';
import { analyzedWord, type WeightedQuery } from './weighted-query.js';
import { containsIdSequence } from './lexical/phrase-match.js';

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
  /** The query holds a word no chunk of the library holds, which weighs against every passage. */
  lacking: boolean;
  /** The query asks a question, rather than states something (a claim) or lists words. */
  question: boolean;
  /** First and last position, among the text's analysed tokens, of the densest window (windowChars gives its characters); undefined when nothing matched. */
  tokens: [number, number] | undefined;
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
  const terms = tokensOf(passage.text).map((t) => t.term);
  const matches: Match[] = [];
  for (let i = 0; i < terms.length; i++) {
    for (const term of termsAt(query, terms, i)) matches.push({ term, index: i });
  }
  return evidenceOf(query, frameOf(passage), matches, (sequence) => containsSequence(terms, sequence));
}

/** The analysed words of a passage's frame: its context, then its headings. */
export function frameOf(passage: Pick<Passage, 'context' | 'headingPath'>): string[] {
  return [...analyze(passage.context.join(' ')), ...analyze(passage.headingPath.join(' '))];
}

/**
 * The query in one term dictionary's ids (a segment of the lexical index), so that a passage's
 * indexed term ids are matched without turning them back into words. Built once per search and
 * dictionary; a word the dictionary lacks cannot occur in its passages.
 */
export interface QueryIds {
  /** Passage term id → the query terms it holds alone: itself, then the query terms it joins (termsAt's order). */
  terms: Map<number, string[]>;
  /** Left term id → right term id → the query term the pair spells. */
  splits: Map<number, Map<number, string>>;
  /** The query's identifiers and whole wording (the arrays themselves) → their ids; undefined when a word is not in the dictionary. */
  sequences: Map<readonly string[], Uint32Array | undefined>;
}

export function queryIds(query: WeightedQuery, idOf: (term: string) => number): QueryIds {
  const terms = new Map<number, string[]>();
  for (const term of new Set([...query.weights.keys(), ...query.joins.keys()])) {
    const id = idOf(term);
    if (id < 0) continue;
    const held = [...(query.weights.has(term) ? [term] : []), ...(query.joins.get(term) ?? [])];
    if (held.length > 0) terms.set(id, held);
  }
  const splits = new Map<number, Map<number, string>>();
  for (const [pair, term] of query.splits) {
    const [left, right] = pair.split(' ').map(idOf);
    if (left === undefined || right === undefined || left < 0 || right < 0) continue;
    let next = splits.get(left);
    if (!next) splits.set(left, (next = new Map()));
    next.set(right, term);
  }
  const sequence = (words: readonly string[]) => {
    const ids = words.map(idOf);
    return ids.every((id) => id >= 0) ? Uint32Array.from(ids) : undefined;
  };
  const sequences = new Map<readonly string[], Uint32Array | undefined>();
  for (const words of query.whole ? [...query.identifiers, query.whole] : query.identifiers) sequences.set(words, sequence(words));
  return { terms, splits, sequences };
}

/**
 * The same evidence as matchEvidence, from the passage text's analysed term ids ([start, end) of
 * `ids`) as the index holds them: no text is read and no analyzer runs. Equal to matchEvidence
 * whenever analysing the whole text yields the terms of analysing its words one by one (see
 * `analysedAlike`).
 */
export function indexedMatchEvidence(query: WeightedQuery, compiled: QueryIds, frame: readonly string[], ids: Uint32Array, start: number, end: number): MatchEvidence {
  const matches: Match[] = [];
  for (let i = start; i < end; i++) {
    const id = ids[i]!;
    const held = compiled.terms.get(id);
    if (held) for (const term of held) matches.push({ term, index: i - start });
    if (i + 1 < end) {
      const split = compiled.splits.get(id)?.get(ids[i + 1]!);
      if (split !== undefined) matches.push({ term: split, index: i - start });
    }
  }
  return evidenceOf(query, frame, matches, (sequence) => inIds(compiled, ids, start, end, sequence));
}

function inIds(compiled: QueryIds, ids: Uint32Array, start: number, end: number, sequence: readonly string[]): boolean {
  const wanted = compiled.sequences.get(sequence);
  return wanted !== undefined && containsIdSequence(ids, start, end, wanted);
}

/**
 * indexedMatchEvidence's `identifiersFound` alone, for ranking every candidate by the identifiers it
 * holds before the full evidence of the few judged or shown is needed. `frame` is read only for an
 * identifier the text lacks.
 */
export function indexedIdentifiersFound(query: WeightedQuery, compiled: QueryIds, frame: () => readonly string[], ids: Uint32Array, start: number, end: number): number {
  let read: readonly string[] | undefined;
  return identifiersFound(query, (sequence) => inIds(compiled, ids, start, end, sequence), (sequence) => containsSequence((read ??= frame()), sequence));
}

/** How many of the query's identifiers the text (`inText`) or the frame (`inFrame`) holds verbatim. */
function identifiersFound(query: WeightedQuery, inText: (sequence: readonly string[]) => boolean, inFrame: (sequence: readonly string[]) => boolean): number {
  let found = 0;
  for (const sequence of query.identifiers) if (inText(sequence) || inFrame(sequence)) found++;
  return found;
}

/**
 * Whether the analyzer cuts this text into the same terms whole as word by word (what the index
 * holds, and what matchEvidence reads): always for ASCII; otherwise when normalisation cannot join
 * or split words (NFKC leaves the text as it is and it holds no combining marks: "Panorama™" is one
 * word whole, "TM" being letters after NFKC, but two pieces word by word).
 */
export function analysedAlike(text: string): boolean {
  return isAscii(text) || (!MARK.test(text) && text.normalize('NFKC') === text);
}

const MARK = /\p{M}/u;

/** The evidence from the passage's matched terms; `inText` says whether a term sequence occurs in its text. */
function evidenceOf(query: WeightedQuery, frame: readonly string[], matches: Match[], inText: (sequence: readonly string[]) => boolean): MatchEvidence {
  const frameTerms = new Set(frame.flatMap((_, i) => termsAt(query, frame, i)));
  const found = new Set([...frameTerms, ...matches.map((m) => m.term)]);
  let foundWeight = 0;
  for (const term of found) foundWeight += query.weights.get(term) ?? 0;
  const { weight: windowWeight, tokens } = densestWindow(query, matches, frameTerms);
  const share = (weight: number) => (query.total === 0 ? 0 : Math.min(1, weight / query.total));
  return {
    coverage: share(foundWeight),
    windowCoverage: share(windowWeight),
    identifiersFound: identifiersFound(query, inText, (p) => containsSequence(frame, p)),
    identifiersAsked: query.identifiers.length,
    rarestFound: query.rarest !== undefined && found.has(query.rarest),
    verbatim: query.whole !== undefined && inText(query.whole),
    lacking: query.unknown.length > 0,
    question: query.question,
    tokens,
  };
}

/** [start, end) characters of the densest window in the passage text; [0, 0] when nothing matched. */
export function windowChars(text: string, tokens: MatchEvidence['tokens']): [number, number] {
  if (!tokens) return [0, 0];
  const all = tokensOf(text);
  return [all[tokens[0]]!.start, all[tokens[1]]!.end];
}

/**
 * The window of at most WINDOW_TOKENS tokens holding the largest weight of distinct query terms,
 * plus the weight the frame holds. Two pointers over the matched tokens: linear in the passage.
 */
function densestWindow(query: WeightedQuery, matched: Match[], frameTerms: ReadonlySet<string>): { weight: number; tokens: [number, number] | undefined } {
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
  const tokens: [number, number] | undefined = best.to < 0 ? undefined : [matched[best.from]!.index, matched[best.to]!.index];
  return { weight: frameWeight + Math.max(0, best.weight), tokens };
}
