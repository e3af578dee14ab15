import { analyze } from '../analysis/analyzer.js';

/**
 * A product and version named in the query's own words ("In FTDv autoscale 6.6.0, how is …",
 * "Finesse 12.5(1)", "ASAv 9.19"), recognised from the library's own labels, never from a list of
 * known names. A product counts as named when the query holds the distinctive words of its name
 * (words that few products share weigh most); a version counts only together with a product that
 * has it, because a bare number ("TLS 1.2", "IMDSv2") names nothing.
 */
export interface ScopeCandidate {
  product: string;
  productLabel: string;
  version: string;
  versionLabel: string;
}

export interface InferredScope {
  /** Product slugs the query names, best first. */
  products: string[];
  /** For products whose version the query names too: product slug → version slug. */
  versions: Map<string, string>;
  /**
   * The query's analyzed terms that named them ("ftdv", "aw", "autoscal", "6", "7" of "FTDv 6.7 AWS
   * autoscale"): once the search is narrowed to that product and version, every passage is "about"
   * them, so they tell passages apart no more, and ranking on them favours title pages.
   */
  namingTerms: Set<string>;
  /**
   * Releases the query names right after a named product ("NetBox 7", "FTDv 6.8") that the library
   * does not hold for it: the search then ranks the product's other versions first, and says so.
   */
  unheldVersions: { product: string; version: string }[];
}

/** Share of a product name's weight the query must hold for the product alone to be taken as named. */
export const PRODUCT_NAMED = 0.75;
/** A lower bar when a version of that product is named as well: the number confirms the name. */
export const PRODUCT_NAMED_WITH_VERSION = 0.5;
/** Products scoring within this much of the best are named together ("FTDv autoscale" names both clouds). */
const TIE = 0.05;

const VERSION_MENTION = /(?<![\p{L}\p{N}._/-])v?(\d+(?:\.\d+)+(?:\(\d+\))?)(?![\p{N}/]|\.\d)/giu;

export function inferScope(query: string, catalog: readonly ScopeCandidate[]): InferredScope | undefined {
  const words = queryWords(query);
  const { names: products, weights } = productNames(catalog);
  const scores = new Map<string, number>();
  for (const [product, tokens] of products) scores.set(product, nameScore(tokens, words, weights));

  const versions = new Map<string, string>();
  const whole = wholeNumbersNaming(query, products);
  for (const mention of [...versionMentions(query), ...whole.map((w) => w.number)]) {
    const having = catalog.filter((c) => isVersionOf(mention, c));
    const eligible = having.filter((c) => (scores.get(c.product) ?? 0) >= PRODUCT_NAMED_WITH_VERSION);
    const best = Math.max(0, ...eligible.map((c) => scores.get(c.product)!));
    for (const c of eligible) {
      if (scores.get(c.product)! < best - TIE || versions.has(c.product)) continue;
      versions.set(c.product, c.version);
    }
  }
  if (versions.size > 0) {
    const named = [...versions.keys()];
    return { products: named, versions, namingTerms: namingTerms(query, named.map((p) => products.get(p)!), true, whole.map((w) => w.written)), unheldVersions: [] };
  }

  // A release number written right after a product's name confirms the name, as a held version
  // does above: "FTDv autoscale 6.8" names the FTDv autoscale products though 6.8 is not in the library.
  const releases = new Map<string, string[]>();
  const releasesOf = (product: string) => {
    let found = releases.get(product);
    if (!found) releases.set(product, (found = releasesAfter(query, products.get(product)!)));
    return found;
  };
  const namedEnough = ([product, score]: [string, number]) =>
    score >= PRODUCT_NAMED || (score >= PRODUCT_NAMED_WITH_VERSION && releasesOf(product).length > 0);
  const candidates = [...scores].filter(namedEnough);
  const best = Math.max(0, ...candidates.map(([, score]) => score));
  if (candidates.length === 0) return undefined;
  const named = candidates.filter(([, score]) => score >= best - TIE).sort((a, b) => b[1] - a[1]).map(([product]) => product);
  const unheldVersions = named.flatMap((product) => releasesOf(product)
    .filter((mention) => !catalog.some((c) => c.product === product && isVersionOf(mention, c)))
    .map((version) => ({ product, version })));
  return { products: named, versions, namingTerms: namingTerms(query, named.map((p) => products.get(p)!), false, []), unheldVersions };
}

/** The query's terms that spell the named products' names (a compound written apart counts) and, when versions were named, its version numbers. */
function namingTerms(query: string, names: readonly ReadonlySet<string>[], withVersions: boolean, wholeNumbers: readonly string[]): Set<string> {
  const inName = (term: string) => names.some((name) => name.has(term));
  const terms = new Set(analyze(query).filter(inName));
  const raw = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (let i = 0; i + 1 < raw.length; i++) {
    if (analyze(raw[i]! + raw[i + 1]!).some(inName)) for (const t of [...analyze(raw[i]!), ...analyze(raw[i + 1]!)]) terms.add(t);
  }
  // As the query writes them ("v9.19" is the terms "v9" and "19"), since those are its terms.
  if (withVersions) for (const match of query.matchAll(VERSION_MENTION)) for (const t of analyze(match[0])) terms.add(t);
  for (const written of wholeNumbers) for (const t of analyze(written)) terms.add(t);
  return terms;
}

/** Analyzed words of the query, plus each pair of neighbours written as one ("auto scale" → "autoscale"). */
function queryWords(query: string): Set<string> {
  const raw = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const words = new Set(analyze(query));
  for (let i = 0; i + 1 < raw.length; i++) for (const token of analyze(raw[i]! + raw[i + 1]!)) words.add(token);
  return words;
}

