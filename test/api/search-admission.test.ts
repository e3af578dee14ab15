import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/server/serve.js';
import { startGatedEmbedder, type GatedEmbedder } from '../support/gated-embedder.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { startTestServer } from '../support/server.js';
import { createApp } from '../../src/server/app.js';
import { mcpSearchRequest } from '../../bench/lib/parts/clients.js';

/**
 * Over HTTP, with one search worker and no queue: while two searches run (held at their query
 * vector), a third is answered 503 at once with `busy` and Retry-After, on REST and on MCP; a search
 * past the deadline is answered 503 `deadline_exceeded`; a client that disconnects frees its worker.
 */
let embedder: GatedEmbedder;
let fixture: Fixture;
let server: RunningServer;

before(async () => {
  embedder = await startGatedEmbedder();
  fixture = await buildFixture({ embedder: embedder.spec, sources: ['pdf/cisco/ftdv-autoscale-aws/6.6.0'] });
  server = await startTestServer(fixture, { searchWorkers: 1, searchQueue: 0, searchDeadline: 3_000 });
});

after(async () => {
  embedder.release();
  await server.close();
  await fixture.cleanup();
  await embedder.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 20_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Searches here are vector searches: each waits for its query vector while the embedder holds,
 * where a hybrid one whose best lexical passage holds the whole query asks for none.
 */
const search = (q: string, init?: RequestInit) => fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}&mode=vector`, init);
const load = () => fixture.library.searchWorkersLoad()!;

function mcpSearch(query: string, init?: RequestInit): Promise<Response> {
  return fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: { query } } }),
    ...init,
  });
}

/** tools/call search_docs as a 2026-07-28 client sends it: one POST carrying its own protocol metadata. */
function modernMcpSearch(query: string, init?: RequestInit): Promise<Response> {
  const _meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'admission-test', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'search_docs' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: { query }, _meta } }),
    ...init,
  });
}

test('beyond the queue: 503 busy with Retry-After at once, on REST and MCP; the running searches then answer', async () => {
  embedder.hold();
  const running = [search('lambda function'), search('health check grace period')];
  await until(() => load().running === 2 && embedder.waiting === 2, 'two searches hold the worker');
  const refused = await search('autoscale group');
  assert.equal(refused.status, 503);
  assert.ok(Number(refused.headers.get('retry-after')) >= 1, `Retry-After ${refused.headers.get('retry-after')}`);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'busy');
  const tool = (await (await mcpSearch('autoscale group')).json()) as { result: { isError?: boolean; content: { text: string }[] } };
  assert.equal(tool.result.isError, true);
  assert.match(tool.result.content[0]!.text, /busy/);
  embedder.release();
  for (const response of await Promise.all(running)) assert.equal(response.status, 200);
});

/** A response's headers but those of the connection (the app's own answer, below, has none). */
function headersOf(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => !['connection', 'keep-alive', 'date', 'content-length'].includes(name)));
}

/** A 2026-07-28 tools/call of search_docs as SDK clients send it, with other arguments. */
function modernSearchCall(id: number, args: Record<string, unknown>): Promise<Response> {
  const { headers, body } = mcpSearchRequest('unused', id);
  const message = JSON.parse(body) as { params: { arguments: unknown } };
  message.params.arguments = args;
  return fetch(`${server.url}/mcp`, { method: 'POST', headers, body: JSON.stringify(message) });
}

test('a REST search the pool would refuse is refused before the app reads it, with the answer the app gives', async (t) => {
  embedder.hold();
  t.after(() => embedder.release()); // a failure here must not leave later tests held
  // Queries of their own: a query vector already made is cached, and would not hold a search.
  const running = [search('front door one'), search('front door two')];
  await until(() => load().running === 2 && embedder.waiting === 2, 'two searches hold the worker');
  // Malformed: the app would answer 400 (below); the front door refuses it without validating it.
  const early = await fetch(`${server.url}/api/search?q=autoscale&limit=lots`);
  const byApp = await createApp(server.ctx).request('http://127.0.0.1/api/search?q=autoscale');
  assert.equal(early.status, 503);
  assert.equal(byApp.status, 503);
  assert.deepEqual(headersOf(early), headersOf(byApp));
  assert.deepEqual(await early.json(), await byApp.json());
  embedder.release();
  for (const response of await Promise.all(running)) assert.equal(response.status, 200);
  assert.equal((await fetch(`${server.url}/api/search?q=autoscale&limit=lots`)).status, 400, 'with room, the malformed search is told what is wrong');
});

test('a 2026-07-28 search_docs call the pool would refuse is answered before the SDK, framed as the SDK frames a result', async (t) => {
  embedder.hold();
  t.after(() => embedder.release()); // a failure here must not leave later tests held
  const running = [search('before the sdk one'), search('before the sdk two')];
  await until(() => load().running === 2 && embedder.waiting === 2, 'two searches hold the worker');
  // Malformed arguments (the SDK refuses them, below) are not even read.
  const early = await modernSearchCall(41, { query: 42 });
  embedder.release();
  for (const response of await Promise.all(running)) assert.equal(response.status, 200);
  const earlyBody = (await early.json()) as { result: { isError: boolean; content: { text: string }[] }; id: number };
  assert.equal(early.status, 200);
  assert.equal(earlyBody.id, 41);
  assert.equal(earlyBody.result.isError, true);
  assert.match(earlyBody.result.content[0]!.text, /^the server is busy: .*\. Retry in \d+ s$/);
  // The SDK's own failed result (an unknown product), once the server has room: the same frame.
  const bySdk = await modernSearchCall(42, { query: 'autoscale', product: 'no-such-product' });
  const sdkBody = (await bySdk.json()) as { result: { isError: boolean; content: unknown[] }; id: number };
  assert.equal(sdkBody.result.isError, true);
  assert.deepEqual(headersOf(early), headersOf(bySdk));
  const frame = (body: { result: object; id: number }) => ({ ...body, id: 0, result: { ...body.result, content: [] } });
  assert.deepEqual(frame(earlyBody), frame(sdkBody));
  const malformed = (await (await modernSearchCall(43, { query: 42 })).json()) as { result?: { content: { text: string }[] } };
  assert.doesNotMatch(JSON.stringify(malformed), /busy/, 'with room, the SDK judges the arguments');
});

test('while the pool refuses, /mcp search calls are refused at the front door as the app would, and other calls still reach the app', async (t) => {
  embedder.hold();
  t.after(() => embedder.release()); // a failure here must not leave later tests held
  const running = [search('door of mcp one'), search('door of mcp two')];
  await until(() => load().running === 2 && embedder.waiting === 2, 'two searches hold the worker');
  await until(() => server.ctx.library.searchRefusal() !== undefined, 'the pool refuses');
  const { headers, body } = mcpSearchRequest('autoscale group', 51);
  const early = await fetch(`${server.url}/mcp`, { method: 'POST', headers, body });
  const byApp = await createApp(server.ctx).request('http://127.0.0.1/mcp', { method: 'POST', headers: { ...headers, host: '127.0.0.1' }, body });
  assert.equal(early.status, 200);
  assert.deepEqual(headersOf(early), headersOf(byApp));
  const earlyBody = (await early.json()) as { result: { isError: boolean; content: { text: string }[] } };
  assert.deepEqual(earlyBody, await byApp.json());
  assert.match(earlyBody.result.content[0]!.text, /^the server is busy: /);
  // Read at the door, then handed on with its body: a tools/list is answered as ever.
  const listed = JSON.parse(body) as { params: { _meta: object } };
  const list = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { ...headers, 'mcp-method': 'tools/list', 'mcp-name': '' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 52, method: 'tools/list', params: { _meta: listed.params._meta } }),
  });
  const tools = (await list.json()) as { result?: { tools: { name: string }[] } };
  assert.ok(tools.result?.tools.some((tool) => tool.name === 'search_docs'), JSON.stringify(tools).slice(0, 300));
  // The guards still come first: a request from another host is refused as such, not as busy.
  const foreign = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(`${server.url}/mcp`, { method: 'POST', headers: { ...headers, host: 'evil.example.com', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.on('data', (part: Buffer) => (text += part.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode!, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
  assert.equal(foreign.status, 403);
  assert.doesNotMatch(foreign.text, /busy/);
  embedder.release();
  for (const response of await Promise.all(running)) assert.equal(response.status, 200);
});

test('a search past the deadline is answered 503 deadline_exceeded', async () => {
  embedder.hold();
  const response = await search('scaling policy thresholds');
  assert.equal(response.status, 503);
  assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'deadline_exceeded');
  embedder.release();
  await until(() => load().running === 0, 'the worker is free again');
});

test('a client that disconnects frees its worker while the embedder still holds', async () => {
  embedder.hold();
  const controller = new AbortController();
  const pending = search('cloudwatch alarm', { signal: controller.signal });
  pending.catch(() => {});
  await until(() => load().running === 1 && embedder.waiting === 1, 'the search runs');
  controller.abort();
  await until(() => load().running === 0, 'the search is cancelled');
  assert.equal(embedder.waiting, 1, 'cancelled before its vector arrived');
  embedder.release();
  assert.equal((await search('cloudwatch alarm')).status, 200);
});

// Each its own query: a query vector asked for before is cached, and its search would not wait for the embedder.
// MCP searches are hybrid: a word the library lacks ("zorblat") keeps the best lexical passage from
// holding the whole query, so the search waits for its query vector.
for (const [era, send, query] of [['2025-era', mcpSearch, 'elastic load balancer listener zorblat'], ['2026-07-28', modernMcpSearch, 'instance metadata service zorblat']] as const) {
  test(`an MCP client (${era}) that disconnects frees its worker, and the next call is answered`, async () => {
    embedder.hold();
    const controller = new AbortController();
    const pending = send(query, { signal: controller.signal });
    pending.catch(() => {});
    await until(() => load().running === 1 && embedder.waiting === 1, 'the search runs');
    const aborted = performance.now();
    controller.abort();
    await until(() => load().running === 0, 'the search is cancelled');
    // Well before the 3 s deadline, which would free the worker too.
    assert.ok(performance.now() - aborted < 1_500, `cancelled ${Math.round(performance.now() - aborted)} ms after the client left`);
    assert.equal(embedder.waiting, 1, 'cancelled before its vector arrived');
    embedder.release();
    const answered = (await (await send(query)).json()) as { result?: { content: { text: string }[] } };
    assert.ok(answered.result?.content[0]?.text, 'the next call of the same era is answered');
  });
}
