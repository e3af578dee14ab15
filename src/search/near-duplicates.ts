/**
 * Near-identical passages of one product ("the same paragraph in the 6.6.0, 6.7.0 and latest
 * guides", or in two revisions of one guide within a version) become one hit that says where else
 * it appears. Passages are compared by word shingles; to compare exactly only the pairs likely to match,
 * each passage gets a MinHash signature whose bands act as buckets, and only passages sharing a
 * band are compared exactly (locality-sensitive hashing). A signature depends on the text alone,
 * so it is computed once, when a chunk is indexed, and kept with the lexical index
 * (lexical/fold-signatures.ts); passage-signatures.ts keeps those of passages the index lacks.
 */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Shingle overlap (Jaccard) at which two passages are the same passage: across versions, nearly all
 * of the wording; between documents of one version (revisions of a guide, whose PDFs were laid out
 * and extracted anew) less, since re-extraction reorders table cells and lines more than it changes
 * words. Measured on the vendor PDFs: two revisions' copies of one passage overlap about 0.5,
 * different passages of one guide under 0.05.
 */
export const NEAR_DUPLICATE_THRESHOLDS = { acrossVersions: 0.8, withinVersion: 0.4 };

/** 16 bands of 2 hashes: pairs at Jaccard 0.4 share a bucket 94 % of the time, pairs at 0.05 under 4 % (candidates are then checked exactly). */
const BANDS = 16;
const ROWS = 2;
/** Hashes in a MinHash signature. */
export const MIN_HASHES = BANDS * ROWS;

/**
 * Word 3-shingles, hashed, ignoring words with digits: the same passage in two versions of a manual
 * usually differs in exactly those (release numbers, dates, limits). Words are hashed as they are
 * read and shingles combine three word hashes, so no shingle string is ever built.
 */
export function shingles(text: string): Set<number> {
  const set = new Set<number>();
  let a = 0;
  let b = 0;
  let words = 0;
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = hashWord(match[0]);
    if (word === undefined) continue;
    words++;
    if (words >= 3) set.add(mix((Math.imul(a, 0x2545f491) ^ Math.imul(b, 0x9e3779b9) ^ word) >>> 0));
    a = b;
    b = word;
  }
  // A passage shorter than a shingle is compared as its few words.
  if (words === 1) set.add(b);
  if (words === 2) set.add(mix((Math.imul(a, 0x9e3779b9) ^ b) >>> 0));
  return set;
}

/** FNV-1a of a word, or undefined when it holds a digit. */
function hashWord(word: string): number | undefined {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return undefined;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

export function jaccard(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  return sortedJaccard(sortedShingles(a), sortedShingles(b));
}

/** What folding compares: the passage's distinct shingles, sorted, and its MinHash signature. */
export interface Signature {
  shingles: Uint32Array;
  minHashes: Uint32Array;
}

export function signatureOf(text: string): Signature {
  const own = shingles(text);
  return { shingles: sortedShingles(own), minHashes: minHashes(own) };
}

function sortedShingles(set: ReadonlySet<number>): Uint32Array {
  return Uint32Array.from(set).sort();
}

/** Jaccard of two sorted sets of distinct shingles, by one merge: no hashing, no allocation. */
function sortedJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return shared / (a.length + b.length - shared);
}

export interface Foldable {
  product: string;
  version: string;
  /** Two chunks of one document never fold: repeated boilerplate within a manual is not another version. */
  document: string;
  text: string;
}

/**
 * Groups passages (in rank order) so that every member of a group is near-identical to the group's
 * first member, belongs to the same product, and comes from a different document. Returns groups in
 * rank order of their first member. Cost: one signature per passage plus exact comparisons with the
 * few groups that share a band, instead of every pair.
 */
export function groupNearDuplicates<T extends Foldable>(
  passages: T[],
  thresholds = NEAR_DUPLICATE_THRESHOLDS,
  stats?: { comparisons: number },
  signature: (passage: T) => Signature = (passage) => signatureOf(passage.text),
): T[][] {
  const groups: { members: T[]; product: string; version: string; documents: Set<string>; shingles: Uint32Array; minHashes: Uint32Array }[] = [];
  const buckets = new BandBuckets(passages.length);
  for (const passage of passages) {
    const { shingles: own, minHashes } = signature(passage);
    let match = -1;
    // The groups of the passage's product sharing a band with it, first created first.
    for (const index of buckets.sharing(minHashes)) {
      const group = groups[index]!;
      if (group.product !== passage.product || group.documents.has(passage.document)) continue;
      if (stats) stats.comparisons++;
      if (sortedJaccard(group.shingles, own) >= (group.version === passage.version ? thresholds.withinVersion : thresholds.acrossVersions)) {
        match = index;
        break;
      }
    }
    if (match >= 0) {
      groups[match]!.members.push(passage);
      groups[match]!.documents.add(passage.document);
      continue;
    }
    buckets.add(groups.push({ members: [passage], product: passage.product, version: passage.version, documents: new Set([passage.document]), shingles: own, minHashes }) - 1, minHashes);
  }
  return groups.map((g) => g.members);
}

