import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { rawRequest } from '../support/raw-http.js';

/**
 * CORS for `--allowed-origins`, in a real Chromium: a page served by a second local server, on
 * another origin (`allowed.test` and `evil.test`, both mapped to 127.0.0.1 by the browser's
 * resolver), calls McDewey's /mcp and /api with fetch.
 *
 * - From the allowed origin: an MCP initialize and tools/call with the bearer token and the MCP
 *   headers (a preflight), a REST search, an authenticated DELETE, and a 401 the page can read
 *   with its WWW-Authenticate challenge.
 * - From another origin: every call fails in the browser; the server's answers carry no CORS
 *   headers, and /mcp answers 403.
 * - The headers themselves: the origin echoed, never `*`, never credentials, Vary: Origin, the
 *   methods and headers each surface takes; an exact-origin entry does not allow another port.
 */

const TOKEN = 'cors-test-token-0123456789abcdef';
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-cors-'));
let library: Library;
let server: RunningServer;
let pages: http.Server;
let pagesPort: number;
let browser: Browser;

before(async () => {
  const data = path.join(sandbox, 'data');
  const source = path.join(sandbox, 'guide.md');
  fs.writeFileSync(source, '# Scaling\n\nThe scale-out threshold is 80 percent CPU.\n');
  const config = loadConfig({ data, embedder: 'none' }, {});
  library = await Library.open(config, 'write');
  await library.add(library.plan([source], { vendor: 'Acme', product: 'widget', version: '1' }));
  // The page server first: the allowed origin names its port.
  pages = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>client</title><p>an MCP client page</p>');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pagesPort = (pages.address() as AddressInfo).port;
  server = await startServer({ ...config, host: '127.0.0.1', port: 0, token: TOKEN, allowedOrigins: `http://allowed.test:${pagesPort}, partner.test` }, library);
  browser = await launchChromium(['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP *.test 127.0.0.1']);
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => pages?.close(resolve));
  await library?.close();
  fs.rmSync(sandbox, { recursive: true, force: true });
});

async function pageAt(origin: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${origin}/`);
  return page;
}

interface Outcome { status?: number; body?: string; challenge?: string | null; error?: string }

/**
 * Runs fetch calls in the page; each answers with its status and body, or the error the browser
 * raised. The script is a string: the test's own functions are compiled with helpers the page lacks.
 */
function calls(page: Page, mcdewey: string): Promise<Record<'initialize' | 'toolCall' | 'unauthorized' | 'search' | 'remove', Outcome>> {
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'page', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'page', version: '1' } } };
  const toolCall = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'scale-out threshold' }, _meta: meta } };
  const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` };
  const requests = {
    initialize: ['/mcp', { method: 'POST', headers: { ...mcpHeaders, 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify(initialize) }],
    toolCall: ['/mcp', { method: 'POST', headers: { ...mcpHeaders, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'search_docs' }, body: JSON.stringify(toolCall) }],
    unauthorized: ['/mcp', { method: 'POST', headers: { ...mcpHeaders, authorization: 'Bearer wrong-token-0123456789' }, body: JSON.stringify(initialize) }],
    search: ['/api/search?q=threshold', {}],
    remove: ['/api/products/no-such-product', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } }],
  };
  return page.evaluate(`(async () => {
    const results = {};
    for (const [name, [path, init]] of Object.entries(${JSON.stringify(requests)})) {
      try {
        const response = await fetch(${JSON.stringify(mcdewey)} + path, init);
        results[name] = { status: response.status, body: await response.text(), challenge: response.headers.get('www-authenticate') };
      } catch (error) {
        results[name] = { error: String(error) };
      }
    }
    return results;
  })()`);
}

