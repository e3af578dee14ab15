import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../../src/server/serve.js';
import { pageCacheDir } from '../../src/library/page-cache.js';
import { highlightBoxes } from '../../src/web/page-image/highlight-boxes.js';
import { runTool } from '../../src/web/page-image/poppler.js';
import { parseBboxLayout } from '../../src/web/page-image/word-boxes.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { startTestServer } from '../support/server.js';
import { get, textOf } from './web-server.js';

/**
 * The original PDF page beside its text: /doc/:id/page/:n.png drawn by pdftoppm at a bounded width
 * and cached in the data directory, the chunk's words boxed in /doc/:id/page/:n.svg, a time limit,
 * and a clear message naming poppler-utils where pdftoppm is missing. Page 8 of the ASAv Azure 9.15
 * guide holds chunk 21, the table row that documents asaAdminUserPassword.
 */
const ASAV = 'asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915';
const CHUNK = `${ASAV}::21`;

let fixture: Fixture;
let server: RunningServer;
let version: string;
const originalPath = process.env['PATH'];
const emptyBin = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-no-poppler-'));

before(async () => {
  fixture = await buildFixture({
    sources: ['pdf/cisco/asav-autoscale-azure/9.15', { path: 'markdown/frrouting-user-manual-html/8.4.4/bgp.html', labels: { vendor: 'FRRouting', product: 'frr', version: '8.4.4' } }],
  });
  server = await startTestServer(fixture);
  version = fixture.library.document(ASAV).contentHash.slice(0, 12);
});
after(async () => {
  process.env['PATH'] = originalPath;
  fs.rmSync(emptyBin, { recursive: true, force: true });
  await server?.close();
  await fixture?.cleanup();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** pdftoppm and pdftotext are not on PATH while `work` runs. */
async function withoutPoppler<T>(work: () => Promise<T>): Promise<T> {
  process.env['PATH'] = emptyBin;
  try {
    return await work();
  } finally {
    process.env['PATH'] = originalPath;
  }
}

describe('page images', () => {
  test('a page is drawn at the default width, keeps the page\'s proportions, and is cached for the next request', async () => {
    const response = await fetch(`${server.url}/doc/${ASAV}/page/8.png?v=${version}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.match(response.headers.get('cache-control') ?? '', /immutable/);
    const { width, height } = pngSize(Buffer.from(await response.arrayBuffer()));
    assert.equal(width, 1000);
    assert.ok(Math.abs(height / width - 792 / 612) < 0.01, `US Letter proportions (${width}×${height})`);
    const cached = path.join(pageCacheDir(fixture.library.dir, fixture.library.document(ASAV).contentHash)!, 'p8-w1000.png');
    assert.ok(fs.existsSync(cached), 'cached in the data directory');
    // Served from the cache: it works even without pdftoppm now.
    const again = await withoutPoppler(() => fetch(`${server.url}/doc/${ASAV}/page/8.png`));
    assert.equal(again.status, 200);
    assert.match(again.headers.get('cache-control') ?? '', /max-age=300/, 'without the version a short cache');
    assert.deepEqual(Buffer.from(await again.arrayBuffer()), fs.readFileSync(cached));
  });

  test('the size is bounded to the offered widths', async () => {
    const small = await fetch(`${server.url}/doc/${ASAV}/page/2.png?w=600`);
    assert.equal(pngSize(Buffer.from(await small.arrayBuffer())).width, 600);
    const odd = await get(server, `/doc/${ASAV}/page/2.png?w=5000`);
    assert.equal(odd.status, 400);
    assert.match(textOf(odd.html), /width "5000" is not offered\. Use one of 600, 1000, 1600/);
  });

  test('pages that do not exist, documents that are not PDFs and bad names are errors that say why', async () => {
    const beyond = await get(server, `/doc/${ASAV}/page/29.png`);
    assert.equal(beyond.status, 404);
    assert.match(textOf(beyond.html), /has no page 29\. Pages run from 1 to 28/);
    const html = await get(server, '/doc/frr::8.4.4::bgp::bgp/page/1.png');
    assert.equal(html.status, 404);
    assert.match(textOf(html.html), /is an HTML document, not a PDF, so it has no page images/);
    assert.equal((await get(server, `/doc/${ASAV}/page/8.gif`)).status, 404);
  });

  test('without pdftoppm the image request and the viewer both name the package to install', async () => {
    const { status, html } = await withoutPoppler(() => get(server, `/doc/${ASAV}/page/9.png`));
    assert.equal(status, 503);
    assert.match(textOf(html), /pdftoppm is not installed on the server.*Install the poppler-utils package \(Debian and Ubuntu: apt install poppler-utils/);
    const viewer = await withoutPoppler(() => get(server, `/doc/${ASAV}?page=9`));
    assert.equal(viewer.status, 200, 'the text view is there regardless');
    assert.doesNotMatch(viewer.html, /class="page-scan"/);
    assert.match(textOf(viewer.html), /The original page cannot be shown: pdftoppm is not installed on the server\. Install the poppler-utils package/);
  });

  test('a tool that runs past its time limit is stopped, with a message that says what to do', async () => {
    fs.writeFileSync(path.join(emptyBin, 'pdftoppm'), `#!/bin/sh\nexec ${process.execPath} -e "setTimeout(() => {}, 30000)"\n`, { mode: 0o755 });
    try {
      const started = Date.now();
      await withoutPoppler(() => assert.rejects(runTool('pdftoppm', [], 'a test page', 300), /pdftoppm took longer than 0\.3 s on a test page\. Open the original PDF instead/));
      assert.ok(Date.now() - started < 5000, 'stopped, not waited for');
    } finally {
      fs.rmSync(path.join(emptyBin, 'pdftoppm'));
    }
  });
});

describe('highlight overlay', () => {
  test('boxes the chunk\'s words on its page, in the page\'s own coordinates', async () => {
    const response = await fetch(`${server.url}/doc/${ASAV}/page/8.svg?chunk=${CHUNK}&v=${version}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const svg = await response.text();
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 612 792"/);
    assert.doesNotMatch(svg, /<script|on\w+=/i);
    const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    assert.ok(rects.length >= 5, `${rects.length} boxes`);
    assert.ok(rects.every(([x, y, w, h]) => x! >= 0 && y! >= 0 && x! + w! <= 613 && y! + h! <= 793), 'inside the page');
    // A chunk on another page boxes nothing; a chunk of another document is refused.
    const elsewhere = await (await fetch(`${server.url}/doc/${ASAV}/page/2.svg?chunk=${CHUNK}`)).text();
    assert.doesNotMatch(elsewhere, /<rect/);
    assert.equal((await fetch(`${server.url}/doc/${ASAV}/page/8.svg?chunk=frr::8.4.4::bgp::bgp::3`)).status, 400);
  });

  test('matching needs runs of the chunk\'s words: a lone common word or the running header is not boxed', () => {
    const page = parseBboxLayout(`<page width="100.000000" height="200.000000"><flow><block>
<line><word xMin="1" yMin="1" xMax="9" yMax="5">Deploy</word><word xMin="10" yMin="1" xMax="19" yMax="5">the</word><word xMin="20" yMin="1" xMax="29" yMax="5">ASAv</word></line>
<line><word xMin="1" yMin="10" xMax="9" yMax="15">Password</word><word xMin="10" yMin="10" xMax="19" yMax="15">for</word><word xMin="20" yMin="10" xMax="29" yMax="15">the</word><word xMin="30" yMin="10" xMax="39" yMax="15">ASAv</word></line>
<line><word xMin="1" yMin="20" xMax="9" yMax="25">administrator&amp;</word><word xMin="10" yMin="20" xMax="19" yMax="25">user.</word></line>
</block></flow></page>`);
    assert.equal(page.lines[2]![0]!.text, 'administrator&');
    const boxes = highlightBoxes(page, '| `asaAdminUserPassword` | Password for the **ASAv** administrator user. |');
    assert.deepEqual(boxes, [{ x: 1, y: 10, width: 38, height: 5 }, { x: 1, y: 20, width: 18, height: 5 }]);
  });
});

test('removing a PDF removes its cached page images', async () => {
  const folder = pageCacheDir(fixture.library.dir, fixture.library.document(ASAV).contentHash)!;
  assert.ok(fs.existsSync(folder));
  await fixture.library.remove({ product: 'asav-autoscale-azure' });
  assert.equal(fs.existsSync(folder), false);
});
