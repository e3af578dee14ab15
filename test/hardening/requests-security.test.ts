import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, mock, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { API_ROUTES } from '../../src/api/route-table.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { startTestServer } from '../support/server.js';
import { tokenMatches } from '../../src/http/security.js';
import { REPO_ROOT } from '../support/corpus.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { assertNoLeak, postMcp } from './requests-support.js';

/**
 * The server's security promises (SECURITY.md), checked against the real server and the real
 * CLI: headers on every HTML page and content types everywhere, a loopback bind by default,
 * secrets never in the logs, tokens compared in constant time, every write route authenticated.
 */
const DOC = 'asav-autoscale-azure::9.19::asav_azure_autoscale_v919::asav_azure_autoscale_v919';

let fixture: Fixture;
let server: RunningServer;

before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.19'] });
  server = await startTestServer(fixture, { token: 'security-test-token-0123456789' });
});

after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!.toLowerCase(), values]));
}

describe('headers on every HTML page', () => {
  const pages: [string, RequestInit, number][] = [
    ['/', {}, 200],
    ['/search', {}, 200],
    ['/search?q=azure', {}, 200],
    [`/search?q=${'a'.repeat(1001)}`, {}, 400],
    ['/search?q=azure&product=nope', {}, 404],
    ['/library', {}, 200],
    [`/chunk/${DOC}::3`, {}, 200],
    [`/doc/${DOC}?page=2`, {}, 200],
    [`/doc/${DOC}?page=abc`, {}, 400],
    ['/no/such/page', {}, 404],
    ['/', { method: 'POST' }, 405],
  ];

  test('a CSP without inline script, frame-ancestors none, nosniff and X-Frame-Options DENY', async () => {
    for (const [path, init, status] of pages) {
      const response = await fetch(`${server.url}${path}`, init);
      const html = await response.text();
      const where = `${init.method ?? 'GET'} ${path.slice(0, 40)}`;
      assert.equal(response.status, status, where);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html; charset=utf-8$/i, where);
      const csp = directives(response.headers.get('content-security-policy') ?? '');
      assert.deepEqual(csp.get('default-src'), ["'none'"], `${where}: default-src`);
      const scripts = csp.get('script-src') ?? [];
      assert.ok(scripts.length > 0, `${where}: script-src is set`);
      for (const source of scripts) {
        assert.ok(source === "'self'" || /^'sha(256|384|512)-/.test(source), `${where}: script-src allows only the origin or hashes, not ${source}`);
      }
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${where}: frame-ancestors`);
      assert.deepEqual(csp.get('base-uri'), ["'none'"], `${where}: base-uri`);
      assert.ok(!csp.has('object-src') || csp.get('object-src')!.join(' ') === "'none'", `${where}: no plugins`);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', where);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', where);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', where);

      // The markup itself needs no exception: every script is an external file, no handler attributes.
      for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
        assert.match(tag, /^<script src="\/static\/app\.js\?v=[0-9a-f]+" defer><\/script>$/, `${where}: only the external app script`);
      }
      assert.doesNotMatch(html, /<[a-z][^>]*\son[a-z]+\s*=/i, `${where}: no inline event handlers`);
      assert.doesNotMatch(html, /(?:href|src|action)\s*=\s*["']?\s*javascript:/i, `${where}: no javascript: URLs`);
      assertNoLeak(html, where);
    }
  });
});

describe('content types', () => {
  test('every REST answer is application/json, whatever the status', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/api/health', {}, 200],
      ['/api/search?q=azure', {}, 200],
      ['/api/search', {}, 400],
      ['/api/documents', { method: 'POST' }, 401],
      ['/api/nothing', {}, 404],
      ['/api/health', { method: 'PUT' }, 405],
      ['/api/openapi.json', {}, 200],
    ];
    for (const [path, init, status] of cases) {
      const response = await fetch(`${server.url}${path}`, init);
      assert.equal(response.status, status, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json(; charset=utf-8)?$/i, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('content-security-policy'), null, `${path}: JSON needs no CSP`);
      JSON.parse(await response.text());
    }
  });

  test('/mcp answers application/json; static assets carry their own types and nosniff', async () => {
    const mcp = await postMcp(`${server.url}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { authorization: 'Bearer security-test-token-0123456789' });
    assert.equal(mcp.status, 200);
    assert.equal(mcp.headers.get('content-type'), 'application/json');
    for (const [name, type] of [['app.js', 'text/javascript; charset=utf-8'], ['app.css', 'text/css; charset=utf-8'], ['favicon.svg', 'image/svg+xml']]) {
      const response = await fetch(`${server.url}/static/${name}`);
      assert.equal(response.headers.get('content-type'), type, name);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', name);
      assert.doesNotMatch(await response.text(), /<script|javascript:|on(load|error)\s*=/i, `${name} carries no active content`);
    }
  });
});

