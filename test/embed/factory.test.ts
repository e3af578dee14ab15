import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEmbedder, EmbedderConfigSchema, parseEmbedderSpec } from '../../src/embed/factory.js';
import { OpenAIEmbedder } from '../../src/embed/openai.js';
import { TransformersEmbedder } from '../../src/embed/transformers.js';
import { UseLiteEmbedder } from '../../src/embed/use-lite.js';

test('parses the simple specs', () => {
  assert.deepEqual(parseEmbedderSpec('use-lite'), { kind: 'use-lite' });
  assert.deepEqual(parseEmbedderSpec(' none '), { kind: 'none' });
});

test('parses transformers specs with hub ids and folders, defaulting to mean pooling', () => {
  assert.deepEqual(parseEmbedderSpec('transformers:Xenova/bge-small-en-v1.5'), {
    kind: 'transformers',
    model: 'Xenova/bge-small-en-v1.5',
    pooling: 'mean',
  });
  assert.deepEqual(
    parseEmbedderSpec('transformers:/models/e5-small', {
      pooling: 'cls',
      queryPrefix: 'query: ',
      documentPrefix: 'passage: ',
      dtype: 'q8',
      apiKey: 'ignored for transformers',
    }),
    { kind: 'transformers', model: '/models/e5-small', pooling: 'cls', queryPrefix: 'query: ', documentPrefix: 'passage: ', dtype: 'q8' },
  );
});

test('parses openai specs as model@baseUrl', () => {
  assert.deepEqual(parseEmbedderSpec('openai:nomic-embed-text:latest@http://127.0.0.1:11434/v1', { apiKey: 'sk-1', dimensions: 256 }), {
    kind: 'openai',
    model: 'nomic-embed-text:latest',
    baseUrl: 'http://127.0.0.1:11434/v1',
    apiKey: 'sk-1',
    dimensions: 256,
  });
  assert.equal(
    (parseEmbedderSpec('openai:text-embedding-3-small@https://user:pw@proxy.example/v1') as { baseUrl: string }).baseUrl,
    'https://user:pw@proxy.example/v1',
  );
});

test('rejects malformed specs with the accepted forms', () => {
  assert.throws(() => parseEmbedderSpec('bert'), /unknown embedder "bert": expected one of use-lite, none, a pulled model \(mcdewey model list\), transformers:.*openai:<model>@<base URL>/);
  assert.throws(() => parseEmbedderSpec('transformers:'), /invalid embedder "transformers:".*model/s);
  assert.throws(() => parseEmbedderSpec('openai:nomic-embed-text'), /expected openai:<model>@<base URL>/);
  assert.throws(() => parseEmbedderSpec('openai:m@ftp://host/v1'), /expected openai:<model>@<base URL>/);
  assert.throws(() => parseEmbedderSpec('transformers:x/y', { dtype: 'q7' as never }), /invalid embedder.*dtype/s);
});

test('the schema validates config files and rejects unknown keys', () => {
  assert.deepEqual(EmbedderConfigSchema.parse({ kind: 'transformers', model: 'a/b' }), { kind: 'transformers', model: 'a/b', pooling: 'mean' });
  assert.equal(EmbedderConfigSchema.safeParse({ kind: 'openai', baseUrl: 'not a url', model: 'm' }).success, false);
  assert.equal(EmbedderConfigSchema.safeParse({ kind: 'use-lite', modle: 'typo' }).success, false);
  assert.equal(EmbedderConfigSchema.safeParse({ kind: 'openai', baseUrl: 'http://h/v1', model: 'm', dimensions: 0 }).success, false);
});

test('creates the matching embedder, and none for "none"', async () => {
  const useLite = createEmbedder(parseEmbedderSpec('use-lite'));
  assert.ok(useLite instanceof UseLiteEmbedder);
  const transformers = createEmbedder(parseEmbedderSpec('transformers:Xenova/bge-small-en-v1.5'));
  assert.ok(transformers instanceof TransformersEmbedder);
  assert.equal(transformers.name, 'transformers:Xenova/bge-small-en-v1.5');
  const openai = createEmbedder(parseEmbedderSpec('openai:nomic-embed-text@http://127.0.0.1:11434/v1'));
  assert.ok(openai instanceof OpenAIEmbedder);
  assert.equal(openai.name, 'openai:nomic-embed-text');
  assert.equal(createEmbedder(parseEmbedderSpec('none')), null);
  // Nothing was started, so closing is immediate.
  await Promise.all([useLite.close(), transformers.close(), openai.close()]);
});
