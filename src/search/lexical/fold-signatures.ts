import { MIN_HASHES, type Signature } from '../near-duplicates.js';

/**
 * Each chunk's folding signature (near-duplicates.ts: its sorted distinct shingles and MinHash
 * signature), kept with the segment so that folding a search's candidates reads no text and
 * shingles nothing. Signatures are computed once, from the text, when the chunk is added; a merge
 * copies them. Chunks with the same text (the same paragraph in many versions: 104k chunks of the
 * 100k bench library hold 29k distinct texts) share one stored signature.
 *
 *   foldIds[c]                         chunk c's signature, or NO_SIGNATURE (added without its text)
 *   foldShingles[foldShingleStart[s] .. foldShingleStart[s + 1]]   signature s's shingles, ascending
 *   foldMinHashes[MIN_HASHES * s ..]   signature s's MinHashes
 */
export interface FoldSignatureData {
  foldIds: Uint32Array;
  foldShingleStart: Uint32Array;
  foldShingles: Uint32Array;
  foldMinHashes: Uint32Array;
}

export const NO_SIGNATURE = 0xffffffff;

/** Chunk `local`'s signature as views of the segment's arrays (nothing copied), or undefined. */
export function foldSignatureOf(data: FoldSignatureData, local: number): Signature | undefined {
  const s = data.foldIds[local]!;
  if (s === NO_SIGNATURE) return undefined;
  return {
    shingles: data.foldShingles.subarray(data.foldShingleStart[s]!, data.foldShingleStart[s + 1]!),
    minHashes: data.foldMinHashes.subarray(MIN_HASHES * s, MIN_HASHES * (s + 1)),
  };
}

/** Whether every chunk's signature lies within the arrays (what a file read from disk is checked for). */
export function foldSignaturesFit(data: FoldSignatureData & { rowids: ArrayLike<number> }): boolean {
  const count = data.foldShingleStart.length - 1;
  if (data.foldIds.length !== data.rowids.length || count < 0 || data.foldMinHashes.length !== MIN_HASHES * count) return false;
  if (data.foldShingleStart[0] !== 0 || data.foldShingleStart[count] !== data.foldShingles.length) return false;
  for (let s = 0; s < count; s++) if (data.foldShingleStart[s]! > data.foldShingleStart[s + 1]!) return false;
  for (const id of data.foldIds) if (id !== NO_SIGNATURE && id >= count) return false;
  return true;
}

/**
 * Collects a new segment's signatures, storing each distinct one once: equal signatures are found
 * by their MinHashes (a function of the shingles) and then compared whole.
 */
export class FoldSignatureBuilder {
  private readonly ids: Uint32Array;
  private readonly starts: number[] = [0];
  private shingles = new Uint32Array(1024);
  private shingleCount = 0;
  private minHashes = new Uint32Array(MIN_HASHES * 64);
  private readonly byMinHashes = new Map<number, number[]>();

  constructor(chunks: number) {
    this.ids = new Uint32Array(chunks);
  }

  /** Sets chunk `local`'s signature (every chunk is set once, in any order). */
  set(local: number, signature: Signature | undefined): void {
    this.ids[local] = signature ? this.intern(signature) : NO_SIGNATURE;
  }

  private intern({ shingles, minHashes }: Signature): number {
    // 52 bits of the first two MinHashes: equal signatures share a key, and a key shared by others costs one comparison.
    const key = minHashes[0]! * 0x10_0000 + (minHashes[1]! & 0xf_ffff);
    let same = this.byMinHashes.get(key);
    for (const s of same ?? []) if (this.equalShingles(s, shingles)) return s;
    const s = this.starts.length - 1;
    if (same) same.push(s);
    else this.byMinHashes.set(key, (same = [s]));
    this.shingles = grown(this.shingles, this.shingleCount + shingles.length);
    this.shingles.set(shingles, this.shingleCount);
    this.shingleCount += shingles.length;
    this.starts.push(this.shingleCount);
    this.minHashes = grown(this.minHashes, MIN_HASHES * (s + 1));
    this.minHashes.set(minHashes, MIN_HASHES * s);
    return s;
  }

  private equalShingles(s: number, shingles: Uint32Array): boolean {
    const start = this.starts[s]!;
    if (this.starts[s + 1]! - start !== shingles.length) return false;
    for (let i = 0; i < shingles.length; i++) if (this.shingles[start + i] !== shingles[i]) return false;
    return true;
  }

  finish(): FoldSignatureData {
    const count = this.starts.length - 1;
    return {
      foldIds: this.ids,
      foldShingleStart: Uint32Array.from(this.starts),
      foldShingles: this.shingles.slice(0, this.shingleCount),
      foldMinHashes: this.minHashes.slice(0, MIN_HASHES * count),
    };
  }
}

function grown(array: Uint32Array<ArrayBuffer>, length: number): Uint32Array<ArrayBuffer> {
  if (array.length >= length) return array;
  const bigger = new Uint32Array(Math.max(length, 2 * array.length));
  bigger.set(array);
  return bigger;
}
