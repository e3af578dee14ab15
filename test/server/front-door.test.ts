import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LibraryError } from '../../src/library/errors.js';
import { corsPolicy } from '../../src/http/cors.js';
import { frontDoor } from '../../src/server/front-door.js';

/**
 * The front door alone, over a stand-in app that counts what reaches it: while the pool would
 * refuse, GET /api/search is answered 503 busy without reaching the app (a page of an allowed
 * origin may read the answer); everything else, and every search while the pool has room, reaches it.
 */
async function withDoor(refusal: LibraryError | undefined, run: (url: string, reached: string[]) => Promise<void>): Promise<void> {
  const reached: string[] = [];
  const app: http.RequestListener = (request, response) => {
    reached.push(`${request.method} ${request.url}`);
    response.end('app');
  };
  const server = http.createServer(frontDoor(app, { searchRefusal: () => refusal }, corsPolicy('https://app.example.com')));
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
    for (const path of ['/api/searches', '/api/search/', '/api/documents', '/search?q=x']) assert.equal(await (await fetch(`${url}${path}`)).text(), 'app');
    assert.equal(await (await fetch(`${url}/api/search?q=x`, { method: 'POST' })).text(), 'app');
    assert.equal(reached.length, 5);
  });
  await withDoor(undefined, async (url, reached) => {
    assert.equal(await (await fetch(`${url}/api/search?q=x`)).text(), 'app');
    assert.deepEqual(reached, ['GET /api/search?q=x']);
  });
});
