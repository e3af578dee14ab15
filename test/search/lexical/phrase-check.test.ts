import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkTermsOf } from '../../../src/search/lexical/chunk-terms.js';
import { LexicalIndex, type LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { containsIdSequence, PhraseChecker, segmentPhrase } from '../../../src/search/lexical/phrase-match.js';
import { postingCount } from '../../../src/search/lexical/segment-data.js';

/**
 * The forward-index phrase check scans for the phrase's rarest word, not its first: it must find
 * exactly the chunks that hold the phrase's words adjacently within one field, also where term ids
 * take several bytes and the rarest word comes last or in the middle.
 */
test('a phrase is found from its rarest word, within one field, whatever its words\' byte lengths', () => {
  let s = 3;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  // 600 distinct words (ids past 127 take two bytes); low numbers common, high ones rare.
  const word = () => `w${Math.floor(600 * next() ** 3)}`;
  const field = (n: number) => Array.from({ length: Math.floor(next() * n) }, word);
  const docs: LexicalDoc[] = Array.from({ length: 3000 }, (_, i) => ({ rowid: i + 1, docRowid: 1 + (i % 9), fields: [field(6), field(4), field(60)] }));
  const index = LexicalIndex.create();
  index.add(docs);
  const seg = index.share().segments[0]!.data;
  const checker = new PhraseChecker(seg);
  let tried = 0;
  let found = 0;
  for (let d = 0; d < 3000 && tried < 400; d += 7) {
    // Phrases copied from a chunk's body (found at least there) and across its field boundaries.
    const terms = chunkTermsOf(seg, d);
    for (const [start, length] of [[terms.body[0] + 2, 3], [terms.body[0] + 5, 2], [terms.headings[0] - 1, 2], [terms.body[0] - 1, 3]] as const) {
      if (start < 0 || start + length > terms.ids.length) continue;
      const ids = [...terms.ids.subarray(start, start + length)];
      const phrase = segmentPhrase(ids);
      const rarest = ids.indexOf(ids.reduce((a, b) => (postingCount(seg, b) < postingCount(seg, a) ? b : a)));
      tried++;
      for (let c = 0; c < 3000; c += 13) {
        const t = chunkTermsOf(seg, c);
        const fields: [number, number][] = [[0, t.headings[0]], t.headings, t.body];
      const expected = fields.some(([from, to]) => containsIdSequence(t.ids, from, to, ids));
        assert.equal(checker.contains(c, phrase), expected, `chunk ${c}, phrase ${ids.join(' ')} (rarest at ${rarest})`);
        if (expected) found++;
      }
    }
  }
  assert.ok(tried >= 100 && found > 50, `${tried} phrases, ${found} chunks holding one`);
});
