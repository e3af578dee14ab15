import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { l2normalize, type Embedder } from '../../src/embed/embedder.js';
import type { BeirDataset } from '../../src/eval/beir-dataset.js';
import { evaluate, openEvalIndex } from '../../src/eval/beir-eval.js';
import { DEFAULT_FUSION, fuseRanks, vectorWeightFor } from '../../src/search/fusion.js';
import { DEFAULT_TUNING } from '../../src/search/search-engine.js';

test('re-ranking fusion orders the lexical candidates and adds none of its own', () => {
  const lexical = [{ rowid: 1, score: 9 }, { rowid: 2, score: 5 }, { rowid: 3, score: 4 }];
  const vector = [{ rowid: 7, score: 0.99 }, { rowid: 3, score: 0.9 }, { rowid: 1, score: 0.2 }];
  const fused = fuseRanks(lexical, vector, { method: 'rerank', k: 60, lexicalWeight: 1, vectorWeight: 0.6 });
  assert.deepEqual(fused.map((r) => r.rowid).sort(), [1, 2, 3]);
  assert.deepEqual(fused.map((r) => r.rowid), [1, 3, 2], 'vector evidence lifts 3 over 2');
  // With nothing lexical (no query word is in the library), the vector list is all there is.
  assert.deepEqual(fuseRanks([], vector, DEFAULT_FUSION).map((r) => r.rowid), [7, 3, 1]);
});

test('re-ranking keeps lexical scores in proportion, so a boost after fusion weighs as it does in lexical search', () => {
  const lexical = [{ rowid: 1, score: 26 }, { rowid: 2, score: 20 }, { rowid: 3, score: 8 }];
  // With the vector side weighing nothing (the best passage holds the whole query), fused = lexical / best.
  const fused = fuseRanks(lexical, [{ rowid: 2, score: 0.9 }], DEFAULT_FUSION, 1);
  assert.deepEqual(fused.map((r) => [r.rowid, Math.round(r.score * 1000) / 1000]), [[1, 1], [2, 0.769], [3, 0.308]]);
  // A 1.5× identifier boost on passage 2 lifts it over passage 1 here exactly as on the raw scores (30 > 26).
  assert.ok(fused[1]!.score * 1.5 > fused[0]!.score && 20 * 1.5 > 26);
});

test('adaptive fusion gives the vector side what the best lexical passage left unmatched', () => {
  const params = { method: 'rerank' as const, k: 60, lexicalWeight: 1, vectorWeight: 0.5, adaptive: true };
  assert.equal(vectorWeightFor(params, 1), 0, 'a passage holding the whole query leaves nothing to add');
  assert.equal(vectorWeightFor(params, 0.5), 0.25);
  assert.equal(vectorWeightFor(params, 0), 0.5);
  assert.equal(vectorWeightFor({ ...params, adaptive: false }, 1), 0.5);
  // Lexical order stands when the best lexical passage holds every query word.
  const lexical = [{ rowid: 1, score: 9 }, { rowid: 2, score: 8.9 }, { rowid: 3, score: 1 }];
  const vector = [{ rowid: 2, score: 0.9 }, { rowid: 1, score: 0.1 }, { rowid: 3, score: 0.05 }];
  assert.deepEqual(fuseRanks(lexical, vector, params, 1).map((r) => r.rowid), [1, 2, 3]);
  assert.deepEqual(fuseRanks(lexical, vector, params, 0).map((r) => r.rowid), [2, 1, 3]);
});

test('re-ranking with the vector side weighing nothing gives the lexical ranking to the bit, so the engine skips reading vectors then', () => {
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let round = 0; round < 20; round++) {
    const lexical = Array.from({ length: 300 }, (_, i) => ({ rowid: 1 + ((i * 7919) % 1000), score: 30 * random() })).sort((a, b) => b.score - a.score);
    const vector = lexical.filter(() => random() < 0.9).map(({ rowid }) => ({ rowid, score: random() - 0.2 })).sort((a, b) => b.score - a.score || a.rowid - b.rowid);
    assert.deepEqual(fuseRanks(lexical, vector, DEFAULT_FUSION, 1), fuseRanks(lexical, [], DEFAULT_FUSION, 1));
  }
});

/**
 * An embedder that is not retrieval-trained behaves like this one: it cannot tell a passage that
 * answers from a look-alike that uses related words. Words sharing their first four letters and
 * their digits ("alpha7", "alphb7") get the same dimension, so each topic's look-alike is, to it,
 * identical to the query, while lexical search sees no word in common.
 */
class LookAlikeEmbedder implements Embedder {
  readonly name = 'test-look-alike';
  readonly dimensions = 256;
  readonly batchSize = 16;
  async init(): Promise<void> {}
  async close(): Promise<void> {}
  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.vector(t));
  }
  async embedQuery(text: string): Promise<Float32Array> {
    return this.vector(text);
  }
  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const word of text.toLowerCase().match(/[a-z]+\d+/g) ?? []) {
      const key = word.slice(0, 4) + word.replace(/\D/g, '');
      let h = 0;
      for (const c of key) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
      v[h % this.dimensions]! += 1;
    }
    return l2normalize(v);
  }
}

/** Per topic: the answer, a second relevant passage lexical search ranks low, and a look-alike. */
function lookAlikeDataset(topics: number): BeirDataset {
  const corpus = [];
  const queries = new Map<string, string>();
  const qrels = new Map<string, Map<string, number>>();
  for (let t = 1; t <= topics; t++) {
    corpus.push({ id: `answer-${t}`, title: '', text: `alpha${t} gamma${t} delta${t} omega${t}` });
    corpus.push({ id: `related-${t}`, title: '', text: `delta${t} sigma${t} kappa${t} lambda${t} theta${t}` });
    corpus.push({ id: `lookalike-${t}`, title: '', text: `alphb${t} gammb${t} deltb${t}` });
    queries.set(`q${t}`, `alpha${t} gamma${t} delta${t}`);
    qrels.set(`q${t}`, new Map([[`answer-${t}`, 1], [`related-${t}`, 1]]));
  }
  return { name: 'look-alikes', corpus, queries, qrels };
}

test('hybrid search is never below lexical, even with an embedder that pulls in look-alikes', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-fusion-'));
  const embedder = new LookAlikeEmbedder();
  const dataset = lookAlikeDataset(20);
  const { store, idBySlug } = await openEvalIndex(dataset, work, embedder);
  try {
    const [lexical, hybrid] = await evaluate(dataset, store, idBySlug, embedder, ['lexical', 'hybrid']);
    assert.ok(hybrid!.ndcg10 >= lexical!.ndcg10, `hybrid ${hybrid!.ndcg10} vs lexical ${lexical!.ndcg10}`);
    // Fusion that lets the vector list add candidates ranks the look-alikes above the related passages.
    const injecting = { ...DEFAULT_TUNING, fusion: { method: 'convex' as const, k: 60, lexicalWeight: 1, vectorWeight: 0.3 } };
    const [union] = await evaluate(dataset, store, idBySlug, embedder, ['hybrid'], injecting);
    assert.ok(union!.ndcg10 < lexical!.ndcg10, `union fusion ${union!.ndcg10} vs lexical ${lexical!.ndcg10}`);
  } finally {
    store.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
