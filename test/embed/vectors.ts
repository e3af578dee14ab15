/** Vector helpers shared by the embedder tests. */

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export const norm = (v: Float32Array): number => Math.sqrt(dot(v, v));

export const cosine = (a: Float32Array, b: Float32Array): number => dot(a, b) / (norm(a) * norm(b));

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
