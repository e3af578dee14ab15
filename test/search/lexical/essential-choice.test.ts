import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { chooseNonEssential } from '../../../src/search/lexical/essential-choice.js';

interface Entry { bound: number; postings: number; id: number }

/**
 * Property: the lists moved to the front (the non-essential ones) have bounds summing below the
 * floor, whatever the bounds, posting counts and floor; both sides keep their order; none is lost.
 * This is what makes the choice rank-safe (the ranking property test checks the whole search).
 */
test('property: non-essential lists sum below the floor, in front, both sides in order', () => {
  const entry = fc.record({ bound: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 20, noNaN: true })), postings: fc.integer({ min: 0, max: 5000 }) });
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 20 }), fc.oneof(fc.constant(-Infinity), fc.double({ min: 0, max: 60, noNaN: true })), (entries, floor) => {
      const lists: Entry[] = entries.map((e, id) => ({ ...e, id })).sort((a, b) => a.bound - b.bound || a.id - b.id);
      const before = lists.slice();
      const n = chooseNonEssential(lists, floor);
      let weak = 0;
      for (let i = 0; i < n; i++) weak += lists[i]!.bound;
      assert.ok(n === 0 || weak < floor, `non-essential bounds ${weak} reach the floor ${floor}`);
      assert.deepEqual([...lists].sort((a, b) => a.id - b.id), [...before].sort((a, b) => a.id - b.id));
      const rank = new Map(before.map((l, i) => [l, i]));
      for (const side of [lists.slice(0, n), lists.slice(n)]) {
        for (let i = 1; i < side.length; i++) assert.ok(rank.get(side[i - 1]!)! < rank.get(side[i]!)!);
      }
    }),
    { numRuns: 2000 },
  );
});

test('a common term with a middling bound is left out before a rare one with a small bound', () => {
  // By bound the rare term (bound 2, 10 postings) would be non-essential; the common one (bound 3,
  // 900 postings) saves more scoring, and only one of them fits below the floor.
  const lists = [
    { bound: 2, postings: 10, id: 0 },
    { bound: 3, postings: 900, id: 1 },
    { bound: 6, postings: 40, id: 2 },
  ];
  assert.equal(chooseNonEssential(lists, 4), 1);
  assert.deepEqual(lists.map((l) => l.id), [1, 0, 2]);
  // With no floor every list is essential and nothing moves.
  assert.equal(chooseNonEssential(lists, -Infinity), 0);
  assert.deepEqual(lists.map((l) => l.id), [1, 0, 2]);
});
