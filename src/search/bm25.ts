/**
 * BM25F over three fields (title, headings, body) computed from FTS5 postings. FTS5's built-in
 * bm25() fixes k1 = 1.2 and b = 0.75 and scores fields separately; field-weighted term
 * frequencies with tuned k1/b rank documentation measurably better (see bench/).
 */

import type { RankingStore, ScoredRowid } from '../store/store.js';
import type { ParsedQuery } from './query.js';
import { topK } from './top-k.js';

export interface Bm25Params {
  k1: number;
  b: number;
  /** Weights of title, headings and body term frequencies. */
  fieldWeights: [number, number, number];
  /** Score multiplier for chunks containing a query phrase or identifier verbatim. */
  phraseBoost: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 0.9, b: 0.4, fieldWeights: [1.5, 1.2, 1], phraseBoost: 0.5 };

interface CollectionStats {
  token: string;
  /** rowid → doc rowid and field lengths */
  chunks: Map<number, { docRowid: number; lengths: [number, number, number] }>;
  averages: [number, number, number];
}

export class Bm25Ranker {
  private stats: CollectionStats | undefined;

  constructor(
    private readonly store: RankingStore,
    private readonly params: Bm25Params = DEFAULT_BM25,
  ) {}

  /** Field lengths are cached in memory and reloaded only after a write to the library. */
  private collectionStats(): CollectionStats {
    const token = this.store.changeToken();
    if (this.stats?.token === token) return this.stats;
    const chunks = new Map<number, { docRowid: number; lengths: [number, number, number] }>();
    const sums: [number, number, number] = [0, 0, 0];
    for (const s of this.store.chunkStats()) {
      chunks.set(s.rowid, { docRowid: s.docRowid, lengths: s.lengths });
      sums[0] += s.lengths[0];
      sums[1] += s.lengths[1];
      sums[2] += s.lengths[2];
    }
    const n = Math.max(1, chunks.size);
    this.stats = { token, chunks, averages: [Math.max(1, sums[0] / n), Math.max(1, sums[1] / n), Math.max(1, sums[2] / n)] };
    return this.stats;
  }

  search(query: ParsedQuery, limit: number, docRowids?: ReadonlySet<number>): ScoredRowid[] {
    const { chunks, averages } = this.collectionStats();
    const { k1, b, fieldWeights, phraseBoost } = this.params;
    const n = chunks.size;
    const scores = new Map<number, number>();
    for (const [term, queryTf] of query.terms) {
      const tfByChunk = new Map<number, number>();
      for (const posting of this.store.postings(term)) {
        const stats = chunks.get(posting.rowid);
        if (!stats) continue;
        const norm = 1 - b + (b * stats.lengths[posting.column]!) / averages[posting.column]!;
        tfByChunk.set(posting.rowid, (tfByChunk.get(posting.rowid) ?? 0) + (fieldWeights[posting.column]! * posting.tf) / norm);
      }
      const df = tfByChunk.size;
      if (df === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (const [rowid, tf] of tfByChunk) {
        if (docRowids && !docRowids.has(chunks.get(rowid)!.docRowid)) continue;
        scores.set(rowid, (scores.get(rowid) ?? 0) + queryTf * idf * ((tf * (k1 + 1)) / (tf + k1)));
      }
    }
    if (phraseBoost > 0) {
      for (const phrase of query.phrases) {
        for (const rowid of this.store.phraseMatches(phrase, 10_000)) {
          const score = scores.get(rowid);
          if (score !== undefined) scores.set(rowid, score * (1 + phraseBoost));
        }
      }
    }
    return topK(
      (function* () {
        for (const [rowid, score] of scores) yield { rowid, score };
      })(),
      limit,
    );
  }
}
