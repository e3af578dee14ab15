import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analysis/analyzer.js';
import { parseQuery } from '../../src/search/query.js';
import { describeRewrites, rewriteUnknownWords } from '../../src/search/query-rewrite.js';

/** Chunk frequencies of a made-up library: these words exist; nothing else does. */
const FREQUENCIES = new Map(
  Object.entries({ autoscale: 15, layer: 40, zip: 30, file: 200, copied: 12, folder: 25, supposed: 5, reach: 30, web: 200, scale: 70, set: 300 })
    .map(([word, df]) => [analyze(word)[0]!, df]),
);
const frequency = (term: string) => FREQUENCIES.get(term) ?? 0;
const rewrite = (text: string) => rewriteUnknownWords(parseQuery(text), text, frequency);

test('a compound written together that the library writes apart is searched as its two words, phrase included', () => {
  const { parsed, rewrites } = rewrite('The resultant autoscalelayer.zip file should be copied');
  assert.deepEqual(rewrites.map((r) => [r.word, r.as]), [['autoscalelayer', ['autoscale', 'layer']]]);
  const [autoscale, layer] = [analyze('autoscale')[0]!, analyze('layer')[0]!];
  assert.ok(parsed.terms.has(autoscale) && parsed.terms.has(layer));
  assert.ok(!parsed.terms.has(analyze('autoscalelayer')[0]!), 'the word no chunk holds is gone');
  // The query's own phrase (the whole sentence) now reads as the library writes it.
  assert.ok(parsed.phrases.some((p) => p.join(' ').includes(`${autoscale} ${layer} ${analyze('zip')[0]}`)), JSON.stringify(parsed.phrases));
  assert.equal(describeRewrites(rewrites), '"autoscalelayer" as "autoscale layer"');
});

test('a misspelling is not rewritten for ranking: a word the corpus lacks is more often a real term than a typo', () => {
  assert.deepEqual(rewrite('how am I suposed to reach the web UI').rewrites, []);
});

test('a word the library cannot explain is left alone, and known words are never rewritten', () => {
  const unknown = rewrite('terraform module for the scale set');
  assert.deepEqual(unknown.rewrites, []);
  assert.ok(unknown.parsed.terms.has(analyze('terraform')[0]!), 'the relevance floor must still see that the library lacks it');
  const known = rewrite('scale set web folder');
  assert.deepEqual(known.rewrites, []);
  assert.deepEqual([...known.parsed.terms.keys()], [...parseQuery('scale set web folder').terms.keys()]);
});

test('short words are not split into fragments that happen to be words', () => {
  assert.deepEqual(rewrite('setweb').rewrites, [], 'below the compound length: "setweb" is not "set web"');
});
