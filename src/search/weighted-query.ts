import { analyze } from '../analysis/analyzer.js';
import { FUNCTION_WORDS } from './function-words.js';
import type { ParsedQuery } from './query.js';
import { correction, spelledLetters } from './spelling.js';
import type { TermWeights } from './term-weights.js';

/**
 * The query as the relevance floor reads it, computed once per search: its subject terms (function
 * words left out) weighted by their rarity in the library, misspellings read as the word they
 * misspell, the words the library does not have at all, its identifiers, and the ways a compound
 * may be written ("autoscale", "auto scale").
 */
export interface WeightedQuery {
  /** Subject terms the library holds (misspellings corrected), with their idf. */
  weights: Map<string, number>;
  /** Sum of the weights, plus the weight of the unknown words: what a passage holding everything would have. */
  total: number;
  /** Query words no chunk holds, nor a word one edit away: things the library does not have. */
  unknown: string[];
  /** The subject term rarest in the library: the one most likely to say what the question is about. */
  rarest: string | undefined;
  /** Identifiers (NOT_READY, metricsAverageDuration, ngfwv-gd-lambda-layer.zip, IMDSv2) and quoted phrases, as term sequences. */
  identifiers: string[][];
  /** The whole query as a term sequence, when it is long enough to be copied wording (three terms or more). */
  whole: string[] | undefined;
  /** "left right" term pairs of a passage that spell one query term ("auto scale" → autoscal). */
  splits: Map<string, string>;
  /** Passage terms that spell two neighbouring query terms (autoscal → auto, scale). */
  joins: Map<string, string[]>;
  /** The query asks a question ("How do I …", "… or only CPU?"), rather than states something or lists words. */
  question: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;
/**
 * Shapes only identifiers have: camelCase, snake_case, dotted.names, letters next to digits, and
 * letters hyphenated to digits (issue keys like HYPI-30, regions like us-east-1). Plain hyphenated
 * words ("VM-Series") are not identifiers.
 */
const IDENTIFIER = /[a-z][A-Z]|[\p{L}\p{N}]_[\p{L}\p{N}]|\p{L}\.\p{L}|\p{L}\p{N}|\p{N}\p{L}|\p{L}-\p{N}/u;
const QUOTED = /"([^"]*)"/g;
/** Shortest part of a word split in two that still counts as a word of its own. */
const MIN_PART = 3;
/** Unknown words shorter than this, or with digits, may be codes or numbers the library writes otherwise: they weigh nothing. */
const WEIGHED_UNKNOWN = /^\p{L}{3,}$/u;

/**
 * Letters of unknown words read as possible misspellings per query, in query order. Each letter
 * costs some 54 edits, each analysed and looked up in the index (0.2-0.5 ms a letter at 1M
 * chunks): a query of 1,000 characters of made-up words took 200-240 ms there, 20× a typical
 * search. A word that would run past it is taken as one the library lacks (the "nothing relevant"
 * notice names it); a question rarely misspells more than a few words, far below it.
 */
export const SPELLED_LETTERS_PER_QUERY = 96;

/** Stemming dominates the cost of reading passages and query words alike; words repeat a lot. */
const wordCache = new Map<string, string[]>();
const MAX_CACHED_WORDS = 100_000;

export function analyzedWord(word: string): string[] {
  let terms = wordCache.get(word);
  if (terms === undefined) {
    terms = analyze(word);
    if (wordCache.size >= MAX_CACHED_WORDS) wordCache.clear();
    wordCache.set(word, terms);
  }
  return terms;
}

/**
 * `spelledOut` maps a long form the library holds to the query's short forms it stands for
 * ("minimum" → min, short-forms.ts): a passage's long form then holds the short one.
 * `replaced` maps a query term the library lacks to the terms it was read as (query-rewrite.ts),
 * so that identifiers read from the raw query match the rewritten query.
 */
