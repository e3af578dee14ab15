import { analyze, isStopWord } from '../analysis/analyzer.js';
import { LIMITS } from '../library/limits.js';

/**
 * A user's query, parsed. Any string is valid input: it is never handed to FTS5 as syntax.
 * Phrases come from "double quotes" and from identifier-shaped words (NOT_READY,
 * running-config, /finesse/api/User, ipv6.address), which must match as a sequence.
 */
export interface ParsedQuery {
  /** Scored terms (stop words removed) with their frequency in the query. */
  terms: Map<string, number>;
  /** Token sequences that should match adjacently. */
  phrases: string[][];
  /** All analyzed tokens in order (for proximity and highlighting). */
  tokens: string[];
  /** Distinct terms past LIMITS.queryTerms, which are not scored (the search says so), as the query writes them. */
  termsLeftOut?: string[];
  /** How many phrases past LIMITS.queryPhrases are not matched (the search says so). */
  phrasesLeftOut?: number;
}

const MAX_TERMS = LIMITS.queryTerms;
const MAX_PHRASES = LIMITS.queryPhrases;
const MAX_PHRASE_TOKENS = 40;
const IDENTIFIER = /[\p{L}\p{N}][_./:\-@#][\p{L}\p{N}]|[a-z][A-Z]|\p{L}\p{N}|\p{N}\p{L}/u;

export function parseQuery(raw: string): ParsedQuery {
  // The service refuses longer queries; the cut keeps the parser bounded for any other caller.
  const text = raw.slice(0, LIMITS.queryChars);
  const phrases: string[][] = [];
  const quoted = /"([^"]*)"/g;
  for (const match of text.matchAll(quoted)) {
    const tokens = analyze(match[1]!);
    if (tokens.length > 1) phrases.push(tokens);
  }
  for (const word of text.replace(quoted, ' ').split(/\s+/)) {
    if (!IDENTIFIER.test(word)) continue;
    const tokens = analyze(word);
    if (tokens.length > 1) phrases.push(tokens);
  }
  const tokens = analyze(text);
  // A query that is a whole sentence or title copied from a page should find that page first:
  // the query itself, verbatim, is its strongest phrase.
  if (tokens.length >= 3 && tokens.length <= MAX_PHRASE_TOKENS) phrases.unshift(tokens);
  const terms = new Map<string, number>();
  const leftOut = new Set<string>();
  for (const token of tokens) {
    if (isStopWord(token)) continue;
    if (!terms.has(token) && terms.size >= MAX_TERMS) {
      leftOut.add(token);
      continue;
    }
    terms.set(token, (terms.get(token) ?? 0) + 1);
  }
  // A query made only of stop words ("to be or not to be") still deserves an answer.
  if (terms.size === 0) for (const token of tokens.slice(0, MAX_TERMS)) terms.set(token, (terms.get(token) ?? 0) + 1);
  const distinct = dedupePhrases(phrases);
  return {
    terms, phrases: distinct.slice(0, MAX_PHRASES), tokens,
    ...(leftOut.size > 0 ? { termsLeftOut: asWritten(text, leftOut) } : {}),
    ...(distinct.length > MAX_PHRASES ? { phrasesLeftOut: distinct.length - MAX_PHRASES } : {}),
  };
}

/** Each term as the first word of the text that analyses to it (the term itself where none does alone). */
function asWritten(text: string, terms: ReadonlySet<string>): string[] {
  const words = new Map<string, string>();
  for (const [word] of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const [term] = analyze(word);
    if (term !== undefined && terms.has(term) && !words.has(term)) words.set(term, word);
  }
  return [...terms].map((term) => words.get(term) ?? term);
}

function dedupePhrases(phrases: string[][]): string[][] {
  const seen = new Set<string>();
  return phrases.filter((p) => {
    const key = p.join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What a search says when the query had more distinct terms or phrases than it scores: which were
 * left out and what to do. Undefined when nothing was.
 */
export function leftOutNotice(parsed: Pick<ParsedQuery, 'termsLeftOut' | 'phrasesLeftOut'>): string | undefined {
  const parts: string[] = [];
  const terms = parsed.termsLeftOut ?? [];
  if (terms.length > 0) {
    const shown = terms.slice(0, 10).map((t) => `"${t}"`).join(', ');
    parts.push(`only the first ${MAX_TERMS} distinct words are scored; left out: ${shown}${terms.length > 10 ? ` and ${terms.length - 10} more` : ''}`);
  }
  if (parsed.phrasesLeftOut) parts.push(`only ${MAX_PHRASES} phrases are matched (the query itself, quoted phrases, then identifiers); ${parsed.phrasesLeftOut} more left out`);
  return parts.length === 0 ? undefined : `The query is longer than a search reads: ${parts.join('; ')}. Shorten it to the words that matter.`;
}
