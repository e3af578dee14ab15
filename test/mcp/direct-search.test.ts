import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { mcpEndpoint } from '../../src/mcp/endpoint.js';
import { directSearchCall } from '../../src/mcp/direct-search.js';
import { startMcpTestServer, type McpTestServer } from './support/mcp-server.js';

/**
 * The search_docs calls /mcp answers without the MCP SDK (src/mcp/direct-search.ts): only the SDK
 * clients' exact form is taken, in either era, and its answer is the SDK's, byte for byte.
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
/** What the SDK clients send after a 2025-era handshake. */
const LEGACY_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};
type Message = { jsonrpc: string; id: unknown; method: string; params: Record<string, any> };
const call = (args: Record<string, unknown>, id: unknown = 7): Message => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'search_docs', arguments: args, _meta: structuredClone(META) } });
const legacyCall = (args: Record<string, unknown>, id: unknown = 7): Message => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'search_docs', arguments: args } });

describe('which calls the endpoint answers without the SDK', () => {
  const accepts = (body: unknown, headers: Record<string, string> = HEADERS) => directSearchCall(body, new Headers(headers)) !== undefined;

  it('takes the SDK client form, with a number or a string id, whatever the arguments', () => {
    assert.deepEqual(directSearchCall(call({ query: 'scale' }), new Headers(HEADERS)), { era: 'modern', id: 7, arguments: { query: 'scale' } });
    assert.deepEqual(directSearchCall(legacyCall({ query: 'scale' }, 'a'), new Headers(LEGACY_HEADERS)), { era: 'legacy', id: 'a', arguments: { query: 'scale' } });
    assert.ok(accepts(legacyCall({ query: 'scale' }), { ...LEGACY_HEADERS, 'mcp-protocol-version': '2025-06-18' }));
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

  it('leaves every other 2025-era form to the SDK', () => {
    const body = legacyCall({ query: 'scale' });
    const { 'mcp-protocol-version': _, ...noRevision } = LEGACY_HEADERS;
    const headerVariants: [string, Record<string, string>][] = [
      ['no revision header (the SDK assumes one)', noRevision],
      ['a revision the SDK does not speak', { ...LEGACY_HEADERS, 'mcp-protocol-version': '2024-01-01' }],
      ['the 2026-07-28 revision header', { ...LEGACY_HEADERS, 'mcp-protocol-version': '2026-07-28' }],
      ['an Accept without event streams (the SDK answers 406)', { ...LEGACY_HEADERS, accept: 'application/json' }],
      ['an Accept without JSON', { ...LEGACY_HEADERS, accept: 'text/event-stream' }],
      ['no Accept', { 'content-type': 'application/json', 'mcp-protocol-version': '2025-11-25' }],
      ['a session', { ...LEGACY_HEADERS, 'mcp-session-id': 'abc' }],
      ['an Mcp-Method header', { ...LEGACY_HEADERS, 'mcp-method': 'tools/call' }],
      ['an Mcp-Name header', { ...LEGACY_HEADERS, 'mcp-name': 'search_docs' }],
    ];
    for (const [label, headers] of headerVariants) assert.equal(accepts(body, headers), false, label);
    assert.equal(accepts({ ...body, params: { ...body.params, _meta: { progressToken: 1 } } }, LEGACY_HEADERS), false, 'a _meta');
    assert.equal(accepts({ ...body, params: { ...body.params, name: 'list_library' } }, LEGACY_HEADERS), false, 'another tool');
    assert.equal(accepts({ ...body, id: 2.5 }, LEGACY_HEADERS), false, 'a fractional id');
    assert.equal(accepts(call({ query: 'scale' }), LEGACY_HEADERS), false, 'a 2026-07-28 envelope under a 2025-era header');
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

  const post = async (app: Hono, body: unknown, headers: Record<string, string>) => {
    const response = await app.request('http://127.0.0.1/mcp', { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, headers: [...response.headers], text: await response.text() };
  };
  const ERAS = [
    { era: '2026-07-28', message: call, headers: HEADERS },
    { era: '2025-11-25', message: legacyCall, headers: LEGACY_HEADERS },
    { era: '2025-06-18', message: legacyCall, headers: { ...LEGACY_HEADERS, 'mcp-protocol-version': '2025-06-18' } },
  ];
  /** The same call to both endpoints, in each era: equal status, headers and bytes. */
  const same = async (args: Record<string, unknown>, label: string, id: unknown = 3) => {
    let answer = '';
    for (const { era, message, headers } of ERAS) {
      const [mine, theirs] = [await post(direct, message(args, id), headers), await post(sdk, message(args, id), headers)];
      assert.deepEqual(mine, theirs, `${label} (${era})`);
      answer ||= mine.text;
    }
    return JSON.parse(answer) as { result: { structuredContent?: { next_cursor?: string }; isError?: boolean } };
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
