import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import type { RunningServer } from '../../src/server/serve.js';
import { Library } from '../../src/service/library.js';
import { escapeHtml } from '../../src/web/html.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { get, inOrder, textOf } from './web-server.js';
import { startTestServer } from '../support/server.js';

/**
 * The web UI's pages over the real server and a library built from real Cisco and Palo Alto
 * PDFs. `asaAdminUserPassword` is an ARM template parameter documented on PDF page 8 of the ASAv
 * Azure 9.15 guide and again in the 9.19 guide.
 */
const ASAV_915 = 'asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915';
const TAGLINE = 'Multi-vendor documentation library · semantic search · MCP endpoint at /mcp';

let fixture: Fixture;
let server: RunningServer;

before(async () => {
  fixture = await buildFixture();
  server = await startTestServer(fixture);
});

after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

/** Every HTML page: the seed's header, a lang, a main landmark, and no inline script or style. */
function assertPageFrame(html: string): void {
  assert.match(html, /^<!doctype html>\n<html lang="en">/);
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.ok(inOrder(textOf(html), ['McDewey', TAGLINE]), 'header as in the seed page');
  assert.match(html, /<main id="main"/);
  assert.match(html, /<a class="skip-link" href="#main">/);
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(html, /<style|\sstyle=/, 'no inline style');
  assert.doesNotMatch(html, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

const hrefs = (html: string, pattern: RegExp) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((h) => pattern.test(h));

describe('security headers', () => {
  test('HTML pages carry a CSP without unsafe-inline, and the usual hardening headers', async () => {
    const { status, headers } = await get(server, '/');
    assert.equal(status, 200);
    const csp = headers.get('Content-Security-Policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(headers.get('X-Content-Type-Options'), 'nosniff');
    assert.equal(headers.get('X-Frame-Options'), 'DENY');
  });

  test('the stylesheet and script the pages link to are served as files with their types', async () => {
    const { html } = await get(server, '/');
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1];
    const js = /<script src="([^"]+)" defer><\/script>/.exec(html)?.[1];
    assert.ok(css?.startsWith('/static/app.css?v=') && js?.startsWith('/static/app.js?v='));
    const cssAnswer = await fetch(`${server.url}${css}`);
    assert.equal(cssAnswer.status, 200);
    assert.match(cssAnswer.headers.get('Content-Type') ?? '', /^text\/css/);
    assert.match(cssAnswer.headers.get('Cache-Control') ?? '', /immutable/);
    assert.match(await cssAnswer.text(), /\.chunk\.highlighted/);
    const jsAnswer = await fetch(`${server.url}${js}`);
    assert.match(jsAnswer.headers.get('Content-Type') ?? '', /^text\/javascript/);
    assert.match(await jsAnswer.text(), /key === '\/'/);
    assert.equal((await get(server, '/static/nothing.js')).status, 404);
  });
});

