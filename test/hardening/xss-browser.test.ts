import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { loadConfig } from '../../src/config/config.js';
import { createApp } from '../../src/server/app.js';
import { serverContext } from '../../src/server/http-server.js';
import { Library } from '../../src/service/library.js';

/**
 * Hostile documents and hostile labels, ingested into a temporary library (through the pipeline
 * and through the upload API), then every page that shows them — home, library, search results,
 * chunk pages, the document viewer, error pages — opened in a real Chromium. The payloads would
 * call alert(), fetch('/xss-hit/…') or set window.__xss; the test asserts none of that happened,
 * once with the CSP enforced and once with Chromium told to ignore it, so that escaping alone is
 * shown to hold. The payload text must still be readable where it is content.
 */
const TOKEN = 'xss-browser-token-0123456789abcdef';

const HOSTILE_HTML = `<!doctype html>
<html><head><title>HTML <script>window.__xss='html-title';fetch('/xss-hit/html-title')</script> title xsscanary</title>
<base href="http://evil.example/">
<meta http-equiv="refresh" content="0;url=javascript:fetch('/xss-hit/meta')">
<style>body{background:url('/xss-hit/style')}</style>
</head>
<body>
<h1>Hostile <img src=x onerror="window.__xss='h1';fetch('/xss-hit/h1')"> heading xsscanary</h1>
<p>Paragraph xsscanary <script>window.__xss='script';fetch('/xss-hit/script')</script> after script.</p>
<p><img src="/xss-hit/img" onerror="window.__xss='img';fetch('/xss-hit/img-onerror')" alt="alt xsscanary"></p>
<svg onload="window.__xss='svg';fetch('/xss-hit/svg')"><circle r="1"/><script>fetch('/xss-hit/svg-script')</script></svg>
<p><a href="javascript:window.__xss='link';fetch('/xss-hit/link')">click xsscanary link</a> and <a href=" JaVaScRiPt:alert('spaced')">spaced</a></p>
<iframe src="javascript:parent.__xss='iframe';fetch('/xss-hit/iframe')"></iframe>
<iframe srcdoc="<script>parent.__xss='srcdoc';fetch('/xss-hit/srcdoc')</script>"></iframe>
<div style="background:url(javascript:fetch('/xss-hit/css'));width:expression(fetch('/xss-hit/expr'))">css expression xsscanary</div>
<details open ontoggle="fetch('/xss-hit/details')"><summary>details xsscanary</summary>body</details>
<object data="javascript:fetch('/xss-hit/object')"></object><embed src="/xss-hit/embed">
<math><mtext><table><mglyph><style><img src=x onerror="fetch('/xss-hit/mxss')"></style></mglyph></table></mtext></math>
<form action="javascript:fetch('/xss-hit/form')"><button formaction="javascript:alert('formaction')">go</button></form>
<p>Entity text: &lt;script&gt;alert('entity-xsscanary')&lt;/script&gt; stays text.</p>
<pre><code>&lt;img src=x onerror=alert('code-xsscanary')&gt;</code></pre>
<table><tr><th>h <b onmouseover="alert('th')">b</b></th></tr><tr><td>cell &lt;svg onload=alert('cell')&gt; xsscanary</td></tr></table>
</body></html>
`;

const HOSTILE_MARKDOWN = `---
title: "<script>window.__xss='fm';fetch('/xss-hit/front-matter')</script> Front <b>matter</b> title"
---
# Heading <img src=x onerror="fetch('/xss-hit/md-h1')"> xsscanary

Raw HTML: <script>fetch('/xss-hit/md-script')</script> and <b onmouseover="fetch('/xss-hit/b')">bold</b> xsscanary.

<div onclick="x"><img src=x onerror="window.__xss='md-img';fetch('/xss-hit/md-img')"></div>

[click me](javascript:fetch('/xss-hit/md-link')) and ![img](javascript:fetch('/xss-hit/md-image')) and <javascript:alert('autolink')>

[ref link][evil] xsscanary

[evil]: javascript:fetch('/xss-hit/ref')

\`<script>alert('code-span-xsscanary')</script>\` in a code span

## \`<img src=x onerror=alert('code-heading')>\` code in heading

\`\`\`html
<script>alert('fence-xsscanary')</script>
\`\`\`

| col <script>fetch('/xss-hit/th')</script> | b |
|---|---|
| <img src=x onerror=fetch('/xss-hit/td')> | "quoted' attr xsscanary |

> <svg onload=fetch('/xss-hit/quote')> quoted xsscanary

- list <iframe src="javascript:fetch('/xss-hit/li')"></iframe> item xsscanary

**<script>fetch('/xss-hit/strong')</script>** *<img src=x onerror=fetch('/xss-hit/em')>*

"><script>fetch('/xss-hit/attr-break')</script> xsscanary

\\<script>alert('escaped-xsscanary')\\</script>

&lt;script&gt;alert('entities-xsscanary')&lt;/script&gt;

<customTag onload="alert('custom')">unknown tag xsscanary</customTag>
`;