describe('a browser page on another origin', () => {
  test('from an allowed origin it calls /mcp (with the token and MCP headers) and /api, and reads the answers', async () => {
    const page = await pageAt(`http://allowed.test:${pagesPort}`);
    const result = await calls(page, server.url);
    assert.equal(result.initialize.status, 200, JSON.stringify(result.initialize));
    assert.match(result.initialize.body!, /"serverInfo":\{"name":"mcdewey"/);
    assert.equal(result.toolCall.status, 200, JSON.stringify(result.toolCall));
    assert.match(result.toolCall.body!, /scale-out threshold/);
    assert.equal(result.unauthorized.status, 401);
    assert.match(result.unauthorized.challenge ?? '', /^Bearer realm="mcdewey"/, 'the challenge is readable');
    assert.equal(result.search.status, 200);
    assert.match(result.search.body!, /"chunk_id":"widget::1::guide::guide::0"/);
    assert.equal(result.remove.status, 404, JSON.stringify(result.remove));
  });

  test('from another origin every call fails in the browser', async () => {
    const page = await pageAt(`http://evil.test:${pagesPort}`);
    const result = await calls(page, server.url);
    for (const [name, outcome] of Object.entries(result)) {
      assert.ok('error' in outcome && /TypeError: Failed to fetch/.test(outcome.error!), `${name}: ${JSON.stringify(outcome).slice(0, 200)}`);
    }
  });
});

describe('the CORS headers', () => {
  const preflight = (route: string, origin: string, method = 'POST') =>
    rawRequest(`${server.url}${route}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, mcp-protocol-version, mcp-method, mcp-name' },
    });
  const allowed = () => `http://allowed.test:${pagesPort}`;

  test('a preflight from an allowed origin: its origin echoed, the methods and headers of the surface, Vary, no credentials', async () => {
    for (const [route, methods] of [['/mcp', 'POST, OPTIONS'], ['/api/search', 'GET, POST, DELETE, OPTIONS'], ['/api/documents', 'GET, POST, DELETE, OPTIONS']] as const) {
      for (const origin of [allowed(), 'https://partner.test', 'http://partner.test:3000']) {
        const answer = await preflight(route, origin);
        assert.equal(answer.status, 204, `${route} ${origin}`);
        assert.equal(answer.headers['access-control-allow-origin'], origin);
        assert.equal(answer.headers['access-control-allow-methods'], methods);
        for (const header of ['Authorization', 'Content-Type', 'Mcp-Protocol-Version', 'Mcp-Method', 'Mcp-Name']) {
          assert.ok(String(answer.headers['access-control-allow-headers']).split(', ').includes(header), header);
        }
        assert.match(String(answer.headers['vary']), /Origin/);
        assert.equal(answer.headers['access-control-allow-credentials'], undefined);
      }
    }
  });

  test('another origin gets no CORS headers; /mcp refuses it with 403', async () => {
    for (const origin of ['http://evil.test', `http://allowed.test:${pagesPort + 1}`, 'null', `https://allowed.test:${pagesPort}`]) {
      const mcp = await preflight('/mcp', origin);
      assert.equal(mcp.status, 403, origin);
      const api = await preflight('/api/search', origin, 'GET');
      assert.equal(api.headers['access-control-allow-origin'], undefined, origin);
      const get = await rawRequest(`${server.url}/api/search?q=threshold`, { method: 'GET', headers: { origin } });
      assert.equal(get.status, 200);
      assert.equal(get.headers['access-control-allow-origin'], undefined);
      assert.match(String(get.headers['vary']), /Origin/);
    }
  });

  test('never a wildcard, on any answer', async () => {
    for (const route of ['/api/health', '/api/search?q=x', '/api/nope', '/mcp']) {
      for (const origin of [allowed(), 'http://evil.test']) {
        const answer = await rawRequest(`${server.url}${route}`, { method: route === '/mcp' ? 'POST' : 'GET', headers: { origin, 'content-type': 'application/json' }, body: route === '/mcp' ? '{}' : undefined });
        assert.notEqual(answer.headers['access-control-allow-origin'], '*', `${route} ${origin}`);
      }
    }
  });
});