/**
 * The LSH buckets of a search's groups: each band of a group's MinHash signature files the group in
 * a hash table keyed by the band's two hashes. Scanning every group of a product for a shared band
 * cost a fifth (100k chunks, ~60 groups) to a third (10k, ~100 groups) of folding, thousands of
 * signature comparisons per search; a passage now looks up its own 16 bands. The table is typed
 * arrays sized for the groups to come, with chains compared on the band's hashes themselves, so what
 * it finds is exact.
 */
export class BandBuckets {
  private readonly mask: number;
  /** Slot → its first entry + 1 (0: empty). */
  private readonly heads: Int32Array;
  /** Per entry (a band of a group): the next entry of its slot + 1, the band, its two hashes, the group. */
  private readonly next: Int32Array;
  private readonly band: Uint8Array;
  private readonly first: Uint32Array;
  private readonly second: Uint32Array;
  private readonly group: Int32Array;
  private entries = 0;
  /**
   * Per group, the call of `sharing` that last found it. Copies of one passage agree on every band,
   * so a passage finds each of its few groups once per band (at 1M chunks ~58 finds for ~4 groups):
   * marking them found is cheaper than sorting the finds and dropping repeats.
   */
  private readonly seen: Int32Array;
  private call = 0;
  private readonly found: number[] = [];

  /** `groups`: how many groups at most will be added. */
  constructor(groups: number) {
    const capacity = Math.max(1, groups) * BANDS;
    let slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    this.mask = slots - 1;
    this.heads = new Int32Array(slots);
    this.next = new Int32Array(capacity);
    this.band = new Uint8Array(capacity);
    this.first = new Uint32Array(capacity);
    this.second = new Uint32Array(capacity);
    this.group = new Int32Array(capacity);
    this.seen = new Int32Array(Math.max(1, groups));
  }

  /** Files group `index` (indexes increase as groups are created) under each band of its signature. */
  add(index: number, minHashes: Uint32Array): void {
    for (let b = 0; b < BANDS; b++) {
      const e = this.entries++;
      const slot = bandSlot(minHashes, b) & this.mask;
      this.band[e] = b;
      this.first[e] = minHashes[b * ROWS]!;
      this.second[e] = minHashes[b * ROWS + 1]!;
      this.group[e] = index;
      this.next[e] = this.heads[slot]!;
      this.heads[slot] = e + 1;
    }
  }

  /**
   * Indexes of the groups agreeing with `minHashes` on a whole band, ascending (creation order).
   * The array is this object's own and is overwritten by the next call: read it before asking again.
   */
  sharing(minHashes: Uint32Array): readonly number[] {
    const call = ++this.call;
    const found = this.found;
    found.length = 0;
    for (let b = 0; b < BANDS; b++) {
      const h0 = minHashes[b * ROWS]!;
      const h1 = minHashes[b * ROWS + 1]!;
      for (let e = this.heads[bandSlot(minHashes, b) & this.mask]! - 1; e >= 0; e = this.next[e]! - 1) {
        if (this.band[e] !== b || this.first[e] !== h0 || this.second[e] !== h1) continue;
        const g = this.group[e]!;
        if (this.seen[g] === call) continue;
        this.seen[g] = call;
        // Insertion keeps the few groups found in order without a sort.
        let at = found.length;
        found.push(g);
        while (at > 0 && found[at - 1]! > g) {
          found[at] = found[at - 1]!;
          at--;
        }
        found[at] = g;
      }
    }
    return found;
  }
}

/** Where band `b` of a signature is filed: its two hashes and the band, mixed. */
function bandSlot(minHashes: Uint32Array, b: number): number {
  return mix((minHashes[b * ROWS]! ^ Math.imul(minHashes[b * ROWS + 1]!, 0x9e3779b1) ^ b) >>> 0);
}

/** The MinHash signature of a set of shingles: the least hash under each of BANDS × ROWS hash functions. */
function minHashes(set: ReadonlySet<number>): Uint32Array {
  const signature = new Uint32Array(MIN_HASHES).fill(0xffffffff);
  for (const shingle of set) {
    // Shingles are well mixed already: one multiply per hash function is enough to permute them.
    for (let i = 0; i < signature.length; i++) {
      const h = Math.imul(shingle ^ SEEDS[i]!, 0x9e3779b1) >>> 0;
      if (h < signature[i]!) signature[i] = h;
    }
  }
  return signature;
}

/** One fixed seed per hash function, so that signatures are the same in every process. */
const SEEDS = Uint32Array.from({ length: MIN_HASHES }, (_, i) => mix(0x9e3779b9 * (i + 1)));

/** MurmurHash3's 32-bit finaliser: a cheap, well-mixed permutation of a 32-bit integer. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
