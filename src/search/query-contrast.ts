/**
 * What a question sets its subject against: "do I rename plink.exe to ftdssh.exe like the FTDv
 * guide says, or to something else?" asks about another product than FTDv, and ftdssh.exe is what
 * the FTDv guide says, not the answer. Read as plain words, the reference's product and the
 * identifier it is quoted for pull the other product's page first: its passage holds every
 * identifier of the question, the one asked about cannot.
 *
 * A reference is a cue ("like", "unlike", "as in", "instead of", "rather than", "other than") and
 * a document it quotes: "the", at most three words, then guide, docs, documentation, manual or
 * notes ("the FTDv guide says", "the 7.3 docs"). Its words, and an identifier written just before
 * the cue (what the source is quoted for), are contrasted. The verb "like" ("I'd like to know what
 * the ASA guide says") and a cue that quotes no document ("behave like this") are no reference;
 * "not" is no cue, since "ConfigFileURL is not used" asks about ConfigFileURL. Whether the
 * reference names another product than the question's subject is for the caller to judge
 * (service/search.ts): "configure BGP like the FRR docs say" asks about FRR itself.
 */
export interface QueryContrast {
  /** The query without its references and contrasted identifiers: what the question asks about. */
  subject: string;
  /** The references as written ("like the FTDv guide says"). */
  references: string[];
  /** The contrasted identifiers, as written. */
  identifiers: string[];
}

/** A cue, then the document it quotes, then what that document says or does. */
const REFERENCE = /(?<![\p{L}\p{N}'’])(?:like|unlike|as in|instead of|rather than|other than)\s+the\s+(?:[\p{L}\p{N}._()/-]+\s+){0,3}?(?:guides?|docs|documentation|manuals?|notes)(?:\s+(?:says?|said|does|did|shows?|describes?))?(?![\p{L}\p{N}])/giu;
/** An identifier-shaped word: dotted, snake_case, camelCase, letters and digits. */
const IDENTIFIER = /^[\p{L}\p{N}]+(?:[._-][\p{L}\p{N}]+)+$|^\p{L}+\p{N}+\p{L}*$|^[a-z]+[A-Z]\w*$/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

export function queryContrast(query: string): QueryContrast | undefined {
  const identifiers: string[] = [];
  const references: string[] = [];
  const subject = query.replace(REFERENCE, (match: string, offset: number) => {
    references.push(match);
    // The identifier written just before the cue is what the source is quoted for.
    const before = query.slice(0, offset).trimEnd().split(/\s+/).at(-1)?.replace(EDGE_PUNCTUATION, '');
    if (before && IDENTIFIER.test(before)) identifiers.push(before);
    for (const word of match.split(/\s+/)) {
      const bare = word.replace(EDGE_PUNCTUATION, '');
      if (IDENTIFIER.test(bare)) identifiers.push(bare);
    }
    return ' ';
  });
  if (references.length === 0) return undefined;
  let without = subject;
  for (const identifier of identifiers) without = without.split(identifier).join(' ');
  return { subject: without.replace(/\s+/g, ' ').trim(), references, identifiers };
}
