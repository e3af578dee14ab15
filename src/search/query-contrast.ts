/**
 * What a question sets its subject against: "do I rename plink.exe to ftdssh.exe like the FTDv
 * guide says, or to something else?" asks about another product than FTDv, and ftdssh.exe is what
 * the FTDv guide says, not the answer. Read as plain words, the reference's product and the
 * identifier it is quoted for pull the other product's page first: its passage holds every
 * identifier of the question, the one asked about cannot.
 *
 * A reference is a cue ("like", "unlike", "as in", "instead of", "rather than", "other than")
 * followed within a few words by the source it quotes ("the FTDv guide", "the 7.3 docs say", "what
 * FTDv does"). Its words, and an identifier written just before the cue (what the source is quoted
 * for), are contrasted: a product named only there is not the question's subject, and the
 * identifiers are not what the answer must hold. A cue with no source after it ("I'd like to") is
 * no reference; "not" is no cue, since "ConfigFileURL is not used" asks about ConfigFileURL.
 */
export interface QueryContrast {
  /** The query without its references and contrasted identifiers: what the question asks about. */
  subject: string;
  /** The contrasted identifiers, as written. */
  identifiers: string[];
}

/** A source a question quotes: a document of another product or version, or what it does. */
const REFERENCE = /\b(?:like|unlike|as in|instead of|rather than|other than)\s+((?:[\p{L}\p{N}._()/-]+\s+){0,5}?(?:guides?|docs?|documentation|manuals?|notes|says?|said|does|did))\b/giu;
/** An identifier-shaped word: dotted, snake_case, camelCase, letters and digits. */
const IDENTIFIER = /^[\p{L}\p{N}]+(?:[._-][\p{L}\p{N}]+)+$|^\p{L}+\p{N}+\p{L}*$|^[a-z]+[A-Z]\w*$/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

export function queryContrast(query: string): QueryContrast | undefined {
  const identifiers: string[] = [];
  let found = false;
  const subject = query.replace(REFERENCE, (match, _source: string, offset: number) => {
    found = true;
    // The identifier written just before the cue is what the source is quoted for.
    const before = query.slice(0, offset).trimEnd().split(/\s+/).at(-1)?.replace(EDGE_PUNCTUATION, '');
    if (before && IDENTIFIER.test(before)) identifiers.push(before);
    for (const word of match.split(/\s+/)) {
      const bare = word.replace(EDGE_PUNCTUATION, '');
      if (IDENTIFIER.test(bare)) identifiers.push(bare);
    }
    return ' ';
  });
  if (!found) return undefined;
  let without = subject;
  for (const identifier of identifiers) without = without.split(identifier).join(' ');
  return { subject: without.replace(/\s+/g, ' ').trim(), identifiers };
}
