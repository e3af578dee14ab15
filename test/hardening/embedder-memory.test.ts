import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { chooseEmbedderSpec, recordableSpec } from '../../src/service/embedder-choice.js';
import { runCli, runCliAsync } from '../support/cli.js';
import { startServe } from '../support/serve-process.js';

/**
 * A library remembers the embedder it was built with: without --embedder / MCDEWEY_EMBEDDER
 * every command uses the recorded one (after `reindex --embedder none` a library stays lexical),
 * a new library gets use-lite, and naming a different embedder is still refused.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-embedder-memory-'));
let endpoint: Server;
let baseUrl: string;
const seenAuthorization: (string | undefined)[] = [];

before(async () => {
  // A minimal OpenAI-compatible endpoint: 8-dimensional vectors derived from the text.
  endpoint = createServer(async (request, response) => {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    seenAuthorization.push(request.headers.authorization);
    const { input } = JSON.parse(raw) as { input: string[] };
    const data = input.map((text, index) => ({ index, embedding: Array.from({ length: 8 }, (_, i) => (text.charCodeAt(i % text.length) % 7) + i + 1) }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;
});
after(async () => {
  await new Promise((resolve) => endpoint.close(resolve));
  fs.rmSync(sandbox, { recursive: true, force: true });
});

function source(name: string): string {
  const folder = path.join(sandbox, `${name}-src`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'guide.md'), '# Guide\n\nThe widget console configures widgets and gadgets.\n');
  return path.join(folder, 'guide.md');
}
const labels = ['--vendor', 'Acme', '--product', 'widget', '--version', '1.0'];
/** The CLI with no embedder flag and none in the environment. */
const bare = (data: string, ...args: string[]) => runCli(['--data', data, ...args], { env: { MCDEWEY_EMBEDDER: '' } });
const recorded = (data: string) => {
  const store = new SqliteStore(path.join(data, 'index.sqlite'), { readonly: true });
  try {
    return store.embedderIdentity();
  } finally {
    store.close();
  }
};

test('after reindex --embedder none, every later command works without repeating the flag', () => {
  const data = path.join(sandbox, 'lexical');
  assert.equal(runCli(['--data', data, '--embedder', 'none', 'add', source('lexical'), ...labels]).status, 0);
  const reindexed = runCli(['--data', data, '--embedder', 'none', 'reindex']);
  assert.equal(reindexed.status, 0, reindexed.stderr);
  for (const args of [['list'], ['search', 'widget console', '--json'], ['check'], ['show', 'widget::1.0::guide::guide::0'], ['reindex'], ['add', source('lexical-2'), ...labels, '--collection', 'more']]) {
    const result = bare(data, ...args);
    assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
  }
  assert.equal(JSON.parse(bare(data, 'search', 'widget console', '--json').stdout).mode, 'lexical');
  assert.equal(recorded(data), null, 'still recorded as lexical only');
  // Naming a different embedder is still refused, with the command that switches.
  const other = runCli(['--data', data, '--embedder', 'use-lite', 'add', source('lexical-3'), ...labels]);
  assert.equal(other.status, 1);
  assert.match(other.stderr, /built with no embedder \(lexical only\), but the configured embedder is use-lite\. Run `mcdewey reindex --embedder use-lite`/);
});

test('an endpoint embedder is remembered with its URL, never with its key, and used again without the flag', async () => {
  const data = path.join(sandbox, 'endpoint');
  const spec = `openai:fake-embed@${baseUrl}`;
  const first = await Library.open(loadConfig({ data, embedder: spec, embedderApiKey: 'sk-key-never-stored' }, {}), 'write');
  try {
    const [result] = await first.add(first.plan([source('endpoint')], { vendor: 'Acme', product: 'widget', version: '1.0' }));
    assert.equal(result?.status, 'added', result?.error);
  } finally {
    await first.close();
  }
  assert.deepEqual(recorded(data), { name: 'openai:fake-embed', dimensions: 8, spec: `openai:fake-embed@${baseUrl}` });
  assert.doesNotMatch(fs.readFileSync(path.join(data, 'index.sqlite')).toString('latin1'), /sk-key-never-stored/);

  const requestsBefore = seenAuthorization.length;
  const again = await Library.open(loadConfig({ data }, {}), 'read');
  try {
    assert.equal(again.embedderName, 'openai:fake-embed');
    const response = await again.search({ query: 'widget console' });
    assert.equal(response.mode, 'hybrid');
    assert.ok(seenAuthorization.length > requestsBefore, 'the query was embedded by the recorded endpoint');
  } finally {
    await again.close();
  }
});

