import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../../src/server/serve.js';
import { startTestServer } from '../support/server.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { assertNoLeak, callTool, MODERN_META, postMcp, toolOutcome } from './requests-support.js';
import { rawGet, rawHttp } from '../support/raw-http.js';

/**
 * Malformed and hostile requests at the HTTP and MCP level, against the real server: bad JSON and
 * JSON-RPC, wrong content types and sizes, bad tokens, bad Host and Origin, every method on every
 * surface, path traversal and encoded NULs, oversized URLs and headers. Each gets the right status
 * and an error a person or client can act on, never a stack trace, and nothing in the library changes.
 */
const TOKEN = 'hardening-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const DOC = 'asav-autoscale-azure::9.19::asav_azure_autoscale_v919::asav_azure_autoscale_v919';

let fixture: Fixture;
/** Token configured: /mcp and writes need it. */
let guarded: RunningServer;
/** No token: writes are disabled, /mcp is open. */
let open: RunningServer;
let mcpUrl: string;

before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.19'] });
  const { token: _none, ...config } = fixture.config;
  guarded = await startTestServer(fixture, { token: TOKEN });
  open = await startTestServer(fixture);
  mcpUrl = `${guarded.url}/mcp`;
});

after(async () => {
  await guarded?.close();
  await open?.close();
  await fixture?.cleanup();
});

/** What the library holds, to check that no hostile request changed it. */
const snapshot = () => JSON.stringify(fixture.library.tree());

/** A JSON error from the REST API: status, error shape, no leak. */
async function apiError(url: string, init: RequestInit, status: number, where = `${init.method ?? 'GET'} ${url}`): Promise<{ code: string; message: string; hint?: string }> {
  const response = await fetch(url, init);
  const text = await response.text();
  assert.equal(response.status, status, `${where}: ${text.slice(0, 300)}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${where}: JSON`);
  assertNoLeak(text, where, [TOKEN]);
  const body = JSON.parse(text);
  assert.equal(typeof body.error?.code, 'string', `${where}: error shape`);
  assert.ok(body.error.message.length > 5, `${where}: a message`);
  return body.error;
}

