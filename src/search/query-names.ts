import { FUNCTION_WORDS } from './function-words.js';
import { analyzedWord } from './weighted-query.js';

/**
 * The names a question asks about: words written as proper names or product names ("Terraform",
 * "Azure Government", "GuardDuty", "WAN"). A manual that answers a question about a named thing
 * names it; when no document a search found mentions it, those documents are about something else
 * (the relevance floor then says nothing relevant was found, and which name is missing).
 *
 * Capitals are read as a name only where English would not capitalise anyway:
 * - not the first word of a sentence, unless the word is mixed-case ("NGFWv", "GuardDuty");
 * - in a question written in title case or capitals ("How to Configure Client Logging"), only
 *   mixed-case words count, since capitals there say nothing;
 * - words of one or two letters ("OS", "IP", "UI") are abbreviations manuals often spell out;
 * - words with digits, underscores, dots or hyphens are identifiers or compounds (weighted-query.ts
 *   reads those, and a hyphenated name may be written apart);
 * - function words ("I", "I'd") never count;
 * - a name in parentheses after other words is another name for them ("auto scale group (ASG)",
 *   "NF2 (Merlin)"): a document may use either, so it is not required.
 */
export interface QueryName {
  /** The word as the question writes it. */
  word: string;
  /** Its analyzed terms, as the index holds them. */
  terms: string[];
  /** For a two-word name with a possessive ("Crohn's Disease"): the terms with the possessive's, since a document writes it either way. */
  withPossessive?: string[];
}

interface QueryWord {
  /** As written, punctuation included. */
  raw: string;
  /** Without edge punctuation. */
  bare: string;
  /** Without edge punctuation or a possessive "'s". */
  word: string;
  /** The first word of a sentence. */
  first: boolean;
}

const SENTENCE_END = /[.?!]$/;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const POSSESSIVE = /['’]s$/u;
const LETTERS_ONLY = /^\p{L}{3,}$/u;
const MIXED_CASE = /^.+\p{Lu}/u; // an upper-case letter after the first one
const HAS_LOWER = /\p{Ll}/u;
const CAPITALISED = /^\p{Lu}/u;
const PLAIN_CAPITALISED = /^\p{Lu}\p{Ll}{2,}$/u;

/** Parentheses after a word, and what they hold: another name for what comes before ("(ASG)", "(Merlin)"). */
const ALIAS = /(?<=[\p{L}\p{N}'’.]\s*)\([^()]*\)/gu;

/** The query's words outside quotes (quoted phrases are identifiers) and aliases in parentheses, each knowing whether it starts a sentence. */
function queryWords(rawQuery: string): QueryWord[] {
  const words: QueryWord[] = [];
  let first = true;
  for (const raw of rawQuery.replace(/"[^"]*"/g, ' ').replace(ALIAS, ' ').split(/\s+/)) {
    if (raw.length === 0) continue;
    const bare = raw.replace(EDGE_PUNCTUATION, '');
    words.push({ raw, bare, word: bare.replace(POSSESSIVE, ''), first });
    first = SENTENCE_END.test(raw);
  }
  return words;
}

const isFunctionWord = (word: string) => analyzedWord(word).every((t) => FUNCTION_WORDS.has(t));

/**
 * Title case or capitals throughout: every content word after a sentence's first is capitalised
 * (function words may not be: "How to Configure Client Logging"). Capitals are then the writer's
 * style, not names.
 */
function titleCased(words: readonly QueryWord[]): boolean {
  let content = 0;
  for (const { bare, first } of words) {
    if (first || !/^\p{L}+$/u.test(bare) || isFunctionWord(bare)) continue;
    if (!CAPITALISED.test(bare)) return false;
    content++;
  }
  return content >= 2;
}

export function queryNames(rawQuery: string): QueryName[] {
  const words = queryWords(rawQuery);
  const styled = titleCased(words);
  const names: QueryName[] = [];
  const seen = new Set<string>();
  for (const { word, first } of words) {
    if (!LETTERS_ONLY.test(word)) continue;
    const mixed = MIXED_CASE.test(word) && HAS_LOWER.test(word);
    const shouted = !HAS_LOWER.test(word);
    const named = mixed || (!styled && (shouted || (CAPITALISED.test(word) && !first)));
    if (!named || isFunctionWord(word)) continue;
    const terms = analyzedWord(word);
    const key = terms.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    names.push({ word, terms });
  }
  return names;
}

/**
 * Two neighbouring capitalised words inside a sentence ("Transit Gateway", "Virtual WAN" excepted:
 * upper-case and mixed-case words are names of their own): a two-word name, which a document
 * mentions only when it writes the two words together.
 */
export function queryNamePairs(rawQuery: string): QueryName[] {
  const words = queryWords(rawQuery);
  if (titleCased(words)) return [];
  const pairs: QueryName[] = [];
  const seen = new Set<string>();
  let previous: { word: string; term: string; possessive: string[] } | undefined;
  for (const { raw, bare, word, first } of words) {
    const [term, ...more] = analyzedWord(word);
    const plain = !first && PLAIN_CAPITALISED.test(word) && term !== undefined && more.length === 0 && !FUNCTION_WORDS.has(term);
    if (plain && previous) {
      const key = `${previous.term} ${term}`;
      if (!seen.has(key)) pairs.push({ word: `${previous.word} ${word}`, terms: [previous.term, term], ...(previous.possessive.length > 0 ? { withPossessive: [previous.term, ...previous.possessive, term] } : {}) });
      seen.add(key);
    }
    // Punctuation after a word ends the name ("Azure, Python"); a possessive does not ("Crohn's Disease").
    previous = plain && raw.replace(POSSESSIVE, '').endsWith(word) ? { word, term, possessive: bare === word ? [] : analyzedWord(bare).slice(1) } : undefined;
  }
  return pairs;
}
