/**
 * Joining two consecutive lines of one paragraph, and what to do with a hyphen at the end of the
 * first: a word broken across the lines ("configu-" + "ration") is rejoined without it; a hyphen
 * that belongs to the text ("VM-" + "Series", "eu-" + "west-2", "object-" + "group", a URL) stays,
 * without a space.
 */

/** Words seen in the document, lowercase. */
export interface Vocabulary {
  has(word: string): boolean;
}

export type LineJoiner = (before: string, after: string) => string;

const EDGE_PUNCTUATION = /^[("'‘“[]+|[.,;:!?)\]"'’”]+$/g;

/**
 * The document's words, to tell broken words from compounds. A fragment left at a line end
 * ("configu-") is not a word and is not collected.
 */
export function buildVocabulary(texts: Iterable<string>): Vocabulary {
  const words = new Set<string>();
  for (const text of texts) {
    for (const token of text.toLowerCase().split(/\s+/)) {
      const word = token.replace(EDGE_PUNCTUATION, '');
      if (word === '' || word.endsWith('-')) continue;
      words.add(word);
      if (word.includes('-')) for (const part of word.split('-')) if (part !== '') words.add(part);
    }
  }
  return words;
}

/**
 * Whether a line-end hyphen splits one plain lowercase word: lowercase letters only on both sides
 * (capitals, digits, slashes or dots suggest a compound, identifier or address). With a vocabulary
 * the document decides: the joined word or the hyphenated compound occurring elsewhere settles it,
 * and two halves that are both words of their own ("object-" + "group") are a compound.
 */
export function isBrokenWord(head: string, tail: string, vocabulary?: Vocabulary): boolean {
  const wordBefore = /(\S*)-$/.exec(head)?.[1] ?? '';
  const wordAfter = /^\S*/.exec(tail)?.[0] ?? '';
  const before = wordBefore.replace(EDGE_PUNCTUATION, '');
  const after = wordAfter.replace(EDGE_PUNCTUATION, '');
  if (!/^[a-z]+$/.test(before) || !/^[a-z]+$/.test(after)) return false;
  if (!vocabulary) return true;
  if (vocabulary.has(before + after)) return true;
  if (vocabulary.has(`${before}-${after}`)) return false;
  return !(vocabulary.has(before) && vocabulary.has(after));
}

/** A web address broken after a slash (or ?, &, =, _, #): "https://github.com/" + "CiscoDevNet/cisco-asav". */
const BROKEN_ADDRESS = /(?:https?:\/\/|www\.)\S*[/?&=_#]$/;
/** What carries an address on: a path-like first word ("create-endpoint.html", "tree/master"), not a plain word ("for"). */
const ADDRESS_TAIL = /^[^\s]*[/.\-_=?&#][^\s]*/;

/** Joins two lines of one paragraph, rejoining a word broken by a hyphen or a web address broken after a slash. */
export function joinLines(before: string, after: string, vocabulary?: Vocabulary): string {
  const head = before.trimEnd();
  const tail = after.trimStart();
  if (head === '') return tail;
  if (tail === '') return head;
  if (BROKEN_ADDRESS.test(head) && ADDRESS_TAIL.test(tail)) return head + tail;
  if (!head.endsWith('-') || head.endsWith('--') || /\s-$/.test(head)) return `${head} ${tail}`;
  return isBrokenWord(head, tail, vocabulary) ? head.slice(0, -1) + tail : head + tail;
}

/** A line joiner that consults the document's vocabulary. */
export function lineJoiner(vocabulary?: Vocabulary): LineJoiner {
  return (before, after) => joinLines(before, after, vocabulary);
}