describe('invalid JSON and JSON-RPC on /mcp', () => {
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
  const cases: [string, string, number, number][] = [
    // name, body, HTTP status, JSON-RPC error code
    ['malformed JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', 400, -32700],
    ['empty body', '', 400, -32700],
    ['null', 'null', 400, -32600],
    ['a number', '42', 400, -32600],
    ['a string', '"tools/list"', 400, -32600],
    ['an empty batch', '[]', 400, -32600],
    ['a batch of two initializes', JSON.stringify([init, init]), 400, -32600],
    ['no jsonrpc member', JSON.stringify({ id: 1, method: 'tools/list' }), 400, -32600],
    ['jsonrpc 1.0', JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'tools/list' }), 400, -32600],
    ['no method', JSON.stringify({ jsonrpc: '2.0', id: 1 }), 400, -32600],
    ['method is a number', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 42 }), 400, -32600],
    ['id is an object', JSON.stringify({ jsonrpc: '2.0', id: {}, method: 'tools/list' }), 400, -32600],
    ['id is a fraction', JSON.stringify({ jsonrpc: '2.0', id: 1.5, method: 'tools/list' }), 400, -32600],
    ['params is a number', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: 5 }), 400, -32600],
    ['deeply nested params', `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":${'['.repeat(5000)}${']'.repeat(5000)}}`, 400, -32600],
    ['unknown method', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'nothing/here' }), 200, -32601],
    ['tools/call with a numeric name', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 5 } }), 200, -32602],
    ['tools/call with string arguments', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: 'x' } }), 200, -32602],
    ['unknown tool', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'delete_everything', arguments: {} } }), 200, -32602],
    ['resources/read of a file: URI', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'file:///etc/passwd' } }), 200, -32602],
    ['resources/read of a traversing document id', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'mcdewey://documents/..%2F..%2Fetc%2Fpasswd' } }), 200, -32602],
    ['resources/read of a NUL chunk id', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'mcdewey://chunks/%00' } }), 200, -32602],
  ];
  for (const [name, body, status, code] of cases) {
    test(`${name}: ${status} with JSON-RPC error ${code}`, async () => {
      const answer = await postMcp(mcpUrl, body, AUTH);
      assert.equal(answer.status, status, answer.text.slice(0, 300));
      assert.equal(answer.headers.get('content-type'), 'application/json');
      assert.equal(answer.json.error.code, code, answer.text.slice(0, 300));
      assert.ok(answer.json.error.message.length > 5);
      assertNoLeak(answer.text, name, [TOKEN]);
    });
  }

  test('params of the wrong type on list and read methods: a JSON-RPC error naming the field, no 5xx', async () => {
    // The SDK reports these with -32603 rather than -32602 (its own validation, not McDewey's): the
    // test holds what matters here, an error that names the field and shows nothing of the server.
    for (const [method, params, field] of [['tools/list', { cursor: 5 }, 'cursor'], ['resources/read', { uri: 5 }, 'uri'], ['completion/complete', { ref: 5 }, 'ref']] as const) {
      const answer = await postMcp(mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), AUTH);
      assert.equal(answer.status, 200, method);
      assert.ok([-32602, -32603].includes(answer.json.error.code), `${method}: ${answer.text.slice(0, 200)}`);
      assert.match(answer.json.error.message, new RegExp(field));
      assertNoLeak(answer.text, method, [TOKEN]);
    }
  });

  test('a request without an id is a notification: 202, no body', async () => {
    const answer = await postMcp(mcpUrl, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), AUTH);
    assert.equal(answer.status, 202);
    assert.equal(answer.text, '');
  });

  test('2026-07-28 requests: batches, missing or contradicting headers and unknown versions are 400s', async () => {
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'azure' }, _meta: MODERN_META } };
    const modern = { ...AUTH, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'search_docs' };
    const cases: [string, string, Record<string, string>, RegExp][] = [
      ['a batch', JSON.stringify([call]), modern, /batch/],
      ['no Mcp-Method header', JSON.stringify(call), { ...modern, 'mcp-method': '' }, /Mcp-Method/],
      ['Mcp-Method contradicts the body', JSON.stringify(call), { ...modern, 'mcp-method': 'tools/list' }, /disagree/],
      ['Mcp-Name contradicts the body', JSON.stringify(call), { ...modern, 'mcp-name': 'read_chunk' }, /Mcp-Name/],
      ['an unknown protocol version', JSON.stringify({ ...call, params: { ...call.params, _meta: { ...MODERN_META, 'io.modelcontextprotocol/protocolVersion': '1999-01-01' } } }), { ...modern, 'mcp-protocol-version': '1999-01-01' }, /Unsupported protocol version/],
      ['_meta of the wrong type', JSON.stringify({ ...call, params: { ...call.params, _meta: { ...MODERN_META, 'io.modelcontextprotocol/clientInfo': 'me' } } }), modern, /clientInfo/],
    ];
    for (const [name, body, headers, message] of cases) {
      const answer = await postMcp(mcpUrl, body, headers);
      assert.equal(answer.status, 400, `${name}: ${answer.text.slice(0, 200)}`);
      assert.match(answer.json.error.message, message, name);
      assertNoLeak(answer.text, name, [TOKEN]);
    }
  });
});

