/**
 * A segment's terms in typed arrays (so the dictionary can live in shared memory and load without
 * parsing): UTF-8 bytes of every term back to back, and an open-addressing hash table of term ids.
 */
export interface TermDictionaryData {
  termBytes: Uint8Array;
  /** termOffsets[id] .. termOffsets[id + 1] are the bytes of term `id`. */
  termOffsets: Uint32Array;
  /** Power-of-two table of id + 1 (0 = empty), probed linearly from the term's hash. */
  termHash: Int32Array;
}

/** A query term encoded once and looked up in every segment. */
export interface TermKey {
  bytes: Uint8Array;
  hash: number;
}

export function termKey(term: string): TermKey {
  const bytes = Buffer.from(term, 'utf8');
  return { bytes, hash: fnv1a(bytes, 0, bytes.length) };
}

function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export function buildTermDictionary(terms: readonly string[]): TermDictionaryData {
  const encoded = terms.map((t) => Buffer.from(t, 'utf8'));
  const termOffsets = new Uint32Array(terms.length + 1);
  for (let i = 0; i < encoded.length; i++) termOffsets[i + 1] = termOffsets[i]! + encoded[i]!.length;
  const termBytes = new Uint8Array(termOffsets[terms.length]!);
  encoded.forEach((bytes, i) => termBytes.set(bytes, termOffsets[i]!));
  let capacity = 4;
  while (capacity < terms.length * 2) capacity *= 2;
  const termHash = new Int32Array(capacity);
  const mask = capacity - 1;
  for (let id = 0; id < terms.length; id++) {
    let slot = fnv1a(termBytes, termOffsets[id]!, termOffsets[id + 1]!) & mask;
    while (termHash[slot] !== 0) slot = (slot + 1) & mask;
    termHash[slot] = id + 1;
  }
  return { termBytes, termOffsets, termHash };
}

/** The term's id in this dictionary, or -1. */
export function findTerm(dict: TermDictionaryData, key: TermKey): number {
  const { termBytes, termOffsets, termHash } = dict;
  const mask = termHash.length - 1;
  const length = key.bytes.length;
  for (let slot = key.hash & mask; ; slot = (slot + 1) & mask) {
    const entry = termHash[slot]!;
    if (entry === 0) return -1;
    const id = entry - 1;
    const start = termOffsets[id]!;
    if (termOffsets[id + 1]! - start !== length) continue;
    let same = true;
    for (let i = 0; i < length; i++) {
      if (termBytes[start + i] !== key.bytes[i]) {
        same = false;
        break;
      }
    }
    if (same) return id;
  }
}

export function termCount(dict: TermDictionaryData): number {
  return dict.termOffsets.length - 1;
}

export function termText(dict: TermDictionaryData, id: number): string {
  const start = dict.termOffsets[id]!;
  // Buffer rather than TextDecoder: TextDecoder refuses views over shared memory.
  return Buffer.from(dict.termBytes.buffer, dict.termBytes.byteOffset + start, dict.termOffsets[id + 1]! - start).toString('utf8');
}
