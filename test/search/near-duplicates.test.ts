import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupNearDuplicates } from '../../src/search/near-duplicates.js';

/** Deterministic pseudo-random words, so that passages differ the way real ones do. */
function words(seed: number, count: number): string[] {
  let x = seed * 2654435761 >>> 0;
  return Array.from({ length: count }, () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6b43a9b5) >>> 0;
    return `w${(x % 5000).toString(36)}x`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
  });
}

test('folding compares only passages that share a bucket, not every pair', () => {
  const passages = Array.from({ length: 2000 }, (_, i) => ({ product: 'p', document: `d${i}`, text: words(i + 1, 60).join(' ') }));
  const stats = { comparisons: 0 };
  const groups = groupNearDuplicates(passages, undefined, stats);
  assert.equal(groups.length, passages.length, 'distinct passages stay apart');
  // All pairs would be 1,999,000 comparisons; bucketing leaves only chance collisions.
  assert.ok(stats.comparisons < passages.length / 10, `${stats.comparisons} exact comparisons`);
});

test('passages differing in a word or two still fold, whatever their order among others', () => {
  const passages = [];
  for (let i = 0; i < 200; i++) {
    const text = words(i + 7, 80);
    passages.push({ product: 'p', document: `v1-${i}`, text: text.join(' '), pair: i });
    const edited = [...text];
    edited[40] = 'changed';
    passages.push({ product: 'p', document: `v2-${i}`, text: edited.join(' '), pair: i });
  }
  passages.reverse();
  const groups = groupNearDuplicates(passages);
  assert.equal(groups.length, 200);
  assert.ok(groups.every((g) => g.length === 2 && g[0]!.pair === g[1]!.pair));
});

test('the same passage in two products does not fold', () => {
  const text = words(3, 50).join(' ');
  assert.equal(groupNearDuplicates([{ product: 'a', document: 'a1', text }, { product: 'b', document: 'b1', text }]).length, 2);
});
