import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { REPO_ROOT } from '../support/corpus.js';
import { structured } from './support/tool-output.js';

/** `mcdewey mcp`: the real CLI as a child process, spoken to over its stdin/stdout. */
let fixture: Fixture;
before(async () => {
  fixture = await buildFixture();
});
after(async () => {
  await fixture.cleanup();
});

const PUBLIC_URL = 'http://docs.example.com:8765';
const serverCommand = () => ({
  command: process.execPath,
  args: ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), '--data', fixture.dataDir, '--embedder', 'none', 'mcp', '--public-url', PUBLIC_URL],
  cwd: REPO_ROOT,
});

const SEARCH = { query: 'metricsAverageDuration', product: 'asav-autoscale-azure', version: '9.19', limit: 1 };

describe('mcdewey mcp over stdio', () => {
  for (const mode of ['legacy', 'auto'] as const) {
    it(`serves the SDK v2 client (${mode} negotiation)`, async () => {
      const transport = new StdioClientTransport({ ...serverCommand(), stderr: 'pipe' });
      let stderr = '';
      transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const client = new Client({ name: 'mcdewey-test', version: '1' }, { versionNegotiation: { mode } });
      await client.connect(transport);
      try {
        assert.equal(client.getNegotiatedProtocolVersion(), mode === 'legacy' ? '2025-11-25' : '2026-07-28');
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((t) => t.name), ['search_docs', 'read_chunk', 'read_document', 'list_library']);
        const result = structured(await client.callTool({ name: 'search_docs', arguments: SEARCH }));
        assert.equal(result.hits[0].page, 14);
        assert.equal(result.chunk_url, `${PUBLIC_URL}/chunk/{chunk_id}`, 'links point at the configured web UI');
      } finally {
        await client.close();
      }
      assert.equal(stderr.trim(), '', 'nothing went wrong on the server side');
    });
  }

  it('serves the SDK v1 client', async () => {
    const client = new V1Client({ name: 'mcdewey-test-v1', version: '1' });
    await client.connect(new V1StdioClientTransport(serverCommand()));
    try {
      const result = await client.callTool({ name: 'search_docs', arguments: SEARCH });
      assert.equal(structured(result as Parameters<typeof structured>[0]).hits[0].page, 14);
    } finally {
      await client.close();
    }
  });
});
