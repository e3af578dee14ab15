import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { legacyPoolable, McpServerPool, poolable, type RequestSlot } from '../../src/mcp/server-pool.js';
import { legacyJsonHandler } from '../../src/mcp/legacy-json.js';

/**
 * Pooled MCP servers behind the SDK's real handler: each 2026-07-28 request is served by a server
 * lent to it alone, which sees that request's client identity and signal and nothing of the
 * requests before it, whether those succeeded, failed or were cancelled.
 */
const REVISION = '2026-07-28';

interface Client { name: string; capabilities: Record<string, unknown> }

function meta(client: Partial<Client>): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': REVISION,
    ...(client.name === undefined ? {} : { 'io.modelcontextprotocol/clientInfo': { name: client.name, version: '1' } }),
    ...(client.capabilities === undefined ? {} : { 'io.modelcontextprotocol/clientCapabilities': client.capabilities }),
  };
}

let nextId = 1;
function toolCall(name: string, client: Partial<Client>, signal?: AbortSignal): { request: Request; body: unknown } {
  const body = { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: {}, _meta: meta(client) } };
  const request = new Request('http://127.0.0.1/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': REVISION, 'mcp-method': 'tools/call', 'mcp-name': name },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return { request, body };
}

/** A test server whose tools report what the server knows of the request it serves. */
function testServer(slot: RequestSlot, gate: { release?: () => void; started?: () => void }): McpServer {
  const server = new McpServer({ name: 'pool-test', version: '1' }, { capabilities: { tools: {}, logging: {} } });
  const output = z.looseObject({ client: z.string().optional(), capabilities: z.looseObject({}).optional(), aborted: z.boolean() });
  const whoami = () => {
    const value = { client: server.server.getClientVersion()?.name, capabilities: server.server.getClientCapabilities(), aborted: slot.signal?.aborted ?? false };
    return { content: [{ type: 'text' as const, text: JSON.stringify(value) }], structuredContent: value };
  };
  server.registerTool('whoami', { outputSchema: output }, () => whoami());
  server.registerTool('fail', {}, () => {
    throw new Error('the tool failed');
  });
  // Waits until the test releases it (or the request is aborted), then answers like whoami.
  server.registerTool('wait', { outputSchema: output }, async () => {
    const signal = slot.signal;
    gate.started?.();
    await new Promise<void>((resolve) => {
      gate.release = resolve;
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    return whoami();
  });
  // Streams: a notification first turns the answer into an event stream that outlives the handler's return.
  server.registerTool('stream', { outputSchema: output }, async (extra) => {
    await extra.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data: 'working' } });
    gate.started?.();
    await new Promise<void>((resolve) => (gate.release = resolve));
    return whoami();
  });
  return server;
}

/** A pool of four test servers that counts the servers it builds. */
function countingPool() {
  const gate: { release?: () => void; started?: () => void } = {};
  const counts = { built: 0 };
  const pool = new McpServerPool((slot) => {
    counts.built++;
    return testServer(slot, gate);
  }, 4);
  return { gate, counts, pool };
}

function setup() {
  const { gate, counts, pool } = countingPool();
  const handler = createMcpHandler((info) => pool.serverFor(info.requestInfo) ?? testServer({ signal: undefined }, gate), { legacy: 'reject', responseMode: 'auto', keepAliveMs: 0 });
  const call = async (name: string, client: Partial<Client>, signal?: AbortSignal) => {
    const { request, body } = toolCall(name, client, signal);
    assert.ok(poolable(body));
    const response = await pool.serve(request, () => handler.fetch(request, { parsedBody: body }));
    return { status: response.status, body: (await response.json()) as { result?: { structuredContent?: Record<string, unknown>; isError?: boolean; content?: { text: string }[] }; error?: unknown } };
  };
  return { pool, handler, call, gate, built: () => counts.built };
}

