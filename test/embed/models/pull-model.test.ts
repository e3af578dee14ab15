import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { createEmbedder } from '../../../src/embed/factory.js';
import type { RemoteFile } from '../../../src/embed/models/hub-listing.js';
import { findPulledModel, listPulledModels, removePulledModel } from '../../../src/embed/models/pulled-models.js';
import { pullModel, type PullProgress, type PullRequest } from '../../../src/embed/models/pull-model.js';
import { resolveEmbedderSpec } from '../../../src/embed/resolve-spec.js';
import { maxAbsDifference, norm } from '../vectors.js';
import { startHubServer, TINY_MODEL_DIR, type HubServer, type HubServerOptions } from './hub-server.js';

const REPO = 'mcdewey-tests/tiny-random-bert';
const WEIGHTS = 'onnx/model.onnx';
const WEIGHTS_SIZE = statSync(path.join(TINY_MODEL_DIR, WEIGHTS)).size;
const HIDDEN_SIZE = (JSON.parse(readFileSync(path.join(TINY_MODEL_DIR, 'config.json'), 'utf8')) as { hidden_size: number }).hidden_size;
const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', WEIGHTS];

const scratch = mkdtempSync(path.join(os.tmpdir(), 'mcdewey-pull-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let servers: HubServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});
async function hub(options: Partial<HubServerOptions> = {}): Promise<HubServer> {
  const server = await startHubServer({ modelDir: TINY_MODEL_DIR, repos: [REPO], ...options });
  servers.push(server);
  return server;
}

let runs = 0;
const freshModelsDir = (): string => path.join(scratch, `data-${++runs}`, 'models');
const pull = (server: HubServer, request: Partial<PullRequest> & { modelsDir: string }): ReturnType<typeof pullModel> =>
  pullModel({ model: REPO, dtype: 'fp32', hub: server.url, transfer: { retryDelayMs: 10 }, ...request });

/** Every file below `dir`, relative, so that leftovers (partial files) show up in comparisons. */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

function recordingProgress(): PullProgress & { started: string[]; done: Record<string, string>; lastBytes: Record<string, number>; stopped: number } {
  const progress = {
    started: [] as string[],
    done: {} as Record<string, string>,
    lastBytes: {} as Record<string, number>,
    stopped: 0,
    start(files: readonly RemoteFile[]) {
      progress.started = files.map((file) => file.path);
    },
    file(file: RemoteFile, bytes: number) {
      progress.lastBytes[file.path] = bytes;
    },
    fileDone(file: RemoteFile, outcome: string) {
      progress.done[file.path] = outcome;
    },
    stop() {
      progress.stopped++;
    },
  };
  return progress;
}

test('pulls the files transformers.js needs into <models>/<org>/<name>, each verified, with progress', async () => {
  const server = await hub();
  const modelsDir = freshModelsDir();
  const progress = recordingProgress();
  const result = await pull(server, { modelsDir, progress });

  const directory = path.join(modelsDir, 'mcdewey-tests', 'tiny-random-bert');
  assert.equal(result.model.directory, directory);
  assert.deepEqual(filesBelow(directory), [...MODEL_FILES, 'mcdewey-model.json'].sort());
  for (const file of MODEL_FILES) {
    assert.ok(readFileSync(path.join(directory, file)).equals(readFileSync(path.join(TINY_MODEL_DIR, file))), `${file} differs from the hub's copy`);
  }
  assert.deepEqual(progress.started, MODEL_FILES);
  assert.deepEqual(Object.values(progress.done), ['downloaded', 'downloaded', 'downloaded', 'downloaded']);
  assert.equal(progress.lastBytes[WEIGHTS], WEIGHTS_SIZE);
  assert.equal(progress.stopped, 1);

  const { manifest, bytes } = result.model;
  assert.equal(manifest.name, REPO);
  assert.equal(manifest.dtype, 'fp32');
  assert.equal(manifest.pooling, 'mean');
  assert.equal(manifest.source, server.url);
  assert.match(manifest.files.find((file) => file.path === WEIGHTS)!.sha256!, /^[0-9a-f]{64}$/);
  assert.match(manifest.files.find((file) => file.path === 'config.json')!.gitBlobSha1!, /^[0-9a-f]{40}$/);
  assert.equal(bytes, MODEL_FILES.reduce((sum, file) => sum + statSync(path.join(TINY_MODEL_DIR, file)).size, 0));

  // The weights came through the redirect to the content store, as on the hub.
  assert.ok(server.requests.some((request) => request.path === `/${REPO}/resolve/main/${WEIGHTS}`));
  assert.ok(server.requests.some((request) => request.path.startsWith('/lfs-store/')));
  assert.deepEqual(listPulledModels(modelsDir).models.map((model) => model.manifest.name), [REPO]);
});

test('pulling again verifies the files on disk and downloads nothing', async () => {
  const server = await hub();
  const modelsDir = freshModelsDir();
  await pull(server, { modelsDir });
  server.requests.length = 0;
  const again = await pull(server, { modelsDir });
  assert.deepEqual(again.files.map((file) => file.outcome), ['present', 'present', 'present', 'present']);
  assert.deepEqual(server.requests.map((request) => request.path), [`/api/models/${REPO}/tree/main?recursive=true`]);
});

/**
 * The server drops the connection after `afterBytes`; the client keeps what reached it before the drop, which can
 * be a little less (bytes still in flight are lost), and resumes from there.
 */
function resumedFrom(range: string | undefined, afterBytes: number): number {
  const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1]);
  assert.ok(start > 0 && start <= afterBytes, `expected a Range request resuming within the first ${afterBytes} bytes, got ${range}`);
  return start;
}

