/**
 * A posting's term frequencies per field (title, headings, body) packed in one byte: 2 + 2 + 4 bits.
 * Frequencies that do not fit (a body with a term more than 15 times, ~0.2% of postings on SciFact)
 * are stored exactly in a side table; the code 0, impossible for a real posting (some field has
 * the term), marks them.
 */
export const EXCEPTION = 0;

export function packTf(title: number, headings: number, body: number): number {
  return title <= 3 && headings <= 3 && body <= 15 ? (title << 6) | (headings << 4) | body : EXCEPTION;
}

/** Index in the side table of posting `p` (the table is sorted by posting). */
export function exceptionIndex(exceptionAt: Uint32Array, p: number): number {
  let lo = 0;
  let hi = exceptionAt.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (exceptionAt[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
