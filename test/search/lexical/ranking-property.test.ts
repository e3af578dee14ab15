import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Bm25Params } from '../../../src/search/lexical/bm25-params.js';
import { LexicalIndex, type LexicalDoc, type LexicalQuery } from '../../../src/search/lexical/lexical-index.js';
import { bruteForceSearch } from './brute-force.js';

/**
 * Property: after any sequence of adds, removes, updates (remove + re-add of a rowid) and merge
 * steps, the pruned search, the exhaustive search and a naive reference over the live chunks return
 * the same top k with bit-identical scores — for random BM25 parameters, queries (repeated terms,
 * unknown terms), phrases (random and copied from chunks), document filters and k. Small
 * vocabularies make many ties (ordered by rowid) and high term frequencies (the side table); large
 * corpora make multi-block posting lists, so block skipping and block bounds are exercised.
 */
const RUNS = { numRuns: 120 };

const params = fc.record({
  k1: fc.double({ min: 0.05, max: 3, noNaN: true }),
  b: fc.double({ min: 0, max: 1, noNaN: true }),
  fieldWeights: fc.tuple(fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })),
  phraseBoost: fc.oneof(fc.constant(0.5), fc.double({ min: 0, max: 2, noNaN: true })),
}).map((p): Bm25Params => ({ ...p, fieldWeights: [...p.fieldWeights] }));

/** A chunk's fields as indexes into the vocabulary; skewed towards low indexes like real text. */
const tokenIndex = (vocab: number) => fc.tuple(fc.nat(vocab - 1), fc.nat(vocab - 1)).map(([a, b]) => Math.min(a, b));
const chunkShape = (vocab: number) => fc.record({
  doc: fc.nat(12),
  title: fc.array(tokenIndex(vocab), { maxLength: 8 }),
  headings: fc.array(tokenIndex(vocab), { maxLength: 5 }),
  body: fc.array(tokenIndex(vocab), { maxLength: 40 }),
  // A word repeated many times in a few chunks: the outliers that make block maxima differ.
  burst: fc.option(fc.tuple(fc.nat(vocab - 1), fc.integer({ min: 1, max: 24 })), { freq: 4, nil: undefined }),
}).map(({ burst, ...c }) => ({ ...c, body: burst ? [...c.body, ...Array<number>(burst[1]).fill(burst[0])] : c.body }));

type Op =
  | { kind: 'add'; chunks: { doc: number; title: number[]; headings: number[]; body: number[] }[] }
  | { kind: 'remove' | 'update'; picks: number[] }
  | { kind: 'merge'; steps: number };

const ops = (vocab: number, batch: { min: number; max: number }) => fc.array(fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), chunks: fc.array(chunkShape(vocab), { minLength: batch.min, maxLength: batch.max }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('remove' as const, 'update' as const), picks: fc.array(fc.nat(), { maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), steps: fc.integer({ min: 1, max: 4 }) }) },
), { minLength: 1, maxLength: 10 });