const HOSTILE_TEXT = `<script>alert('txt-title')</script> Text title\n\nPlain text xsscanary <img src=x onerror=alert('txt')> and "><svg onload=alert('txt-svg')>.\n`;

/** Labels are free text: each one ends up in headings, links, options and attributes. */
const LABELS = {
  vendor: `<img src=x onerror="fetch('/xss-hit/vendor')">Vendor`,
  product: `"><script>fetch('/xss-hit/product')</script>`,
  version: `1.0<svg onload=alert('version')>`,
  collection: `<b onclick=alert('collection')>coll</b>`,
};
const UPLOAD_LABELS = {
  vendor: `Up'load" <script>alert('upload-vendor')</script>`,
  product: `up<img src=x onerror=alert('upload-product')>`,
  version: `<svg/onload=alert('upload-version')>9`,
  title: `<iframe src=javascript:alert('upload-title')></iframe> Uploaded`,
};
const HOSTILE_QUERY = `"><img src=x onerror=alert('query')>`;

let dataDir: string;
let library: Library;
let server: Server;
let baseUrl: string;
let browser: Browser;
let stopJobs: () => Promise<void> = async () => {};
/** Every path the server was asked for, in order. */
const served: string[] = [];

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-xss-'));
  const sources = path.join(dataDir, 'sources');
  fs.mkdirSync(sources);
  const files = { 'hostile-html.html': HOSTILE_HTML, 'hostile-markdown.md': HOSTILE_MARKDOWN, 'hostile-text.txt': HOSTILE_TEXT };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(sources, name), text);
  const config = loadConfig({ data: path.join(dataDir, 'data'), embedder: 'none', port: 0, token: TOKEN }, {});
  library = await Library.open(config, 'write');
  const results = await library.add(library.plan(Object.keys(files).map((name) => path.join(sources, name)), LABELS));
  assert.deepEqual(results.map((r) => r.status), ['added', 'added', 'added'], JSON.stringify(results));

  // The real app, behind a fetch that records what the server was asked for.
  const context = serverContext(config, library);
  stopJobs = context.stopJobs;
  const { ctx } = context;
  const app = createApp(ctx);
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: (request) => (served.push(new URL(request.url).pathname), app.fetch(request)), hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.baseUrl = baseUrl;

  const form = new FormData();
  form.set('file', new File([HOSTILE_MARKDOWN.replaceAll('xsscanary', 'xsscanary uploaded')], `"><img src=x onerror=alert('filename')>.md`));
  for (const [name, value] of Object.entries(UPLOAD_LABELS)) form.set(name, value);
  const upload = await fetch(`${baseUrl}/api/documents?wait=1`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
  assert.equal(upload.status, 201, await upload.text());

  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await stopJobs();
  await library?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What a page might do if a payload ran: dialogs, console messages (CSP reports among them), page errors, requests. */
interface Observed {
  dialogs: string[];
  console: string[];
  errors: string[];
  requests: string[];
}

async function openContext(bypassCSP: boolean): Promise<{ context: BrowserContext; page: Page; observed: Observed }> {
  const context = await browser.newContext({ bypassCSP, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const observed: Observed = { dialogs: [], console: [], errors: [], requests: [] };
  page.on('dialog', (dialog) => {
    observed.dialogs.push(`${page.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    // Error pages (404, 400) are reported as failed loads of the page itself: expected, not a payload.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) && message.location().url === page.url()) return;
    observed.console.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => observed.errors.push(`${page.url()}: ${error.message}`));
  page.on('request', (request) => observed.requests.push(request.url()));
  return { context, page, observed };
}

/** Anything in the live DOM that could run script or load from a payload. */
function auditDom(): string[] {
  const problems: string[] = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'srcdoc', 'xlink:href', 'poster', 'background'];
  for (const element of Array.from(document.querySelectorAll('*'))) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of Array.from(element.attributes)) {
      if (/^on/i.test(attribute.name)) problems.push(`<${tag} ${attribute.name}>`);
      if (attribute.name === 'style') problems.push(`<${tag} style>`);
    }
    for (const name of urlAttributes) {
      const value = element.getAttribute(name);
      if (value !== null && /^\s*(?:javascript|vbscript|data):/i.test(value)) problems.push(`<${tag} ${name}="${value}">`);
    }
    if (['iframe', 'frame', 'object', 'embed', 'base', 'svg', 'math', 'video', 'audio', 'template'].includes(tag)) problems.push(`<${tag}>`);
    // The only images are the viewer's own drawings of a PDF page and its highlight boxes.
    if (tag === 'img' && !/^\/doc\/[^/]+\/page\/\d+\.(png|svg)\?/.test(element.getAttribute('src') ?? '')) problems.push(`<img src="${element.getAttribute('src')}">`);
    if (tag === 'script' && !/^\/static\/app\.js\?v=/.test(element.getAttribute('src') ?? '')) problems.push('<script> other than app.js');
    if (tag === 'style') problems.push('<style>');
    if (tag === 'meta' && element.hasAttribute('http-equiv')) problems.push('<meta http-equiv>');
    if (tag === 'link' && !/^\/static\/(app\.css|favicon\.svg)\?v=/.test(element.getAttribute('href') ?? '')) problems.push(`<link href="${element.getAttribute('href')}">`);
    if (tag === 'form' && !/^\/(search|doc\/|library$)/.test(element.getAttribute('action') ?? '')) problems.push(`<form action="${element.getAttribute('action')}">`);
    if (tag === 'a' && !/^(\/|#)/.test(element.getAttribute('href') ?? '/')) problems.push(`<a href="${element.getAttribute('href')}">`);
  }
  const w = window as unknown as { __xss?: unknown };
  if (w.__xss !== undefined) problems.push(`window.__xss = ${String(w.__xss)}`);
  if (document.title === 'XSS') problems.push('document.title was changed');
  return problems;
}

async function visit(page: Page, url: string): Promise<void> {
  const response = await page.goto(`${baseUrl}${url}`, { waitUntil: 'load' });
  assert.ok(response && response.status() < 500, `${url}: ${response?.status()}`);
  // Give error handlers of failed loads (img onerror and the like) a moment to fire.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 30)));
  const problems = await page.evaluate(auditDom);
  assert.deepEqual(problems, [], `${url}: the page holds active content`);
}

async function hrefs(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((links) => links.map((a) => a.getAttribute('href')!).filter(Boolean));
}

/** A request a payload would make: fetch('/xss-hit/…') or an <img src=x>. (Slugs made from the labels contain "xss-hit" too, so match the path's start.) */
const isPayloadPath = (pathname: string) => pathname.startsWith('/xss-hit') || pathname === '/x';
const hostileHits = () => served.filter(isPayloadPath);

/** Every page that shows document text or labels, found by following the UI's own links. */
let pages: string[] = [];

describe('hostile documents and labels in a real browser', () => {
  test('the detectors work: a payload injected into a page is seen', async () => {
    const { context, page, observed } = await openContext(true);
    try {
      await page.goto(`${baseUrl}/`);
      await page.evaluate(() => {
        document.body.insertAdjacentHTML('beforeend', `<img src=x onerror="window.__xss='control';fetch('/xss-hit/control');alert('control')">`);
      });
      await page.waitForFunction(() => (window as unknown as { __xss?: string }).__xss === 'control');
      await page.waitForRequest((r) => r.url().endsWith('/xss-hit/control')).catch(() => undefined);
      assert.ok((await page.evaluate(auditDom)).length > 0, 'the DOM audit sees the injected element');
      assert.equal(observed.dialogs.length, 1, 'the dialog was seen');
      await page.waitForTimeout(100);
      assert.ok(hostileHits().includes('/xss-hit/control'), 'the server saw the hit');
    } finally {
      await context.close();
      served.length = 0;
    }
  });

  test('the UI shows the hostile labels and payload text as text (CSP enforced)', async () => {
    const { context, page, observed } = await openContext(false);
    try {
      await visit(page, '/library');
      const libraryText = await page.locator('main').innerText();
      for (const label of [...Object.values(LABELS).filter((l) => !l.startsWith('<b')), ...Object.values(UPLOAD_LABELS)]) {
        assert.ok(libraryText.includes(label.trim()), `the library page shows ${label}`);
      }
      assert.ok(libraryText.includes(`<script>alert('txt-title')</script> Text title`), 'a hostile title is shown as text');
      const documentLinks = await hrefs(page, 'main a[href^="/doc/"]');
      assert.equal(documentLinks.length, 4, 'four documents');

      await visit(page, `/search?q=${encodeURIComponent(HOSTILE_QUERY)}`);
      assert.equal(await page.locator('h1').innerText(), `Results for “${HOSTILE_QUERY}”`);
      assert.equal(await page.locator('#q').inputValue(), HOSTILE_QUERY);

      await visit(page, '/search?q=xsscanary&all=1');
      const hitLinks = [...await hrefs(page, '.hit h2 a'), ...await hrefs(page, '.hit .context-link')];
      assert.ok(hitLinks.length >= 8, `hits for every document: ${hitLinks.length}`);

      const markdownChunks = hitLinks.filter((href) => href.startsWith('/chunk/') && href.includes('hostile-markdown'));
      const shown: string[] = [];
      for (const href of markdownChunks) {
        await visit(page, href);
        shown.push(await page.locator('main').innerText());
      }
      const text = shown.join('\n');
      for (const payload of [`<script>alert('code-span-xsscanary')</script>`, `<script>alert('fence-xsscanary')</script>`, `<img src=x onerror=alert('code-heading')>`, `<customTag onload="alert('custom')">`]) {
        assert.ok(text.includes(payload), `the chunk pages show ${payload} as text`);
      }
      await visit(page, documentLinks.find((href) => href.includes('hostile-html'))!);
      assert.match(await page.locator('main').innerText(), /Entity text: <script>alert\('entity-xsscanary'\)<\/script> stays text\./);

      pages = [
        '/', '/library', '/search', '/search?q=xsscanary', '/search?q=xsscanary&all=1', `/search?q=${encodeURIComponent(HOSTILE_QUERY)}`,
        '/search?q=script%20alert%20fetch&all=1', `/search?q=x&product=${encodeURIComponent(LABELS.product)}`, `/search?q=x&version=${encodeURIComponent(LABELS.version)}`,
        `/${encodeURIComponent(`<svg onload=alert('404')>`)}`, `/chunk/${encodeURIComponent(`<img src=x onerror=alert('chunk')>`)}`,
        ...documentLinks, ...documentLinks.map((href) => `${href}?chunk=${encodeURIComponent(`<img src=x onerror=alert('chunk-param')>`)}`),
        ...new Set(hitLinks),
      ];
      assert.deepEqual(observed.dialogs, []);
      assert.deepEqual(observed.errors, []);
      assert.deepEqual(observed.console, [], 'no CSP violation or other error was reported');
    } finally {
      await context.close();
    }
  });

  for (const bypassCSP of [false, true]) {
    test(`no payload runs on any of the pages (${bypassCSP ? 'CSP ignored: escaping alone' : 'CSP enforced'})`, async () => {
      assert.ok(pages.length > 20, `pages to visit: ${pages.length}`);
      const { context, page, observed } = await openContext(bypassCSP);
      try {
        for (const url of pages) await visit(page, url);
        // Hover and click what a reader would: hits, outline entries, chunk labels.
        await visit(page, '/search?q=xsscanary&all=1');
        for (const element of await page.locator('main a, main td, main th, main code, main strong').all()) await element.hover().catch(() => undefined);
      } finally {
        await context.close();
      }
      assert.deepEqual(observed.dialogs, [], 'no dialog was opened');
      assert.deepEqual(observed.errors, [], 'no script error');
      assert.deepEqual(observed.console, [], 'no CSP violation or other error was reported');
      assert.deepEqual(observed.requests.filter((url) => !url.startsWith(`${baseUrl}/`) || isPayloadPath(new URL(url).pathname)), [], 'the browser requested nothing a payload names');
      assert.deepEqual(hostileHits(), [], 'the server never saw /xss-hit');
      console.log(`xss: ${pages.length} pages clean with the CSP ${bypassCSP ? 'ignored' : 'enforced'}`);
    });
  }
});
