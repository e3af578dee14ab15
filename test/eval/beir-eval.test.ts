import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { l2normalize, type Embedder } from '../../src/embed/embedder.js';
import type { BeirDataset } from '../../src/eval/beir-dataset.js';
import { evaluate, openEvalIndex } from '../../src/eval/beir-eval.js';

/** Counts the queries it embeds; a vector per distinct word. */
class CountingEmbedder implements Embedder {
  readonly name = 'test-counting';
  readonly dimensions = 64;
  readonly batchSize = 16;
  queries = 0;
  async init(): Promise<void> {}
  async close(): Promise<void> {}
  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.vector(t));
  }
  async embedQuery(text: string): Promise<Float32Array> {
    this.queries++;
    return this.vector(text);
  }
  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let h = 0;
      for (const c of word) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
      v[h % this.dimensions]! += 1;
    }
    return l2normalize(v);
  }
}

function dataset(topics: number): BeirDataset {
  const corpus = [];
  const queries = new Map<string, string>();
  const qrels = new Map<string, Map<string, number>>();
  for (let t = 1; t <= topics; t++) {
    corpus.push({ id: `doc-${t}`, title: `topic ${t}`, text: `alpha${t} gamma${t} delta${t} about topic ${t}` });
    queries.set(`q${t}`, `alpha${t} delta${t}`);
    qrels.set(`q${t}`, new Map([[`doc-${t}`, 1]]));
  }
  return { name: 'counting', corpus, queries, qrels };
}

/** An evaluation index of `data` in a folder of its own, removed afterwards. */
async function withEvalIndex(data: BeirDataset, embedder: Embedder, use: (index: Awaited<ReturnType<typeof openEvalIndex>>) => Promise<void>): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-eval-'));
  const index = await openEvalIndex(data, work, embedder);
  try {
    await use(index);
  } finally {
    index.store.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

test('an evaluation embeds each query once, before the modes run, and reports that time apart from ranking', async () => {
  const embedder = new CountingEmbedder();
  const data = dataset(12);
  await withEvalIndex(data, embedder, async ({ store, idBySlug }) => {
    const results = await evaluate(data, store, idBySlug, embedder, ['lexical', 'vector', 'hybrid']);
    assert.equal(embedder.queries, 12, 'one embedding per query for the vector and hybrid modes together');
    const [lexical, vector, hybrid] = results;
    assert.equal(lexical!.queryEmbeddingMs, undefined, 'lexical search embeds nothing');
    assert.ok(vector!.queryEmbeddingMs !== undefined && vector!.queryEmbeddingMs >= 0);
    assert.equal(hybrid!.queryEmbeddingMs, vector!.queryEmbeddingMs, 'measured once, reported with each mode that uses it');
    assert.equal(lexical!.ndcg10, 1, 'each query finds its document first');
  });
});

test('a lexical-only evaluation embeds no query', async () => {
  const embedder = new CountingEmbedder();
  const data = dataset(4);
  await withEvalIndex(data, embedder, async ({ store, idBySlug }) => {
    const [lexical] = await evaluate(data, store, idBySlug, embedder, ['lexical']);
    assert.equal(embedder.queries, 0);
    assert.equal(lexical!.queryEmbeddingMs, undefined);
  });
});
