import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LexicalIndex, type LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { LazyBoostTest } from '../../../src/search/lexical/lazy-boost.js';
import { PhraseChecker, PhraseWords, segmentPhrase } from '../../../src/search/lexical/phrase-match.js';
import type { SegmentQuery } from '../../../src/search/lexical/ranking-types.js';
import { findTerm, termKey } from '../../../src/search/lexical/term-dictionary.js';
import type { LexicalSegmentData } from '../../../src/search/lexical/segment-data.js';

/**
 * A phrase of common words is checked per surviving chunk (lazily), and only a chunk holding every
 * word of it can be boosted: the others face the plain pruning floor, so they are neither scored in
 * full nor checked on the forward index. (That this ranks the same as exhaustive scoring is
 * ranking-property.test.ts's.)
 */

/** Deterministic pseudo-random numbers, so the corpus is the same on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * 12,000 chunks that all score on "alpha" (one to five times, among fillers of varied length), in
 * one segment of three pruning windows; those that `holds` picks also hold "the" and "of".
 */
function corpus(holds: (i: number) => boolean): { index: LexicalIndex; seg: LexicalSegmentData; docs: LexicalDoc[] } {
  const next = random(7);
  const docs: LexicalDoc[] = [];
  for (let i = 0; i < 12_000; i++) {
    const body: string[] = [];
    for (let n = 1 + Math.floor(next() * 5); n > 0; n--) body.push('alpha');
    for (let n = Math.floor(next() * 30); n > 0; n--) body.push(`filler${Math.floor(next() * 50)}`);
    if (holds(i)) body.push('the', 'alpha', 'of');
    docs.push({ rowid: i + 1, docRowid: 1 + (i % 40), fields: [[], [], body] });
  }
  const index = LexicalIndex.create(undefined, { eagerPhrasePostings: 0 });
  index.add(docs);
  return { index, seg: index.share().segments[0]!.data, docs };
}

/** Counts the forward-index phrase checks made while `work` runs. */
function countingChecks(work: () => void): number {
  const contains = PhraseChecker.prototype.contains;
  let checks = 0;
  PhraseChecker.prototype.contains = function counted(this: PhraseChecker, ...args: Parameters<typeof contains>) {
    checks++;
    return contains.apply(this, args);
  };
  try {
    work();
  } finally {
    PhraseChecker.prototype.contains = contains;
  }
  return checks;
}

test('a lazy phrase is checked only on chunks that hold all its words, and ranks as exhaustive scoring does', () => {
  const { index } = corpus((i) => i % 400 === 0);
  const query = { terms: new Map([['alpha', 1]]), phrases: [['the', 'alpha', 'of']] };
  let pruned: ReturnType<LexicalIndex['search']> = [];
  const checks = countingChecks(() => {
    pruned = index.search(query, 10);
  });
  assert.deepEqual(pruned, index.search(query, 10, undefined, { exhaustive: true }));
  assert.ok(pruned.some((hit) => (hit.rowid - 1) % 400 === 0), 'the boosted chunks rank');
  // 30 chunks hold the words, and some more reach the plain floor: 57 checks. Without the test every
  // chunk within the boost of the floor is scored and checked: 5,854.
  assert.ok(checks < 200, `${checks} forward-index checks`);
});

test('PhraseWords tells which chunks hold every word of a phrase, asked in any order', () => {
  const { seg, docs } = corpus((i) => i % 7 === 0);
  const ids = ['the', 'alpha', 'of'].map((word) => findTerm(seg, termKey(word)));
  const words = new PhraseWords(seg, segmentPhrase(ids));
  const next = random(11);
  // Local chunk numbers are the rowids' order within the segment: rowid - 1 here.
  const asked = Array.from({ length: 3000 }, () => Math.floor(next() * docs.length));
  for (const local of [...asked, ...asked.slice().sort((a, b) => a - b)]) {
    const body = docs[seg.rowids[local]! - 1]!.fields[2];
    assert.equal(words.holdsAll(local), body.includes('the') && body.includes('of'), `chunk ${local}`);
  }
});

test(`the test stops in a segment where more than half of the first ${LazyBoostTest.SAMPLE} chunks asked hold the words`, () => {
  /** A chunk past the sample that lacks the words. */
  const lacking = ({ seg, docs }: { seg: LexicalSegmentData; docs: LexicalDoc[] }) => {
    let local = LazyBoostTest.SAMPLE;
    while (docs[seg.rowids[local]! - 1]!.fields[2].includes('the')) local++;
    return local;
  };
  const testOf = (seg: LexicalSegmentData) => {
    const phrase = segmentPhrase(['the', 'alpha', 'of'].map((word) => findTerm(seg, termKey(word))));
    return new LazyBoostTest({ seg, lazy: [phrase] } as unknown as SegmentQuery);
  };
  // Two chunks in three hold the words: past the sample, every chunk is taken as boostable.
  const common = corpus((i) => i % 3 !== 0);
  const stops = testOf(common.seg);
  for (let local = 0; local < LazyBoostTest.SAMPLE; local++) stops.mayBoost(local);
  assert.equal(stops.mayBoost(lacking(common)), true);
  // One chunk in three holds them: the test goes on telling the others apart.
  const rare = corpus((i) => i % 3 === 0);
  const goesOn = testOf(rare.seg);
  for (let local = 0; local < LazyBoostTest.SAMPLE; local++) goesOn.mayBoost(local);
  assert.equal(goesOn.mayBoost(lacking(rare)), false);
});
