import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BandBuckets, groupNearDuplicates, MIN_HASHES } from '../../src/search/near-duplicates.js';

/** Deterministic pseudo-random words, so that passages differ the way real ones do. */
function words(seed: number, count: number): string[] {
  let x = seed * 2654435761 >>> 0;
  return Array.from({ length: count }, () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6b43a9b5) >>> 0;
    return `w${(x % 5000).toString(36)}x`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
  });
}

test('folding compares only passages that share a bucket, not every pair', () => {
  const passages = Array.from({ length: 2000 }, (_, i) => ({ product: 'p', version: '1', document: `d${i}`, text: words(i + 1, 60).join(' ') }));
  const stats = { comparisons: 0 };
  const groups = groupNearDuplicates(passages, undefined, stats);
  assert.equal(groups.length, passages.length, 'distinct passages stay apart');
  // All pairs would be 1,999,000 comparisons; bucketing leaves only chance collisions.
  assert.ok(stats.comparisons < passages.length / 10, `${stats.comparisons} exact comparisons`);
});

test('passages differing in a word or two still fold, whatever their order among others', () => {
  const passages = [];
  for (let i = 0; i < 200; i++) {
    const text = words(i + 7, 80);
    passages.push({ product: 'p', version: '1', document: `v1-${i}`, text: text.join(' '), pair: i });
    const edited = [...text];
    edited[40] = 'changed';
    passages.push({ product: 'p', version: '2', document: `v2-${i}`, text: edited.join(' '), pair: i });
  }
  passages.reverse();
  const groups = groupNearDuplicates(passages);
  assert.equal(groups.length, 200);
  assert.ok(groups.every((g) => g.length === 2 && g[0]!.pair === g[1]!.pair));
});

test('within one version, re-extracted revisions fold at a lower overlap than versions do', () => {
  const text = words(5, 60);
  // Table cells of five words extracted in reverse order: the same words, about half the shingles.
  const cells = Array.from({ length: 12 }, (_, i) => text.slice(i * 5, i * 5 + 5));
  const reordered = cells.reverse().flat();
  const rev = (version: string, document: string, t: string[]) => ({ product: 'p', version, document, text: t.join(' ') });
  assert.equal(groupNearDuplicates([rev('2.0', 'guide-rev1', text), rev('2.0', 'guide-rev2', reordered)]).length, 1);
  assert.equal(groupNearDuplicates([rev('2.0', 'guide', text), rev('2.1', 'guide-new', reordered)]).length, 2);
});

test('the same passage in two products does not fold', () => {
  const text = words(3, 50).join(' ');
  assert.equal(groupNearDuplicates([{ product: 'a', version: '1', document: 'a1', text }, { product: 'b', version: '1', document: 'b1', text }]).length, 2);
});

test('band buckets find exactly the groups that share a whole band with a signature, first created first', () => {
  // Signatures over a tiny alphabet, so that bands collide often, partly (one hash of two) and whole.
  let seed = 11;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
  const signatures: Uint32Array[] = [];
  const buckets = new BandBuckets(400);
  let shared = 0;
  for (let n = 0; n < 400; n++) {
    const own = Uint32Array.from({ length: MIN_HASHES }, () => next() % 6);
    // What scanning every group finds: those agreeing with `own` on both hashes of some band.
    const expected = signatures.map((s, g) => [s, g] as const)
      .filter(([s]) => Array.from({ length: MIN_HASHES / 2 }, (_, b) => s[2 * b] === own[2 * b] && s[2 * b + 1] === own[2 * b + 1]).some(Boolean))
      .map(([, g]) => g);
    assert.deepEqual(buckets.sharing(own), expected, `signature ${n}`);
    shared += expected.length;
    if (n % 3 !== 2) buckets.add(signatures.push(own) - 1, own);
  }
  assert.ok(shared > 1000, `${shared} groups shared a band`);
});