test('which embedder: the configured one, else the recorded one, else use-lite for a new library', () => {
  assert.equal(chooseEmbedderSpec(undefined, undefined), 'use-lite');
  assert.equal(chooseEmbedderSpec(undefined, null), 'none');
  assert.equal(chooseEmbedderSpec('none', { name: 'use-lite', dimensions: 512 }), 'none');
  assert.equal(chooseEmbedderSpec(undefined, { name: 'use-lite', dimensions: 512 }), 'use-lite');
  assert.equal(chooseEmbedderSpec(undefined, { name: 'transformers:Xenova/bge-small-en-v1.5', dimensions: 384 }), 'transformers:Xenova/bge-small-en-v1.5');
  assert.equal(recordableSpec('openai:m@https://user:pw@example.test/v1'), 'openai:m@https://example.test/v1');
  // Indexes from before the spec was recorded name an endpoint embedder without its URL.
  assert.throws(
    () => chooseEmbedderSpec(undefined, { name: 'openai:nomic-embed-text', dimensions: 768 }),
    /built with openai:nomic-embed-text \(768 dimensions\) but does not record how to reach it\. Pass it once with --embedder openai:nomic-embed-text@<base URL>/,
  );
});

test('a running server follows another process re-indexing its library: with another model or none, it searches lexically and says why', { timeout: 180_000 }, async () => {
  const data = path.join(sandbox, 'served');
  const spec = `openai:fake-embed@${baseUrl}`;
  const first = await Library.open(loadConfig({ data, embedder: spec }, {}), 'write');
  try {
    const [result] = await first.add(first.plan([source('served')], { vendor: 'Acme', product: 'widget', version: '1.0' }));
    assert.equal(result?.status, 'added', result?.error);
  } finally {
    await first.close();
  }
  // The server takes the recorded embedder, as `mcdewey serve` without --embedder does.
  const { url, child } = await startServe(data, { env: { MCDEWEY_EMBEDDER: '', MCDEWEY_TOKEN: '' } });
  try {
    const get = async (route: string) => (await fetch(`${url}${route}`)).json() as Promise<{ mode?: string; notices: string[]; hits?: unknown[]; embedder?: string | null }>;
    /** The next search, once the server has caught up with what another process committed (it polls the change log). */
    const searchUntil = async (mode: string) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const answer = await get('/api/search?q=widget%20console');
        if (answer.mode === mode || Date.now() > deadline) return answer;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const before = await get('/api/search?q=widget%20console');
    assert.equal(before.mode, 'hybrid', JSON.stringify(before));
    assert.equal((await get('/api/health')).embedder, 'openai:fake-embed');

    // Another model with vectors of the same length: searching them with this server's query vectors would rank at random.
    const other = await runCliAsync(['--data', data, '--embedder', `openai:other-embed@${baseUrl}`, 'reindex']);
    assert.equal(other.status, 0, other.stderr);
    const afterOther = await searchUntil('lexical');
    assert.equal(afterOther.mode, 'lexical', JSON.stringify(afterOther));
    assert.ok(afterOther.notices.some((n) => /vectors are now made by openai:other-embed, and this server embeds queries with openai:fake-embed; restart it/.test(n)), JSON.stringify(afterOther.notices));
    assert.equal(afterOther.hits?.length, 1, 'the lexical hits are still there');
    assert.equal((await get('/api/health')).embedder, null, 'health says searches use no embedder');

    const none = await runCliAsync(['--data', data, '--embedder', 'none', 'reindex']);
    assert.equal(none.status, 0, none.stderr);
    const deadline = Date.now() + 30_000;
    let afterNone = await get('/api/search?q=widget%20console');
    while (!afterNone.notices.some((n) => /indexed without an embedder/.test(n)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      afterNone = await get('/api/search?q=widget%20console');
    }
    assert.equal(afterNone.mode, 'lexical');
    assert.ok(afterNone.notices.some((n) => /the library is now indexed without an embedder/.test(n)), JSON.stringify(afterNone.notices));
    assert.equal((await get('/api/health')).embedder, null);
  } finally {
    child.kill('SIGKILL');
  }
});