test('a connection dropped mid-file is resumed with a Range request from where it stopped', async () => {
  const afterBytes = Math.floor(WEIGHTS_SIZE / 2);
  const server = await hub({ cut: { file: WEIGHTS, afterBytes, times: 1 } });
  const modelsDir = freshModelsDir();
  const result = await pull(server, { modelsDir });

  assert.equal(result.files.find((file) => file.path === WEIGHTS)!.outcome, 'resumed');
  const weightRequests = server.requests.filter((request) => request.path.startsWith('/lfs-store/'));
  assert.equal(weightRequests.length, 2);
  assert.equal(weightRequests[0]!.range, undefined);
  resumedFrom(weightRequests[1]!.range, afterBytes);
  const pulled = path.join(result.model.directory, WEIGHTS);
  assert.ok(readFileSync(pulled).equals(readFileSync(path.join(TINY_MODEL_DIR, WEIGHTS))));
  assert.equal(existsSync(`${pulled}.partial`), false);
});

test('a pull that gives up keeps the partial file, says how to resume, and the next pull continues it', async () => {
  const afterBytes = Math.floor(WEIGHTS_SIZE / 3);
  const cutting = await hub({ cut: { file: WEIGHTS, afterBytes, times: 1 } });
  const modelsDir = freshModelsDir();
  const partial = path.join(modelsDir, 'mcdewey-tests', 'tiny-random-bert', `${WEIGHTS}.partial`);
  let kept = 0;
  await assert.rejects(pull(cutting, { modelsDir, transfer: { maxAttempts: 1 } }), (error: Error) => {
    const match = new RegExp(`^downloading ${WEIGHTS} failed after 1 attempt: the transfer of ${WEIGHTS} broke after (\\d+) of ${WEIGHTS_SIZE} bytes`).exec(error.message);
    assert.ok(match, error.message);
    kept = Number(match[1]);
    assert.ok(error.message.endsWith(`${kept} of ${WEIGHTS_SIZE} bytes are kept in ${partial}; run the same pull again to resume`), error.message);
    return true;
  });
  assert.equal(statSync(partial).size, kept);
  assert.equal(findPulledModel(modelsDir, REPO), undefined, 'an unfinished pull must not be usable');
  assert.deepEqual(listPulledModels(modelsDir).incomplete.map((pull) => pull.repo), [REPO]);

  const server = await hub();
  const result = await pull(server, { modelsDir });
  assert.equal(result.files.find((file) => file.path === WEIGHTS)!.outcome, 'resumed');
  const weightRequests = server.requests.filter((request) => request.path.startsWith('/lfs-store/'));
  assert.deepEqual(weightRequests.map((request) => request.range), [`bytes=${kept}-`]);
  resumedFrom(weightRequests[0]!.range, afterBytes);
  assert.ok(readFileSync(path.join(result.model.directory, WEIGHTS)).equals(readFileSync(path.join(TINY_MODEL_DIR, WEIGHTS))));
});

