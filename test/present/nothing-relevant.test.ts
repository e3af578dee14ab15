import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { RunningServer } from '../../src/server/serve.js';
import { Library } from '../../src/service/library.js';
import { runCliAsync } from '../support/cli.js';
import { startTestServer } from '../support/server.js';
import { errorText, structured } from '../mcp/support/tool-output.js';

/**
 * Every surface says when nothing relevant was found, instead of confident-looking hits: gibberish
 * and a question the library does not cover, on REST, MCP, the web page and the CLI; a question it
 * does cover keeps its hits everywhere.
 */
const GIBBERISH = 'zzzqqqxxyy nonexistentword';
const UNCOVERED = 'How do I configure BGP graceful restart timers on the router?';
const ANSWERABLE = 'how do I add a static route with a next hop';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-relevance-'));
let config: Config;
let library: Library;
let server: RunningServer;
let client: Client;

before(async () => {
  const file = path.join(root, 'sources', 'acme', 'router', '2.1', 'admin-guide.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `# Router Administration Guide

## Static routes

Add a static route with the route add command, giving the destination prefix, the next hop address and an optional metric.

## Health monitor

The health monitor probes every interface once a minute. To turn it off, set health_monitor_enabled to false.
`);
  config = loadConfig({ data: path.join(root, 'data'), embedder: 'none', port: 0 }, {});
  library = await Library.open(config, 'write');
  await library.add(library.plan([path.join(root, 'sources')]));
  server = await startTestServer({ config, library });
  client = new Client({ name: 'relevance-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
});
after(async () => {
  await client.close();
  await server.close();
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const rest = async (query: string, extra = '') => (await fetch(`${server.url}/api/search?q=${encodeURIComponent(query)}${extra}`)).json();

test('REST: no hits, best_match weak or none, and a notice that names the query and the scope', async () => {
  for (const query of [GIBBERISH, UNCOVERED]) {
    const body = await rest(query);
    assert.deepEqual(body.hits, [], query);
    assert.ok(['weak', 'none'].includes(body.best_match), query);
    assert.ok(body.notices.some((n: string) => n.startsWith(`Nothing relevant found for "${query}" in the library`)), body.notices.join(' | '));
  }
  const weak = await rest(UNCOVERED, '&include_weak=true');
  assert.ok(weak.hits.length > 0 && weak.hits.every((h: { match: string }) => h.match === 'weak'));
  const answered = await rest(ANSWERABLE);
  assert.ok(answered.hits.length > 0);
  assert.notEqual(answered.best_match, 'weak');
});

test('MCP: an isError result telling the agent what was searched, what the library holds and not to answer from it', async () => {
  for (const query of [GIBBERISH, UNCOVERED]) {
    const result = await client.callTool({ name: 'search_docs', arguments: { query } });
    assert.equal(result.isError, true, query);
    const text = errorText(result);
    assert.match(text, /^Nothing relevant found for "/);
    assert.match(text, /The library holds: router \(2\.1\)/);
    assert.match(text, /Do not answer from these manuals/);
  }
  const answered = structured(await client.callTool({ name: 'search_docs', arguments: { query: ANSWERABLE } }));
  assert.ok(answered.hits.length > 0);
});

test('web: a message with ways to widen the search, and the closest passages one click away', async () => {
  const page = await (await fetch(`${server.url}/search?q=${encodeURIComponent(UNCOVERED)}`)).text();
  assert.match(page, /Nothing relevant found for “How do I configure BGP graceful restart timers on the router\?” in the library/);
  assert.match(page, /href="\/search\?q=[^"]*&amp;weak=1">Show the closest passages anyway/);
  assert.doesNotMatch(page, /<ol class="hits">/);
  const weak = await (await fetch(`${server.url}/search?q=${encodeURIComponent(UNCOVERED)}&weak=1`)).text();
  assert.match(weak, /<ol class="hits">/);
  assert.match(weak, /weak match/);
  const answered = await (await fetch(`${server.url}/search?q=${encodeURIComponent(ANSWERABLE)}`)).text();
  assert.match(answered, /<ol class="hits">/);
});

test('CLI: says so on stdout, and --json gives the same empty hits and notice', async () => {
  const args = ['--data', config.data, '--embedder', 'none'];
  const text = await runCliAsync(['search', UNCOVERED, ...args]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /Nothing relevant found for "How do I configure BGP/);
  const json = JSON.parse((await runCliAsync(['search', GIBBERISH, '--json', ...args])).stdout);
  assert.deepEqual(json.hits, []);
  assert.ok(json.notices.some((n: string) => n.startsWith('Nothing relevant found')));
  const answered = await runCliAsync(['search', ANSWERABLE, ...args]);
  assert.match(answered.stdout, /Router Administration Guide/);
});

test('"latest" is a version on REST and MCP: each product\'s newest', async () => {
  const body = await rest(ANSWERABLE, '&version=latest');
  assert.ok(body.hits.length > 0 && body.hits.every((h: { version: string }) => h.version === '2.1'));
  const viaMcp = structured(await client.callTool({ name: 'search_docs', arguments: { query: ANSWERABLE, version: 'latest' } }));
  assert.ok(viaMcp.hits.length > 0);
});
