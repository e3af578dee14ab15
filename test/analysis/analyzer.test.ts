import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/analyzer.js';

test('ASCII text is read without Unicode normalisation: it is its own NFKC and NFD, one character or two together', () => {
  const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
  for (const a of ascii) {
    for (const b of ascii) {
      const text = a + b;
      assert.equal(text.normalize('NFKC'), text);
      assert.equal(text.toLowerCase().normalize('NFD'), text.toLowerCase());
    }
    assert.doesNotMatch(a, /\p{M}/u);
  }
  assert.deepEqual(analyze('Set NOT_READY on ConfigFileURL v12.5(1), Policies!'), ['set', 'not', 'readi', 'on', 'configfileurl', 'v12', '5', '1', 'polici']);
  // Text outside ASCII is still normalised: a ligature, full-width letters and a combining accent.
  assert.deepEqual(analyze('ﬁle ＡＢＣ Cafe\u0301'), ['file', 'abc', 'cafe']);
});