/** Each product's name as analyzed words, and how much each word weighs (a word many products share weighs little). */
interface ProductNames {
  names: Map<string, Set<string>>;
  weights: Map<string, number>;
}

/** Kept per catalog: the whole library's catalog lives until the library changes, and every query reads it. */
const namesByCatalog = new WeakMap<readonly ScopeCandidate[], ProductNames>();

function productNames(catalog: readonly ScopeCandidate[]): ProductNames {
  let kept = namesByCatalog.get(catalog);
  if (kept) return kept;
  const names = new Map<string, Set<string>>();
  for (const c of catalog) {
    if (names.has(c.product)) continue;
    names.set(c.product, new Set([...analyze(c.product), ...analyze(c.productLabel)].filter((t) => !/^\d+$/.test(t))));
  }
  const sharing = new Map<string, number>();
  for (const tokens of names.values()) for (const token of tokens) sharing.set(token, (sharing.get(token) ?? 0) + 1);
  const weights = new Map([...sharing].map(([token, n]) => [token, Math.log(1 + names.size / n)]));
  namesByCatalog.set(catalog, (kept = { names, weights }));
  return kept;
}

/** Weighted share of a product's name words found in the query. */
function nameScore(tokens: ReadonlySet<string>, words: ReadonlySet<string>, weights: ReadonlyMap<string, number>): number {
  let total = 0;
  let found = 0;
  for (const token of tokens) {
    const weight = weights.get(token)!;
    total += weight;
    if (words.has(token)) found += weight;
  }
  return total === 0 ? 0 : found / total;
}

/** Version-shaped numbers in the query: "6.6.0", "v9.19", "12.5(1)"; not IP addresses or networks. */
export function versionMentions(query: string): string[] {
  return [...query.matchAll(VERSION_MENTION)].map((m) => m[1]!).filter((v) => !/^\d+\.\d+\.\d+\.\d+$/.test(v));
}

/** Words that say the number after them is a release: "version 4", "release 10", "v 4". */
const RELEASE_WORDS = new Set(['version', 'release', 'ver', 'rel', 'v']);

/**
 * Whole numbers that name a release by how they are written ("v4") or where they stand: right
 * after a word of a product's name ("IIS 10") or after "version" / "release" ("netbox version 4"). A whole number
 * anywhere else is a count, a port or a step ("configure 2 interfaces", "port 443"), so unlike a
 * dotted number it is not read as a version on its own; either way it names a version only when a
 * product that has that version is named too (inferScope).
 */
export function wholeNumberMentions(query: string, products: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  return wholeNumbersNaming(query, products).map(({ number }) => number);
}

/** The whole numbers that name a release, and each as the query writes it ("v4"). */
function wholeNumbersNaming(query: string, products: ReadonlyMap<string, ReadonlySet<string>>): { number: string; written: string }[] {
  const names = [...products.values()];
  return numbersWithWordBefore(query, /^(v?)(\d+)$/)
    .filter(({ v, before }) => v === 'v' || namesRelease(before, names))
    .map(({ v, number }) => ({ number, written: v + number }));
}

/** Version numbers, dotted or whole, written right after a word of this product's name or after "version". */
function releasesAfter(query: string, name: ReadonlySet<string>): string[] {
  return numbersWithWordBefore(query, /^(v?)(\d+(?:\.\d+)*(?:\(\d+\))?)$/)
    .filter(({ number, before }) => !/^\d+\.\d+\.\d+\.\d+$/.test(number) && namesRelease(before, [name]))
    .map(({ number }) => number);
}

/** Whether a number after this word is a release: the word is "version" / "release" or a word of one of these names. */
function namesRelease(before: string, names: readonly ReadonlySet<string>[]): boolean {
  return RELEASE_WORDS.has(before) || analyze(before).some((t) => names.some((name) => name.has(t)));
}

/** Whether `mention` names this catalog entry's version, by its label or its slug. */
function isVersionOf(mention: string, candidate: ScopeCandidate): boolean {
  return sameVersion(mention, candidate.versionLabel) || sameVersion(mention, candidate.version);
}

/** A word without the punctuation around it: "(v4)," is "v4", but "12.5(1)" keeps its parenthesis. */
function bareWord(word: string): string {
  let w = word.replace(/^\(+/, '').replace(/[.,;:-]+$/, '');
  if (w.endsWith(')') && !w.includes('(')) w = w.slice(0, -1).replace(/[.,;:-]+$/, '');
  return w;
}

function numbersWithWordBefore(query: string, shape: RegExp): { v: string; number: string; before: string }[] {
  const words = (query.toLowerCase().match(/[\p{L}\p{N}._()-]+/gu) ?? []).map(bareWord);
  const found: { v: string; number: string; before: string }[] = [];
  for (let i = 0; i < words.length; i++) {
    const [, v = '', number] = shape.exec(words[i]!) ?? [];
    if (number !== undefined) found.push({ v, number, before: (words[i - 1] ?? '').replace(/[^\p{L}\p{N}]+$/u, '') });
  }
  return found;
}

/** Numeric parts of a version label, or undefined when it is not a plain numbered release. */
function numericParts(label: string): number[] | undefined {
  const cleaned = label.trim().replace(/^v(?=\d)/i, '');
  if (!/^\d+(?:[.()-]+\d+)*\)?$/.test(cleaned)) return undefined;
  return cleaned.split(/[^\d]+/).filter(Boolean).map(Number);
}

/** "6.7" names "6.7.0"; "9.1" does not name "9.15"; "12.5(1)" names "12.5(1)" and "12.5-1". */
export function sameVersion(mention: string, label: string): boolean {
  const m = numericParts(mention);
  const l = numericParts(label);
  if (!m || !l || m.length > l.length) return false;
  return l.every((part, i) => (i < m.length ? part === m[i] : part === 0));
}
