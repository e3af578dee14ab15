import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { mcpEndpoint } from '../../src/mcp/endpoint.js';
import { directSearchCall } from '../../src/mcp/direct-search.js';
import { startMcpTestServer, type McpTestServer } from './support/mcp-server.js';

/**
 * The 2026-07-28 search_docs calls /mcp answers without the MCP SDK (src/mcp/direct-search.ts):
 * only the SDK client's exact form is taken, and its answer is the SDK's, byte for byte.
 */
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'mcdewey-test', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': 'search_docs',
};
type Message = { jsonrpc: string; id: unknown; method: string; params: Record<string, any> };
const call = (args: Record<string, unknown>, id: unknown = 7): Message => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'search_docs', arguments: args, _meta: structuredClone(META) } });

describe('which calls the endpoint answers without the SDK', () => {
  const accepts = (body: unknown, headers: Record<string, string> = HEADERS) => directSearchCall(body, new Headers(headers)) !== undefined;

  it('takes the SDK client form, with a number or a string id, whatever the arguments', () => {
    assert.deepEqual(directSearchCall(call({ query: 'scale' }), new Headers(HEADERS)), { id: 7, arguments: { query: 'scale' } });
    assert.ok(accepts(call({ query: 42, bogus: true }, 'req-1')), 'the arguments are the tool input schema\'s to judge');
  });

  it('leaves every other form to the SDK', () => {
    const variants: [string, (m: Message) => unknown][] = [
      ['a batch', (m) => [m]],
      ['a notification', (m) => ({ ...m, id: undefined })],
      ['a fractional id', (m) => ({ ...m, id: 1.5 })],
      ['a null id', (m) => ({ ...m, id: null })],
      ['another JSON-RPC version', (m) => ({ ...m, jsonrpc: '1.0' })],
      ['an extra message key', (m) => ({ ...m, extra: 1 })],
      ['another method', (m) => ({ ...m, method: 'tools/list' })],
      ['another tool', (m) => ({ ...m, params: { ...m.params, name: 'read_chunk' } })],
      ['no arguments', (m) => ({ ...m, params: { name: m.params.name, _meta: m.params._meta } })],
      ['arguments as an array', (m) => ({ ...m, params: { ...m.params, arguments: [] } })],
      ['an extra params key', (m) => ({ ...m, params: { ...m.params, task: {} } })],
      ['no envelope', (m) => ({ ...m, params: { name: m.params.name, arguments: m.params.arguments } })],
      ['another revision', (m) => ({ ...m, params: { ...m.params, _meta: { ...m.params._meta, 'io.modelcontextprotocol/protocolVersion': '2025-11-25' } } })],
      ['a log level', (m) => ({ ...m, params: { ...m.params, _meta: { ...m.params._meta, 'io.modelcontextprotocol/logLevel': 'info' } } })],
      ['a progress token', (m) => ({ ...m, params: { ...m.params, _meta: { ...m.params._meta, progressToken: 1 } } })],
      ['declared capabilities', (m) => ({ ...m, params: { ...m.params, _meta: { ...m.params._meta, 'io.modelcontextprotocol/clientCapabilities': { roots: {} } } } })],
      ['no client info', (m) => { const { 'io.modelcontextprotocol/clientInfo': _, ...rest } = m.params._meta; return { ...m, params: { ...m.params, _meta: rest } }; }],
      ['a client title', (m) => ({ ...m, params: { ...m.params, _meta: { ...m.params._meta, 'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1', title: 'X' } } } })],
      ['a numeric client version', (m) => ({ ...m, params: { ...m.params, _meta: { ...m.params._meta, 'io.modelcontextprotocol/clientInfo': { name: 'x', version: 1 } } } })],
    ];
    for (const [label, change] of variants) assert.equal(accepts(change(call({ query: 'scale' }))), false, label);
    const body = call({ query: 'scale' });
    for (const header of ['mcp-protocol-version', 'mcp-method', 'mcp-name'] as const) {
      const { [header]: _, ...without } = HEADERS;
      assert.equal(accepts(body, without), false, `without ${header}`);
      assert.equal(accepts(body, { ...HEADERS, [header]: `${HEADERS[header]}x` }), false, `${header} naming something else`);
    }
    assert.equal(accepts(body, { ...HEADERS, 'mcp-name': '=?base64?c2VhcmNoX2RvY3M=?=' }), false, 'Mcp-Name encoded (the SDK decodes it)');
    assert.equal(accepts(body, { ...HEADERS, 'mcp-method': 'Tools/Call' }), false, 'Mcp-Method in other case');
    assert.equal(accepts(body, { ...HEADERS, 'mcp-protocol-version': '2025-11-25' }), false, 'a header naming another revision');
  });
});

describe('a direct answer is the one the SDK gives', () => {
  let mcp: McpTestServer;
  let direct: Hono;
  let sdk: Hono;
  before(async () => {
    mcp = await startMcpTestServer();
    // Two endpoints over the one server context (one cursor secret, one public URL): the server's own
    // form, and one that hands every request to the SDK.
    const app = (answerSearchesDirectly: boolean) => {
      const endpoint = mcpEndpoint(mcp.server.ctx, { answerSearchesDirectly });
      return new Hono().post('/mcp', (c) => endpoint.post(c));
    };
    direct = app(true);
    sdk = app(false);
  });
  after(async () => {
    await mcp.close();
  });

  const post = async (app: Hono, body: unknown) => {
    const response = await app.request('http://127.0.0.1/mcp', { method: 'POST', headers: HEADERS, body: JSON.stringify(body) });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };
  const same = async (args: Record<string, unknown>, label: string, id: unknown = 3) => {
    const [mine, theirs] = [await post(direct, call(args, id)), await post(sdk, call(args, id))];
    assert.deepEqual(mine, theirs, label);
    return JSON.parse(mine.text) as { result: { structuredContent?: { next_cursor?: string }; isError?: boolean } };
  };

  it('for hits with a next page, the page it points at, and a call with every filter', async () => {
    const first = await same({ query: 'auto scale group', limit: 2 }, 'first page');
    const cursor = first.result.structuredContent?.next_cursor;
    assert.ok(cursor, 'a next page');
    await same({ query: 'auto scale group', limit: 2, cursor }, 'second page', 'page-2');
    await same({ query: 'metricsAverageDuration', vendor: 'cisco', product: 'asav-autoscale-azure', version: '9.19', limit: 1, infer_scope: false }, 'filtered');
    await same({ query: '  metricsAverageDuration  ', version: 'all', limit: 20 }, 'every version, the query trimmed');
  });

  it('for the tool\'s own failures: nothing found, an unknown version, a cursor of another search', async () => {
    assert.equal((await same({ query: 'zorblat quuxification' }, 'no results')).result.isError, true);
    assert.equal((await same({ query: 'metricsAverageDuration', product: 'asav-autoscale-azure', version: '1.0' }, 'unknown version')).result.isError, true);
    const cursor = (await same({ query: 'auto scale group', limit: 1 }, 'a page')).result.structuredContent?.next_cursor;
    assert.equal((await same({ query: 'lambda', cursor }, 'foreign cursor')).result.isError, true);
  });

  it('for arguments the input schema refuses (the SDK answers those)', async () => {
    for (const args of [{ query: 42 }, { query: '   ' }, { query: 'scale', limit: 21 }, { query: 'scale', limit: 2.5 }, { query: 'scale', bogus: 1 }, {}]) {
      await same(args, JSON.stringify(args));
    }
  });
});
