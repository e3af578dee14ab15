import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortedUnion } from '../../../src/search/lexical/lexical-search.js';

/** The chunks eager phrases matched, gathered once each in ascending order (the chunks ranked up front). */
test('the union of ascending sets is ascending, each chunk once', () => {
  assert.deepEqual([...sortedUnion([])], []);
  assert.deepEqual([...sortedUnion([new Uint32Array(0), Uint32Array.of(3)])], [3]);
  assert.deepEqual([...sortedUnion([Uint32Array.of(1, 5, 9, 70_000), Uint32Array.of(0, 5, 8, 9), Uint32Array.of(2, 70_000)])], [0, 1, 2, 5, 8, 9, 70_000]);
  // Numeric order, not the order of the numbers as text.
  assert.deepEqual([...sortedUnion([Uint32Array.of(10, 100_000), Uint32Array.of(9, 20_000)])], [9, 10, 20_000, 100_000]);
});
