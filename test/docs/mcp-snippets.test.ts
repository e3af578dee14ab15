import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { REPO_ROOT } from '../support/corpus.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';

/**
 * The stdio snippets of docs/mcp.md, run as written (with the clone's and the data directory's real
 * paths put in for the placeholders): McDewey is not published, so they must work from a clone.
 */
const MCP_DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'mcp.md'), 'utf8');

let fixture: Fixture;
before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.15'] });
});
after(async () => {
  await fixture?.cleanup();
});

const fillIn = (text: string) => text.replaceAll('/path/to/mcdewey', REPO_ROOT.replace(/\/$/, '')).replaceAll('/path/to/data', fixture.dataDir);

/** Connects an MCP client to the command, lists the tools and runs one search. */
async function searchOver(command: string, args: string[]): Promise<void> {
  // The fixture was built without an embedder; the docs say the command must use the same one.
  const transport = new StdioClientTransport({ command, args, env: { ...process.env, MCDEWEY_EMBEDDER: 'none' } as Record<string, string>, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'docs-snippet-test', version: '1' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'search_docs'), stderr);
    const result = await client.callTool({ name: 'search_docs', arguments: { query: 'asaAdminUserPassword', limit: 1 } });
    assert.match(JSON.stringify(result), /asav-autoscale-azure::9\.15::/);
  } finally {
    await client.close();
  }
}

test('the "Stdio" JSON snippet starts a working MCP server from the clone', { timeout: 120_000 }, async () => {
  const block = /## Stdio[\s\S]*?```json\n([\s\S]*?)\n```/.exec(MCP_DOC)?.[1];
  assert.ok(block, 'docs/mcp.md has a JSON snippet under "## Stdio"');
  const snippet = JSON.parse(fillIn(block)) as { command: string; args: string[] };
  assert.equal(snippet.command, 'node');
  await searchOver(process.execPath, snippet.args);
});

test('the Claude Code stdio line runs the same command', { timeout: 120_000 }, async () => {
  const line = /^claude mcp add mcdewey -- (.+)$/m.exec(MCP_DOC)?.[1];
  assert.ok(line, 'docs/mcp.md has a `claude mcp add … -- <command>` line');
  const [command, ...args] = fillIn(line).split(/\s+/);
  assert.equal(command, 'node');
  await searchOver(process.execPath, args);
});

test('no snippet in the docs runs an unpublished `npx mcdewey`', () => {
  for (const file of ['README.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs')).map((f) => path.join('docs', f))]) {
    assert.doesNotMatch(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'), /npx mcdewey|"npx",\s*"args":\s*\["mcdewey"/, file);
  }
});