test('a corrupted weight file is refused and removed: nothing is left that could be loaded', async () => {
  const server = await hub({ corrupt: WEIGHTS });
  const modelsDir = freshModelsDir();
  await assert.rejects(pull(server, { modelsDir }), (error: Error) => {
    assert.match(error.message, new RegExp(`^${WEIGHTS} from ${server.url}/${REPO}/resolve/main/${WEIGHTS} is corrupt: its SHA-256 is [0-9a-f]{64}, the listing says [0-9a-f]{64}\\. The download was removed`));
    return true;
  });
  const directory = path.join(modelsDir, 'mcdewey-tests', 'tiny-random-bert');
  assert.deepEqual(filesBelow(directory), ['config.json', 'tokenizer.json', 'tokenizer_config.json']);
  assert.equal(findPulledModel(modelsDir, REPO), undefined);
});

test('a corrupted small file is caught by its git blob id', async () => {
  const server = await hub({ corrupt: 'tokenizer_config.json' });
  await assert.rejects(pull(server, { modelsDir: freshModelsDir() }), /^Error: tokenizer_config\.json from .* is corrupt: its git blob id is [0-9a-f]{40}, the listing says [0-9a-f]{40}/);
});

test('a pulled model loads and embeds with the hub stopped', async () => {
  const server = await hub();
  const modelsDir = freshModelsDir();
  await pull(server, { modelsDir });
  await server.close();
  servers = [];

  const config = resolveEmbedderSpec(REPO, { modelsDir });
  const embedder = createEmbedder(config)!;
  try {
    await embedder.init();
    assert.equal(embedder.name, REPO);
    assert.equal(embedder.dimensions, HIDDEN_SIZE);
    const [vector] = await embedder.embedDocuments(['rotate the API keys']);
    assert.equal(vector!.length, HIDDEN_SIZE);
    assert.ok(Math.abs(norm(vector!) - 1) < 1e-5);
  } finally {
    await embedder.close();
  }
});

test('a catalogue name pulls its repository and brings its pooling and query instruction', async () => {
  const server = await hub({ repos: ['Xenova/bge-small-en-v1.5'] });
  const modelsDir = freshModelsDir();
  await assert.rejects(pull(server, { modelsDir, model: 'bge-small-en-v1.5', settings: { pooling: 'mean' } }), /bge-small-en-v1\.5 comes with its own settings \(cls pooling, a query prefix\); pooling can only be set for models outside the catalogue/);
  const result = await pull(server, { modelsDir, model: 'bge-small-en-v1.5' });
  assert.equal(result.model.directory, path.join(modelsDir, 'Xenova', 'bge-small-en-v1.5'));
  assert.equal(result.model.manifest.name, 'bge-small-en-v1.5');

  const config = resolveEmbedderSpec('bge-small-en-v1.5', { modelsDir });
  assert.deepEqual(config, {
    kind: 'transformers',
    model: result.model.directory,
    name: 'bge-small-en-v1.5',
    pooling: 'cls',
    dtype: 'fp32',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
  });
  // The repository id names the same pulled model.
  assert.deepEqual(resolveEmbedderSpec('Xenova/bge-small-en-v1.5', { modelsDir }), config);

  const embedder = createEmbedder(config)!;
  try {
    const query = await embedder.embedQuery('rotate the API keys');
    const [asDocument] = await embedder.embedDocuments(['Represent this sentence for searching relevant passages: rotate the API keys']);
    assert.ok(maxAbsDifference(query, asDocument!) < 1e-5, 'the query instruction was not applied');
  } finally {
    await embedder.close();
  }
});