const queryShape = (vocab: number) => fc.record({
  terms: fc.array(fc.tuple(fc.integer({ min: 0, max: vocab + 2 }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 6 }),
  phrases: fc.array(fc.oneof(
    fc.record({ from: fc.constant('vocab' as const), tokens: fc.array(fc.nat(vocab + 1), { minLength: 1, maxLength: 4 }) }),
    fc.record({ from: fc.constant('chunk' as const), chunk: fc.nat(), start: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  ), { maxLength: 4 }),
  k: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), fc.constant(1000)),
  filter: fc.option(fc.uniqueArray(fc.nat(12), { maxLength: 6 }), { nil: undefined }),
});

const word = (i: number) => `w${i}`;
/** Which phrases are matched up front and which per surviving chunk: both paths must give the same results. */
const eagerPhrasePostings = fc.constantFrom(0, 4, 40, 2048);

function run(vocab: number, batch: { min: number; max: number }, runs = RUNS) {
  fc.assert(
    fc.property(params, eagerPhrasePostings, ops(vocab, batch), fc.array(queryShape(vocab), { minLength: 1, maxLength: 8 }), (p, eager, operations, queries) => {
      const index = LexicalIndex.create(p, { mergePolicy: { floorChunks: 4, mergeFactor: 2, maxRemovedShare: 0.2 }, eagerPhrasePostings: eager });
      const live = new Map<number, LexicalDoc>();
      let nextRowid = 1;
      const make = (rowid: number, c: { doc: number; title: number[]; headings: number[]; body: number[] }): LexicalDoc =>
        ({ rowid, docRowid: c.doc, fields: [c.title.map(word), c.headings.map(word), c.body.map(word)] });
      for (const op of operations) {
        if (op.kind === 'add') {
          const docs = op.chunks.map((c) => make((nextRowid += 1 + (c.body.length % 3)), c));
          index.add(docs);
          for (const d of docs) live.set(d.rowid, d);
        } else if (op.kind === 'merge') {
          for (let s = 0; s < op.steps; s++) index.mergeStep();
        } else {
          const rowids = [...live.keys()];
          if (rowids.length === 0) continue;
          const picked = [...new Set(op.picks.map((i) => rowids[i % rowids.length]!))];
          assert.equal(index.remove([...picked, -5]), picked.length);
          const replaced = picked.map((r) => live.get(r)!);
          for (const r of picked) live.delete(r);
          if (op.kind === 'update') {
            // Same rowids, new content: the old body reversed into the title.
            const docs = replaced.map((d): LexicalDoc => ({ rowid: d.rowid, docRowid: d.docRowid, fields: [[...d.fields[2]].reverse().slice(0, 6), d.fields[1], d.fields[0]] }));
            index.add(docs);
            for (const d of docs) live.set(d.rowid, d);
          }
        }
      }
      assert.equal(index.size, live.size);
      const docs = [...live.values()];
      for (const q of queries) {
        const terms = new Map<string, number>();
        for (const [t, count] of q.terms) terms.set(word(t), (terms.get(word(t)) ?? 0) + count);
        const phrases = q.phrases.map((ph) => {
          if (ph.from === 'vocab') return ph.tokens.map(word);
          const body = docs.length > 0 ? docs[ph.chunk % docs.length]!.fields[2] : [];
          const start = body.length > 0 ? ph.start % body.length : 0;
          const slice = body.slice(start, start + ph.length);
          return slice.length > 0 ? slice : ['w0'];
        });
        const query: LexicalQuery = { terms, phrases };
        const filter = q.filter && new Set(q.filter);
        const expected = bruteForceSearch(docs, p, query, q.k, filter);
        assert.deepEqual(index.search(query, q.k, filter, { exhaustive: true }), expected, 'exhaustive');
        assert.deepEqual(index.search(query, q.k, filter), expected, 'pruned');
      }
    }),
    runs,
  );
}

test('property: pruned search equals exhaustive search and a naive reference (small corpora, many ties)', () => {
  run(6, { min: 1, max: 12 });
});

test('property: pruned search equals the reference on larger corpora (multi-block postings)', () => {
  run(40, { min: 200, max: 600 }, { numRuns: 25 });
});

test('chunks with fields of 65,535 tokens and more score as the reference scores them', () => {
  // The scorer reads a field's length normaliser from a table by 16-bit length; longer fields are
  // normalised apart (exactly as the table would), and must rank exactly as the reference ranks them.
  const filler = (n: number, t: string) => Array<string>(n).fill(t);
  const lengths = [0, 1, 7, 65_534, 65_535, 65_536, 70_001];
  const docs: LexicalDoc[] = lengths.flatMap((n, i) => [
    { rowid: 10 * i + 1, docRowid: i, fields: [[...filler(n, 'pad'), 'key', 'word'], ['key'], ['word']] },
    { rowid: 10 * i + 2, docRowid: i, fields: [['word'], [...filler(n, 'pad'), 'key'], ['key', 'word']] },
    { rowid: 10 * i + 3, docRowid: i, fields: [['key'], ['word'], [...filler(n, 'pad'), 'key', 'word', 'key']] },
  ]);
  const p: Bm25Params = { k1: 1.2, b: 0.75, fieldWeights: [2, 1.5, 1], phraseBoost: 0.5 };
  const index = LexicalIndex.create(p);
  index.add(docs);
  for (const query of [{ terms: new Map([['key', 1], ['word', 2]]), phrases: [['key', 'word']] }, { terms: new Map([['pad', 1], ['key', 1]]), phrases: [] }]) {
    const expected = bruteForceSearch(docs, p, query, 1000);
    assert.equal(expected.length, docs.length);
    assert.deepEqual(index.search(query, 1000, undefined, { exhaustive: true }), expected, 'exhaustive');
    assert.deepEqual(index.search(query, 5), expected.slice(0, 5), 'pruned');
  }
});
