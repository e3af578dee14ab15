import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FloorHeap } from '../../../src/search/segments/floor-heap.js';
import { RankedHeap } from '../../../src/search/segments/ranked-heap.js';

/**
 * Property: started from what a RankedHeap keeps, then offered more scores, the floor is the k-th
 * best score of all (the RankedHeap's own floor had it been offered the same), -Infinity while
 * fewer than k were offered, Infinity for k = 0.
 */
test('property: the floor is the k-th best score offered, as RankedHeap would have it', () => {
  // Few distinct scores, so that ties are common.
  const score = fc.integer({ min: 0, max: 6 }).map((s) => s / 4);
  fc.assert(
    fc.property(fc.array(score, { maxLength: 60 }), fc.array(score, { maxLength: 60 }), fc.nat(70), (first, later, k) => {
      const ranked = new RankedHeap(k);
      first.forEach((s, i) => ranked.offer(s, i + 1));
      const floors = new FloorHeap(k);
      floors.copyFrom(ranked);
      assert.equal(floors.floor, ranked.floor);
      later.forEach((s, i) => {
        floors.offer(s);
        ranked.offer(s, first.length + i + 1);
        assert.equal(floors.floor, ranked.floor);
      });
      const all = [...first, ...later].sort((a, b) => b - a);
      assert.equal(floors.floor, k === 0 ? Infinity : all.length < k ? -Infinity : all[k - 1]);
    }),
    { numRuns: 500 },
  );
});
