import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analysis/analyzer.js';
import { parseQuery } from '../../src/search/query.js';
import { correction, SPELLED_LETTERS } from '../../src/search/spelling.js';
import type { TermWeights } from '../../src/search/term-weights.js';
import { SPELLED_LETTERS_PER_QUERY, weighQuery } from '../../src/search/weighted-query.js';

/**
 * Reading a word the library lacks as a misspelling costs some 54 analysed edits per letter: the
 * work a query can ask for is bounded by the letters of a word that can change its term and by
 * the letters read per query.
 */

const SUPPOSED = analyze('supposed')[0]!;

/** A library holding "supposed" in 5 chunks and nothing else, counting the terms it is asked about. */
function countingWeights(): TermWeights & { lookups: number } {
  const weights = {
    lookups: 0,
    frequency: (term: string) => {
      weights.lookups++;
      return term === SUPPOSED ? 5 : 0;
    },
    known: (term: string) => term === SUPPOSED,
    idf: (term: string) => (term === SUPPOSED ? 5 : 7),
  };
  return weights;
}

/** Median milliseconds of correcting `word` in a library that lacks every word. */
function correctionMs(word: string): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    correction(word, () => 0);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
}

test('a word longer than the analyzer reads costs what its first letters do, and is corrected as they are', () => {
  correctionMs('q'.repeat(SPELLED_LETTERS));
  const short = correctionMs('q'.repeat(SPELLED_LETTERS));
  const long = correctionMs('q'.repeat(1000));
  // Reading all 1,000 letters took some 30× as long as 65 (517 against 17 ms).
  assert.ok(long < 4 * short, `a 1,000-letter word took ${long.toFixed(1)} ms, one of ${SPELLED_LETTERS} letters ${short.toFixed(1)} ms`);
  // Letters past the cut never change the term an edit reads as.
  const frequency = (term: string) => (term === analyze('a'.repeat(63) + 'b')[0] ? 3 : 0);
  assert.equal(correction('a'.repeat(64) + 'c'.repeat(900), frequency), analyze('a'.repeat(63) + 'b')[0]);
  assert.equal(correction('a'.repeat(63) + 'x' + 'b'.repeat(900), frequency), analyze('a'.repeat(63) + 'b')[0]);
});

test('a misspelling is still read as the word it misspells', () => {
  const weighed = weighQuery(parseQuery('how am I suposed to reach it'), 'how am I suposed to reach it', countingWeights());
  assert.ok(weighed.weights.has(SUPPOSED));
});

test('the letters of unknown words read as misspellings are bounded per query; words past them count as lacking', () => {
  const madeUp = Array.from({ length: 30 }, (_, i) => `zq${String.fromCharCode(97 + (i % 26))}${'x'.repeat(28)}${String.fromCharCode(97 + ((i * 7) % 26))}`);
  const query = `${madeUp.join(' ')} suposed`;
  const weights = countingWeights();
  const weighed = weighQuery(parseQuery(query), query, weights);
  // Each letter read is some 54 edits, each one look-up at most.
  const bound = 54 * SPELLED_LETTERS_PER_QUERY + 100;
  assert.ok(weights.lookups <= bound, `${weights.lookups} look-ups, more than ${bound}`);
  assert.equal(weighed.weights.has(SUPPOSED), false);
  assert.ok(weighed.unknown.includes('suposed'), 'the word past the bound is named as one the library lacks');
});
