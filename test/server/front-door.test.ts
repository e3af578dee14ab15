import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LibraryError } from '../../src/library/errors.js';
import { corsPolicy } from '../../src/http/cors.js';
import { frontDoor } from '../../src/server/front-door.js';
import type { McpEndpoint } from '../../src/mcp/endpoint.js';

/**
 * The front door alone, over a stand-in app that records what reaches it and answers `app:` and the
 * body it got (handed over as rawBody, or read from the socket), and a stand-in MCP endpoint whose
 * guards pass unless the request says `x-guard: no` and which answers busy to every tools/call. While
 * the pool would refuse, GET /api/search is answered 503 busy without reaching the app (a page of an
 * allowed origin may read the answer), and so is a search call to /mcp; everything else, and every
 * search while the pool has room, reaches it. The real endpoint and app: test/api/search-admission.test.ts.
 */
interface Reached {
  line: string;
  rawBody: string | undefined;
}

async function withDoor(refusal: LibraryError | undefined, run: (url: string, reached: Reached[]) => Promise<void>, options: { mcpLoaded?: boolean } = {}): Promise<void> {
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
  const mcp = { loaded: () => (options.mcpLoaded === false ? undefined : endpoint) };
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

test('while the pool would refuse, a REST search is refused at the door and never reaches the app', async () => {
  await withDoor(busy, async (url, reached) => {
    for (const path of ['/api/search?q=x', '/api/search']) {
      const response = await fetch(`${url}${path}`, { headers: { origin: 'https://app.example.com' } });
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '2');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
      assert.deepEqual(await response.json(), { error: { code: 'busy', message: busy.detail, hint: 'Retry in 2 s' } });
    }
    const other = await fetch(`${url}/api/search?q=x`, { headers: { origin: 'https://elsewhere.example.com' } });
    assert.equal(other.status, 503);
    assert.equal(other.headers.get('access-control-allow-origin'), null, 'another origin may not read it');
    assert.deepEqual(reached, []);
  });
});

test('other requests, and searches while the pool has room, go to the app', async () => {
  await withDoor(busy, async (url, reached) => {
    for (const path of ['/api/searches', '/api/search/', '/api/documents', '/search?q=x']) assert.equal(await (await fetch(`${url}${path}`)).text(), 'app:');
    assert.equal(await (await fetch(`${url}/api/search?q=x`, { method: 'POST' })).text(), 'app:');
    assert.equal(reached.length, 5);
  });
  await withDoor(undefined, async (url, reached) => {
    assert.equal(await (await fetch(`${url}/api/search?q=x`)).text(), 'app:');
    assert.deepEqual(reached.map((r) => r.line), ['GET /api/search?q=x']);
  });
});

const call = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'x' } } });
const list = JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/list' });
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

test('while the pool would refuse, a search call to /mcp is answered at the door with the endpoint\'s answer', async () => {
  await withDoor(busy, async (url, reached) => {
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
  await withDoor(busy, async (url, reached) => {
    assert.equal(await (await post(url, list)).text(), `app:${list}`);
    assert.equal(await (await post(url, '{"not json')).text(), 'app:{"not json');
    assert.deepEqual(reached, [{ line: 'POST /mcp', rawBody: list }, { line: 'POST /mcp', rawBody: '{"not json' }]);
  });
});

test('the door leaves /mcp to the app when the guards would refuse, the pool has room or the SDK is not loaded', async () => {
  await withDoor(busy, async (url, reached) => {
    assert.equal(await (await post(url, call, { 'x-guard': 'no' })).text(), `app:${call}`);
    assert.equal(await (await fetch(`${url}/mcp/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: call })).text(), `app:${call}`);
    assert.deepEqual(reached.map((r) => r.rawBody), [undefined, undefined], 'the app read those bodies itself');
  });
  await withDoor(undefined, async (url, reached) => {
    assert.equal(await (await post(url, call)).text(), `app:${call}`);
    assert.equal(reached[0]!.rawBody, undefined);
  });
  await withDoor(busy, async (url, reached) => {
    assert.equal(await (await post(url, call)).text(), `app:${call}`);
    assert.equal(reached.length, 1);
  }, { mcpLoaded: false });
});
