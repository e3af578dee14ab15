import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strongFirst } from '../../src/search/match-order.js';

test('strong matches move ahead within the judged depth; partial and weak keep their order', () => {
  const ranked = ['a', 'b', 'c', 'd', 'e', 'f'];
  assert.deepEqual(strongFirst(ranked, ['weak', 'partial', 'strong', 'weak', 'strong']), ['c', 'e', 'a', 'b', 'd', 'f']);
});

test('results beyond the judged depth keep their place, even strong ones', () => {
  assert.deepEqual(strongFirst(['a', 'b', 'c'], ['partial', 'strong']), ['b', 'a', 'c']);
});

test('all strong or none strong: the ranked order as it was, in a new array', () => {
  const ranked = ['a', 'b'];
  const none = strongFirst(ranked, ['partial', 'weak']);
  assert.deepEqual(none, ranked);
  assert.notEqual(none, ranked);
  assert.deepEqual(strongFirst(ranked, ['strong', 'strong']), ranked);
  assert.deepEqual(strongFirst([], []), []);
});
