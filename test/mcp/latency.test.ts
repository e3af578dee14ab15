import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, it, type TestContext } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startMcpTestServer, type McpTestServer } from './support/mcp-server.js';

/**
 * What /mcp adds to a search: the median of 50 search_docs calls over HTTP (2025 and 2026 eras)
 * against the same 50 library.search calls in process. The bound is loose on purpose; it catches
 * a per-request cost that grows out of proportion (say, work done when each server is built).
 */
const QUERIES = ['metricsAverageDuration', 'scale out threshold', 'lambda function', 'gateway load balancer', 'health check port', 'CloudFormation template', 'management interface', 'license smart', 'autoscale group', 'SNS topic'];
const CALLS = 50;
const WARMUP = 5;
/** Allowed median overhead of one HTTP round trip through a fresh per-request server. */
const MAX_OVERHEAD_MS = 50;

let mcp: McpTestServer;
before(async () => {
  mcp = await startMcpTestServer();
});
after(async () => {
  await mcp.close();
});

async function medianMs(call: (query: string) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await call(QUERIES[i % QUERIES.length]!);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await call(QUERIES[i % QUERIES.length]!);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return (times[CALLS / 2 - 1]! + times[CALLS / 2]!) / 2;
}

async function overMcp(mode: 'legacy' | { pin: string }): Promise<number> {
  const client = new Client({ name: 'mcdewey-latency', version: '1' }, { versionNegotiation: { mode } });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.mcpUrl)));
  try {
    await client.listTools();
    return await medianMs(async (query) => {
      const result = await client.callTool({ name: 'search_docs', arguments: { query, limit: 5 } });
      assert.notEqual(result.isError, true);
    });
  } finally {
    await client.close();
  }
}

it('search_docs over /mcp costs little more than the search itself', async (t: TestContext) => {
  const library = mcp.fixture.library;
  const inProcess = await medianMs((query) => library.search({ query, limit: 5 }));
  const legacy = await overMcp('legacy');
  const modern = await overMcp({ pin: '2026-07-28' });
  const report = `median of ${CALLS}: in-process library.search ${inProcess.toFixed(2)} ms, /mcp 2025-11-25 ${legacy.toFixed(2)} ms, /mcp 2026-07-28 ${modern.toFixed(2)} ms`;
  t.diagnostic(report);
  assert.ok(legacy - inProcess < MAX_OVERHEAD_MS, report);
  assert.ok(modern - inProcess < MAX_OVERHEAD_MS, report);
});
