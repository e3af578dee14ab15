import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeArrayFile } from '../../../src/search/segments/array-file.js';
import { VECTOR_FORMAT } from '../../../src/search/vector/vector-file.js';
import { IndexFileError } from '../../../src/search/segments/index-file-error.js';
import { IndexInputError } from '../../../src/search/segments/index-input-error.js';
import { meanOf } from '../../../src/search/vector/sign-code.js';
import { SegmentedVectorIndex, type VectorRow } from '../../../src/search/vector/vector-index.js';
import { useLikeVectors } from '../../../bench/lib/fixtures/use-like-vectors.js';
import { exactTop } from './exact-neighbours.js';

/**
 * The incremental vector index keeps the in-memory index's recall against exact cosine, with
 * vectors added in batches, removed, merged and filtered by document; ranks the same however the
 * vectors were batched (the mean is fixed per index); saves and loads; and shares its arrays.
 */
const DIMS = 512;
const rows: VectorRow[] = useLikeVectors(12_000, DIMS, 7).map((vector, i) => ({ rowid: 5 + i * 2, docRowid: 1 + Math.floor(i / 12), vector }));
const queries = useLikeVectors(60, DIMS, 99);

function recallAt10(index: SegmentedVectorIndex, live: VectorRow[], allowed?: ReadonlySet<number>): number {
  let found = 0;
  let wanted = 0;
  for (const query of queries) {
    const exact = exactTop(live, query, 10, allowed);
    const approx = new Set(index.search(query, 10, allowed).map((r) => r.rowid));
    found += exact.filter((r) => approx.has(r)).length;
    wanted += exact.length;
  }
  return found / wanted;
}

test('recall@10 against exact cosine stays ≥ 0.99 through batches, removals, merges and filters', () => {
  const index = SegmentedVectorIndex.create({ dims: DIMS, mergePolicy: { floorChunks: 500, mergeFactor: 4 } });
  for (let i = 0; i < rows.length; i += 1000) index.add(rows.slice(i, i + 1000));
  const removed = rows.filter((_, i) => i % 5 === 0);
  assert.equal(index.remove(removed.map((r) => r.rowid)), removed.length);
  const live = rows.filter((_, i) => i % 5 !== 0);
  assert.ok(recallAt10(index, live) >= 0.99, 'before merging');
  let steps = 0;
  while (index.mergeStep()) steps++;
  assert.ok(steps > 0 && index.segmentCount < 12, `${steps} merges, ${index.segmentCount} segments`);
  assert.equal(index.size, live.length);
  const recall = recallAt10(index, live);
  assert.ok(recall >= 0.99, `recall@10 ${recall}`);
  const allowed = new Set(Array.from({ length: 80 }, (_, i) => 1 + i * 11));
  const filtered = recallAt10(index, live, allowed);
  assert.ok(filtered >= 0.99, `filtered recall@10 ${filtered}`);
  for (const query of queries.slice(0, 10)) {
    const hits = index.search(query, 10, allowed);
    assert.ok(hits.every((h) => allowed.has(live.find((r) => r.rowid === h.rowid)!.docRowid)));
  }
  // Scores are cosines to 8-bit precision.
  const [best] = index.search(queries[0]!, 1);
  const exact = live.find((r) => r.rowid === best!.rowid)!.vector.reduce((s, x, j) => s + x * queries[0]![j]!, 0);
  assert.ok(Math.abs(best!.score - exact) < 0.02);
});

