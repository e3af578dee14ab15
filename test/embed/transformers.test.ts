import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { TransformersEmbedder, type TransformersEmbedderOptions } from '../../src/embed/transformers.js';
import { isLocalModelPath } from '../../src/embed/transformers-options.js';
import { maxAbsDifference, norm } from './vectors.js';

const MODEL_DIR = '/work/shared/models/tiny-random-bert';
const HIDDEN_SIZE = (JSON.parse(readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8')) as { hidden_size: number }).hidden_size;

const opened: TransformersEmbedder[] = [];
const open = (options: Partial<TransformersEmbedderOptions> = {}): TransformersEmbedder => {
  const embedder = new TransformersEmbedder({ model: MODEL_DIR, ...options });
  opened.push(embedder);
  return embedder;
};
after(() => Promise.all(opened.map((embedder) => embedder.close())));

test('tells model folders from hub ids', () => {
  assert.equal(isLocalModelPath('/models/bge'), true);
  assert.equal(isLocalModelPath('./models/bge'), true);
  assert.equal(isLocalModelPath('../bge'), true);
  assert.equal(isLocalModelPath('Xenova/bge-small-en-v1.5'), false);
});

test('loads a local model offline and reports its hidden size', async () => {
  const embedder = open();
  assert.equal(embedder.dimensions, 0);
  await embedder.init();
  assert.equal(embedder.name, `transformers:${MODEL_DIR}`);
  assert.equal(embedder.dimensions, HIDDEN_SIZE);
  const vectors = await embedder.embedDocuments(['a firewall policy', '', 'password reset']);
  assert.equal(vectors.length, 3);
  for (const vector of vectors) {
    assert.equal(vector.length, HIDDEN_SIZE);
    assert.ok(Math.abs(norm(vector) - 1) < 1e-5);
  }
});

test('a relative folder path is resolved against the working directory', async () => {
  const relative = `./${path.relative(process.cwd(), MODEL_DIR)}`;
  const embedder = open({ model: relative });
  await embedder.init();
  assert.equal(embedder.name, `transformers:${relative}`);
  assert.equal(embedder.dimensions, HIDDEN_SIZE);
});

test('batches larger than batchSize keep input order', async () => {
  const embedder = open({ batchSize: 4 });
  const texts = Array.from({ length: 10 }, (_, i) => `text number ${i} ${'word '.repeat(i)}`);
  const batched = await embedder.embedDocuments(texts);
  for (const i of [0, 3, 4, 9]) {
    assert.ok(maxAbsDifference(batched[i]!, await embedder.embedQuery(texts[i]!)) < 1e-4, `vector ${i} out of place`);
  }
});

test('mean and cls pooling give different vectors', async () => {
  const text = 'how do I rotate the API keys';
  const mean = await open({ pooling: 'mean' }).embedQuery(text);
  const cls = await open({ pooling: 'cls' }).embedQuery(text);
  assert.ok(maxAbsDifference(mean, cls) > 1e-3);
});

test('query and document prefixes are prepended', async () => {
  const text = 'rotate the API keys';
  const prefixed = open({ queryPrefix: 'query: ', documentPrefix: 'passage: ' });
  const plain = open();
  const query = await prefixed.embedQuery(text);
  const [document] = await prefixed.embedDocuments([text]);
  assert.ok(maxAbsDifference(query, document!) > 1e-3);
  assert.ok(maxAbsDifference(query, await plain.embedQuery(`query: ${text}`)) < 1e-5);
  assert.ok(maxAbsDifference(document!, await plain.embedQuery(`passage: ${text}`)) < 1e-5);
  assert.ok(maxAbsDifference(await plain.embedQuery(text), (await plain.embedDocuments([text]))[0]!) < 1e-6);
});

test('a missing model folder gives a clear error', async () => {
  await assert.rejects(open({ model: '/work/shared/models/no-such-model' }).init(), {
    message: 'model directory not found: /work/shared/models/no-such-model',
  });
});

test('a folder without the requested weights names the folder and the missing file', async () => {
  await assert.rejects(open({ dtype: 'q8' }).init(), (error: Error) => {
    assert.match(error.message, new RegExp(`could not load model from ${MODEL_DIR}: .*model_quantized\\.onnx`));
    return true;
  });
});

// A repository that does not exist fails the same way with or without network access (fetch error offline,
// 401 online), so the test never downloads anything; the timeout guards against a hanging DNS lookup.
test('a hub id that cannot be downloaded explains how to install the model by hand', { timeout: 30_000 }, async () => {
  const modelId = 'mcdewey-tests/no-such-embedding-model';
  await assert.rejects(open({ model: modelId }).init(), (error: Error) => {
    assert.ok(error.message.startsWith(`could not download model ${modelId}: `), error.message);
    assert.ok(
      error.message.endsWith('Download it on a machine with internet access and pass its directory with --embedder-model /path'),
      error.message,
    );
    return true;
  });
});
