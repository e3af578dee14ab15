/** Exact cosine neighbours (dot products of unit vectors), the reference for recall. */
export function exactTop(vectors: readonly { rowid: number; docRowid: number; vector: Float32Array }[], query: Float32Array, k: number, allowed?: ReadonlySet<number>): number[] {
  return vectors
    .filter((v) => !allowed || allowed.has(v.docRowid))
    .map((v) => {
      let dot = 0;
      for (let j = 0; j < query.length; j++) dot += v.vector[j]! * query[j]!;
      return { rowid: v.rowid, dot };
    })
    .sort((a, b) => b.dot - a.dot || a.rowid - b.rowid)
    .slice(0, k)
    .map((v) => v.rowid);
}
