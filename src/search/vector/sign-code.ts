/**
 * One-bit codes: bit j is set when dimension j of the vector is above the index's mean. The Hamming
 * distance between codes tracks the angle between mean-centred vectors, so it picks the candidates
 * worth rescoring. 64 bytes per 512-d vector.
 */
export function wordsFor(dims: number): number {
  return Math.ceil(dims / 32);
}

export function encodeSigns(vector: Float32Array, mean: Float32Array, into: Uint32Array, offset: number): void {
  for (let w = 0; w * 32 < vector.length; w++) {
    let word = 0;
    for (let b = 0; b < 32 && w * 32 + b < vector.length; b++) {
      if (vector[w * 32 + b]! > mean[w * 32 + b]!) word |= 1 << b;
    }
    into[offset + w] = word >>> 0;
  }
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** The mean of some vectors, accumulated as the in-memory index always has (float32, v/n per vector). */
export function meanOf(vectors: readonly Float32Array[], dims: number): Float32Array {
  const mean = new Float32Array(dims);
  for (const vector of vectors) for (let j = 0; j < dims; j++) mean[j]! += vector[j]! / vectors.length;
  return mean;
}