describe('MCP server pool', () => {
  it('serves one request after another from one server, each with its own client identity', async () => {
    const { call, built } = setup();
    const a = await call('whoami', { name: 'client-a', capabilities: { sampling: {} } });
    const b = await call('whoami', { name: 'client-b', capabilities: {} });
    const c = await call('whoami', { name: 'client-c', capabilities: { elicitation: {} } });
    assert.deepEqual(a.body.result?.structuredContent, { client: 'client-a', capabilities: { sampling: {} }, aborted: false });
    assert.deepEqual(b.body.result?.structuredContent, { client: 'client-b', capabilities: {}, aborted: false });
    assert.deepEqual(c.body.result?.structuredContent, { client: 'client-c', capabilities: { elicitation: {} }, aborted: false });
    assert.equal(built(), 1);
  });

  it('lets a failed request leave nothing behind for the next', async () => {
    const { call, built } = setup();
    const failed = await call('fail', { name: 'client-a', capabilities: { sampling: {} } });
    assert.equal(failed.body.result?.isError, true);
    assert.match(failed.body.result?.content?.[0]?.text ?? '', /the tool failed/);
    const next = await call('whoami', { name: 'client-b', capabilities: {} });
    assert.deepEqual(next.body.result?.structuredContent, { client: 'client-b', capabilities: {}, aborted: false });
    const unknown = await call('no_such_tool', { name: 'client-c', capabilities: {} });
    assert.ok(unknown.body.error !== undefined || unknown.body.result?.isError === true, 'an unknown tool is refused');
    const after = await call('whoami', { name: 'client-d', capabilities: {} });
    assert.equal(after.body.result?.structuredContent?.['client'], 'client-d');
    assert.equal(built(), 1);
  });

  it('never lends one server to two requests at once', async () => {
    const { call, gate, built } = setup();
    let started!: () => void;
    const waiting = new Promise<void>((resolve) => (started = resolve));
    gate.started = started;
    const slow = call('wait', { name: 'slow-client', capabilities: { sampling: {} } });
    await waiting;
    gate.started = undefined;
    const quick = await call('whoami', { name: 'quick-client', capabilities: {} });
    assert.deepEqual(quick.body.result?.structuredContent, { client: 'quick-client', capabilities: {}, aborted: false });
    assert.equal(built(), 2, 'the second request got a server of its own');
    gate.release!();
    const answered = await slow;
    assert.deepEqual(answered.body.result?.structuredContent, { client: 'slow-client', capabilities: { sampling: {} }, aborted: false });
  });

  it('takes a cancelled request\'s server back only after its exchange closed, and the next request gets a live signal', async () => {
    const { call, gate, built } = setup();
    const client = new AbortController();
    let started!: () => void;
    const waiting = new Promise<void>((resolve) => (started = resolve));
    gate.started = started;
    const cancelled = call('wait', { name: 'gone-client', capabilities: {} }, client.signal).then(
      (reply) => reply.status,
      () => 'rejected',
    );
    await waiting;
    gate.started = undefined;
    client.abort();
    await cancelled;
    const next = await call('whoami', { name: 'next-client', capabilities: {} });
    assert.deepEqual(next.body.result?.structuredContent, { client: 'next-client', capabilities: {}, aborted: false });
    const again = await call('whoami', { name: 'another-client', capabilities: {} });
    assert.equal(again.body.result?.structuredContent?.['client'], 'another-client');
    assert.ok(built() <= 2, `at most one server more than the cancelled one (built ${built()})`);
  });

  it('gives a streaming exchange\'s server back only when its stream has ended', async () => {
    const { pool, handler, gate, built, call } = setup();
    let started!: () => void;
    const waiting = new Promise<void>((resolve) => (started = resolve));
    gate.started = started;
    const { request, body } = toolCall('stream', { name: 'streaming-client', capabilities: {} });
    const response = await pool.serve(request, () => handler.fetch(request, { parsedBody: body }));
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    await waiting;
    gate.started = undefined;
    // The stream is still open: a request now must not get its server.
    const meanwhile = await call('whoami', { name: 'other-client', capabilities: {} });
    assert.equal(meanwhile.status, 200);
    assert.equal(meanwhile.body.result?.structuredContent?.['client'], 'other-client');
    assert.equal(built(), 2);
    gate.release!();
    const events = await response.text();
    assert.match(events, /streaming-client/);
    const after = await call('whoami', { name: 'last-client', capabilities: {} });
    assert.equal(after.body.result?.structuredContent?.['client'], 'last-client');
    assert.equal(built(), 2, 'the streaming server came back once its stream ended');
  });
});

