import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_BM25 } from '../../../src/search/lexical/bm25-params.js';
import { DocsSource } from '../../../src/search/lexical/chunk-sources.js';
import { END, PostingCursor } from '../../../src/search/lexical/posting-cursor.js';
import { buildSegment } from '../../../src/search/lexical/segment-builder.js';
import { findTerm, termKey } from '../../../src/search/lexical/term-dictionary.js';

/**
 * Property: whatever order targets come in (forwards, backwards, repeated), `seek` lands on the
 * first posting at or after the target, and `advance` and `next` carry on from there as if the
 * cursor had only ever moved forward. Postings are dense and sparse runs, so that lists span many
 * blocks and blocks span wide gaps.
 */
test('property: seek moves to the first posting at or after any target, backwards too', () => {
  const dense = fc.record({ gap: fc.integer({ min: 1, max: 3 }), run: fc.integer({ min: 1, max: 300 }) });
  const sparse = fc.record({ gap: fc.integer({ min: 50, max: 3000 }), run: fc.integer({ min: 1, max: 4 }) });
  const layout = fc.array(fc.oneof(dense, sparse), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(layout, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (runs, picks) => {
      const docs: number[] = [];
      let at = 0;
      for (const { gap, run } of runs) for (let i = 0; i < run; i++) docs.push((at += gap));
      const count = at + 5;
      const holding = new Set(docs);
      const chunks = Array.from({ length: count }, (_, c) => ({ rowid: c + 1, docRowid: 1, fields: [[], [], holding.has(c) ? ['x', 'y'] : ['y']] as [string[], string[], string[]] }));
      const { data } = buildSegment(new DocsSource(chunks), { params: DEFAULT_BM25, boundAverages: [1, 1, 2], shared: false });
      const term = findTerm(data, termKey('x'));
      const cursor = new PostingCursor(data, term);
      const expected = (target: number) => docs.find((d) => d >= target) ?? END;
      for (const pick of picks) {
        const target = pick % (count + 2);
        cursor.seek(target);
        assert.equal(cursor.doc, expected(target), `seek(${target})`);
        if (cursor.doc === END) continue;
        const after = cursor.doc + 1 + (pick % 7);
        cursor.advance(after);
        assert.equal(cursor.doc, expected(after), `advance(${after}) after seek(${target})`);
        if (cursor.doc === END) continue;
        const from = cursor.doc;
        cursor.next();
        assert.equal(cursor.doc, expected(from + 1), `next() from ${from}`);
      }
    }),
    { numRuns: 40 },
  );
});