describe('content types and sizes on /mcp', () => {
  const LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

  test('a body that is not JSON by Content-Type is a 415; an Accept without JSON and SSE is a 406', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const answer = await postMcp(mcpUrl, LIST, { ...AUTH, 'content-type': type });
      assert.equal(answer.status, 415, type);
      assert.match(answer.json.error.message, /Content-Type must be application\/json/);
    }
    const noType = await fetch(mcpUrl, { method: 'POST', headers: { ...AUTH, accept: 'application/json, text/event-stream' }, body: new Uint8Array(Buffer.from(LIST)) });
    assert.equal(noType.status, 415);
    const html = await postMcp(mcpUrl, LIST, { ...AUTH, accept: 'text/html' });
    assert.equal(html.status, 406);
    assert.match(html.json.error.message, /Not Acceptable/);
    assert.equal((await postMcp(mcpUrl, LIST, { ...AUTH, 'content-type': 'application/json; charset=utf-8' })).status, 200);
  });

  test('a chunked body over 1 MiB with no Content-Length is cut off with 413', async () => {
    const { port } = new URL(mcpUrl);
    const chunk = `{"pad":"${'x'.repeat(60_000)}"}`;
    const head = `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
    const body = Array.from({ length: 20 }, () => `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`).join('') + '0\r\n\r\n';
    const answer = await rawHttp(guarded.url, head + body);
    assert.equal(answer.status, 413);
    assert.match(answer.body, /Payload Too Large/);
  });
});

describe('tool arguments of the wrong type or out of range are error results that name the argument', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['search_docs', { query: 5 }, /query/],
    ['search_docs', {}, /query/],
    ['search_docs', { query: 'azure', limit: 0 }, /limit/],
    ['search_docs', { query: 'azure', limit: 21 }, /limit/],
    ['search_docs', { query: 'azure', limit: 1.5 }, /limit/],
    ['search_docs', { query: 'azure', limit: '5' }, /limit/],
    ['search_docs', { query: 'azure', vendor: {} }, /vendor/],
    ['search_docs', { query: 'azure', version: ['9.19'] }, /version/],
    ['search_docs', { query: 'azure', cursor: 'not-a-cursor' }, /cursor/],
    ['search_docs', { query: 'azure', cursor: 'x'.repeat(600) }, /cursor/],
    ['search_docs', { query: 'azure', version: '99.0' }, /99\.0.*(9\.19)/],
    ['read_chunk', { chunk_id: 5 }, /chunk_id/],
    ['read_chunk', { chunk_id: '../../etc/passwd' }, /not a chunk id/],
    ['read_chunk', { chunk_id: `${DOC}::1`, before: -1 }, /before/],
    ['read_chunk', { chunk_id: `${DOC}::1`, after: 1e9 }, /after/],
    ['read_chunk', { chunk_id: `${DOC}::999999` }, /999999|no chunk/],
    ['read_document', { doc_id: '' }, /doc_id/],
    ['read_document', { doc_id: DOC, page: 0 }, /page/],
    ['read_document', { doc_id: DOC, page: 10_000 }, /page/],
    ['read_document', { doc_id: DOC, max_tokens: 10 }, /max_tokens/],
    ['read_document', { doc_id: DOC, start: -1 }, /start/],
    ['read_document', { doc_id: '..%2F..%2Fetc%2Fpasswd' }, /document/],
    ['list_library', { vendor: 5 }, /vendor/],
    ['list_library', { product: 'nope' }, /nope.*asav-autoscale-azure/],
  ];
  for (const era of [2025, 2026] as const) {
    test(`${cases.length} bad calls, ${era} era`, async () => {
      for (const [tool, args, message] of cases) {
        const where = `${tool} ${JSON.stringify(args).slice(0, 60)}`;
        const answer = await callTool(mcpUrl, tool, args, { era, headers: AUTH });
        assertNoLeak(answer.text, where, [TOKEN]);
        const { isError, text } = toolOutcome(answer, where);
        assert.ok(isError, `${where}: an error result`);
        assert.match(text, message, where);
      }
    });
  }
});

describe('bearer tokens', () => {
  const badAuthorizations: [string, Record<string, string>][] = [
    ['no Authorization', {}],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a wrong token', { authorization: 'Bearer not-the-token-0123456789' }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token plus a character', { authorization: `Bearer ${TOKEN}x` }],
    ['the token in Basic auth', { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` }],
    ['the token without a scheme', { authorization: TOKEN }],
    ['the token in a cookie', { cookie: `token=${TOKEN}` }],
    ['the token in X-Api-Key', { 'x-api-key': TOKEN }],
  ];
  const inQuery = ['token', 'access_token', 'authorization', 'bearer'].map((name) => `?${name}=${encodeURIComponent(name === 'authorization' ? `Bearer ${TOKEN}` : TOKEN)}`);

  test('/mcp refuses every other way of presenting the token with 401', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    for (const [name, headers] of badAuthorizations) {
      const answer = await postMcp(mcpUrl, list, headers);
      assert.equal(answer.status, 401, name);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer realm="mcdewey"/, name);
      assertNoLeak(answer.text, name, [TOKEN]);
    }
    for (const query of inQuery) assert.equal((await postMcp(`${mcpUrl}${query}`, list)).status, 401, `token in the query string ${query.split('=')[0]}`);
    assert.equal((await postMcp(mcpUrl, list, { authorization: `bearer   ${TOKEN}  ` })).status, 200, 'the scheme is case-insensitive, spaces around the token are not part of it');
  });

  test('every write route refuses them with 401, and with 403 when no token is configured; nothing changes', async () => {
    const before = snapshot();
    const writes: [string, string][] = [
      ['POST', '/api/documents'],
      ['DELETE', `/api/documents/${encodeURIComponent(DOC)}`],
      ['DELETE', '/api/products/asav-autoscale-azure'],
      ['DELETE', '/api/products/asav-autoscale-azure/versions/9.19'],
    ];
    for (const [method, path] of writes) {
      for (const [name, headers] of badAuthorizations) {
        const error = await apiError(`${guarded.url}${path}`, { method, headers }, 401, `${method} ${path} with ${name}`);
        assert.equal(error.code, 'unauthorized');
      }
      for (const query of inQuery) await apiError(`${guarded.url}${path}${query}`, { method }, 401);
      const disabled = await apiError(`${open.url}${path}`, { method, headers: AUTH }, 403);
      assert.match(disabled.hint ?? '', /--token/);
    }
    assert.equal(snapshot(), before, 'the library is unchanged');
  });
});

