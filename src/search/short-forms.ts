import { analyze } from '../analysis/analyzer.js';
import type { ParsedQuery } from './query.js';

/**
 * Short forms people type that manuals spell out: "min/max" for "minimum and maximum", "config"
 * for "configuration". The stemmer cannot see that the two are one word, so a question in the
 * short form misses the page that spells it out ("the Auto Scale Group has the minimum and maximum
 * number of instances as zero" for "what min/max does the group start with").
 *
 * Only this direction: a query's short form also searches its long form, never the other way,
 * since a long form read short is ambiguous in text ("minimum" → "min", which abstracts use for
 * minutes). The list holds short forms with one reading in technical writing; "dev" (device or
 * development) or "temp" (temporary or temperature) are not in it, nor short forms that are words
 * and names of their own ("app" of "Azure Function App", "info", "lib", "spec"): on the known-item
 * sentences, "Deploy the Azure Function App" lost its page when "app" also searched "application".
 */
const SPELLED_OUT: Readonly<Record<string, string>> = {
  addr: 'address',
  admin: 'administrator',
  arg: 'argument',
  auth: 'authentication',
  cert: 'certificate',
  config: 'configuration',
  cred: 'credential',
  db: 'database',
  dir: 'directory',
  env: 'environment',
  max: 'maximum',
  mgmt: 'management',
  min: 'minimum',
  msg: 'message',
  num: 'number',
  param: 'parameter',
  passwd: 'password',
  perm: 'permission',
  pkg: 'package',
  pwd: 'password',
  repo: 'repository',
};

/** Analyzed short term → analyzed long term, built once. */
const LONG_TERM: ReadonlyMap<string, string> = new Map(
  Object.entries(SPELLED_OUT).flatMap(([short, long]) => {
    const [s, l] = [analyze(short), analyze(long)];
    return s.length === 1 && l.length === 1 && s[0] !== l[0] ? [[s[0]!, l[0]!] as const] : [];
  }),
);

/** A word as typed in lower case: a clipped word, where "PKG", "Min" or "App" may be a name or an acronym. */
const LOWER_WORD = /(?<![\p{L}\p{N}])\p{Ll}+(?![\p{L}\p{N}])/gu;

/**
 * The query's short-form terms that the library spells out, as long term → the short terms it
 * stands for. Only short forms the query writes in lower case count: "PKG-1a" of a gene or the
 * "Function App" of Azure are names, not clipped words. `known` says whether the library holds a
 * term: a long form no chunk holds adds nothing.
 */
export function spelledOutTerms(parsed: ParsedQuery, rawQuery: string, known: (term: string) => boolean): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const lower = new Set((rawQuery.match(LOWER_WORD) ?? []).flatMap((word) => analyze(word)));
  for (const term of parsed.terms.keys()) {
    const long = LONG_TERM.get(term);
    if (long === undefined || !lower.has(term) || parsed.terms.has(long) || !known(long)) continue;
    found.set(long, [...(found.get(long) ?? []), term]);
  }
  return found;
}

/** The query with each short form's long form added as a term of its own (counted as often); phrases and tokens as they were. */
export function withSpelledOut(parsed: ParsedQuery, spelledOut: ReadonlyMap<string, readonly string[]>): ParsedQuery {
  if (spelledOut.size === 0) return parsed;
  const terms = new Map(parsed.terms);
  for (const [long, shorts] of spelledOut) terms.set(long, Math.max(...shorts.map((s) => parsed.terms.get(s) ?? 1)));
  return { ...parsed, terms };
}
