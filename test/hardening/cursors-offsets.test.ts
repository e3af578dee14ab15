import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { LIMITS } from '../../src/library/limits.js';
import { Library } from '../../src/service/library.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { mcdewey } from './library-state.js';
import { callTool, postMcp, toolOutcome } from './requests-support.js';

/**
 * Cursors and offsets cannot make the server do unbounded work:
 *
 * - MCP cursors are signed with a secret of the server that issued them: a forged cursor (even
 *   with the right scope hash), a changed one and one from another server are refused at once,
 *   before any search runs; a cursor never points past LIMITS.searchOffset, and none is offered
 *   that would;
 * - offsets past LIMITS.searchOffset are refused on the REST API, the web UI and the CLI, and no
 *   surface offers a next offset past it; the deepest page stays fast;
 * - JSON-RPC batches of more than LIMITS.rpcBatchMessages are refused whole, at once.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-cursors-'));
const data = path.join(sandbox, 'data');
const WORDS = ['router', 'switch', 'license', 'cluster', 'upgrade', 'install', 'interface', 'policy', 'tunnel', 'certificate', 'gateway', 'session'];
let library: Library;
let server: RunningServer;
let other: RunningServer;

before(async () => {
  const sources = path.join(sandbox, 'sources');
  fs.mkdirSync(sources, { recursive: true });
  // 40 documents of about 60 chunks, each mentioning "router": more than 1,000 hits to page through.
  // The words are drawn at random (seeded), not in one cycle: passages that are rotations of one
  // sequence are near-duplicates, which search folds into one hit.
  let state = 20240607;
  const next = () => (state = (state * 48271) % 2147483647);
  for (let d = 0; d < 40; d++) {
    const paragraphs = Array.from({ length: 60 }, () => ['router', ...Array.from({ length: 89 }, () => WORDS[next() % WORDS.length])].join(' '));
    fs.writeFileSync(path.join(sources, `doc-${d}.md`), `# Document ${d}\n\n${paragraphs.join('.\n\n')}.\n`);
  }
  const config = loadConfig({ data, embedder: 'none' }, {});
  library = await Library.open(config, 'write');
  const results = await library.add(library.plan([sources], { vendor: 'Vendor', product: 'guides', version: '1' }));
  assert.ok(results.every((r) => r.status === 'added'));
  server = await startServer({ ...config, host: '127.0.0.1', port: 0 }, library);
  other = await startServer({ ...config, host: '127.0.0.1', port: 0 }, library);
});
after(async () => {
  await server?.close();
  await other?.close();
  await library?.close();
  fs.rmSync(sandbox, { recursive: true, force: true });
});

const QUERY = 'router';
const search = (target: RunningServer, args: Record<string, unknown>) => callTool(`${target.url}/mcp`, 'search_docs', { query: QUERY, limit: 20, ...args });
const structured = (answer: Awaited<ReturnType<typeof callTool>>) => answer.json.result.structuredContent as { hits: unknown[]; next_cursor?: string };

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

test('a cursor this server did not issue is refused at once: forged, changed, or from another server', async () => {
  const issued = structured(await search(server, {})).next_cursor!;
  assert.ok(issued);
  assert.equal(structured(await search(server, { cursor: issued })).hits.length, 20, 'its own cursor pages on');
  const hash = createHash('sha256').update(JSON.stringify([QUERY, '', '', ''])).digest('base64url').slice(0, 16);
  const body = (o: number) => Buffer.from(JSON.stringify({ o, h: hash })).toString('base64url');
  const foreign = structured(await search(other, {})).next_cursor!;
  const forgeries = { 'forged, offset 500': body(500), 'forged, offset 10^12': body(1e12), changed: `${body(900)}.${issued.split('.')[1]}`, 'from another server': foreign };
  for (const [what, cursor] of Object.entries(forgeries)) {
    const [answer, ms] = await timed(() => search(server, { cursor }));
    const outcome = toolOutcome(answer, what);
    assert.equal(outcome.isError, true, `${what}: ${outcome.text.slice(0, 200)}`);
    assert.match(outcome.text, /cursor is not one that this server issued/, what);
    assert.ok(ms < 2000, `${what}: ${Math.round(ms)} ms`);
  }
});

test('no surface takes an offset past the deepest page, nor offers one', async () => {
  const deepest = LIMITS.searchOffset;
  const rest = await fetch(`${server.url}/api/search?q=${QUERY}&offset=${deepest + 1}`);
  assert.equal(rest.status, 400);
  assert.equal((await fetch(`${server.url}/search?q=${QUERY}&offset=${deepest + 1}`)).status, 400);
  const cli = mcdewey(data, ['search', QUERY, '--offset', String(deepest + 1)]);
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, new RegExp(`offset ${deepest + 1} is past the deepest result page \\(${deepest}\\)`));

  const last = (await (await fetch(`${server.url}/api/search?q=${QUERY}&offset=${deepest}&limit=100`)).json()) as { hits: unknown[]; next_offset?: number; notices: string[] };
  assert.equal(last.hits.length, 100);
  assert.equal(last.next_offset, undefined);
  assert.ok(last.notices.some((n) => n.startsWith(`Results are not paged past offset ${deepest}`)));
  const before = (await (await fetch(`${server.url}/api/search?q=${QUERY}&offset=${deepest - 100}&limit=100`)).json()) as { next_offset?: number };
  assert.equal(before.next_offset, deepest);

  // Paging search_docs to its end: every cursor it offers is one it takes.
  let cursor: string | undefined = structured(await search(server, {})).next_cursor;
  let pages = 1;
  while (cursor !== undefined) {
    const answer = structured(await search(server, { cursor }));
    assert.ok(answer.hits.length > 0);
    cursor = answer.next_cursor;
    pages++;
  }
  assert.equal(pages, Math.floor(deepest / 20) + 1);
});

test('the deepest page stays fast', async () => {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [response, ms] = await timed(() => fetch(`${server.url}/api/search?q=${QUERY}&offset=${LIMITS.searchOffset}&limit=100`));
    assert.equal(response.status, 200);
    await response.text();
    times.push(ms);
  }
  const median = times.sort((a, b) => a - b)[1]!;
  assert.ok(median < 3000, `median ${Math.round(median)} ms`);
});

test('a JSON-RPC batch of more than the limit is refused whole, at once; one within it runs', async () => {
  const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'search_docs', arguments: { query: `${QUERY} cluster policy`, limit: 20 } } });
  const [refused, ms] = await timed(() => postMcp(`${server.url}/mcp`, JSON.stringify(Array.from({ length: LIMITS.rpcBatchMessages + 1 }, (_, i) => call(i)))));
  assert.equal(refused.status, 400, refused.text.slice(0, 300));
  assert.equal(refused.json.error.code, -32600);
  assert.match(refused.json.error.message, new RegExp(`a batch of ${LIMITS.rpcBatchMessages + 1} messages; at most ${LIMITS.rpcBatchMessages}`));
  assert.ok(ms < 1000, `${Math.round(ms)} ms`);
  const accepted = await postMcp(`${server.url}/mcp`, JSON.stringify(Array.from({ length: LIMITS.rpcBatchMessages }, (_, i) => call(i))));
  assert.equal(accepted.status, 200, accepted.text.slice(0, 300));
  assert.equal((accepted.json as unknown[]).length, LIMITS.rpcBatchMessages);
});
