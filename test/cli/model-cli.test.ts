import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { corpusPath } from '../support/corpus.js';
import { runCliAsync } from '../support/cli.js';
import { startHubServer, TINY_MODEL_DIR } from '../embed/models/hub-server.js';

// `mcdewey model pull` against a local stand-in for the hub (serving a random-weight BERT as the catalogue's
// bge-small-en-v1.5 and all-MiniLM-L6-v2), then the library used with the pulled model after the hub is gone.
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-model-cli-'));
after(() => fs.rmSync(data, { recursive: true, force: true }));
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCliAsync(['--data', data, ...args], { env: { MCDEWEY_MODEL_MIRROR: '', ...env } });
const DOC = corpusPath('markdown', 'microsoft-iis-docs', 'iis', 'overview', 'dynamic-caching-and-compression.md');

test('pull, list, use offline, reindex offline, remove', { timeout: 300_000 }, async () => {
  const hub = await startHubServer({ modelDir: TINY_MODEL_DIR, repos: ['Xenova/bge-small-en-v1.5', 'Xenova/all-MiniLM-L6-v2'] });
  try {
    const pulled = await cli(['model', 'pull', 'bge-small-en-v1.5', '--model-mirror', hub.url]);
    assert.equal(pulled.status, 0, pulled.stderr);
    const directory = path.join(data, 'models', 'Xenova', 'bge-small-en-v1.5');
    assert.match(pulled.stdout, new RegExp(`^Pulled bge-small-en-v1\\.5 \\(Xenova/bge-small-en-v1\\.5, fp32, [\\d.]+ MB\\) into ${directory}\\n`));
    assert.match(pulled.stdout, /mcdewey reindex --embedder bge-small-en-v1\.5/);
    // Not a terminal: one line per file on stderr.
    assert.match(pulled.stderr, /^4 files, [\d.]+ MB\n/);
    assert.match(pulled.stderr, /^downloaded onnx\/model\.onnx \([\d.]+ MB\)$/m);

    // The mirror may also come from the environment; --json keeps stderr free of progress.
    const viaEnv = await cli(['model', 'pull', 'all-MiniLM-L6-v2', '--json'], { MCDEWEY_MODEL_MIRROR: hub.url });
    assert.equal(viaEnv.status, 0, viaEnv.stderr);
    assert.equal(viaEnv.stderr, '');
    const result = JSON.parse(viaEnv.stdout) as { name: string; pooling: string; source: string; files: { outcome: string }[] };
    assert.deepEqual([result.name, result.pooling, result.source], ['all-MiniLM-L6-v2', 'mean', hub.url]);
    assert.ok(result.files.every((file) => file.outcome === 'downloaded'));

    const added = await cli(['--embedder', 'bge-small-en-v1.5', 'add', DOC, '--vendor', 'Microsoft', '--product', 'iis', '--version', '10']);
    assert.equal(added.status, 0, added.stderr);
  } finally {
    await hub.close();
  }

  // From here on there is no hub.
  const list = await cli(['model', 'list', '--json']);
  assert.equal(list.status, 0, list.stderr);
  const listed = JSON.parse(list.stdout) as { models: { name: string; dtype: string; bytes: number }[]; incomplete: unknown[] };
  assert.deepEqual(listed.models.map((model) => [model.name, model.dtype]), [['all-MiniLM-L6-v2', 'fp32'], ['bge-small-en-v1.5', 'fp32']]);
  assert.deepEqual(listed.incomplete, []);
  const listText = await cli(['model', 'list']);
  assert.match(listText.stdout, /^all-MiniLM-L6-v2 {3}Xenova\/all-MiniLM-L6-v2 {2}fp32 {2}[\d.]+ MB {2}\/.*\n^bge-small-en-v1\.5 {2}Xenova\/bge-small-en-v1\.5 {2}fp32/m);

  const reindexed = await cli(['reindex', '--embedder', 'bge-small-en-v1.5']);
  assert.equal(reindexed.status, 0, reindexed.stderr);
  assert.match(reindexed.stdout, /Re-indexed 1 document\(s\)/);
  const search = await cli(['--embedder', 'bge-small-en-v1.5', 'search', 'dynamic output caching', '--json']);
  assert.equal(search.status, 0, search.stderr);
  const response = JSON.parse(search.stdout) as { mode: string; hits: { product: string }[] };
  assert.equal(response.mode, 'hybrid');
  assert.equal(response.hits[0]?.product, 'iis');

  // The index remembers the model by its name, so another embedder is refused with that name.
  const other = await cli(['--embedder', 'all-MiniLM-L6-v2', 'add', DOC, '--vendor', 'Microsoft', '--product', 'iis', '--version', '10']);
  assert.equal(other.status, 1);
  assert.match(other.stderr, /built with bge-small-en-v1\.5 \(32 dimensions\).*use --embedder bge-small-en-v1\.5/s);

  const removed = await cli(['model', 'remove', 'bge-small-en-v1.5']);
  assert.equal(removed.status, 0, removed.stderr);
  assert.equal(fs.existsSync(path.join(data, 'models', 'Xenova', 'bge-small-en-v1.5')), false);
  const missing = await cli(['--embedder', 'bge-small-en-v1.5', 'search', 'caching']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^error: the model bge-small-en-v1\.5 has not been pulled into .*: run `mcdewey model pull bge-small-en-v1\.5` first/);
  const again = await cli(['model', 'remove', 'bge-small-en-v1.5']);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^error: no model bge-small-en-v1\.5 in .*; `mcdewey model list` shows the pulled models/);
});

test('pull failures exit non-zero with the reason, and bad flags are refused before any download', async () => {
  const closed = await startHubServer({ modelDir: TINY_MODEL_DIR, repos: [] });
  await closed.close();
  const unreachable = await cli(['model', 'pull', 'bge-small-en-v1.5', '--model-mirror', closed.url]);
  assert.equal(unreachable.status, 1);
  assert.ok(unreachable.stderr.startsWith(`error: could not reach the model hub at ${closed.url}: fetch failed (connect ECONNREFUSED`), unreachable.stderr);
  assert.equal(fs.existsSync(path.join(data, 'models', 'Xenova', 'bge-small-en-v1.5')), false);
  const badDtype = await cli(['model', 'pull', 'bge-small-en-v1.5', '--dtype', 'fp8']);
  assert.equal(badDtype.status, 2);
  assert.match(badDtype.stderr, /Allowed choices are fp32, fp16, q8/);
  const badMirror = await cli(['model', 'pull', 'bge-small-en-v1.5', '--model-mirror', 'not a url']);
  assert.equal(badMirror.status, 1);
  assert.match(badMirror.stderr, /--model-mirror \/ MCDEWEY_MODEL_MIRROR: Invalid URL/);
});