/** A 2025-era POST (no `_meta` envelope; the protocol version in its header only). */
function legacyPost(body: Record<string, unknown>, signal?: AbortSignal): Request {
  return new Request('http://127.0.0.1/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

function legacySetup() {
  const { gate, counts, pool } = countingPool();
  let fresh = 0;
  const handler = legacyJsonHandler((info) => pool.serverFor(info.requestInfo) ?? (fresh++, testServer({ signal: undefined }, gate)), 1_000_000);
  /** As endpoint.ts routes a 2025-era body: reads from the pool, anything else from a fresh server. */
  const send = async (body: Record<string, unknown>, signal?: AbortSignal) => {
    const request = legacyPost(body, signal);
    const response = await (legacyPoolable(body) ? pool.serve(request, () => handler(request, body)) : handler(request, body));
    return { status: response.status, body: (await response.json()) as { result?: { structuredContent?: Record<string, unknown>; isError?: boolean; content?: { text: string }[] }; error?: unknown } };
  };
  const call = (name: string, signal?: AbortSignal) => send({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: {} } }, signal);
  return { send, call, gate, built: () => counts.built, fresh: () => fresh };
}

describe('MCP server pool, 2025-era reads', () => {
  it('serves reads one after another from one server that never learns a client, even between initialize handshakes', async () => {
    const { send, call, built, fresh } = legacySetup();
    const first = await call('whoami');
    assert.deepEqual(first.body.result?.structuredContent, { aborted: false });
    const init = await send({ jsonrpc: '2.0', id: nextId++, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { sampling: {} }, clientInfo: { name: 'client-a', version: '1' } } });
    assert.equal(init.status, 200);
    assert.equal(fresh(), 1, 'initialize got a fresh server');
    const failed = await call('fail');
    assert.equal(failed.body.result?.isError, true);
    const listed = await send({ jsonrpc: '2.0', id: nextId++, method: 'tools/list' });
    assert.equal((listed.body.result as { tools?: unknown[] } | undefined)?.tools?.length, 4);
    const after = await call('whoami');
    assert.deepEqual(after.body.result?.structuredContent, first.body.result?.structuredContent, 'the pooled server is as it was built');
    assert.equal(built(), 1);
  });

  it('takes a cancelled read\'s server back only after its exchange closed, and the next read gets a live signal', async () => {
    const { call, gate, built } = legacySetup();
    const client = new AbortController();
    let started!: () => void;
    const waiting = new Promise<void>((resolve) => (started = resolve));
    gate.started = started;
    const cancelled = call('wait', client.signal).then((reply) => reply.status, () => 'rejected');
    await waiting;
    gate.started = undefined;
    client.abort();
    await cancelled;
    const next = await call('whoami');
    assert.equal(next.body.result?.structuredContent?.['aborted'], false);
    assert.ok(built() <= 2, `at most one server more than the cancelled one (built ${built()})`);
  });
});

describe('legacyPoolable', () => {
  it('takes single requests for the stateless read methods', () => {
    for (const method of ['tools/call', 'tools/list', 'resources/read', 'resources/list', 'resources/templates/list', 'ping']) {
      assert.equal(legacyPoolable({ jsonrpc: '2.0', id: 1, method, params: {} }), true, method);
    }
  });
  it('refuses initialize, state-setting methods, notifications and batches', () => {
    assert.equal(legacyPoolable({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }), false);
    assert.equal(legacyPoolable({ jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'debug' } }), false);
    assert.equal(legacyPoolable({ jsonrpc: '2.0', method: 'notifications/initialized' }), false);
    assert.equal(legacyPoolable([{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} }]), false);
  });
});

describe('poolable', () => {
  const envelope = (m: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: {}, _meta: m } });
  it('takes a 2026-07-28 request that carries the client info and capabilities', () => {
    assert.equal(poolable(envelope(meta({ name: 'a', capabilities: {} }))), true);
  });
  it('refuses a request whose envelope leaves out either, so no identity carries over', () => {
    assert.equal(poolable(envelope(meta({ name: 'a' }))), false);
    assert.equal(poolable(envelope(meta({ capabilities: {} }))), false);
    assert.equal(poolable(envelope({ ...meta({ name: 'a' }), 'io.modelcontextprotocol/clientCapabilities': 'yes' })), false);
  });
  it('refuses 2025-era traffic and batches', () => {
    assert.equal(poolable({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'a', version: '1' } } }), false);
    assert.equal(poolable({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: {} } }), false);
    assert.equal(poolable([envelope(meta({ name: 'a', capabilities: {} }))]), false);
  });
});
