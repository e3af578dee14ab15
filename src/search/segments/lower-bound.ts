/**
 * The first index whose value is ≥ target in an ascending array: the binary search under rowid
 * lookups (Float64Array), document runs (Float64Array) and a ranking window's skip lists (Uint32Array).
 */
export function lowerBound(sorted: Float64Array | Uint32Array, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