export function weighQuery(parsed: ParsedQuery, rawQuery: string, termWeights: TermWeights, replaced: ReadonlyMap<string, readonly string[]> = new Map(), spelledOut: ReadonlyMap<string, readonly string[]> = new Map()): WeightedQuery {
  const weights = new Map<string, number>();
  const unknown: string[] = [];
  const rawWords = (rawQuery.toLowerCase().match(WORD) ?? []) as string[];
  const subject = [...parsed.terms.keys()].filter((term) => !FUNCTION_WORDS.has(term));
  const longForm = new Map([...spelledOut].flatMap(([long, shorts]) => shorts.map((short) => [short, long] as const)));
  let spelled = 0;
  // A query of function words alone ("how do I") still deserves an answer: weigh them then.
  for (const term of subject.length > 0 ? subject : parsed.terms.keys()) {
    if (termWeights.known(term)) {
      weights.set(term, termWeights.idf(term));
      continue;
    }
    // A short form only its long form spells in the library ("min" for "minimum") weighs what the long form does.
    const long = longForm.get(term);
    if (long !== undefined) {
      weights.set(term, termWeights.idf(long));
      continue;
    }
    const word = rawWords.find((w) => analyzedWord(w)[0] === term);
    const letters = word === undefined ? 0 : spelledLetters(word);
    let corrected: string | undefined;
    if (word !== undefined && spelled + letters <= SPELLED_LETTERS_PER_QUERY) {
      corrected = correction(word, (t) => termWeights.frequency(t));
      spelled += letters;
    }
    if (corrected !== undefined) weights.set(corrected, termWeights.idf(corrected));
    else unknown.push(word ?? term);
  }
  let rarest: string | undefined;
  for (const [term, weight] of weights) if (rarest === undefined || weight > weights.get(rarest)!) rarest = term;
  // A word the library never saw is missing from every passage; it weighs what its idf says (that of a
  // term no chunk holds), which makes it the query's most specific word.
  const total = [...weights.values()].reduce((sum, w) => sum + w, 0) + unknown.filter((w) => WEIGHED_UNKNOWN.test(w)).reduce((sum, w) => sum + termWeights.idf(w), 0);
  const { splits, joins } = compounds(rawWords, weights);
  // A long form the query's short form stands for (short-forms.ts) holds that short form.
  for (const [long, shorts] of spelledOut) {
    const held = shorts.filter((s) => weights.has(s));
    if (held.length > 0) joins.set(long, [...(joins.get(long) ?? []), ...held]);
  }
  const wholeTerms = parsed.tokens;
  return {
    weights, total, unknown, rarest, splits, joins, question: isQuestion(rawQuery),
    identifiers: identifiers(rawQuery).map((terms) => terms.flatMap((t) => replaced.get(t) ?? [t])),
    whole: wholeTerms.length >= 3 && parsed.phrases.some((p) => p.join(' ') === wholeTerms.join(' ')) ? wholeTerms : undefined,
  };
}

/** Words that open a question in English: question words and the auxiliaries of a yes/no question. */
const QUESTION_OPENERS = new Set('how what why when where which who whom whose is are was were do does did can could should would will may might must shall has have'.split(' '));

/** A question mark anywhere, or a first word that opens a question ("how to spread the instances"). */
export function isQuestion(rawQuery: string): boolean {
  if (rawQuery.includes('?')) return true;
  const first = /[\p{L}]+/u.exec(rawQuery)?.[0]?.toLowerCase();
  return first !== undefined && QUESTION_OPENERS.has(first);
}

function identifiers(rawQuery: string): string[][] {
  const found: string[][] = [];
  for (const match of rawQuery.matchAll(QUOTED)) {
    const terms = analyze(match[1]!);
    if (terms.length > 0) found.push(terms);
  }
  for (const word of rawQuery.replace(QUOTED, ' ').split(/\s+/)) {
    const trimmed = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!IDENTIFIER.test(trimmed)) continue;
    const terms = analyze(trimmed);
    if (terms.length > 0 && !/^\d+$/.test(terms.join(''))) found.push(terms);
  }
  const seen = new Set<string>();
  return found.filter((t) => !seen.has(t.join(' ')) && seen.add(t.join(' ')));
}

function compounds(words: string[], weights: ReadonlyMap<string, number>): Pick<WeightedQuery, 'splits' | 'joins'> {
  const splits = new Map<string, string>();
  const joins = new Map<string, string[]>();
  for (const [i, word] of words.entries()) {
    const [term] = analyzedWord(word);
    if (term !== undefined && weights.has(term)) {
      for (let k = MIN_PART; k + MIN_PART <= word.length; k++) {
        const [left] = analyzedWord(word.slice(0, k));
        const [right] = analyzedWord(word.slice(k));
        if (left !== undefined && right !== undefined) splits.set(`${left} ${right}`, term);
      }
    }
    const next = words[i + 1];
    if (next === undefined) continue;
    const parts = [analyzedWord(word)[0], analyzedWord(next)[0]].filter((t): t is string => t !== undefined && weights.has(t));
    const [joined] = analyzedWord(word + next);
    if (parts.length > 0 && joined !== undefined) joins.set(joined, parts);
  }
  return { splits, joins };
}
