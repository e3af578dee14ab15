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
}

const MAX_TERMS = 32;
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
  for (const token of tokens) {
    if (isStopWord(token)) continue;
    if (!terms.has(token) && terms.size >= MAX_TERMS) continue;
    terms.set(token, (terms.get(token) ?? 0) + 1);
  }
  // A query made only of stop words ("to be or not to be") still deserves an answer.
  if (terms.size === 0) for (const token of tokens.slice(0, MAX_TERMS)) terms.set(token, (terms.get(token) ?? 0) + 1);
  return { terms, phrases: dedupePhrases(phrases), tokens };
}

function dedupePhrases(phrases: string[][]): string[][] {
  const seen = new Set<string>();
  return phrases.filter((p) => {
    const key = p.join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 8);
}
