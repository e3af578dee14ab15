import type { Bm25Params } from '../../../src/search/lexical/bm25-params.js';
import type { LexicalDoc, LexicalQuery } from '../../../src/search/lexical/lexical-index.js';

/**
 * The reference the engine must equal: the semantics of src/search/bm25.ts written out naively over
 * the live chunks (Maps, no segments, no pruning), in the same arithmetic order so that scores
 * agree bit for bit.
 */
export function bruteForceSearch(
  docs: readonly LexicalDoc[],
  params: Bm25Params,
  query: LexicalQuery,
  k: number,
  allowed?: ReadonlySet<number>,
): { rowid: number; score: number }[] {
  const { k1, b, fieldWeights, phraseBoost } = params;
  const n = docs.length;
  const sums = [0, 0, 0];
  for (const doc of docs) for (let f = 0; f < 3; f++) sums[f]! += doc.fields[f]!.length;
  const averages = sums.map((s) => Math.max(1, s / Math.max(1, n)));
  const docOf = new Map(docs.map((d) => [d.rowid, d.docRowid]));
  // Term counts per chunk and field, computed once so the reference stays fast on large corpora.
  const counts = docs.map((doc) => doc.fields.map((field) => {
    const c = new Map<string, number>();
    for (const t of field) c.set(t, (c.get(t) ?? 0) + 1);
    return c;
  }));
  const scores = new Map<number, number>();
  for (const [term, queryTf] of query.terms) {
    const tfByChunk = new Map<number, number>();
    docs.forEach((doc, d) => {
      for (let f = 0; f < 3; f++) {
        const tf = counts[d]![f]!.get(term) ?? 0;
        if (tf === 0) continue;
        const norm = 1 - b + (b * doc.fields[f]!.length) / averages[f]!;
        tfByChunk.set(doc.rowid, (tfByChunk.get(doc.rowid) ?? 0) + (fieldWeights[f]! * tf) / norm);
      }
    });
    const df = tfByChunk.size;
    if (df === 0) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const [rowid, tf] of tfByChunk) {
      if (allowed && !allowed.has(docOf.get(rowid)!)) continue;
      scores.set(rowid, (scores.get(rowid) ?? 0) + queryTf * idf * ((tf * (k1 + 1)) / (tf + k1)));
    }
  }
  if (phraseBoost > 0) {
    for (const phrase of query.phrases) {
      for (const doc of docs) {
        const score = scores.get(doc.rowid);
        if (score !== undefined && doc.fields.some((field) => containsPhrase(field, phrase))) scores.set(doc.rowid, score * (1 + phraseBoost));
      }
    }
  }
  return [...scores].map(([rowid, score]) => ({ rowid, score })).sort((x, y) => y.score - x.score || x.rowid - y.rowid).slice(0, k);
}

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  for (let at = 0; at + phrase.length <= tokens.length; at++) {
    if (phrase.every((t, j) => tokens[at + j] === t)) return true;
  }
  return false;
}
