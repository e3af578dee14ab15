import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parseEmbedderSpec } from '../../src/embed/factory.js';
import { resolveEmbedderSpec } from '../../src/embed/resolve-spec.js';

// Pulling for real is tested against a local hub in test/embed/models; these cover how names are told apart.
const modelsDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mcdewey-spec-')), 'models');
after(() => rmSync(path.dirname(modelsDir), { recursive: true, force: true }));

test('built-in specs resolve exactly as parseEmbedderSpec reads them', () => {
  for (const spec of ['use-lite', 'none', 'transformers:Xenova/bge-small-en-v1.5', 'transformers:/models/x', 'openai:nomic-embed-text@http://127.0.0.1:11434/v1']) {
    assert.deepEqual(resolveEmbedderSpec(spec, { modelsDir, apiKey: 'k' }), parseEmbedderSpec(spec, { apiKey: 'k' }));
  }
  assert.throws(() => resolveEmbedderSpec('bert', { modelsDir }), /unknown embedder "bert"/);
});

test('catalogue names and repository ids that are not pulled say which pull command fetches them', () => {
  for (const name of ['bge-small-en-v1.5', 'all-MiniLM-L6-v2', 'Xenova/bge-small-en-v1.5', 'some-org/some-model']) {
    assert.throws(() => resolveEmbedderSpec(` ${name} `, { modelsDir }), (error: Error) => {
      assert.ok(error.message.startsWith(`the model ${name} has not been pulled into ${modelsDir}: run \`mcdewey model pull ${name}\` first`), error.message);
      return true;
    });
  }
});

test('a damaged manifest asks for the pull that repairs it', () => {
  const directory = path.join(modelsDir, 'Xenova', 'all-MiniLM-L6-v2');
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'mcdewey-model.json'), '{"format": 1, "name": "all-MiniLM-L6-v2"');
  assert.throws(() => resolveEmbedderSpec('all-MiniLM-L6-v2', { modelsDir }), {
    message: `the pulled model's manifest ${path.join(directory, 'mcdewey-model.json')} is damaged; run \`mcdewey model pull all-MiniLM-L6-v2\` to repair it`,
  });
});
