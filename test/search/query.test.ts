import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../src/analysis/analyzer.js';
import { leftOutNotice, parseQuery } from '../../src/search/query.js';
import { LIMITS } from '../../src/library/limits.js';

test('the analyzer lowercases, splits identifiers and stems', () => {
  assert.deepEqual(analyze('NOT_READY agents Configuring'), ['not', 'readi', 'agent', 'configur']);
  assert.deepEqual(analyze('show running-config'), ['show', 'run', 'config']);
  assert.deepEqual(analyze('/finesse/api/User/{id}'), ['finess', 'api', 'user', 'id']);
  assert.deepEqual(analyze('Café ＡＢＣ'), ['cafe', 'abc']);
});

test('identifiers and quoted text become phrases; stop words are not scored', () => {
  const q = parseQuery('how to set NOT_READY "reason code" via /finesse/api/User');
  assert.deepEqual(q.phrases.slice(1), [['reason', 'code'], ['not', 'readi'], ['finess', 'api', 'user']]);
  assert.deepEqual(q.phrases[0], q.tokens, 'the whole query is its first phrase');
  assert.ok(!q.terms.has('to'));
  assert.ok(q.terms.has('readi'));
});

test('a query of stop words still has terms', () => {
  assert.ok(parseQuery('to be or not to be').terms.size > 0);
});

test('property: any string parses, and phrases contain only letters and digits', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
      const q = parseQuery(raw);
      for (const phrase of q.phrases) for (const t of phrase) assert.match(t, /^[\p{L}\p{N}]+$/u);
      for (const t of q.terms.keys()) assert.match(t, /^[\p{L}\p{N}]+$/u);
    }),
    { numRuns: 2000 },
  );
});

test('terms and phrases past the limits are not scored, and the parse says which', () => {
  const words = Array.from({ length: LIMITS.queryTerms + 3 }, (_, i) => `Configuring${i}x`);
  const parsed = parseQuery(words.join(' '));
  assert.equal(parsed.terms.size, LIMITS.queryTerms);
  assert.deepEqual(parsed.termsLeftOut, words.slice(LIMITS.queryTerms), 'named as the query writes them, not stemmed');
  const quoted = parseQuery(Array.from({ length: LIMITS.queryPhrases + 2 }, (_, i) => `"alpha beta ${i}"`).join(' '));
  assert.equal(quoted.phrases.length, LIMITS.queryPhrases);
  assert.equal(quoted.phrasesLeftOut, 3, 'the query itself is a phrase too');
  assert.match(leftOutNotice(parsed) ?? '', /left out: "Configuring32x"/);
  const plain = parseQuery('configure the management interface');
  assert.equal(plain.termsLeftOut, undefined);
  assert.equal(plain.phrasesLeftOut, undefined);
  assert.equal(leftOutNotice(plain), undefined);
});
