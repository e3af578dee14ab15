import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embedInBatches, sliceIntoBatches } from '../../src/embed/embed-batches.js';
import type { Embedder } from '../../src/embed/embedder.js';

/** Records the batches it receives; each vector holds the text's length. */
function recordingEmbedder(batchSize: number, calls: string[][]): Embedder {
  return {
    name: 'recording',
    dimensions: 1,
    batchSize,
    init: async () => {},
    embedDocuments: async (texts) => {
      calls.push(texts);
      return texts.map((text) => Float32Array.of(text.length));
    },
    embedQuery: async (text) => Float32Array.of(text.length),
    close: async () => {},
  };
}

test('slices into batches of at most the given size', () => {
  assert.deepEqual(sliceIntoBatches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(sliceIntoBatches([], 3), []);
  assert.throws(() => sliceIntoBatches([1], 0), /positive integer/);
});

test('embeds in batchSize slices, in order, reporting progress', async () => {
  const calls: string[][] = [];
  const progress: [number, number][] = [];
  const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
  const vectors = await embedInBatches(recordingEmbedder(2, calls), texts, (done, total) => progress.push([done, total]));
  assert.deepEqual(calls, [['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
  assert.deepEqual(vectors.map((v) => v[0]), [1, 2, 3, 4, 5]);
  assert.deepEqual(progress, [[2, 5], [4, 5], [5, 5]]);
});

test('no texts means no calls', async () => {
  const calls: string[][] = [];
  assert.deepEqual(await embedInBatches(recordingEmbedder(2, calls), []), []);
  assert.equal(calls.length, 0);
});

test('a backend returning the wrong number of vectors is an error', async () => {
  const broken: Embedder = { ...recordingEmbedder(4, []), embedDocuments: async () => [Float32Array.of(1)] };
  await assert.rejects(embedInBatches(broken, ['a', 'b']), /recording returned 1 vectors for 2 texts/);
});
