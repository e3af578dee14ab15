import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../../src/service/library.js';
import { chunkPage } from '../../src/web/pages/chunk-page.js';
import { loadConfig } from '../../src/config/config.js';
import { corpusPath } from '../support/corpus.js';
import { FRR, LOCAL, LOCAL_FETCH } from '../ingest/sources/web/support/crawl-helpers.js';
import { page, redirect, respond, serveFolder, startTestSite, type TestSite } from '../ingest/sources/web/support/test-site.js';

/**
 * Web sources wired into the library, over a real HTTP server on 127.0.0.1: single URLs (PDF, HTML,
 * Markdown) with their origin and validators, a whole site (the FRR manual) as one collection in
 * navigation order with section trails and linked PDFs, and a refresh that sends conditional
 * requests, re-ingests a changed page, adds a new one and removes one that is gone.
 */
const PDF = corpusPath('pdf/paloalto/vm-series-azure-autoscaling/1.1/azure-auto-scale-template-1.1-release-notes.pdf');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-web-'));
let library: Library;
let site: TestSite;
const LABELS = { vendor: 'FRRouting', product: 'frr', version: '8.4.4' };

before(async () => {
  library = await Library.open(loadConfig({ data: path.join(root, 'data'), embedder: 'none' }, {}), 'write');
  site = await startTestSite([
    serveFolder('/frr/', FRR),
    { path: '/files/notes.pdf', handler: (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf', etag: '"pdf-1"' }).end(fs.readFileSync(PDF)) },
    { path: '/files/readme.md', handler: respond(200, '# Widget readme\n\n## Install\n\nRun the widget installer with the --quiet flag.\n', { 'content-type': 'text/markdown' }) },
    { path: '/files/faq.html', handler: respond(200, page('Widget FAQ', []).replace('</body>', '<p>The widget supports spanning tree.</p></body>')) },
    { path: '/small/', handler: respond(200, page('Small manual', ['chapter.html', '/dl/small.pdf'])) },
    { path: '/small/chapter.html', handler: respond(200, page('Chapter one', ['section.html'])) },
    { path: '/small/section.html', handler: respond(200, page('A section', []).replace('</body>', '<p>Deep section text about widgets.</p></body>')) },
    { path: '/dl/small.pdf', handler: (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(fs.readFileSync(PDF)) },
    { path: '/go/private.pdf', handler: redirect('http://10.255.255.1/manual.pdf') },
  ]);
});

const chunkPageHtml = async (chunkId: string) => chunkPage(library, chunkId).body;

after(async () => {
  await site?.close();
  await library?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a single URL', () => {
  test('a PDF, an HTML page and a Markdown file become documents that remember their URL and validators', async () => {
    const labels = { vendor: 'Acme', product: 'widget', version: '2.1' };
    const pdf = await library.addUrl({ url: `${site.url('/files/notes.pdf')}#page=1`, labels, fetch: LOCAL_FETCH });
    assert.equal(pdf.status, 'added', pdf.error);
    assert.equal(pdf.docId, 'widget::2.1::notes::notes');
    const doc = library.document(pdf.docId!);
    assert.equal(doc.format, 'pdf');
    assert.ok(doc.pageCount >= 1);
    assert.deepEqual(doc.origin, { kind: 'url', url: site.url('/files/notes.pdf'), etag: '"pdf-1"' });
    const original = library.original(pdf.docId!);
    assert.equal(original.sourceUrl, `${site.url('/files/notes.pdf')}#page=1`, '"Open original" links to the URL as given, fragment and all');
    assert.equal(original.mediaType, 'application/pdf');
    const chunkPage = await chunkPageHtml(`${pdf.docId}::0`);
    assert.match(chunkPage, new RegExp(`<a class="original-link" href="${site.url('/files/notes.pdf').replace(/[.*+?^$()|[\]\\]/g, '\\$&')}#page=1" rel="noopener noreferrer">Open at its source</a>`));

    const md = await library.addUrl({ url: site.url('/files/readme.md'), labels, fetch: LOCAL_FETCH });
    assert.equal(md.status, 'added', md.error);
    assert.match(library.chunk(`${md.docId}::0`).chunk.text, /--quiet flag/);
    const html = await library.addUrl({ url: site.url('/files/faq.html'), labels: { ...labels, title: 'Widget FAQ (web)' }, fetch: LOCAL_FETCH });
    assert.equal(html.status, 'added', html.error);
    assert.equal(library.document(html.docId!).title, 'Widget FAQ (web)');
    assert.equal((await library.search({ query: 'spanning tree', product: 'widget' })).hits[0]?.docId, html.docId);

    const again = await library.addUrl({ url: site.url('/files/readme.md'), labels, fetch: LOCAL_FETCH });
    assert.equal(again.status, 'unchanged');
  });

  test('an address on this machine, or a redirect to a private one, is refused naming the flag that allows it', async () => {
    const labels = { vendor: 'Acme', product: 'widget', version: '2.1' };
    await assert.rejects(library.addUrl({ url: site.url('/files/notes.pdf'), labels }), /127\.0\.0\.1.*--allow-private/s);
    await assert.rejects(library.addUrl({ url: site.url('/go/private.pdf'), labels, fetch: LOCAL_FETCH }), /10\.255\.255\.1.*--allow-private/s);
  });

  test('vendor, product and version are required, with suggestions read from the URL', async () => {
    await assert.rejects(
      library.addUrl({ url: 'https://docs.frrouting.org/en/latest/bgp.html', labels: { vendor: 'FRRouting' } }),
      /a URL needs --product, --version.*--product "frrouting" --version "latest"/s,
    );
  });
});

describe('a documentation site', () => {
  test('the FRR manual becomes one collection, its pages in the table of contents\' order', async () => {
    const started = performance.now();
    const result = await library.addSite({ url: site.url('/frr/'), labels: LABELS, crawl: LOCAL });
    const seconds = (performance.now() - started) / 1000;
    const added = result.outcomes.filter((o) => o.status === 'added');
    assert.deepEqual(result.outcomes.filter((o) => o.status === 'failed'), []);
    assert.ok(added.length >= 39, `${added.length} pages added`);
    assert.equal(result.summary.status, 'complete');
    const docs = library.documents({ product: 'frr', version: '8.4.4' });
    assert.equal(docs.length, added.length);
    assert.deepEqual([...new Set(docs.map((d) => d.key.collection))], ['frr'], 'one collection, named after the site');
    const ordered = [...docs].sort((a, b) => a.navigation!.order - b.navigation!.order);
    assert.equal(ordered[0]!.docId, 'frr::8.4.4::frr::index');
    assert.equal(ordered[0]!.navigation!.order, 0);
    const toc = [...fs.readFileSync(path.join(FRR, 'index.html'), 'utf8').matchAll(/toctree-l1"><a class="reference internal" href="([^"#]+)\.html/g)].map((m) => m[1]!);
    assert.deepEqual(ordered.slice(1).map((d) => d.key.document), [...new Set(toc)], 'pages in the order the manual lists them');
    const bgp = library.document('frr::8.4.4::frr::bgp');
    assert.equal(bgp.title, 'BGP');
    assert.deepEqual(bgp.navigation!.trail, [], 'chapters sit right under the start page');
    assert.deepEqual(bgp.origin, { kind: 'url', url: site.url('/frr/bgp.html'), etag: bgp.origin!.kind === 'url' ? bgp.origin!.etag : '', lastModified: (bgp.origin as { lastModified?: string }).lastModified, site: site.url('/frr/') });
    assert.equal(library.original('frr::8.4.4::frr::bgp').sourceUrl, site.url('/frr/bgp.html'));
    const hits = (await library.search({ query: 'neighbor remote-as', product: 'frr' })).hits;
    assert.equal(hits[0]?.docId, 'frr::8.4.4::frr::bgp');
    assert.deepEqual(library.verify(), []);
    process.stderr.write(`FRR crawled and ingested: ${added.length} pages in ${seconds.toFixed(1)} s\n`);
  });

  test('linked PDFs are ingested with their pages, and deeper pages carry the titles above them', async () => {
    const result = await library.addSite({ url: site.url('/small/'), labels: { vendor: 'Acme', product: 'small', version: '1' }, crawl: LOCAL });
    assert.deepEqual(result.outcomes.map((o) => [o.status, o.file.replace(site.origin, '')]), [
      ['added', '/small/'], ['added', '/small/chapter.html'], ['added', '/dl/small.pdf'], ['added', '/small/section.html'],
    ]);
    const pdf = library.document('small::1::small::dl-small');
    assert.equal(pdf.format, 'pdf');
    assert.ok(pdf.pageCount >= 1);
    assert.deepEqual(library.document('small::1::small::section').navigation, { order: 3, trail: ['Chapter one'] });
    assert.deepEqual(library.document('small::1::small::chapter').navigation, { order: 1, trail: [] });
  });
});

describe('refreshing a crawled site', () => {
  test('304s leave pages alone; a changed page is re-ingested, a new one added, a removed one removed', async () => {
    const folder = path.join(root, 'site');
    fs.mkdirSync(folder, { recursive: true });
    const write = (name: string, html: string) => fs.writeFileSync(path.join(folder, name), html);
    write('index.html', page('Guide', ['install.html', 'upgrade.html', 'faq.html']));
    write('install.html', page('Install', []).replace('</body>', '<p>Install with the package manager.</p></body>'));
    write('upgrade.html', page('Upgrade', []).replace('</body>', '<p>Upgrade one node at a time.</p></body>'));
    write('faq.html', page('FAQ', []).replace('</body>', '<p>Questions people ask.</p></body>'));
    site.route('/guide/*', serveFolder('/guide/', folder).handler);
    const labels = { vendor: 'Acme', product: 'guide', version: '1', collection: 'guide' };
    const first = await library.addSite({ url: site.url('/guide/'), labels, crawl: LOCAL });
    assert.deepEqual(first.outcomes.map((o) => o.status), ['added', 'added', 'added', 'added']);

    // A second later, so the changed files get new validators (Last-Modified has one-second steps).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    write('index.html', page('Guide', ['install.html', 'upgrade.html', 'rollback.html']));
    write('upgrade.html', page('Upgrade', []).replace('</body>', '<p>Upgrade two nodes at a time, never more.</p></body>'));
    write('rollback.html', page('Rollback', []).replace('</body>', '<p>Roll back with the snapshot.</p></body>'));
    fs.rmSync(path.join(folder, 'faq.html'));
    const before = site.hits.length;
    const refreshed = await library.refresh({ product: 'guide' });
    const byFile = Object.fromEntries(refreshed.outcomes.map((o) => [o.file.replace(site.origin, ''), o.status]));
    assert.deepEqual(byFile, {
      '/guide/': 'updated', '/guide/install.html': 'unchanged', '/guide/upgrade.html': 'updated', '/guide/faq.html': 'removed', '/guide/rollback.html': 'added',
    });
    const conditional = site.hits.slice(before).filter((h) => h.headers['if-none-match']);
    assert.ok(conditional.some((h) => h.path === '/guide/install.html'), 'known pages are asked for conditionally');
    assert.throws(() => library.document('guide::1::guide::faq'), /no document/);
    assert.match(library.pages('guide::1::guide::upgrade')[0]!.markdown, /never more/);
    assert.equal(library.document('guide::1::guide::rollback').navigation!.order > library.document('guide::1::guide::upgrade').navigation!.order, true);

    const quiet = await library.refresh({ source: site.url('/guide/') });
    assert.ok(quiet.outcomes.every((o) => o.status === 'unchanged'), JSON.stringify(quiet.outcomes));
    assert.deepEqual(library.verify(), []);
  });

  test('single URLs are fetched conditionally; a URL that is now gone removes its document', async () => {
    let body = '# Notes\n\nFirst edition of the notes about routing.\n';
    site.route('/single/notes.md', (req, res) => {
      const etag = `"${body.length}"`;
      if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
      if (body === '') return res.writeHead(410).end();
      return res.writeHead(200, { 'content-type': 'text/markdown', etag }).end(body);
    });
    const labels = { vendor: 'Acme', product: 'single', version: '1' };
    assert.equal((await library.addUrl({ url: site.url('/single/notes.md'), labels, fetch: LOCAL_FETCH })).status, 'added');
    const options = { fetch: LOCAL_FETCH };
    assert.deepEqual((await library.refresh({ product: 'single' }, undefined, options)).outcomes.map((o) => o.status), ['unchanged']);
    body = '# Notes\n\nSecond edition of the notes, about switching.\n';
    assert.deepEqual((await library.refresh({ product: 'single' }, undefined, options)).outcomes.map((o) => o.status), ['updated']);
    assert.match(library.pages('single::1::notes::notes')[0]!.markdown, /switching/);
    body = '';
    assert.deepEqual((await library.refresh({ product: 'single' }, undefined, options)).outcomes.map((o) => o.status), ['removed']);
    assert.throws(() => library.document('single::1::notes::notes'), /no document/);
  });
});
