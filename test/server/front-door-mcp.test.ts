import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LibraryError } from '../../src/library/errors.js';
import { corsPolicy } from '../../src/http/cors.js';
import { frontDoor } from '../../src/server/front-door.js';
import type { McpEndpoint } from '../../src/mcp/endpoint.js';

/**
 * The front door's /mcp path alone, over a stand-in app that records what reaches it and the body
 * it was handed, and a stand-in endpoint: its guards pass unless the request says `x-guard: no`, and
 * it answers busy to every tools/call. The real endpoint and app are in test/api/search-admission.test.ts.
 */
interface Reached {
  line: string;
  rawBody: string | undefined;
}

async function withDoor(refusal: LibraryError | undefined, loaded: boolean, run: (url: string, reached: Reached[]) => Promise<void>): Promise<void> {
  const reached: Reached[] = [];
  const app: http.RequestListener = (request, response) => {
    const rawBody = (request as http.IncomingMessage & { rawBody?: Buffer }).rawBody?.toString('utf8');
    reached.push({ line: `${request.method} ${request.url}`, rawBody });
    if (rawBody !== undefined) return void response.end(`app:${rawBody}`);
    // A body the door did not read is still on the socket, for the app to read.
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => response.end(`app:${Buffer.concat(parts).toString('utf8')}`));
  };
  const endpoint = {
    readsEarly: (headers: http.IncomingHttpHeaders) => headers['x-guard'] !== 'no' && headers['content-type'] === 'application/json' && headers['content-length'] !== undefined,
    busyAnswer: (body: unknown) => (body as { method?: string } | undefined)?.method === 'tools/call' ? { jsonrpc: '2.0', id: (body as { id: number }).id, result: { isError: true } } : undefined,
  } as unknown as McpEndpoint;
  const mcp = { loaded: () => (loaded ? endpoint : undefined) };
  const server = http.createServer(frontDoor(app, { searchRefusal: () => refusal }, corsPolicy('https://app.example.com'), mcp));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, reached);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const busy = new LibraryError('busy', 'the server is busy: 4 searches are running and 64 waiting, as many as it accepts', 'Retry in 2 s', { retryAfterSeconds: 2 });
const call = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'x' } } });
const list = JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/list' });
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

test('while the pool would refuse, a search call to /mcp is answered at the door with the endpoint\'s answer', async () => {
  await withDoor(busy, true, async (url, reached) => {
    const response = await post(url, call, { origin: 'https://app.example.com' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.deepEqual(await response.json(), { jsonrpc: '2.0', id: 7, result: { isError: true } });
    assert.deepEqual(reached, []);
  });
});

test('a body read at the door and not answered there reaches the app whole, as rawBody', async () => {
  await withDoor(busy, true, async (url, reached) => {
    assert.equal(await (await post(url, list)).text(), `app:${list}`);
    assert.equal(await (await post(url, '{"not json')).text(), 'app:{"not json');
    assert.deepEqual(reached, [{ line: 'POST /mcp', rawBody: list }, { line: 'POST /mcp', rawBody: '{"not json' }]);
  });
});

test('the door leaves /mcp to the app when the guards would refuse, the pool has room or the SDK is not loaded', async () => {
  await withDoor(busy, true, async (url, reached) => {
    assert.equal(await (await post(url, call, { 'x-guard': 'no' })).text(), `app:${call}`);
    assert.equal(await (await fetch(`${url}/mcp/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: call })).text(), `app:${call}`);
    assert.deepEqual(reached.map((r) => r.rawBody), [undefined, undefined], 'the app read those bodies itself');
  });
  await withDoor(undefined, true, async (url, reached) => {
    assert.equal(await (await post(url, call)).text(), `app:${call}`);
    assert.equal(reached[0]!.rawBody, undefined);
  });
  await withDoor(busy, false, async (url, reached) => {
    assert.equal(await (await post(url, call)).text(), `app:${call}`);
    assert.equal(reached.length, 1);
  });
});
