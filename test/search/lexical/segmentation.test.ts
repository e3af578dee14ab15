import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LexicalIndex, type LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { parseQuery } from '../../../src/search/query.js';
import { sciFactSample } from './real-chunks.js';

/**
 * The same live chunks give bit-identical scores and the same top k however they got there: one
 * batch, many small batches, or batches with extra chunks later removed, chunks removed and added
 * again, averages that drifted far (so pruning bounds were inflated, then refreshed) and merges
 * run to the end; also after a save and load, and in shared memory. This is what lets several
 * server nodes that applied the same changes in different batches answer alike, and an
 * incrementally updated index equal a fresh rebuild.
 */
test('ranking does not depend on how the index was segmented, updated or merged', async () => {
  const { chunks, claims } = await sciFactSample(1200);
  const oneBatch = LexicalIndex.create();
  oneBatch.add(chunks);

  const smallBatches = LexicalIndex.create();
  for (let i = 0; i < chunks.length; i += 37) smallBatches.add(chunks.slice(i, i + 37));

  // Long extra chunks (five abstracts each) shift the average body length far, then leave again.
  const extra: LexicalDoc[] = [];
  for (let i = 0; i + 5 <= 600; i += 5) {
    extra.push({ rowid: 900_000 + i, docRowid: 5_000 + i, fields: [[], [], chunks.slice(i, i + 5).flatMap((c) => c.fields[2])] });
  }
  const churned = LexicalIndex.create(undefined, { shared: true, mergePolicy: { floorChunks: 50, mergeFactor: 3 } });
  churned.add(extra.slice(0, 60));
  let segmentsSeen = 0;
  for (let i = 0; i < chunks.length; i += 101) {
    churned.add(chunks.slice(i, i + 101));
    if (i % 303 === 0) churned.mergeStep();
    segmentsSeen = Math.max(segmentsSeen, churned.segmentCount);
  }
  churned.add(extra.slice(60));
  // Updates: remove chunks and add them again (in another segment), and remove every extra chunk.
  const updated = chunks.filter((_, i) => i % 7 === 0);
  assert.equal(churned.remove(updated.map((c) => c.rowid)), updated.length);
  churned.add(updated);
  assert.equal(churned.remove(extra.map((c) => c.rowid)), extra.length);
  const beforeMerging = answers(churned, claims);
  let steps = 0;
  while (churned.mergeStep()) steps++;
  assert.ok(segmentsSeen >= 5 && steps >= 2, `${segmentsSeen} segments at most, ${steps} merge steps`);
  assert.equal(churned.size, chunks.length);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-seg-')), 'lexical.idx');
  churned.save(file, 'log:42');
  const reloaded = LexicalIndex.load(file).index;

  const reference = answers(oneBatch, claims);
  assert.ok(reference.some((r) => r.length > 0));
  assert.deepEqual(answers(smallBatches, claims), reference, 'many small batches');
  assert.deepEqual(beforeMerging, reference, 'after removes and re-adds, before merging');
  assert.deepEqual(answers(churned, claims), reference, 'after merging');
  assert.deepEqual(answers(reloaded, claims), reference, 'after save and load');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

/** Top 10 and top 100 for 60 real claims, with and without a document filter. */
function answers(index: LexicalIndex, claims: string[]): { rowid: number; score: number }[][] {
  const filter = new Set(Array.from({ length: 400 }, (_, i) => 10 + i * 3));
  return claims.slice(0, 60).flatMap((claim) => {
    const query = parseQuery(claim);
    return [index.search(query, 10), index.search(query, 100, filter)];
  });
}
