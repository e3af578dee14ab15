import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAZY_PHRASES_MAX, matchedUpFront } from '../../../src/search/lexical/lexical-search.js';

/**
 * Which phrases a segment matches up front: each phrase left to be checked per surviving chunk
 * divides the pruning floor by its boost, so only LAZY_PHRASES_MAX are, the most expensive to match.
 * (That every choice ranks the same is ranking-property.test.ts's.)
 */

test('phrases with a rare word are matched up front, and so is everything when ranking is exhaustive', () => {
  assert.deepEqual(matchedUpFront([10, undefined, 5000], true, 2048), [true, false, false]);
  assert.deepEqual(matchedUpFront([10, undefined, 5000], false, 2048), [true, false, true]);
});

test(`of phrases of common words, at most ${LAZY_PHRASES_MAX} is checked per chunk, the one most costly to match`, () => {
  const lead = [90_000, 400_000, 120_000, 3_000, 250_000, 10, undefined];
  const eager = matchedUpFront(lead, true, 2048);
  const lazy = lead.flatMap((postings, p) => (postings !== undefined && !eager[p] ? [p] : []));
  assert.deepEqual(lazy, [1]);
  assert.equal(eager[6], false, 'a phrase that cannot match in the segment is neither');
  assert.deepEqual(matchedUpFront([50_000, undefined], true, 2048), [false, false], 'a single common phrase stays lazy');
});
