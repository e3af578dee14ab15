import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { resolveWorkerScript } from '../../../src/runtime/worker-script.js';
import { LexicalIndex } from '../../../src/search/lexical/lexical-index.js';
import { parseQuery } from '../../../src/search/query.js';
import { sciFactSample } from './real-chunks.js';

/**
 * A worker thread searches the index built on the main thread through `share()` / `attach()`:
 * the typed arrays arrive as views over the same SharedArrayBuffers (no copy), the answers are
 * the main thread's, and the attached index refuses changes.
 */
test('a worker thread searches one shared copy of the index', async () => {
  const { chunks, claims } = await sciFactSample(400);
  const index = LexicalIndex.create(undefined, { shared: true });
  index.add(chunks.slice(0, 250));
  index.add(chunks.slice(250));
  index.remove([chunks[3]!.rowid, chunks[300]!.rowid]);
  const queries = claims.slice(0, 30).map(parseQuery);
  const script = resolveWorkerScript('search-worker', import.meta.url);
  const worker = new Worker(script.entry, { eval: script.eval, workerData: { handle: index.share(), queries } });
  const reply = await new Promise<{ shared: boolean; results: unknown; readOnly: boolean }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(reply.shared, true, 'arrays arrive in shared memory');
  assert.equal(reply.readOnly, true, 'an attached index refuses changes');
  assert.deepEqual(reply.results, queries.map((q) => index.search(q, 10)));
});