describe('Host and Origin', () => {
  const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  const mcpPost = (headers: Record<string, string>) => {
    const lines = Object.entries({ 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...AUTH, 'content-length': String(Buffer.byteLength(list)), connection: 'close', ...headers });
    return rawHttp(guarded.url, `POST /mcp HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${list}`);
  };
  const port = () => new URL(guarded.url).port;

  test('/mcp answers 403 to a foreign Host (DNS rebinding) or Origin, checked before the token', async () => {
    const foreign: Record<string, string>[] = [
      { host: 'attacker.example' },
      { host: `127.0.0.1.attacker.example:${port()}` },
      { host: `localhost.attacker.example:${port()}` },
      { host: `127.0.0.1:${port()}`, origin: 'https://attacker.example' },
      { host: `127.0.0.1:${port()}`, origin: 'null' },
      { host: `127.0.0.1:${port()}`, origin: 'http://127.0.0.1.attacker.example' },
      { host: 'attacker.example', authorization: 'Bearer wrong' },
    ];
    for (const headers of foreign) {
      const answer = await mcpPost(headers);
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.match(answer.body, /--allowed-(hosts|origins)/);
      assertNoLeak(answer.body, JSON.stringify(headers), [TOKEN]);
    }
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, '[::1]']) {
      assert.equal((await mcpPost({ host })).status, 200, host);
    }
    assert.equal((await mcpPost({ host: `127.0.0.1:${port()}`, origin: `http://localhost:${port()}` })).status, 200);
  });

  test('the web UI and the REST API still answer behind a real hostname, whatever the Origin', async () => {
    for (const path of ['/', '/search?q=azure', '/library', `/doc/${DOC}`, '/static/app.css', '/api/health', '/api/search?q=azure', '/api/library']) {
      const answer = await rawGet(guarded.url, path, { host: 'docs.example.com', origin: 'https://elsewhere.example' });
      assert.equal(answer.status, 200, path);
    }
  });
});

