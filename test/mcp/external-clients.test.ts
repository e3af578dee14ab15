import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startMcpTestServer, type McpTestServer } from './support/mcp-server.js';
import { INSPECTOR, MCP_REMOTE, NODE22, missingTools } from './support/mcp-tools.js';
import { structured } from './support/tool-output.js';

/** Off-the-shelf MCP clients against the real /mcp endpoint: the Inspector CLI, and mcp-remote as desktop hosts use it. */
const skip = missingTools(NODE22, INSPECTOR, MCP_REMOTE);
const SEARCH = { query: 'metricsAverageDuration', product: 'asav-autoscale-azure', version: '9.15', limit: 2 };

let mcp: McpTestServer;
let scratch: string;
before(async () => {
  if (skip) return;
  mcp = await startMcpTestServer();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-mcp-clients-'));
});
after(async () => {
  if (skip) return;
  await mcp.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('MCP Inspector CLI', { skip }, () => {
  it('calls search_docs and prints the hits as JSON', async () => {
    const args = [INSPECTOR, '--cli', mcp.mcpUrl, '--transport', 'http', '--method', 'tools/call', '--tool-name', 'search_docs', '--tool-args-json', JSON.stringify(SEARCH), '--format', 'json'];
    const run = promisify(execFile)(NODE22, args, { cwd: scratch, timeout: 60_000, env: { ...process.env, MCP_INSPECTOR_SECRET_STORE: 'memory', HOME: scratch } });
    run.child.stdin?.end();
    const { stdout } = await run;
    const output = JSON.parse(stdout) as { result: Parameters<typeof structured>[0] };
    const hits = structured(output.result).hits;
    assert.equal(hits[0].version, '9.15');
    assert.equal(hits[0].page, 10);
  });
});

describe('mcp-remote (stdio bridge to /mcp, as Claude Desktop connects)', { skip }, () => {
  it('bridges a stdio client to the HTTP endpoint without any OAuth step', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_REMOTE, mcp.mcpUrl, '--transport', 'http-only', '--silent'],
      env: { ...process.env, MCP_REMOTE_CONFIG_DIR: path.join(scratch, 'mcp-auth') } as Record<string, string>,
      stderr: 'ignore',
    });
    const client = new Client({ name: 'mcdewey-test', version: '1' });
    await client.connect(transport);
    try {
      assert.equal(client.getServerVersion()?.name, 'mcdewey');
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name), ['search_docs', 'read_chunk', 'read_document', 'list_library']);
      const result = structured(await client.callTool({ name: 'search_docs', arguments: SEARCH }));
      const hits = result.hits;
      assert.equal(hits[0].page, 10);
      // A hit's link is the response's chunk_url template with its chunk id.
      assert.equal(result.chunk_url.replace('{chunk_id}', hits[0].chunk_id), `${mcp.server.ctx.baseUrl}/chunk/${hits[0].chunk_id}`);
    } finally {
      await client.close();
    }
  });
});
