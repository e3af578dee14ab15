import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../src/analysis/analyzer.js';
import { LexicalIndex, type LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { PhraseChecker } from '../../../src/search/lexical/phrase-match.js';
import type { LexicalQuery } from '../../../src/search/lexical/lexical-input.js';

const doc = (rowid: number, text: string): LexicalDoc => ({ rowid, docRowid: rowid, fields: [[], [], analyze(text)] });

/** Counts the forward-index phrase checks `search` makes. */
function checksDuring(search: () => unknown): number {
  const original = PhraseChecker.prototype.contains;
  let checks = 0;
  PhraseChecker.prototype.contains = function (this: PhraseChecker, ...args: Parameters<PhraseChecker['contains']>) {
    checks++;
    return original.apply(this, args);
  };
  try {
    search();
  } finally {
    PhraseChecker.prototype.contains = original;
  }
  return checks;
}

test('a chunk is checked for its phrases only while the boosts it can still get could lift it into the results', () => {
  // Two phrases, checked per surviving chunk (lazy). Of the two results, one holds "alpha beta"
  // adjacently; the sixty look-alikes hold both words apart, with a term score a little below its
  // own, and neither "gamma" nor "delta". The bound of both phrases' boosts together lets them
  // through pruning; each can only gain the first phrase's boost, which cannot lift it into the
  // results, so none of them needs a phrase check.
  const docs = [doc(1, 'alpha beta'), doc(2, 'gamma padding padding padding padding padding padding padding padding delta')];
  for (let rowid = 3; rowid < 63; rowid++) docs.push(doc(rowid, 'beta pad alpha'));
  const index = LexicalIndex.create(undefined, { eagerPhrasePostings: 0 });
  index.add(docs);
  const query: LexicalQuery = {
    terms: new Map([['alpha', 1], ['beta', 1], ['gamma', 1], ['delta', 1]]),
    phrases: [['alpha', 'beta'], ['gamma', 'delta']],
  };
  const exhaustive = index.search(query, 2, undefined, { exhaustive: true });
  let pruned: ReturnType<typeof index.search> = [];
  const checks = checksDuring(() => (pruned = index.search(query, 2)));
  assert.deepEqual(pruned, exhaustive);
  assert.deepEqual(pruned.map((hit) => hit.rowid), [2, 1]);
  assert.ok(checks <= 2, `${checks} phrase checks; the look-alikes cannot reach the results and need none`);
});