/** Runs the real CLI (TypeScript sources) without blocking this process, which may be serving the embedder. */
function cli(args: string[], env: NodeJS.ProcessEnv): ChildProcess & { output: () => string } {
  const { MCDEWEY_TOKEN: _t, MCDEWEY_EMBEDDER_API_KEY: _k, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/** Starts `mcdewey … serve --port 0` and resolves with its base URL from the start-up banner. */
async function serveCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess & { output: () => string }; url: string }> {
  const child = cli([...args, 'serve', '--port', '0'], env);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const url = /web UI\s+(http:\/\/\S+?)\/\s/.exec(child.output())?.[1];
    if (url) return { child, url };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mcdewey serve did not start: ${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited(child);
}

describe('bind address', () => {
  test('the default config binds 127.0.0.1, and so does startServer with it', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-bind-'));
    try {
      const config = loadConfig({ data, embedder: 'none', port: 0 }, {});
      assert.equal(config.host, '127.0.0.1');
      const running = await startServer(config);
      try {
        assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const port = Number(new URL(running.url).port);
        const external = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
        if (external) {
          // This machine's own non-loopback address: nothing listens there.
          await assert.rejects(
            new Promise((resolve, reject) => net.connect(port, external.address).once('connect', resolve).once('error', reject)),
            /ECONNREFUSED/,
            `port ${port} is closed on ${external.address}`,
          );
        }
      } finally {
        await running.close();
      }
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  test('`mcdewey serve` without --host listens on 127.0.0.1', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-bind-'));
    const { child, url } = await serveCli(['--data', data, '--embedder', 'none'], {});
    try {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${url}/api/health`)).status, 200);
    } finally {
      await stop(child);
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});

describe('secrets are never logged', () => {
  const TOKEN = 'tok-never-logged-7f3a9c2e51d04b8b';
  const API_KEY = 'sk-never-logged-0c4e8a1b6d2f9e7a';
  let embeddings: Server;
  let failing = false;

  before(async () => {
    // A stand-in for an OpenAI-compatible endpoint that, when failing, echoes the key back as some do.
    embeddings = createServer(async (request, response) => {
      let raw = '';
      for await (const chunk of request) raw += chunk;
      if (failing) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${request.headers.authorization}` } }));
        return;
      }
      const { input } = JSON.parse(raw) as { input: string[] };
      const data = input.map((text, index) => ({ index, embedding: Array.from({ length: 8 }, (_, i) => ((text.charCodeAt(i % text.length) || 7) * (i + 1)) % 13 + 1) }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data }));
    });
    await new Promise<void>((resolve) => embeddings.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    embeddings.closeAllConnections();
    await new Promise<void>((resolve) => embeddings.close(() => resolve()));
  });

  test('a server with a token and an embedder key, answering good and bad requests, logs neither', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-secrets-'));
    const docs = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-secrets-src-'));
    const { port } = embeddings.address() as AddressInfo;
    const global = ['--data', data, '--embedder', `openai:fake-model@http://127.0.0.1:${port}/v1`];
    const env = { MCDEWEY_TOKEN: TOKEN, MCDEWEY_EMBEDDER_API_KEY: API_KEY };
    fs.writeFileSync(path.join(docs, 'guide.md'), '# Azure guide\n\nThe Azure function app scales out when the alarm fires.\n');
    const bodies: string[] = [];
    const record = async (response: Response) => {
      const text = await response.text();
      bodies.push(text);
      return { status: response.status, text };
    };
    failing = false;
    const add = cli([...global, 'add', path.join(docs, 'guide.md'), '--vendor', 'Acme', '--product', 'widget', '--version', '1'], env);
    assert.equal(await exited(add), 0, add.output());
    const { child, url } = await serveCli(global, env);
    try {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const mcp = (headers: Record<string, string>, query = '') =>
        fetch(`${url}/mcp${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'azure alarm' } } }),
        });
      const upload = (name: string) => {
        const form = new FormData();
        form.set('file', new File([`# Scaling\n\nScale-in cooldown for ${name} is 300 seconds.\n`], name));
        for (const [k, v] of Object.entries({ vendor: 'Acme', product: 'widget', version: '2' })) form.set(k, v);
        return fetch(`${url}/api/documents?wait=1`, { method: 'POST', headers: auth, body: form });
      };

      // Succeeding requests, with the embedder answering.
      const hybrid = JSON.parse((await record(await fetch(`${url}/api/search?q=azure`))).text);
      assert.equal(hybrid.mode, 'hybrid');
      assert.equal((await record(await mcp(auth))).status, 200);
      assert.equal((await record(await upload('scaling.md'))).status, 201);
      // Refused requests: no token, a wrong one, the token in the query string.
      assert.equal((await record(await mcp({}))).status, 401);
      assert.equal((await record(await mcp({ authorization: `Bearer ${TOKEN.slice(0, -2)}` }))).status, 401);
      assert.equal((await record(await mcp({}, `?token=${TOKEN}&access_token=${TOKEN}`))).status, 401);
      assert.equal((await record(await fetch(`${url}/api/products/widget?token=${TOKEN}`, { method: 'DELETE' }))).status, 401);
      assert.equal((await record(await fetch(`${url}/api/products/widget`, { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } }))).status, 401);

      // The embedder now refuses the key and echoes it back: searches fall back to lexical, logged without the key.
      // (Queries not asked before: a query's vector, once computed, is cached and needs no embedder;
      // words the guide holds, so that its passage is relevant and not held back by the floor; and one
      // it lacks ("cooldown", from the uploaded page), since a query one passage holds whole is not embedded.)
      failing = true;
      const fallback = JSON.parse((await record(await fetch(`${url}/api/search?q=azure+function+cooldown`))).text);
      assert.equal(fallback.mode, 'lexical');
      assert.ok(fallback.hits.length > 0, 'lexical hits still come back');
      assert.match(fallback.notices.join(' '), /semantic search is unavailable/);
      const vectorOnly = await record(await fetch(`${url}/api/search?q=azure+app&mode=vector`));
      assert.equal(vectorOnly.status, 503, 'vector-only search is unavailable, not an internal error');
      const page = await record(await fetch(`${url}/search?q=azure+scales+cooldown`));
      assert.equal(page.status, 200);
      assert.match(page.text, /semantic search is unavailable/);
      assert.equal((await record(await mcp(auth))).status, 200);
      const failedUpload = await record(await upload('cooldown.md'));
      assert.equal(failedUpload.status, 422, failedUpload.text);
    } finally {
      await stop(child);
      fs.rmSync(data, { recursive: true, force: true });
      fs.rmSync(docs, { recursive: true, force: true });
    }

    const logs = add.output() + child.output();
    assert.match(logs, /McDewey serving/, 'the server output was captured');
    assert.match(logs, /the embedder failed: .*\[redacted\]/, 'the embedder failure was logged, redacted');
    for (const secret of [TOKEN, API_KEY]) {
      assert.ok(!logs.includes(secret), `a secret appears in the server output:\n${logs}`);
      for (const body of bodies) assert.ok(!body.includes(secret), `a secret appears in a response: ${body.slice(0, 300)}`);
    }
    for (const body of bodies) assertNoLeak(body, 'secrets test');
  });
});

