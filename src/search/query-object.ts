import { FUNCTION_WORDS } from './function-words.js';
import { analyzedWord } from './weighted-query.js';

/**
 * What a how-to question asks to act on: the words right after its verb ("How do I enable
 * accelerated networking on …" asks about "accelerated networking", "how do I turn on FTDv
 * clustering across …" about "FTDv clustering"). A manual that tells how to enable, send or turn on
 * a thing names that thing; when the documents a search found never mention one of its words, they
 * tell how to do something else with the question's other words (the relevance floor then says
 * nothing relevant was found, naming the thing).
 *
 * Only the thing acted on is read, not the verb or the rest: people name an action in their own
 * words ("bounce", "kill", "bring up") far more often than the feature they ask about. In "X of Y"
 * the thing is Y ("get rid of the routes", "the number of instances").
 */
export interface QueryObject {
  /** The object's words as the question writes them, joined by spaces. */
  text: string;
  /** The object's words, each with its analysed terms (the words of no term left out). */
  words: { word: string; terms: string[] }[];
}

/**
 * "how do I …", "how can we …", "how should one …", "how to …": the verb follows. Copulas
 * ("how am I supposed to …") do not ask to act on a thing and are left out.
 */
const HOW_TO = /\bhow\s+(?:(?:do|does|can|could|should|would|will|may|might|must)\s+(?:i|we|you|one|they)\s+|to\s+)/iu;

/** Adverbs a question may put before its verb, as written (stems would mistake "use" for "us"). */
const ADVERBS = new Set(['also', 'just', 'really', 'actually', 'still', 'even', 'then', 'now', 'ever', 'first', 'best', 'safely', 'quickly']);

/** A particle that belongs to the verb before the object ("turn on", "set up", "bring up"). */
const PARTICLES = new Set(['on', 'off', 'up', 'down', 'out', 'back']);

/**
 * Words before or inside an object that say which or how much, not what: "the whole deployment",
 * "the proper procedure", "a new image". A passage about the deployment answers without them.
 */
const QUALIFIERS: ReadonlySet<string> = new Set(
  `whole entire proper right correct new newer existing current own same other another several few many
   more most less least only additional extra single multiple first second last next smallest largest biggest
   highest lowest fewest best worst`.split(/\s+/).flatMap((w) => analyzedWord(w)),
);

/** Prepositions end the object: what follows says where or when, not what ("on the VM-Series …", "across the instances"). */
const PREPOSITIONS: ReadonlySet<string> = new Set(
  'over across between after before through throughout under within without behind via per against during toward towards beyond like unlike since until instead along among around near'
    .split(' ').flatMap((w) => analyzedWord(w)),
);

/** Punctuation that ends the object: a clause or sentence boundary, a parenthesis. */
const ENDS_OBJECT = /[?.!;:,()"]/u;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}_'’.\-/]*/u;
/** A clitic or possessive ("that's", "PuTTY's"): the word is what comes before it. */
const CLITIC = /['’]\p{L}*$/u;

/** The object of the question's first how-to verb; undefined when it asks no how-to or the object holds no content word. */
export function queryObject(rawQuery: string): QueryObject | undefined {
  const how = HOW_TO.exec(rawQuery);
  if (!how) return undefined;
  const tokens = rawQuery.slice(how.index + how[0].length).split(/\s+/).filter((t) => t.length > 0);
  const isFunctionWord = (terms: readonly string[]) => terms.length > 0 && terms.every((t) => FUNCTION_WORDS.has(t));
  // The verb, after the adverbs that may come first ("how do I also enable …").
  let i = 0;
  while (i < tokens.length && ADVERBS.has(tokens[i]!.toLowerCase())) i++;
  i++;
  if (i < tokens.length && PARTICLES.has(tokens[i]!.toLowerCase())) i++;
  const words: QueryObject['words'] = [];
  for (; i < tokens.length; i++) {
    const raw = tokens[i]!;
    if (ENDS_OBJECT.test(raw.charAt(0))) break;
    const word = raw.match(WORD)?.[0]?.replace(CLITIC, '');
    if (word === undefined) break;
    const terms = analyzedWord(word);
    const ends = ENDS_OBJECT.test(raw.slice(raw.indexOf(word) + word.length));
    const opening = words.length === 0 && DETERMINERS.has(word.toLowerCase());
    const qualifier = terms.length > 0 && terms.every((t) => QUALIFIERS.has(t));
    if (!opening && !qualifier) {
      // "get rid of the routes", "the number of instances", "a copy of the logs": the thing is what follows "of".
      if (word.toLowerCase() === 'of' && words.length > 0 && !ends) {
        words.length = 0;
        continue;
      }
      if (isFunctionWord(terms) || terms.some((t) => PREPOSITIONS.has(t))) break;
      if (terms.length > 0) words.push({ word, terms });
    }
    if (ends) break;
  }
  return words.length === 0 ? undefined : { text: words.map((w) => w.word).join(' '), words };
}

/** Words that open the object without being part of it ("the", "a", "my", "their"). */
const DETERMINERS = new Set(['a', 'an', 'the', 'my', 'our', 'your', 'their', 'its', 'his', 'her', 'this', 'that', 'these', 'those', 'some', 'any', 'each', 'every', 'all', 'both']);
