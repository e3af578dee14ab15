import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupNearDuplicates, signatureOf } from '../../src/search/near-duplicates.js';
import { PassageSignatures } from '../../src/search/passage-signatures.js';

const text = (i: number) => `Passage ${'abcdefghij'[i % 10]} ${'klmnopqrst'[Math.floor(i / 10) % 10]} about the health monitor and its probes, alarms and intervals.`;

test('a kept signature is the one the text makes, and one text is signed once', () => {
  const signatures = new PassageSignatures(100);
  const first = signatures.of(text(1));
  assert.deepEqual(first, signatureOf(text(1)));
  // A text read again (another chunk with the same words, or the next query) is the same entry.
  assert.equal(signatures.of(`${text(1)}`.slice(0)), first);
  assert.equal(signatures.size, 1);
});

test('kept signatures stay within two generations, and what is read again survives a turn', () => {
  const signatures = new PassageSignatures(10);
  const hot = signatures.of(text(0));
  for (let i = 1; i < 60; i++) {
    signatures.of(text(i));
    assert.equal(signatures.of(text(0)), hot, `still kept after ${i} others`);
    assert.ok(signatures.size <= 20, `${signatures.size} kept`);
  }
  const cold = signatures.of(text(1));
  assert.notEqual(cold, undefined);
});

test('folding with kept signatures groups exactly as folding from the texts', () => {
  const signatures = new PassageSignatures(8);
  const passages = Array.from({ length: 40 }, (_, i) => ({ product: 'p', version: String(i % 3), document: `d${i}`, text: text(i % 13) }));
  const fromTexts = groupNearDuplicates(passages).map((g) => g.map((p) => p.document));
  const kept = groupNearDuplicates(passages, undefined, undefined, (p) => signatures.of(p.text)).map((g) => g.map((p) => p.document));
  assert.deepEqual(kept, fromTexts);
  assert.ok(fromTexts.length < passages.length, 'some passages fold');
});
