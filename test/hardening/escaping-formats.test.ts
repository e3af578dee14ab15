import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseHtml } from 'node-html-parser';
import { loadConfig } from '../../src/config/config.js';
import { parseDocumentFile, serializeDocumentFile } from '../../src/library/document-file.js';
import type { DocumentMeta, Page } from '../../src/library/model.js';
import { Library } from '../../src/service/library.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { chunkHref, documentHref } from '../../src/http/links.js';
import { mcdewey } from './library-state.js';

/**
 * Document-derived text (titles, labels, page labels, headings) is escaped for the format it is
 * written into. One crafted document carries hostile text in every field, and each format is
 * checked the way its reader sees it: HTML comments in the MCP chunk and document resources and
 * in read_document (parsed as HTML: no element may escape a comment), the document file's front
 * matter and page markers (every line still means what it should, and the file reads back the
 * same), the web pages (parsed as HTML: no element from the document), and the terminal (no
 * control characters reach it).
 */

const CLOSE_AND_INJECT = '--> <script>alert("x")</script> <!-- --!> <img src=x onerror=alert(1)>';
const TITLE = `Guide ${CLOSE_AND_INJECT} \u001b]0;pwned\u0007\u001b[2J\u202eevil\nsecond: "line"\r\n---\u2028---\u0085--`;
const PAGE_LABEL = `iv ${CLOSE_AND_INJECT} "quoted" \\ back`;
const HEADING = `Setup ${CLOSE_AND_INJECT}`;
const VENDOR_LABEL = `Acme ${CLOSE_AND_INJECT}`;

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-escaping-'));
const data = path.join(sandbox, 'data');
const TOKEN = 'escaping-formats-token-0123456789';
const DOC_ID = 'widget::1.0::guide::guide';
let server: RunningServer;

const meta: DocumentMeta = {
  key: { product: 'widget', version: '1.0', collection: 'guide', document: 'guide' },
  vendor: 'acme',
  vendorLabel: VENDOR_LABEL,
  productLabel: `Widget ${CLOSE_AND_INJECT}`,
  versionLabel: `1.0 ${CLOSE_AND_INJECT}`,
  title: TITLE,
  sourcePath: 'widget/1.0/guide/guide.md',
  originalFile: `/in/${CLOSE_AND_INJECT}.md`,
  format: 'markdown',
  contentHash: '0'.repeat(64),
  pageCount: 2,
  convertedAt: '2025-01-01T00:00:00.000Z',
};
const pages: Page[] = [
  { number: 1, label: PAGE_LABEL, markdown: `## ${HEADING}\n\nWidgets are configured in the widget console.` },
  { number: 2, label: '2', markdown: 'More about the widget console.' },
];

before(async () => {
  // The document reaches the library the way `reindex` finds it: as a file in the Markdown tree.
  const file = path.join(data, 'library', meta.sourcePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, serializeDocumentFile(meta, pages));
  const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'reindex');
  try {
    const result = await library.reindex();
    assert.deepEqual(result.failed, []);
    assert.equal(result.reindexed, 1);
  } finally {
    await library.close();
  }
  server = await startServer(loadConfig({ data, embedder: 'none', port: 0, token: TOKEN }, {}));
});
after(async () => {
  await server?.close();
  fs.rmSync(sandbox, { recursive: true, force: true });
});

/** Elements a browser would build from `text` if it rendered the Markdown's HTML. */
function elementsIn(text: string): string[] {
  return parseHtml(text, { comment: true }).querySelectorAll('*').map((element) => element.rawTagName.toLowerCase());
}

async function mcp(method: string, params: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const raw = await response.text();
  const json = raw.startsWith('{') ? raw : raw.split('\n').find((line) => line.startsWith('data: '))!.slice(6);
  return (JSON.parse(json) as { result: Record<string, any> }).result;
}