test('settings given for a model outside the catalogue are recorded and used', async () => {
  const server = await hub();
  const modelsDir = freshModelsDir();
  await pull(server, { modelsDir, settings: { pooling: 'cls', queryPrefix: 'query: ', documentPrefix: 'passage: ' } });
  assert.deepEqual(resolveEmbedderSpec(REPO, { modelsDir }), {
    kind: 'transformers',
    model: path.join(modelsDir, 'mcdewey-tests', 'tiny-random-bert'),
    name: REPO,
    pooling: 'cls',
    dtype: 'fp32',
    queryPrefix: 'query: ',
    documentPrefix: 'passage: ',
  });
});

test('pulling another dtype replaces the weights once the new ones are verified', async () => {
  const server = await hub({ aliases: { 'onnx/model_quantized.onnx': WEIGHTS } });
  const modelsDir = freshModelsDir();
  await pull(server, { modelsDir });
  const result = await pull(server, { modelsDir, dtype: 'q8' });
  assert.deepEqual(filesBelow(result.model.directory), ['config.json', 'mcdewey-model.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  assert.equal(result.model.manifest.dtype, 'q8');
  const embedder = createEmbedder(resolveEmbedderSpec(REPO, { modelsDir }))!;
  try {
    await embedder.init();
    assert.equal(embedder.dimensions, HIDDEN_SIZE);
  } finally {
    await embedder.close();
  }
});

test('a repository without the requested weights names the dtypes it has', async () => {
  const server = await hub();
  await assert.rejects(pull(server, { modelsDir: freshModelsDir(), dtype: 'q8' }), {
    message: `${REPO} has no onnx/model_quantized.onnx; it has weights for --dtype fp32`,
  });
});

test('an unknown repository, an unreachable hub and a bad name fail with what to do', async () => {
  const server = await hub();
  await assert.rejects(pull(server, { modelsDir: freshModelsDir(), model: 'mcdewey-tests/no-such-model' }), {
    message: `model repository mcdewey-tests/no-such-model was not found at ${server.url} (HTTP 404); check the name (mcdewey model pull --help lists the catalogue) or whether the repository is private or gated`,
  });
  const closed = await hub();
  await closed.close();
  servers = servers.filter((s) => s !== closed);
  await assert.rejects(pull(closed, { modelsDir: freshModelsDir() }), new RegExp(`^Error: could not reach the model hub at ${closed.url}: fetch failed \\(.*ECONNREFUSED.*\\); check the network, or pass --model-mirror <url> to use a mirror$`));
  await assert.rejects(pull(server, { modelsDir: freshModelsDir(), model: '../../etc' }), /"\.\.\/\.\.\/etc" is not a model repository id/);
  await assert.rejects(pull(server, { modelsDir: freshModelsDir(), model: 'org/..' }), /is not a model repository id/);
  await assert.rejects(pull(server, { modelsDir: freshModelsDir(), hub: 'ftp://mirror' }), /invalid model mirror URL "ftp:\/\/mirror": only http and https are supported/);
});

test('a listing split into pages is followed to the end', async () => {
  const server = await hub({ pageSize: 2 });
  const result = await pull(server, { modelsDir: freshModelsDir() });
  assert.equal(result.files.length, MODEL_FILES.length);
  assert.equal(server.requests.filter((request) => request.path.startsWith('/api/models/')).length, 3);
});

test('remove deletes a pulled model, and the name then asks for a pull', async () => {
  const server = await hub();
  const modelsDir = freshModelsDir();
  const { model } = await pull(server, { modelsDir });
  assert.equal(await removePulledModel(modelsDir, REPO), model.directory);
  assert.equal(existsSync(path.dirname(model.directory)), false, 'the empty organisation folder is removed too');
  assert.equal(await removePulledModel(modelsDir, REPO), undefined);
  assert.throws(() => resolveEmbedderSpec(REPO, { modelsDir }), {
    message: `the model ${REPO} has not been pulled into ${modelsDir}: run \`mcdewey model pull ${REPO}\` first (where the model hub is reachable, or with --model-mirror <url>); \`mcdewey model list\` shows the pulled models`,
  });
});
