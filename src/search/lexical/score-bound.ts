/**
 * Upper bounds for pruning. Block and term maxima of tfw are computed with the averages current when
 * the segment was built ("bound averages"). When the index's averages later move, a posting's tfw can
 * only grow by the factor by which an average grew: with r = avg/avg_bound ≥ 1,
 *   1 − b + b·len/avg ≥ (1 − b + b·len/avg_bound) / r,
 * and it cannot grow at all when an average shrank. So bound·max(1, r) stays a safe bound and the
 * segment need not be rebuilt; it is refreshed once the drift makes the bounds loose.
 */
const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/** The smallest float32 ≥ x (x ≥ 0), so that stored maxima never understate. */
export function roundUpToFloat32(x: number): number {
  f32[0] = x;
  if (f32[0]! < x) f32Bits[0] = f32Bits[0]! + 1;
  return f32[0]!;
}

/** How much the current averages can raise a tfw computed with the bound averages. */
export function inflation(current: ArrayLike<number>, bound: ArrayLike<number>): number {
  let factor = 1;
  for (let f = 0; f < 3; f++) factor = Math.max(factor, current[f]! / bound[f]!);
  return factor;
}

/** How far the averages moved either way since the bounds were computed (1 = not at all). */
export function drift(current: ArrayLike<number>, bound: ArrayLike<number>): number {
  let ratio = 1;
  for (let f = 0; f < 3; f++) ratio = Math.max(ratio, current[f]! / bound[f]!, bound[f]! / current[f]!);
  return ratio;
}
