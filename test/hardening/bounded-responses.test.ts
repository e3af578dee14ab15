import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { LIMITS } from '../../src/library/limits.js';
import { chunkDocument } from '../../src/ingest/chunking/chunker.js';
import { Library } from '../../src/service/library.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { hugeMarkdown, writeHugeDocument, type HugeDocument } from '../support/huge-document.js';
import { startServe } from '../support/serve-process.js';
import { callTool, postMcp, toolOutcome } from './requests-support.js';

/**
 * No single request can kill or stall the server, and every response has a bounded size,
 * whatever the size of the document:
 *
 * - a real `mcdewey serve` with a 256 MB heap over a document whose one page is 60 MB of Markdown
 *   (a third of the upload limit) and one with 200,000 headings answers every reading route (REST
 *   page, document and outline, text window; the web viewer; MCP read_document and the document and
 *   chunk resources) with 200 and at most 1 MB, 16 page reads at once in well under a minute, and is
 *   still up afterwards (it used to die of the heap on the first page read, answer 65 MB of JSON
 *   for a 30 MB page, and fail the viewer of the 200,000-heading document with a RangeError);
 * - following next_start, next_chunks_offset, next text windows and outline offsets visits the
 *   whole page, every chunk, the whole text and every heading exactly once, astral characters
 *   included; the viewer shows the window holding the highlighted chunk;
 * - the chunker splits a 3.3 MB word and a 1 MB "heading" line into chunks far below
 *   LIMITS.chunkChars, through the real pipeline, so the MCP chunk resource serves them small.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-bounded-'));
const MB = 1024 * 1024;
const encodeId = (id: string) => encodeURIComponent(id).replace(/%3A/gi, ':');
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

describe('a 60 MB page and 200,000 headings, served by a process with a 256 MB heap', () => {
  const data = path.join(sandbox, 'huge');
  let big: HugeDocument;
  let headings: HugeDocument;
  let child: ChildProcess;
  let url: string;
  let log = () => '';

  before(async () => {
    big = await writeHugeDocument(data, 'big', [{ number: 1, markdown: hugeMarkdown(60 * MB, 40) }]);
    headings = await writeHugeDocument(data, 'headings', [{ number: 1, markdown: hugeMarkdown(200_000 * 2 * 40, 2) }]);
    const server = await startServe(data, { args: ['--embedder', 'none'], nodeArgs: ['--max-old-space-size=256'], env: { MCDEWEY_TOKEN: '' } });
    child = server.child;
    url = server.url;
    log = server.log;
  });
  after(() => {
    child?.kill('SIGKILL');
  });

  async function bounded(route: string, init: RequestInit = {}): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${url}${route}`, init);
    } catch (error) {
      assert.fail(`${route}: the server died (${String(error)}): ${log().slice(-2000)}`);
    }
    const body = await response.text();
    assert.equal(response.status, 200, `${route}: ${body.slice(0, 300)}`);
    assert.ok(Buffer.byteLength(body) <= MB, `${route}: ${(Buffer.byteLength(body) / MB).toFixed(1)} MB`);
    return body;
  }

  test('every reading route answers 200 with at most 1 MB', async () => {
    const page = JSON.parse(await bounded(`/api/documents/${encodeId(big.docId)}/pages/1`)) as {
      page: { markdown: string }; total_chars: number; next_start: number; chunks: unknown[]; chunks_total: number; next_chunks_offset: number;
    };
    assert.equal(page.total_chars, big.chars);
    assert.ok(page.page.markdown.length <= LIMITS.pageWindowChars && page.next_start > 0);
    assert.equal(page.chunks.length, LIMITS.pageChunks);
    assert.equal(page.chunks_total, big.chunks);
    assert.equal(page.next_chunks_offset, LIMITS.pageChunks);
    await bounded(`/api/documents/${encodeId(big.docId)}/pages/1?start=${big.chars - 1000}&chunks_offset=${big.chunks - 1}`);
    await bounded(`/doc/${encodeId(big.docId)}`);
    await bounded(`/doc/${encodeId(big.docId)}?page=1&from=${LIMITS.pageChunks * 3}`);
    await bounded(`/api/documents/${encodeId(big.docId)}/text?start=${big.chars - 100_000}&max_chars=${LIMITS.textWindowChars}`);
    const outline = JSON.parse(await bounded(`/api/documents/${encodeId(headings.docId)}`)) as { outline: unknown[]; outline_next_offset: number };
    assert.equal(outline.outline.length, LIMITS.outlineEntries);
    assert.equal(outline.outline_next_offset, LIMITS.outlineEntries);
    await bounded(`/api/documents/${encodeId(headings.docId)}?outline_offset=199900`);
    await bounded(`/doc/${encodeId(headings.docId)}`);
    const mcpUrl = `${url}/mcp`;
    const read = toolOutcome(await callTool(mcpUrl, 'read_document', { doc_id: big.docId, start: big.chars - 100_000 }), 'read_document');
    assert.equal(read.isError, false, read.text);
    for (const uri of [`mcdewey://documents/${big.docId}`, `mcdewey://chunks/${big.docId}::${big.chunks - 1}`]) {
      const answer = await postMcp(mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri } }));
      assert.equal(answer.status, 200, answer.text.slice(0, 300));
      assert.ok(answer.json?.result?.contents?.[0]?.text, answer.text.slice(0, 300));
      assert.ok(answer.text.length <= MB);
    }
  });

  test('16 page reads at once are all answered in well under a minute, and the server stays up', async () => {
    const started = performance.now();
    await Promise.all(Array.from({ length: 16 }, () => bounded(`/api/documents/${encodeId(big.docId)}/pages/1`)));
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 60, `${seconds.toFixed(1)} s`);
    assert.match(await bounded('/api/health'), /"status":"ok"/);
    assert.equal(child.exitCode, null);
  });
});

describe('windows visit everything exactly once', () => {
  let library: Library;
  let server: RunningServer;
  let doc: HugeDocument;
  // Astral characters (𝔸) count once as characters; a window must never cut one in half.
  const markdown = hugeMarkdown(400_000, 3).replace(/cluster/g, 'cl𝔸ster');
  const data = path.join(sandbox, 'windows');
  before(async () => {
    // Pages are a PDF's: the viewer reads those page by page, in windows (a document without pages
    // this size would be read by section).
    doc = await writeHugeDocument(data, 'windows', [{ number: 1, markdown }, { number: 2, markdown: '# Second\n\nshort page 𝔸' }], 1500, 'pdf');
    library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'read');
    server = await startServer({ ...loadConfig({ data, embedder: 'none' }, {}), host: '127.0.0.1', port: 0 }, library);
  });
  after(async () => {
    await server?.close();
    await library?.close();
  });

  test('page windows and chunk windows', () => {
    let text = '';
    let windows = 0;
    for (let start: number | undefined = 0; start !== undefined; windows++) {
      const view = library.page(doc.docId, 1, { start });
      assert.ok(view.page.markdown.length <= LIMITS.pageWindowChars * 2);
      assert.ok(!/[\ud800-\udbff]$/.test(view.page.markdown), 'no half of a surrogate pair');
      text += view.page.markdown;
      start = view.text.nextStart;
    }
    assert.equal(text, markdown);
    assert.ok(windows >= 8);
    const ids: string[] = [];
    for (let offset: number | undefined = 0; offset !== undefined;) {
      const view = library.page(doc.docId, 1, { chunkOffset: offset });
      assert.ok(view.chunks.length <= LIMITS.pageChunks);
      ids.push(...view.chunks.map((c) => c.id));
      offset = view.chunkWindow.nextStart;
    }
    assert.equal(ids.length, new Set(ids).size);
    assert.equal(ids.length, library.page(doc.docId, 1).chunkWindow.total);
    // The window of a chunk deep in the page holds that chunk.
    const deep = ids[ids.length - 7]!;
    const ordinal = Number(deep.split('::').pop());
    assert.ok(library.page(doc.docId, 1, { chunkOrdinal: ordinal }).chunks.some((c) => c.id === deep));
  });

  test('text windows and outline windows', () => {
    let text = '';
    for (let start: number | undefined = 0; start !== undefined;) {
      const window = library.textWindow(doc.docId, { start, maxChars: LIMITS.textWindowChars });
      text += window.text;
      start = window.nextStart;
    }
    assert.equal(text, `<!-- page 1 -->\n${markdown}\n\n<!-- page 2 -->\n# Second\n\nshort page 𝔸\n\n`);
    const page2 = library.textWindow(doc.docId, { page: 2 });
    assert.equal(page2.text, '<!-- page 2 -->\n# Second\n\nshort page 𝔸\n\n');
    assert.equal(page2.start + [...page2.text].length, page2.totalChars, 'positions count characters');

    const headings: string[] = [];
    let last = library.outline(doc.docId);
    for (;;) {
      headings.push(...last.entries.map((e) => e.text));
      if (last.nextOffset === undefined) break;
      last = library.outline(doc.docId, { offset: last.nextOffset });
    }
    assert.equal(headings.length, [...markdown.matchAll(/^## /gm)].length + 1);
    assert.equal(headings.at(-1), 'Second');
    assert.deepEqual(library.outline(doc.docId, { page: 2 }).entries.at(-1), { level: 1, text: 'Second', page: 2 });
  });

  test('the viewer opens at the window holding the highlighted chunk, with links to the rest of the page', async () => {
    const ordinal = 200;
    const chunkId = `${doc.docId}::${ordinal}`;
    const response = await fetch(`${server.url}/doc/${encodeId(doc.docId)}?page=1&chunk=${encodeId(chunkId)}`);
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.ok(html.includes(`id="${chunkId}" class="chunk highlighted"`));
    assert.match(html, /rel="prev">← Earlier on this page<\/a>/);
    assert.match(html, /&amp;from=\d+" rel="next">Later on this page →<\/a>/);
  });
});

describe('chunks are bounded at ingestion', () => {
  test('a 3.3 MB word and a 1 MB "heading" line become chunks far below the limit, served small', async () => {
    const word = 'A'.repeat(3.3 * MB);
    const line = `# ${'heading '.repeat(MB / 8)}`;
    const chunks = chunkDocument({ product: 'p', version: '1', collection: 'c', document: 'd' }, [{ number: 1, markdown: `${word}\n\n${line}\n\nAfter.` }]);
    assert.ok(chunks.length > 1000);
    assert.ok(chunks.every((c) => c.text.length <= 4000), `longest ${Math.max(...chunks.map((c) => c.text.length))}`);
    assert.ok(chunks.every((c) => c.headingPath.every((h) => h.length <= LIMITS.headingChars)));
    assert.equal(chunks.map((c) => c.text.replace(/\s+/g, '')).join('').slice(0, word.length), word, 'nothing lost');

    const data = path.join(sandbox, 'ingest');
    const source = path.join(sandbox, 'blob.md');
    fs.writeFileSync(source, `# Blob\n\n${word}\n`);
    const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
    try {
      const [result] = await library.add(library.plan([source], { vendor: 'V', product: 'blob', version: '1' }));
      assert.equal(result!.status, 'added', result!.error);
      const server = await startServer({ ...loadConfig({ data, embedder: 'none' }, {}), host: '127.0.0.1', port: 0 }, library);
      try {
        const answer = await postMcp(`${server.url}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: `mcdewey://chunks/${result!.docId}::3` } }));
        assert.equal(answer.status, 200);
        assert.ok(answer.text.length < 8000, `${answer.text.length} bytes`);
      } finally {
        await server.close();
      }
    } finally {
      await library.close();
    }
  });
});