describe('GET /', () => {
  test('shows the search box and what the library holds, with links', async () => {
    const { status, html } = await get(server, '/');
    assert.equal(status, 200);
    assertPageFrame(html);
    assert.match(html, /<input type="search" id="q" name="q"[^>]*accesskey="s"/);
    assert.match(html, /<label for="q"[^>]*>Search the library<\/label>/);
    const text = textOf(html);
    assert.ok(inOrder(text, ['2 vendors', '3 products', '6 versions', '6 documents']), text);
    assert.ok(hrefs(html, /^\/library#vendor-cisco$/).length === 1);
    assert.ok(hrefs(html, /^\/library#product-ftdv-autoscale-aws$/).length === 1);
    assert.match(text, /ftdv-autoscale-aws: latest-2025-06, 6\.7\.0, 6\.6\.0/);
    assert.match(html, /<a href="\/api\/openapi.json">API docs<\/a>/);
  });

  test('an empty library says exactly how to add documents', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-web-empty-'));
    const config = loadConfig({ data: dataDir, embedder: 'none', port: 0 }, {});
    const library = await Library.open(config, 'read');
    const emptyServer = await startTestServer({ config, library });
    try {
      for (const page of ['/', '/library']) {
        const { status, html } = await get(emptyServer, page);
        assert.equal(status, 200);
        const text = textOf(html);
        assert.match(text, /The library is empty/);
        assert.match(text, /mcdewey add <file\|folder> --vendor … --product … --version …/);
        assert.match(text, /mcdewey add \.\.\/shared\/corpus\/pdf/);
      }
      const search = await get(emptyServer, '/search?q=anything');
      assert.equal(search.status, 200);
      assert.match(textOf(search.html), /The library is empty/);
    } finally {
      await emptyServer.close();
      await library.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('GET /search', () => {
  test('lists hits with page, source, chunk id, marked snippet, context link and other versions', async () => {
    const { status, html } = await get(server, '/search?q=asaAdminUserPassword&all=1');
    assert.equal(status, 200);
    assertPageFrame(html);
    assert.match(html, /<h1>Results for “asaAdminUserPassword”<\/h1>/);
    const hit = /<li class="hit">([\s\S]*?)<\/li>/.exec(html)?.[1] ?? '';
    const text = textOf(hit);
    assert.match(text, /cisco \/ asav-autoscale-azure \/ 9\.\d+ · Page \d+/);
    assert.match(text, /source asav-autoscale-azure\/9\.\d+\/asav_azure_autoscale_v9\d+\/asav_azure_autoscale_v9\d+\.md/);
    assert.match(text, /chunk_id asav-autoscale-azure::9\.\d+::asav_azure_autoscale_v9\d+::asav_azure_autoscale_v9\d+::\d+/);
    assert.match(hit, /<mark>asaAdminUserPassword<\/mark>/i);
    assert.match(hit, /<a class="context-link" href="\/doc\/asav-autoscale-azure::9\.\d+::[^"?]+\?page=\d+&amp;chunk=([^"#]+)#\1">↗ View in doc context<\/a>/);
    assert.match(hit, /<a href="\/chunk\/asav-autoscale-azure::9\.\d+::[^"]+::\d+">Chunk page<\/a>/);
    assert.match(text, /Also in 9\.\d+ \(page \d+\)/);
    assert.equal(hrefs(hit, /^\/chunk\//).length, 3, 'title, chunk page and also-in links');
  });

  test('shows the notices of the response, such as lexical-only search', async () => {
    const { html } = await get(server, '/search?q=lambda+function');
    assert.match(html, /<div class="notice" role="status"><p>[^<]*[Ll]exical/);
  });

  test('filters are selects built from the library, and the chosen ones stay selected', async () => {
    const { html } = await get(server, `/search?q=template+parameters&vendor=cisco&product=asav-autoscale-azure&version=9.15`);
    assert.match(html, /<select id="filter-vendor" name="vendor"><option value="">All vendors<\/option><option value="cisco" selected>cisco<\/option><option value="paloalto">paloalto<\/option><\/select>/);
    assert.match(html, /<optgroup label="cisco"><option value="asav-autoscale-azure" selected>/);
    assert.match(html, /<optgroup label="cisco asav-autoscale-azure"><option value="9.19" data-product="asav-autoscale-azure" data-vendor="cisco">9.19 \(latest\)<\/option><option value="9.15" data-product="asav-autoscale-azure" data-vendor="cisco" selected>9.15<\/option>/);
    const metas = [...html.matchAll(/<p class="meta">([^<]*) · <strong>Page/g)].map((m) => m[1]);
    assert.ok(metas.length > 0);
    for (const meta of metas) assert.equal(meta, 'cisco / asav-autoscale-azure / 9.15');
  });

  test('a filter naming nothing in the library is explained in the page, with the form kept', async () => {
    const { status, html } = await get(server, '/search?q=lambda&product=ftdv-autoscale-aws&version=9.99');
    assert.equal(status, 404);
    assertPageFrame(html);
    assert.match(textOf(html), /version "9\.99" of ftdv-autoscale-aws is not in the library\. Available versions of ftdv-autoscale-aws: latest-2025-06, 6\.7\.0, 6\.6\.0/);
    assert.match(html, /<div class="notice error" role="alert">/);
    assert.match(html, /<input type="search" id="q" name="q" value="lambda"/);
  });

  test('pages through results with offsets', async () => {
    const first = await get(server, '/search?q=lambda&all=1');
    const next = hrefs(first.html, /offset=10/);
    assert.deepEqual(next, ['/search?q=lambda&all=1&offset=10']);
    const second = await get(server, next[0]!);
    assert.match(textOf(second.html), /Results 11–20/);
    assert.deepEqual(hrefs(second.html, /^\/search\?q=lambda&all=1$/), ['/search?q=lambda&all=1']);
    assert.equal((await get(server, '/search?q=lambda&offset=-5')).status, 400);
  });

  test('an empty query shows the form only', async () => {
    const { status, html } = await get(server, '/search');
    assert.equal(status, 200);
    assert.match(html, /<h1>Search the library<\/h1>/);
    assert.doesNotMatch(html, /class="hits"/);
  });

  test('the query is escaped wherever it is echoed', async () => {
    const { html } = await get(server, `/search?q=${encodeURIComponent('<script>alert("x")</script>')}`);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  });
});

describe('GET /chunk/:id', () => {
  test('reproduces the seed page: Page N, the context link, then page / source / chunk_id, then the text', async () => {
    const chunkId = `${ASAV_915}::21`;
    const { chunk, document } = fixture.library.chunk(chunkId);
    const { status, html } = await get(server, `/chunk/${encodeURIComponent(chunkId)}`);
    assert.equal(status, 200);
    assertPageFrame(html);
    const text = textOf(html);
    assert.ok(
      inOrder(text, ['McDewey', TAGLINE, `Page ${chunk.page}`, '↗ View in doc context', 'page', String(chunk.page), 'source', document.sourcePath, 'chunk_id', chunkId]),
      text.slice(0, 600),
    );
    assert.match(html, /<h1>Page 8<\/h1>/);
    assert.match(html, new RegExp(`<a class="context-link" href="/doc/${ASAV_915}\\?page=8&amp;chunk=${chunkId}#${chunkId}">`));
    assert.match(text, /asaAdminUserPassword/);
    assert.ok(hrefs(html, new RegExp(`^/chunk/${ASAV_915}::20$`)).length === 1, 'previous chunk');
    assert.ok(hrefs(html, new RegExp(`^/chunk/${ASAV_915}::22$`)).length === 1, 'next chunk');
  });

  test('renders the chunk Markdown: tables become tables', async () => {
    const withTable = fixture.library.documents().flatMap((d) => fixture.library.page(d.docId, 8).chunks).find((c) => /^\|.*\|$/m.test(c.text));
    assert.ok(withTable, 'the fixture has a chunk with a table');
    const { html } = await get(server, `/chunk/${encodeURIComponent(withTable.id)}`);
    assert.match(html, /<div class="table-wrap"><table>/);
  });

  test('an unknown or malformed chunk id is a 404 page that says what to do', async () => {
    const unknown = await get(server, `/chunk/${encodeURIComponent(`${ASAV_915}::99999`)}`);
    assert.equal(unknown.status, 404);
    assertPageFrame(unknown.html);
    assert.match(textOf(unknown.html), /no chunk ".*::99999" in the library.*search again/i);
    const malformed = await get(server, '/chunk/not-a-chunk-id');
    assert.equal(malformed.status, 404);
    assert.match(textOf(malformed.html), /is not a chunk id.*Chunk ids look like/);
  });
});

describe('GET /doc/:docId', () => {
  test('opens at the page with the requested chunk highlighted, pager, jump form and outline', async () => {
    const chunkId = `${ASAV_915}::21`;
    const { status, html } = await get(server, `/doc/${encodeURIComponent(ASAV_915)}?page=8&chunk=${encodeURIComponent(chunkId)}`);
    assert.equal(status, 200);
    assertPageFrame(html);
    assert.match(html, /<h1>Deploy the ASAv Auto Scale Solution on Microsoft Azure<\/h1>/);
    assert.match(html, /<h2>Page 8 <span class="meta">of 28<\/span><\/h2>/);
    assert.match(html, /<nav class="outline" aria-label="Document outline">/);
    assert.match(html, new RegExp(`<section id="${chunkId}" class="chunk highlighted" aria-current="true">`));
    assert.equal([...html.matchAll(/class="chunk highlighted"/g)].length, 1);
    const sections = [...html.matchAll(/<section id="([^"]+)" class="chunk/g)].map((m) => m[1]);
    assert.deepEqual(sections, fixture.library.page(ASAV_915, 8).chunks.map((c) => c.id));
    assert.ok(hrefs(html, /\?page=7$/).length >= 1 && hrefs(html, /\?page=9$/).length >= 1, 'previous and next page');
    assert.match(html, /<form class="jump" action="\/doc\/[^"]+" method="get">[\s\S]*<input type="number" id="jump-page" name="page" min="1" max="28" value="8" required>/);
  });

  test('the outline links every heading to its page and marks those on the current page', async () => {
    const entry = fixture.library.outline(ASAV_915).entries.find((e) => e.level > 1 && e.level <= 3 && e.page > 1)!;
    const { html } = await get(server, `/doc/${encodeURIComponent(ASAV_915)}?page=${entry.page}`);
    const item = `<li class="level-${entry.level} here"><a href="/doc/${ASAV_915}?page=${entry.page}">${escapeHtml(entry.text)}<span class="page-no">p. ${entry.page}</span></a></li>`;
    assert.ok(html.includes(item), item);
  });

  test('without a page it opens at the chunk\'s page; without either at page 1', async () => {
    const chunked = await get(server, `/doc/${encodeURIComponent(ASAV_915)}?chunk=${encodeURIComponent(`${ASAV_915}::21`)}`);
    assert.match(chunked.html, /<h2>Page 8 /);
    const plain = await get(server, `/doc/${encodeURIComponent(ASAV_915)}`);
    assert.match(plain.html, /<h2>Page 1 /);
    assert.match(plain.html, /<span class="disabled">← Previous page<\/span>/);
  });

  test('a chunk that is not on the page is pointed to, not silently dropped', async () => {
    const { status, html } = await get(server, `/doc/${encodeURIComponent(ASAV_915)}?page=2&chunk=${encodeURIComponent(`${ASAV_915}::21`)}`);
    assert.equal(status, 200);
    assert.match(textOf(html), /That chunk is on page 8, not on this page/);
    assert.doesNotMatch(html, /class="chunk highlighted"/);
  });

  test('bad pages and unknown documents get error pages with what to do', async () => {
    const beyond = await get(server, `/doc/${encodeURIComponent(ASAV_915)}?page=999`);
    assert.equal(beyond.status, 404);
    assert.match(textOf(beyond.html), /has no page 999\. Pages run from 1 to 28/);
    const notNumber = await get(server, `/doc/${encodeURIComponent(ASAV_915)}?page=abc`);
    assert.equal(notNumber.status, 400);
    assert.match(textOf(notNumber.html), /page "abc" is not a page number/);
    const unknown = await get(server, '/doc/nothing::1::x::y');
    assert.equal(unknown.status, 404);
    assert.match(textOf(unknown.html), /no document "nothing::1::x::y"/);
  });
});

describe('GET /library', () => {
  test('lists vendors, products, versions (latest marked) and documents with counts', async () => {
    const { status, html } = await get(server, '/library');
    assert.equal(status, 200);
    assertPageFrame(html);
    assert.match(html, /<a href="\/library" aria-current="page">Library<\/a>/);
    const text = textOf(html);
    assert.ok(inOrder(text, ['cisco', 'asav-autoscale-azure', 'Version 9.19 latest', 'Version 9.15', 'ftdv-autoscale-aws', 'Version latest-2025-06 latest', 'Version 6.7.0', 'Version 6.6.0', 'paloalto']), text);
    const asav915 = fixture.library.document(ASAV_915);
    assert.ok(text.includes(`${asav915.title} ${asav915.sourcePath} ${asav915.pageCount} ${asav915.chunkCount}`), text);
    assert.equal(hrefs(html, /^\/doc\//).length, 6);
    assert.ok(hrefs(html, /^\/search\?vendor=cisco&product=asav-autoscale-azure$/).length === 1);
  });
});

describe('other paths', () => {
  test('an unknown page is a 404 HTML page; /api paths are left to the API', async () => {
    const page = await get(server, '/no/such/page');
    assert.equal(page.status, 404);
    assertPageFrame(page.html);
    assert.match(textOf(page.html), /There is no page at \/no\/such\/page/);
    const api = await fetch(`${server.url}/api/no-such-route`);
    assert.doesNotMatch(api.headers.get('Content-Type') ?? '', /text\/html/);
    await api.body?.cancel();
  });
});