describe('every method on every surface', () => {
  const pages = ['/', '/search?q=azure', '/library', `/chunk/${DOC}::1`, `/doc/${DOC}`, '/static/app.js'];
  const apiPaths: [string, string][] = [['/api/health', 'GET'], ['/api/search?q=azure', 'GET'], ['/api/library', 'GET'], [`/api/documents/${encodeURIComponent(DOC)}`, 'GET, DELETE'], ['/api/documents', 'GET, POST']];

  test('web pages: GET and HEAD answer; other methods get a 405 page with Allow', async () => {
    for (const path of pages) {
      const get = await fetch(`${guarded.url}${path}`);
      assert.equal(get.status, 200, `GET ${path}`);
      const head = await fetch(`${guarded.url}${path}`, { method: 'HEAD' });
      assert.equal(head.status, 200, `HEAD ${path}`);
      assert.equal(await head.text(), '', 'HEAD has no body');
      assert.equal(head.headers.get('content-type'), get.headers.get('content-type'));
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
        const response = await fetch(`${guarded.url}${path}`, { method, headers: AUTH });
        const html = await response.text();
        assert.equal(response.status, 405, `${method} ${path}`);
        assert.equal(response.headers.get('allow'), 'GET, HEAD');
        assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
        assert.match(html, new RegExp(`${method} is not supported`));
        assertNoLeak(html, `${method} ${path}`);
      }
    }
    const unknown = await fetch(`${guarded.url}/no/such/page`, { method: 'POST' });
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /There is no page at \/no\/such\/page/);
  });

  test('REST routes: other methods are JSON 405s with Allow; HEAD mirrors GET', async () => {
    for (const [path, allowed] of apiPaths) {
      const head = await fetch(`${guarded.url}${path}`, { method: 'HEAD' });
      assert.equal(head.status, 200, `HEAD ${path}`);
      assert.match(head.headers.get('content-type') ?? '', /^application\/json/);
      for (const method of ['PUT', 'PATCH', 'OPTIONS', 'PROPFIND', ...(allowed.includes('POST') ? [] : ['POST'])]) {
        const response = await fetch(`${guarded.url}${path}`, { method, headers: AUTH });
        assert.equal(response.status, 405, `${method} ${path}`);
        assert.equal(response.headers.get('allow'), allowed, `${method} ${path}`);
        assert.equal((await response.json()).error.code, 'method_not_allowed');
      }
    }
  });

  test('/mcp: POST only; every other method is a 405 with Allow: POST, even with the token', async () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
      const response = await fetch(mcpUrl, { method, headers: { ...AUTH, accept: 'application/json, text/event-stream' } });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'POST');
      if (method !== 'HEAD') assert.match(await response.text(), /POST only/);
    }
    const below = await fetch(`${mcpUrl}/`, { method: 'POST', headers: AUTH });
    assert.equal(below.status, 404, '/mcp/ is not the endpoint');
    assert.match((await below.json()).error.hint, /MCP endpoint is \/mcp/);
  });
});