describe('token comparison', () => {
  test('tokenMatches: equal only for the same string, whatever the lengths', () => {
    const expected = 'configured-token-0123456789';
    assert.equal(tokenMatches(expected, expected), true);
    for (const presented of [undefined, '', 'c', expected.slice(0, -1), `${expected}x`, expected.toUpperCase(), `${expected}\u0000`, 'x'.repeat(10_000), 'é'.repeat(27)]) {
      assert.equal(tokenMatches(presented, expected), false, JSON.stringify(presented?.slice(0, 30)));
    }
    assert.equal(tokenMatches('ünïcødé-token-✓-0123456789', 'ünïcødé-token-✓-0123456789'), true);
  });

  test('tokenMatches compares with crypto.timingSafeEqual, on equal-length digests', () => {
    const spy = mock.method(crypto, 'timingSafeEqual');
    syncBuiltinESMExports();
    try {
      tokenMatches('short', 'a-much-longer-configured-token');
      tokenMatches('a-much-longer-configured-token', 'a-much-longer-configured-token');
      assert.equal(spy.mock.callCount(), 2, 'every comparison goes through timingSafeEqual');
      for (const call of spy.mock.calls) {
        const [a, b] = call.arguments as [Buffer, Buffer];
        assert.equal(a.length, b.length);
      }
    } finally {
      spy.mock.restore();
      syncBuiltinESMExports();
    }
  });

  test('both token checks (write API, /mcp) use tokenMatches; no token is compared with === anywhere', () => {
    const sources = ['src/api/auth.ts', 'src/mcp/http-guards.ts'].map((file) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
    for (const source of sources) assert.match(source, /tokenMatches\(/);
    // The HTTP surfaces are where tokens are handled; comparing one with undefined (is it set?) is fine.
    const surfaces = ['api', 'mcp', 'server', 'web'].flatMap((dir) =>
      fs.readdirSync(path.join(REPO_ROOT, 'src', dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => [`${dir}/${file}`, fs.readFileSync(path.join(REPO_ROOT, 'src', dir, file), 'utf8')] as const));
    const direct = /[!=]==?(?!=)\s*[\w.]*(?:token|presented)\b|\b[\w.]*(?:token|presented)\s*[!=]==?(?!=)\s*(?!\s|undefined\b)/i;
    for (const [file, source] of surfaces) assert.doesNotMatch(source, direct, `${file} compares a token directly`);
  });
});

describe('write routes', () => {
  test('every REST route that is not a GET requires the token', () => {
    const writes = API_ROUTES.filter((route) => route.method !== 'get');
    assert.ok(writes.length >= 4);
    for (const route of writes) assert.equal(route.auth, true, `${route.method.toUpperCase()} ${route.path}`);
  });

  test('MCP offers no write: every tool is read-only', async () => {
    const answer = await postMcp(`${server.url}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { authorization: 'Bearer security-test-token-0123456789' });
    const tools = answer.json.result.tools as { name: string; annotations: { readOnlyHint?: boolean } }[];
    assert.deepEqual(tools.map((t) => t.name).sort(), ['list_library', 'read_chunk', 'read_document', 'search_docs']);
    for (const tool of tools) assert.equal(tool.annotations.readOnlyHint, true, tool.name);
  });
});
