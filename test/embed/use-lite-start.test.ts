import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { UseLiteEmbedder } from '../../src/embed/use-lite.js';

/**
 * The USE-lite worker used to load the model while TF.js was still compiling its WebAssembly backend; when the
 * model files were read first (a busy machine slows the compile down more than the reads), loading failed with
 * "Backend 'wasm' has not yet been initialized". Starting many workers at once on cores kept busy by other threads
 * stretches that window the way a loaded machine does; every start must still succeed.
 */
const PARALLEL_STARTS = 10;
const ROUNDS = 2;
const BURNERS = 3;

// Spins until terminated; `eval` keeps the burner independent of tsx and of the code under test.
const BURN = 'for (;;) Math.sqrt(Math.random());';
let burners: Worker[] = [];

before(() => {
  burners = Array.from({ length: BURNERS }, () => new Worker(BURN, { eval: true }));
});
after(() => Promise.all(burners.map((burner) => burner.terminate())));

for (let round = 1; round <= ROUNDS; round++) {
  test(`round ${round}: ${PARALLEL_STARTS} embedders started at once on busy cores all load the model`, { timeout: 300_000 }, async () => {
    const embedders = Array.from({ length: PARALLEL_STARTS }, () => new UseLiteEmbedder());
    try {
      const starts = await Promise.allSettled(embedders.map((embedder) => embedder.init()));
      const failures = starts.flatMap((start, i) => (start.status === 'rejected' ? [`#${i}: ${String(start.reason)}`] : []));
      assert.deepEqual(failures, [], `${failures.length} of ${PARALLEL_STARTS} starts failed`);
      const vectors = await Promise.all(embedders.map((embedder) => embedder.embedQuery('reset the admin password')));
      for (const vector of vectors) assert.equal(vector.length, 512);
    } finally {
      await Promise.all(embedders.map((embedder) => embedder.close()));
    }
  });
}
