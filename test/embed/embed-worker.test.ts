import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmbedWorker } from '../../src/embed/embed-worker.js';
import { resolveWorkerScript } from '../../src/runtime/worker-script.js';

const scripted = (failLoad = false): EmbedWorker =>
  new EmbedWorker({ script: resolveWorkerScript('fixtures/scripted-worker', import.meta.url), workerData: { failLoad }, label: 'scripted' });

test('resolves the TypeScript worker when no compiled .js sibling exists', () => {
  const script = resolveWorkerScript('fixtures/scripted-worker', import.meta.url);
  assert.equal(script.eval, true);
  assert.match(String(script.entry), /tsx.*scripted-worker\.ts/s);
  assert.throws(() => resolveWorkerScript('fixtures/missing-worker', import.meta.url), /worker module not found/);
});

test('reports the probe dimensions and answers batches in order', async () => {
  const worker = scripted();
  assert.equal(await worker.start(), 2);
  assert.equal(worker.dimensions, 2);
  const [a, b] = await Promise.all([worker.embed(['x', 'xyz']), worker.embed(['xy'])]);
  assert.deepEqual(a!.map((v) => v[0]), [1, 3]);
  assert.deepEqual(b!.map((v) => v[0]), [2]);
  assert.deepEqual(await worker.embed([]), []);
  await worker.close();
});

test('a model that fails to load rejects start() with its message', async () => {
  const worker = scripted(true);
  await assert.rejects(worker.start(), /weights are corrupt/);
  await worker.close();
});

test('an error while embedding rejects only that batch', async () => {
  const worker = scripted();
  await assert.rejects(worker.embed(['throw']), /scripted: embedding failed: boom/);
  assert.equal((await worker.embed(['fine'])).length, 1);
  await worker.close();
});

test('a worker that exits rejects pending and later requests with a clear message', async () => {
  const worker = scripted();
  await worker.start();
  const pending = [worker.embed(['crash']), worker.embed(['queued behind the crash'])];
  for (const request of pending) await assert.rejects(request, /scripted worker stopped unexpectedly \(exit code 3\)/);
  await assert.rejects(worker.embed(['later']), /stopped unexpectedly/);
  await worker.close();
  assert.equal((await worker.embed(['after close() a fresh worker starts'])).length, 1);
  await worker.close();
});

test('an uncaught exception in the worker is reported as a crash', async () => {
  const worker = scripted();
  await assert.rejects(worker.embed(['uncaught']), /scripted worker crashed: kaboom/);
  await worker.close();
});