describe('HTML comments in MCP Markdown', () => {
  test('the chunk resource: title, page label and heading stay inside their comments', async () => {
    const result = await mcp('resources/read', { uri: `mcdewey://chunks/${DOC_ID}::0` });
    const text = result['contents'][0].text as string;
    const header = text.split('\n\n')[0]!.split('\n');
    assert.equal(header.length, 3, text);
    for (const line of header) {
      assert.match(line, /^<!-- [^<>]* -->$/, line);
      assert.ok(!line.slice(5, -4).includes('--'), line);
    }
    assert.match(header[0]!, /^<!-- Guide - -› ‹script›alert\("x"\)‹\/script› ‹!- - - -!› ‹img src=x onerror=alert\(1\)›/);
    assert.match(header[2]!, /^<!-- section: Setup - -› ‹script›/);
    assert.deepEqual(elementsIn(header.join('\n')), []);
  });

  test('the document resource and read_document: page markers keep the hostile page label inside the comment', async () => {
    const resource = (await mcp('resources/read', { uri: `mcdewey://documents/${DOC_ID}` }))['contents'][0].text as string;
    const tool = JSON.parse((await mcp('tools/call', { name: 'read_document', arguments: { doc_id: DOC_ID } }))['content'][0].text as string).text as string;
    for (const text of [resource, tool]) {
      const marker = text.split('\n')[0]!;
      assert.match(marker, /^<!-- page 1 label="[^<>]*" -->$/);
      assert.ok(!marker.slice(5, -4).includes('--'), marker);
      assert.equal(JSON.parse(/label=(".*") -->$/.exec(marker)![1]!), PAGE_LABEL, 'a JSON reader gets the label back exactly');
      // Only the page's own Markdown heading text is there, and it is not HTML.
      assert.deepEqual(elementsIn(text.replace(/^#+ .*$/gm, '')), []);
    }
  });
});

describe('the document file', () => {
  test('front matter lines and page markers mean what they should, in any line-splitting reader, and read back exactly', () => {
    const text = fs.readFileSync(path.join(data, 'library', meta.sourcePath), 'utf8');
    // YAML readers also break lines at CR, NEL, LINE and PARAGRAPH SEPARATOR.
    const lines = text.split(/\r\n|[\n\r\u0085\u2028\u2029]/);
    const end = lines.indexOf('---', 1);
    assert.equal(end, 17, 'the front matter closes after its 16 fields, not inside the title');
    for (const line of lines.slice(1, end)) assert.match(line, /^[a-z_]+: /, line);
    const markers = lines.filter((line) => line.startsWith('<!-- page'));
    assert.equal(markers.length, 2);
    for (const marker of markers) assert.match(marker, /^<!-- page \d+(?: label="[^<>]*")? -->$/);
    const back = parseDocumentFile(text, meta.sourcePath);
    assert.equal(back.meta.title, TITLE);
    assert.equal(back.meta.vendorLabel, VENDOR_LABEL);
    assert.deepEqual(back.pages, pages);
  });
});

describe('web pages', () => {
  test('the chunk page, the document viewer, the home page and the library page build no element from the document', async () => {
    const hostile = encodeURIComponent(CLOSE_AND_INJECT);
    // The home page and the search form name vendors from the shelves the store counts (Library.shelves).
    for (const route of [chunkHref(`${DOC_ID}::0`), documentHref(DOC_ID, 1), '/', '/library', '/library?product=widget&version=1.0', `/library?filter=${hostile}`, '/search?q=widget+console']) {
      const response = await fetch(`${server.url}${route}`);
      assert.equal(response.status, 200, route);
      const page = parseHtml(await response.text());
      const scripts = page.querySelectorAll('script').map((s) => s.getAttribute('src') ?? '(inline)');
      assert.ok(scripts.length === 1 && scripts[0]!.startsWith('/static/app.js'), `${route}: ${scripts.join(', ')}`);
      assert.equal(page.querySelectorAll('img').length, 0, route);
      assert.ok(page.text.includes('<script>alert("x")</script>'), `${route} shows the hostile text as text`);
    }
  });

  test('library page parameters echoed into a page or an error page build no element', async () => {
    const hostile = encodeURIComponent(CLOSE_AND_INJECT);
    for (const [route, status] of [[`/library?product=${hostile}`, 404], [`/library?product=widget&version=${hostile}`, 404], [`/library?page=${hostile}`, 400]] as const) {
      const response = await fetch(`${server.url}${route}`);
      assert.equal(response.status, status, route);
      const page = parseHtml(await response.text());
      assert.equal(page.querySelectorAll('img').length, 0, route);
      assert.ok(page.querySelectorAll('script').every((s) => (s.getAttribute('src') ?? '').startsWith('/static/app.js')), route);
    }
  });
});

describe('the terminal', () => {
  test('list, search and show print no control characters or bidi overrides from the document', () => {
    for (const args of [['list'], ['search', 'widget console'], ['show', `${DOC_ID}::0`]]) {
      const result = mcdewey(data, args);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /Guide --> <script>/, args.join(' '));
      assert.doesNotMatch(result.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, args.join(' '));
    }
  });
});