describe('path traversal, encoded NULs and broken encodings in URLs', () => {
  const PASSWD = /root:.*:0:0:/;
  const cases: [string, number[]][] = [
    ['/static/../../etc/passwd', [404]],
    ['/static/..%2F..%2Fetc%2Fpasswd', [404]],
    ['/static/%2e%2e/%2e%2e/etc/passwd', [404]],
    ['/static/%252e%252e%252fetc%252fpasswd', [404]],
    ['/static/app.js%00', [404]],
    ['/static/app.js%00.html', [404]],
    ['/static/..%5C..%5Cetc%5Cpasswd', [404]],
    ['/doc/..%2F..%2Fetc', [404]],
    ['/doc/..%2F..%2Fetc%2Fpasswd?page=1', [404]],
    ['/doc/%C0%AE%C0%AE%2F%C0%AE%C0%AE%2Fetc%2Fpasswd', [404]],
    ['/doc/%00', [404]],
    ['/doc/%E0%A4%A', [404]],
    [`/doc/${DOC}?page=%00`, [400]],
    [`/doc/${DOC}?chunk=..%2F..%2Fetc%2Fpasswd`, [200]],
    ['/chunk/..%2F..%2Fetc%2Fpasswd', [404]],
    ['/chunk/a%00b', [404]],
    ['/chunk/%', [404]],
    ['/%00', [404]],
    ['/search?q=%00&vendor=%00', [400]],
    ['/search?q=azure&product=..%2F..%2Fetc', [404]],
    ['/api/documents/..%2F..%2Fetc%2Fpasswd', [404]],
    ['/api/documents/..%2F..%2Fetc%2Fpasswd/text', [404]],
    ['/api/documents/%00', [404]],
    ['/api/documents/%E0%A4%A/pages/1', [404]],
    ['/api/chunks/..%2F..%2Fetc%2Fpasswd', [400]],
    ['/api/chunks/%', [400]],
    ['/api/search?q=x&vendor=..%2F..%2Fetc', [400, 404]],
    ['/api/documents?product=%00', [400, 404]],
  ];

  test(`${cases.length} hostile URLs: 4xx (or the page itself), never a file`, async () => {
    for (const [path, statuses] of cases) {
      const answer = await rawGet(guarded.url, path);
      assert.ok(statuses.includes(answer.status), `${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
      assert.doesNotMatch(answer.body, PASSWD, path);
      assertNoLeak(answer.body, path);
      const expected = path.startsWith('/api/') ? /content-type: application\/json/i : /content-type: text\/(html|javascript|css)/i;
      assert.match(answer.head, expected, `${path}: content type`);
    }
  });

  test('DELETE with traversing labels removes nothing', async () => {
    const before = snapshot();
    for (const path of ['/api/products/..%2F..', '/api/products/..', '/api/products/%2E%2E%2F%2E%2E/versions/..', `/api/documents/${encodeURIComponent('../../etc/passwd')}`, '/api/products/%00']) {
      const response = await fetch(`${guarded.url}${path}`, { method: 'DELETE', headers: AUTH });
      assert.ok([400, 404].includes(response.status), `${path}: ${response.status}`);
      assertNoLeak(await response.text(), path, [TOKEN]);
    }
    assert.equal(snapshot(), before);
  });

  test('a backslash path, a bad Host or a bad request line: 400 with a JSON message', async () => {
    const { host } = new URL(guarded.url);
    const requests = [
      `GET /static\\..\\..\\etc\\passwd HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: a b<script>\r\nConnection: close\r\n\r\n`,
      `GET /api/health HTTP/1.1\r\nHost: ${host}@evil\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/9.9\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      `GET /\0 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      'garbage\r\n\r\n',
      `POST /mcp HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`,
    ];
    for (const request of requests) {
      const answer = await rawHttp(guarded.url, request);
      assert.equal(answer.status, 400, JSON.stringify(request.slice(0, 40)));
      const body = JSON.parse(answer.body);
      assert.equal(body.error.code, 'bad_request');
      assert.match(answer.head, /X-Content-Type-Options: nosniff/i);
    }
  });
});

describe('very long URLs and headers', () => {
  test('a URL or a header over 16 KB: 431 with a JSON message saying what to shorten', async () => {
    const { host } = new URL(guarded.url);
    for (const request of [
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      `GET /api/search?q=${'b'.repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'c'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: ${host}\r\n${Array.from({ length: 1500 }, (_, i) => `X-H${i}: ${'d'.repeat(10)}`).join('\r\n')}\r\nConnection: close\r\n\r\n`,
    ]) {
      const answer = await rawHttp(guarded.url, request);
      assert.equal(answer.status, 431);
      const body = JSON.parse(answer.body);
      assert.equal(body.error.code, 'headers_too_large');
      assert.match(body.error.hint, /Shorten/);
    }
  });

  test('long but acceptable URLs are served, and echoed paths are cut short', async () => {
    const page = await rawGet(guarded.url, `/${'e'.repeat(12_000)}`);
    assert.equal(page.status, 404);
    assert.ok(page.body.length < 10_000, 'the 404 page does not echo the whole path');
    const chunk = await rawGet(guarded.url, `/chunk/${'f'.repeat(12_000)}`);
    assert.equal(chunk.status, 404);
    const api = await rawGet(guarded.url, `/api/documents/${'g'.repeat(12_000)}`);
    assert.equal(api.status, 400, 'a document id over 400 characters is invalid input');
    const latin1 = await rawHttp(guarded.url, Buffer.concat([Buffer.from(`GET /api/health HTTP/1.1\r\nHost: ${new URL(guarded.url).host}\r\nX-Name: `), Buffer.from([0xe9, 0xff]), Buffer.from('\r\nConnection: close\r\n\r\n')]));
    assert.equal(latin1.status, 200, 'bytes above 0x7F in a header value are tolerated');
  });
});

describe('malformed uploads', () => {
  const form = (fields: Record<string, string | File>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    return data;
  };
  const html = (name = 'page.html', text = '<h1>Hi</h1><p>hello</p>') => new File([text], name, { type: 'text/html' });
  const labels = { vendor: 'Acme', product: 'widget', version: '1.0' };

  test('wrong content types, broken multipart, missing, unknown and repeated fields: 4xx that name the problem', async () => {
    const before = snapshot();
    const url = `${guarded.url}/api/documents?wait=1`;
    const cases: [string, RequestInit, number, RegExp][] = [
      ['JSON instead of a form', { body: JSON.stringify(labels), headers: { ...AUTH, 'content-type': 'application/json' } }, 415, /multipart\/form-data/],
      ['no Content-Type', { body: new Uint8Array([1, 2, 3]), headers: AUTH }, 415, /no Content-Type/],
      ['multipart without a matching boundary', { body: 'garbage', headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=zzz' } }, 400, /could not be parsed/],
      ['no version', { body: form({ file: html(), vendor: 'Acme', product: 'widget' }), headers: AUTH }, 400, /"version" is required/],
      ['an unknown field', { body: form({ file: html(), ...labels, path: '/etc' }), headers: AUTH }, 400, /unknown form field "path"/],
      ['the file twice', { body: (() => { const f = form({ file: html(), ...labels }); f.append('file', html()); return f; })(), headers: AUTH }, 400, /more than once/],
      ['a text field as the file', { body: form({ file: 'not a file', ...labels }), headers: AUTH }, 400, /"file"/],
      ['an empty file', { body: form({ file: new File([], 'empty.html'), ...labels }), headers: AUTH }, 400, /empty/],
      ['an executable', { body: form({ file: new File(['MZ'], 'tool.exe'), ...labels }), headers: AUTH }, 400, /unsupported file type/],
      ['a 201-character label', { body: form({ file: html(), ...labels, vendor: 'v'.repeat(201) }), headers: AUTH }, 400, /"vendor"/],
      ['a label with no letters', { body: form({ file: html(), ...labels, product: '../..' }), headers: AUTH }, 422, /no letters or digits/],
    ];
    for (const [name, init, status, message] of cases) {
      const response = await fetch(url, { method: 'POST', ...init });
      const text = await response.text();
      assert.equal(response.status, status, `${name}: ${text.slice(0, 200)}`);
      assert.match(JSON.parse(text).error.message, message, name);
      assertNoLeak(text, name, [TOKEN]);
    }
    const oversized = await rawHttp(guarded.url, `POST /api/documents HTTP/1.1\r\nHost: ${new URL(url).host}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
      'Content-Type: multipart/form-data; boundary=zzz\r\nContent-Length: 300000000\r\nConnection: close\r\n\r\n--zzz\r\n');
    assert.equal(oversized.status, 413, 'a declared 300 MB body is refused before it is read');
    assert.match(JSON.parse(oversized.body).error.message, /uploads are limited to 200 MB/);
    assert.equal(snapshot(), before, 'nothing was added');
  });

  test('a client file name with folders cannot place the file outside the library', async () => {
    const response = await fetch(`${guarded.url}/api/documents?wait=1`, { method: 'POST', headers: AUTH, body: form({ file: html('../../../etc/evil.html'), ...labels }) });
    const body = await response.json();
    assert.equal(response.status, 201, JSON.stringify(body));
    assert.equal(body.file, 'evil.html');
    assert.equal(body.source_path, 'widget/1.0/evil/evil.md');
    assert.equal((await fetch(`${guarded.url}/api/documents/${encodeURIComponent(body.doc_id)}`, { method: 'DELETE', headers: AUTH })).status, 200);
  });
});
