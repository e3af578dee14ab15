import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import { readMcpBody } from '../../src/mcp/request-body.js';
import { claimsRevision, isLegacyBody } from '../../src/mcp/protocol-era.js';

const URL_ = 'http://127.0.0.1/mcp';
const JSON_TYPE = { 'content-type': 'application/json' };
const MAX = 1000;

/** A POST whose body arrives as a stream of unknown length (chunked), as a client may send it. */
function streamed(text: string, headers: Record<string, string> = JSON_TYPE): Request {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 100) controller.enqueue(bytes.slice(at, at + 100));
      controller.close();
    },
  });
  return new Request(URL_, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
}

const sized = (text: string, headers: Record<string, string> = JSON_TYPE) =>
  new Request(URL_, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) }, body: text });

describe('the /mcp request body, read once', () => {
  it('parses a JSON body, whether its length is declared or streamed', async () => {
    const message = { jsonrpc: '2.0', id: 1, method: 'ping' };
    for (const request of [sized(JSON.stringify(message)), streamed(JSON.stringify(message))]) {
      assert.deepEqual(await readMcpBody(request, MAX), { kind: 'parsed', value: message });
    }
  });

  it('leaves a body unread when its Content-Type is not JSON or its Content-Length is over the limit: the SDK answers those (415, 413)', async () => {
    const notJson = sized('{}', { 'content-type': 'text/plain' });
    assert.deepEqual(await readMcpBody(notJson, MAX), { kind: 'untouched' });
    assert.equal(notJson.bodyUsed, false);
    const large = sized(JSON.stringify({ pad: 'x'.repeat(MAX) }));
    assert.deepEqual(await readMcpBody(large, MAX), { kind: 'untouched' });
    assert.equal(large.bodyUsed, false);
  });

  it('stops reading a streamed body at the limit', async () => {
    assert.deepEqual(await readMcpBody(streamed(JSON.stringify({ pad: 'x'.repeat(MAX) })), MAX), { kind: 'too-large' });
  });

  it('says a body that fails while being read is unreadable', async () => {
    const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new Error('connection reset')) });
    const request = new Request(URL_, { method: 'POST', headers: JSON_TYPE, body, duplex: 'half' } as RequestInit);
    assert.deepEqual(await readMcpBody(request, MAX), { kind: 'unreadable' });
  });

  it('hands a body that is not JSON text on in a rebuilt request with the same headers, text and signal', async () => {
    const controller = new AbortController();
    for (const text of ['{"jsonrpc":', '']) {
      const original = new Request(URL_, { method: 'POST', headers: { ...JSON_TYPE, 'mcp-method': 'ping' }, body: text, signal: controller.signal });
      const read = await readMcpBody(original, MAX);
      assert.equal(read.kind, 'text');
      if (read.kind !== 'text') continue;
      assert.equal(await read.request.text(), text);
      assert.equal(read.request.headers.get('mcp-method'), 'ping');
      assert.equal(read.request.method, 'POST');
      controller.abort();
      assert.equal(read.request.signal.aborted, true);
    }
  });
});

describe('the protocol era of a parsed body', () => {
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
  const bodies: Record<string, unknown> = {
    'modern tools/call': { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'x' }, _meta: meta } },
    'modern notification': { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, _meta: meta } },
    'claim of an unserved revision': { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { ...meta, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } },
    'malformed envelope behind a claim': { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': 7 } } },
    'claim without jsonrpc': { id: 1, method: 'tools/list', params: { _meta: meta } },
    'legacy initialize': { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } },
    'initialize with a claim': { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' }, _meta: meta } },
    'legacy tools/call': { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'x' } } },
    'posted response': { jsonrpc: '2.0', id: 3, result: {} },
    'response with a method and a claim': { jsonrpc: '2.0', id: 3, method: 'ping', result: {}, params: { _meta: meta } },
    'batch': [{ jsonrpc: '2.0', id: 1, method: 'ping' }],
    'batch with a claim': [{ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: meta } }],
    'not JSON-RPC': { hello: 'world' },
    'null': null,
  };
  const post = () => new Request(URL_, { method: 'POST', headers: JSON_TYPE });

  it('sends a message with the envelope claim to the modern handler, as the SDK itself would', async () => {
    for (const [name, body] of Object.entries(bodies)) {
      const sdk = await isLegacyRequest(post(), body);
      if (claimsRevision(body)) assert.equal(sdk, false, `${name}: the SDK would take it for legacy`);
      assert.equal(await isLegacyBody(post(), body), sdk, name);
    }
  });

  it('takes the shortcut for the messages that claim a revision and only those', () => {
    const claiming = Object.entries(bodies).filter(([, body]) => claimsRevision(body)).map(([name]) => name);
    assert.deepEqual(claiming, ['modern tools/call', 'modern notification', 'claim of an unserved revision', 'malformed envelope behind a claim', 'claim without jsonrpc']);
  });
});
