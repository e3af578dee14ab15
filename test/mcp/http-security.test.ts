import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { INITIALIZE_BODY, JSON_RPC_HEADERS, startMcpTestServer, type McpTestServer } from './support/mcp-server.js';
import { rawRequest } from '../support/raw-http.js';
import { MCP_MAX_BODY_BYTES } from '../../src/mcp/body-limit.js';

/** The checks in front of /mcp, against the real server: they guard /mcp and nothing else. */
const TOKEN = 'test-token-0123456789abcdef';

let open: McpTestServer;
let guarded: McpTestServer;
before(async () => {
  open = await startMcpTestServer({ allowedHosts: 'docs.example.com', allowedOrigins: 'https://agent.example.com' });
  guarded = await startMcpTestServer({ token: TOKEN }, open.fixture);
});
after(async () => {
  await guarded.close();
  await open.close();
});

const initialize = (url: string, headers: Record<string, string> = {}) =>
  rawRequest(url, { headers: { ...JSON_RPC_HEADERS, ...headers }, body: INITIALIZE_BODY });

describe('Host and Origin checks on /mcp', () => {
  it('accepts loopback and configured host names', async () => {
    for (const host of ['127.0.0.1', 'localhost', 'docs.example.com']) {
      const port = new URL(open.mcpUrl).port;
      const response = await initialize(open.mcpUrl, { host: `${host}:${port}` });
      assert.equal(response.status, 200, host);
      assert.equal(response.headers['content-type'], 'application/json', '2025-era answers are plain JSON');
    }
  });

  it('refuses any other Host (DNS rebinding) with 403 and says how to allow it', async () => {
    const response = await initialize(open.mcpUrl, { host: 'attacker.example' });
    assert.equal(response.status, 403);
    const body = JSON.parse(response.body);
    assert.match(body.error.message, /attacker\.example/);
    assert.match(body.error.message, /--allowed-hosts/);
  });

  it('accepts no Origin, a loopback Origin and a configured one; refuses others with 403', async () => {
    assert.equal((await initialize(open.mcpUrl)).status, 200);
    assert.equal((await initialize(open.mcpUrl, { origin: 'http://localhost:3000' })).status, 200);
    assert.equal((await initialize(open.mcpUrl, { origin: 'https://agent.example.com' })).status, 200);
    assert.equal((await initialize(open.mcpUrl, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await initialize(open.mcpUrl, { origin: 'null' })).status, 403);
  });

  it('leaves the web UI and the API alone: a real hostname still gets them', async () => {
    const root = `${open.server.url}/`;
    const page = await rawRequest(root, { method: 'GET', headers: { host: 'docs.internal.example' } });
    assert.notEqual(page.status, 403);
    assert.ok(page.status < 500, `web UI answered ${page.status}`);
    const api = await rawRequest(`${open.server.url}/api/library`, { method: 'GET', headers: { host: 'docs.internal.example', origin: 'https://other.example' } });
    assert.notEqual(api.status, 403);
  });
});

describe('methods and body size', () => {
  it('answers GET and DELETE with 405 and Allow: POST (the endpoint is stateless)', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await rawRequest(open.mcpUrl, { method, headers: { accept: 'text/event-stream' } });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers['allow'], 'POST');
    }
  });

  it('refuses a body over 1 MiB with 413 before parsing it', async () => {
    const padding = 'x'.repeat(MCP_MAX_BODY_BYTES);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: { padding } } });
    const response = await rawRequest(open.mcpUrl, { headers: { ...JSON_RPC_HEADERS }, body });
    assert.equal(response.status, 413);
  });
});

describe('bearer token', () => {
  it('requires Authorization: Bearer when a token is configured (401 with WWW-Authenticate)', async () => {
    const missing = await initialize(guarded.mcpUrl);
    assert.equal(missing.status, 401);
    assert.match(String(missing.headers['www-authenticate']), /^Bearer realm="mcdewey"$/);
    const wrong = await initialize(guarded.mcpUrl, { authorization: 'Bearer not-the-token-at-all' });
    assert.equal(wrong.status, 401);
    assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
  });

  it('never takes the token from the query string', async () => {
    const response = await initialize(`${guarded.mcpUrl}?token=${TOKEN}&access_token=${TOKEN}`);
    assert.equal(response.status, 401);
  });

  it('lets a client with the token in', async () => {
    assert.equal((await initialize(guarded.mcpUrl, { authorization: `Bearer ${TOKEN}` })).status, 200);
    const client = new Client({ name: 'mcdewey-test', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(guarded.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
      const { tools } = await client.listTools();
      assert.equal(tools.length, 4);
    } finally {
      await client.close();
    }
  });

  it('checks Host before the token, so a rebinding page learns nothing about auth', async () => {
    const response = await initialize(guarded.mcpUrl, { host: 'attacker.example', authorization: `Bearer ${TOKEN}` });
    assert.equal(response.status, 403);
  });
});
