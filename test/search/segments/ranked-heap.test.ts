import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RankedHeap } from '../../../src/search/segments/ranked-heap.js';

/**
 * Property: whatever order pairs are offered in, `results()` lists the k best, best first (higher
 * score, then lower rowid), and leaves the heap as it was (asking twice gives the same list, and
 * later offers still count).
 */
test('property: results are the k best pairs, best first, ties by ascending rowid', () => {
  // Few distinct scores, so that ties are common.
  const pair = fc.record({ score: fc.integer({ min: 0, max: 6 }).map((s) => s / 4), rowid: fc.integer({ min: 1, max: 500 }) }).map(({ score, rowid }) => ({ score, rowid }));
  fc.assert(
    fc.property(fc.uniqueArray(pair, { selector: (p) => p.rowid, maxLength: 60 }), fc.nat(70), fc.nat(10), (pairs, k, later) => {
      const heap = new RankedHeap(k);
      const first = pairs.slice(0, pairs.length - Math.min(later, pairs.length));
      for (const { score, rowid } of first) heap.offer(score, rowid);
      const best = (offered: typeof pairs) => [...offered].sort((a, b) => b.score - a.score || a.rowid - b.rowid).slice(0, k);
      assert.deepEqual(heap.results(), best(first));
      assert.deepEqual(heap.results(), best(first));
      for (const { score, rowid } of pairs.slice(first.length)) heap.offer(score, rowid);
      assert.deepEqual(heap.results(), best(pairs));
    }),
    { numRuns: 300 },
  );
});
