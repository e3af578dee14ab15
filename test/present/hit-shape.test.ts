import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { RunningServer } from '../../src/server/serve.js';
import { SearchHitJson } from '../../src/present/search-json.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { runCli } from '../support/cli.js';
import { startTestServer } from '../support/server.js';
import { structured } from '../mcp/support/tool-output.js';

/**
 * One JSON shape for a hit on every surface: `mcdewey search --json`, GET /api/search and MCP's
 * search_docs answer the same query with the same hits, field for field. Links point at the same
 * public URL everywhere, so the CLI and the server are given the same one.
 */
const PUBLIC_URL = 'http://docs.example.test:8765';
const QUERY = 'metricsAverageDuration';

let fixture: Fixture;
let server: RunningServer;
before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.15', 'pdf/cisco/asav-autoscale-azure/9.19'] });
  server = await startTestServer(fixture, { publicUrl: PUBLIC_URL });
});
after(async () => {
  await server.close();
  await fixture.cleanup();
});

test('CLI --json, REST and MCP structured output give the same hits', async () => {
  const cli = runCli(['search', QUERY, '--limit', '3', '--json', '--data', fixture.dataDir, '--embedder', 'none'], { env: { MCDEWEY_PUBLIC_URL: PUBLIC_URL } });
  assert.equal(cli.status, 0, cli.stderr);
  const fromCli = JSON.parse(cli.stdout);

  const fromRest = await (await fetch(`${server.url}/api/search?q=${QUERY}&limit=3`)).json();

  const client = new Client({ name: 'hit-shape-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
  const fromMcp = structured(await client.callTool({ name: 'search_docs', arguments: { query: QUERY, limit: 3 } }));
  await client.close();

  assert.ok(fromRest.hits.length >= 2, 'the query finds both versions');
  for (const hit of fromRest.hits) SearchHitJson.strict().parse(hit);
  assert.deepEqual(fromCli.hits, fromRest.hits);
  assert.deepEqual(fromMcp.hits, fromRest.hits);
  for (const field of ['query', 'mode', 'best_match', 'scope', 'chunk_url', 'notices'] as const) {
    assert.deepEqual(fromCli[field], fromRest[field], field);
    assert.deepEqual(fromMcp[field], fromRest[field], field);
  }
  // Each hit states its id once; labels only where they differ from the slug; the link is the chunk
  // page under the public URL, given once per response.
  const top = fromRest.hits[0];
  assert.equal(top.product, 'asav-autoscale-azure');
  assert.equal(top.product_label, undefined, 'the folder name is both label and slug');
  assert.equal(fromRest.chunk_url, `${PUBLIC_URL}/chunk/{chunk_id}`);
  assert.equal(JSON.stringify(top).split(top.chunk_id).length - 1, 1, 'the chunk id appears once in the hit');
  assert.equal(top.citation, `${top.title}, asav-autoscale-azure ${top.version}, page ${top.page}`);
  assert.ok(['strong', 'partial'].includes(top.match));
});