test('results do not depend on batching; the mean stays fixed; save, load and share keep them', () => {
  const mean = meanOf(rows.map((r) => r.vector), DIMS);
  const oneBatch = SegmentedVectorIndex.create({ dims: DIMS, mean });
  oneBatch.add(rows.filter((_, i) => i % 3 !== 0));
  const batched = SegmentedVectorIndex.create({ dims: DIMS, mean, shared: true, mergePolicy: { floorChunks: 300, mergeFactor: 3 } });
  for (let i = 0; i < rows.length; i += 700) batched.add(rows.slice(i, i + 700));
  batched.remove(rows.filter((_, i) => i % 3 === 0).map((r) => r.rowid));
  const answers = (index: SegmentedVectorIndex) => queries.map((q) => index.search(q, 20));
  const reference = answers(oneBatch);
  assert.deepEqual(answers(batched), reference);
  while (batched.mergeStep());
  assert.deepEqual(answers(batched), reference);
  assert.deepEqual(batched.mean, mean);

  // Without a given mean, the first batch fixes it: later batches do not move it.
  const implicit = SegmentedVectorIndex.create({ dims: DIMS });
  implicit.add(rows.slice(0, 3000));
  const first = implicit.mean;
  implicit.add(rows.slice(3000, 4000));
  assert.deepEqual(implicit.mean, first);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-vec-'));
  const file = path.join(dir, 'vectors.idx');
  batched.save(file, 'log:7');
  const { index: loaded, position } = SegmentedVectorIndex.load(file, { dims: DIMS, shared: true });
  assert.equal(position, 'log:7');
  assert.deepEqual(answers(loaded), reference);
  const handle = loaded.share();
  assert.ok(handle.segments.every((s) => s.data.codes.buffer instanceof SharedArrayBuffer));
  assert.deepEqual(answers(SegmentedVectorIndex.attach(handle)), reference);
  assert.throws(() => SegmentedVectorIndex.load(file, { dims: 384 }), (e: unknown) => e instanceof IndexFileError && e.problem === 'mismatch');
  const damaged = fs.readFileSync(file);
  damaged[damaged.length - 100]! ^= 1;
  fs.writeFileSync(file, damaged);
  assert.throws(() => SegmentedVectorIndex.load(file), (e: unknown) => e instanceof IndexFileError && e.problem === 'corrupt');
  // A sound container with damaged metadata (no dimensions) is refused the same way.
  writeArrayFile(file, { kind: 'vector', format: VECTOR_FORMAT, meta: { position: 'log:7', segments: [] }, arrays: [new Float32Array(DIMS)] });
  assert.throws(() => SegmentedVectorIndex.load(file), (e: unknown) => e instanceof IndexFileError && e.problem === 'corrupt' && /metadata\.dims/.test(e.message));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('bad vectors are refused with what failed', () => {
  const index = SegmentedVectorIndex.create({ dims: 4 });
  const refuses = (call: () => unknown, pattern: RegExp) => assert.throws(call, (e: unknown) => e instanceof IndexInputError && pattern.test(e.message));
  refuses(() => index.add([{ rowid: 1, docRowid: 1, vector: new Float32Array(3) }]), /3 dimensions, the index 4/);
  refuses(() => index.add([{ rowid: 1, docRowid: 1, vector: Float32Array.of(0, Number.NaN, 0, 0) }]), /dimension 1 is NaN/);
  refuses(() => index.search([1, 0, 0, 0] as unknown as Float32Array, 3), /not a Float32Array/);
  index.add([{ rowid: 1, docRowid: 1, vector: Float32Array.of(1, 0, 0, 0) }]);
  refuses(() => index.add([{ rowid: 1, docRowid: 2, vector: Float32Array.of(0, 1, 0, 0) }]), /rowid 1 is already/);
  assert.deepEqual(index.search(Float32Array.of(1, 0, 0, 0), 5).map((r) => r.rowid), [1]);
  refuses(() => SegmentedVectorIndex.create({ dims: 0 }), /dims 0/);
});

/** A row's score as the index defines it: its 8-bit vector and float32 scale (as built), summed one dimension at a time in order. */
function quantisedCosine(vector: Float32Array, query: Float32Array): number {
  let max = 0;
  for (const x of vector) max = Math.max(max, Math.abs(x));
  const scale = max > 0 ? max / 127 : 1;
  let dot = 0;
  for (let j = 0; j < vector.length; j++) dot += Math.round(vector[j]! / scale) * query[j]!;
  return dot * Math.fround(scale);
}

test('score() and search() give the score of each vector to the bit, whatever the dimensions: the 8-bit dot product summed in order', () => {
  for (const dims of [DIMS, 7]) {
    const some: VectorRow[] = useLikeVectors(400, dims, 3).map((vector, i) => ({ rowid: 1 + i, docRowid: 1 + (i >> 3), vector }));
    const index = SegmentedVectorIndex.create({ dims });
    index.add(some);
    // Components of very different sizes, so that sums in another order round differently.
    for (const query of useLikeVectors(5, dims, 11).map((q) => q.map((x, j) => x * 2 ** -(j % 40)))) {
      for (const { rowid, score } of index.score(query, some.map((r) => r.rowid))) assert.equal(score, quantisedCosine(some[rowid - 1]!.vector, query), `${dims} dims, rowid ${rowid}`);
      for (const { rowid, score } of index.search(query, 20)) assert.equal(score, quantisedCosine(some[rowid - 1]!.vector, query), `${dims} dims, search, rowid ${rowid}`);
    }
  }
});

test('score(): the cosine of exactly the asked live rowids, best first, through removals and merges; others left out', () => {
  const index = SegmentedVectorIndex.create({ dims: DIMS, mergePolicy: { floorChunks: 500, mergeFactor: 4 } });
  const some = rows.slice(0, 3_000);
  for (let i = 0; i < some.length; i += 500) index.add(some.slice(i, i + 500));
  const removed = new Set(some.filter((_, i) => i % 7 === 0).map((r) => r.rowid));
  index.remove(removed);
  index.mergeStep();
  const byRowid = new Map(some.map((r) => [r.rowid, r]));
  const asked = [...some.filter((_, i) => i % 3 === 0).map((r) => r.rowid), 4, 1_000_001];
  for (const query of queries.slice(0, 5)) {
    const scored = index.score(query, asked);
    const expected = asked.filter((rowid) => byRowid.has(rowid) && !removed.has(rowid));
    assert.deepEqual(scored.map((r) => r.rowid).sort((a, b) => a - b), expected.sort((a, b) => a - b), 'every asked live rowid, and only those');
    for (let i = 1; i < scored.length; i++) assert.ok(scored[i - 1]!.score >= scored[i]!.score, 'best first');
    for (const { rowid, score } of scored) {
      const exact = byRowid.get(rowid)!.vector.reduce((s, x, j) => s + x * query[j]!, 0);
      assert.ok(Math.abs(score - exact) < 0.02, `rowid ${rowid}: ${score} vs ${exact}`);
    }
    // The same similarities a nearest-neighbour search gives for the rowids it returns.
    for (const hit of index.search(query, 20)) {
      const [own] = index.score(query, [hit.rowid]);
      assert.equal(own!.score, hit.score);
    }
  }
  assert.throws(() => index.score(new Float32Array(3), [5]), IndexInputError);
});
