import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mrrAt, ndcgAt, recallAt, summarize } from '../../src/eval/metrics.js';

/**
 * The README's quality figures come from these functions, so they are checked against values
 * worked out by hand (trec_eval definitions: gain = grade, discount log2(rank + 1)).
 */
const qrels = new Map([['a', 1], ['c', 2], ['e', 1], ['x', 0]]);
const ranked = ['a', 'b', 'c', 'd'];
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

test('nDCG@k: graded gains, log2 discount, ideal ranking from the judgements', () => {
  // DCG@3 = 1/log2(2) + 0 + 2/log2(4) = 2; ideal gains 2, 1, 1 → 2 + 1/log2(3) + 1/2.
  close(ndcgAt(ranked, qrels, 3), 2 / (2 + 1 / Math.log2(3) + 0.5));
  // At k = 1 only the first document counts: gain 1 against an ideal first gain of 2.
  close(ndcgAt(ranked, qrels, 1), 0.5);
  // A perfect ranking scores 1; judged-irrelevant and unjudged documents score nothing.
  close(ndcgAt(['c', 'a', 'e'], qrels, 10), 1);
  close(ndcgAt(['x', 'y'], qrels, 10), 0);
  close(ndcgAt(ranked, new Map(), 10), 0);
});

test('recall@k: share of the relevant documents in the top k', () => {
  close(recallAt(ranked, qrels, 2), 1 / 3);
  close(recallAt(ranked, qrels, 4), 2 / 3);
  close(recallAt(['a', 'c', 'e'], qrels, 100), 1);
  close(recallAt(ranked, new Map([['z', 0]]), 10), 0);
});

test('MRR@k: reciprocal rank of the first relevant document within k', () => {
  close(mrrAt(ranked, qrels, 10), 1);
  close(mrrAt(['b', 'c'], qrels, 10), 1 / 2);
  close(mrrAt(['b', 'd', 'x', 'e'], qrels, 10), 1 / 4);
  close(mrrAt(['b', 'c'], qrels, 1), 0);
});

test('summarize averages each metric over the queries', () => {
  const summary = summarize([
    { ranked: ['c', 'a', 'e'], qrels },
    { ranked: ['b', 'd'], qrels },
  ]);
  assert.equal(summary.queries, 2);
  close(summary.ndcg10, 0.5);
  close(summary.recall10, 0.5);
  close(summary.recall100, 0.5);
  close(summary.mrr10, 0.5);
  assert.equal(summarize([]).ndcg10, 0);
});
