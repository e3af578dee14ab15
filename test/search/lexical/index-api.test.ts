import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LexicalIndex, type LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { IndexInputError } from '../../../src/search/segments/index-input-error.js';
import { DEFAULT_MERGE_POLICY, planMerge } from '../../../src/search/segments/merge-policy.js';
import { parseQuery } from '../../../src/search/query.js';
import { analyze } from '../../../src/analysis/analyzer.js';

/** The index's edges: empty index, k = 0, empty filter, rowid reuse, bad input, and the merge policy. */
const doc = (rowid: number, docRowid: number, text: string): LexicalDoc => ({ rowid, docRowid, fields: [[], [], analyze(text)] });

test('edge cases answer plainly', () => {
  const index = LexicalIndex.create();
  assert.deepEqual(index.search(parseQuery('anything'), 10), []);
  index.add([]);
  assert.equal(index.segmentCount, 0);
  index.add([doc(1, 1, 'running-config of the router'), doc(2, 1, 'the router boots'), doc(3, 2, 'show running-config')]);
  assert.deepEqual(index.search(parseQuery('router'), 0), []);
  assert.deepEqual(index.search(parseQuery('router'), 10, new Set()), []);
  assert.deepEqual(index.search(parseQuery('router'), 10, new Set([2])), []);
  assert.deepEqual(index.search(parseQuery('running-config'), 10, new Set([2])).map((h) => h.rowid), [3]);
  // A query of stop words only is answered on those words.
  assert.equal(index.search(parseQuery('the'), 10).length, 2);
  assert.equal(index.remove([2, 2, 99]), 1);
  assert.equal(index.remove([2]), 0);
  assert.equal(index.size, 2);
  index.add([doc(2, 1, 'the router reboots')]);
  assert.deepEqual(index.search(parseQuery('reboots'), 10).map((h) => h.rowid), [2]);
});

test('bad input is refused with what failed and what to do', () => {
  const index = LexicalIndex.create();
  index.add([doc(1, 1, 'one')]);
  const refuses = (call: () => unknown, pattern: RegExp) => assert.throws(call, (e: unknown) => e instanceof IndexInputError && pattern.test(e.message));
  refuses(() => index.add([doc(1, 1, 'again')]), /rowid 1 is already in the index.*Remove/);
  refuses(() => index.add([doc(5, 1, 'x'), doc(5, 1, 'y')]), /rowid 5 is already/);
  refuses(() => index.add([{ rowid: 1.5, docRowid: 1, fields: [[], [], []] }]), /rowid 1.5 is not a safe integer/);
  refuses(() => index.add([{ rowid: 7, docRowid: 1, fields: [[], [''], []] } as LexicalDoc]), /fields\[1\]\[0\] is not a non-empty string.*analyze/);
  refuses(() => index.add([{ rowid: 7, docRowid: 1, fields: [[], []] } as unknown as LexicalDoc]), /three token arrays/);
  refuses(() => index.search(parseQuery('one'), -1), /k -1/);
  refuses(() => index.search({ terms: new Map([['one', 0]]), phrases: [] }, 5), /count 0/);
  refuses(() => index.search({ terms: new Map([['one', 1]]), phrases: [[]] }, 5), /phrase 0/);
  refuses(() => index.search(parseQuery('one'), 5, [1] as unknown as Set<number>), /not a Set/);
  refuses(() => LexicalIndex.create({ k1: 0, b: 0.4, fieldWeights: [1, 1, 1], phraseBoost: 0.5 }), /k1/);
  refuses(() => LexicalIndex.create({ k1: 1, b: 1.5, fieldWeights: [1, 1, 1], phraseBoost: 0.5 }), /b must be between 0 and 1/);
});

test('the merge policy merges a full tier, drops empty segments and rewrites segments that lost many chunks', () => {
  const policy = { ...DEFAULT_MERGE_POLICY, floorChunks: 100, mergeFactor: 3 };
  const live = (...sizes: number[]) => sizes.map((n) => ({ chunks: n, live: n }));
  assert.equal(planMerge(live(50, 60), policy), undefined);
  assert.deepEqual(planMerge(live(50, 5000, 60, 70), policy), [0, 2, 3]);
  assert.deepEqual(planMerge(live(50, 60, 70, 80), policy), [0, 1, 2]);
  assert.deepEqual(planMerge([...live(50, 60), { chunks: 40, live: 0 }], policy), [2]);
  assert.deepEqual(planMerge([...live(5000), { chunks: 1000, live: 600 }], policy), [1]);
  assert.equal(planMerge(live(90, 95, 99), { ...policy, maxMergedChunks: 200 }), undefined);
});

test('containsPhrase: adjacent within one field, in the given documents, across segments and removals', () => {
  const index = LexicalIndex.create();
  index.add([doc(1, 1, 'attach the transit VPC to an internet gateway'), doc(2, 2, 'the AWS Transit Gateway replaces it')]);
  index.add([doc(3, 3, 'a transit gateway in another segment')]);
  const phrase = analyze('Transit Gateway');
  assert.equal(index.containsPhrase(phrase), true);
  assert.equal(index.containsPhrase(phrase, new Set([1])), false, 'both words, never together');
  assert.equal(index.containsPhrase(phrase, new Set([2])), true);
  assert.equal(index.containsPhrase(phrase, new Set([3])), true);
  assert.equal(index.containsPhrase(phrase, new Set()), false);
  assert.equal(index.containsPhrase(analyze('gateway transit'), new Set([2, 3])), false, 'order counts');
  assert.equal(index.containsPhrase(analyze('transit wormhole')), false, 'a word no segment has');
  index.remove([2, 3]);
  assert.equal(index.containsPhrase(phrase), false, 'removed chunks do not count');
  // Across fields: a title ending in "transit" and a body starting with "gateway" are not adjacent.
  index.add([{ rowid: 4, docRowid: 4, fields: [analyze('Guide to transit'), [], analyze('gateway setup')] }]);
  assert.equal(index.containsPhrase(phrase, new Set([4])), false);
});

test('containsTerm: any field, in the given documents, across segments and removals', () => {
  const index = LexicalIndex.create();
  index.add([doc(1, 1, 'the router boots'), doc(2, 2, 'the switch boots')]);
  index.add([{ rowid: 3, docRowid: 3, fields: [analyze('Terraform guide'), [], analyze('modules')] }]);
  const [router] = analyze('router');
  const [terraform] = analyze('Terraform');
  assert.equal(index.containsTerm(router!), true);
  assert.equal(index.containsTerm(router!, new Set([1])), true);
  assert.equal(index.containsTerm(router!, new Set([2, 3])), false);
  assert.equal(index.containsTerm(terraform!, new Set([3])), true, 'a title word counts');
  assert.equal(index.containsTerm(analyze('wormhole')[0]!), false);
  assert.equal(index.containsTerm(router!, new Set()), false);
  index.remove([1]);
  assert.equal(index.containsTerm(router!), false, 'removed chunks do not count');
  // Many documents, one of them far along the postings: found whatever the filter's size.
  const many = LexicalIndex.create();
  many.add(Array.from({ length: 3000 }, (_, i) => doc(10 + i, 100 + i, i % 1000 === 999 ? 'the gateway' : 'the router')));
  assert.equal(many.containsTerm(analyze('gateway')[0]!, new Set([1099, 5])), true);
  assert.equal(many.containsTerm(analyze('gateway')[0]!, new Set([1098, 2100])), false);
  assert.equal(many.containsTerm(analyze('gateway')[0]!, new Set(Array.from({ length: 2000 }, (_, i) => 100 + i))), true);
});
