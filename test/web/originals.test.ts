import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/server/serve.js';
import { dataDirAt } from '../../src/library/data-dir.js';
import { corpusPath } from '../support/corpus.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { startTestServer } from '../support/server.js';

/**
 * Every document keeps its original, by content hash: the chunk page links to it ("Open
 * original", at the page for a PDF), the server streams it, and removing the last document that
 * uses it removes it too.
 */
const PDF_DIR = 'pdf/cisco/asav-autoscale-azure/9.15';
const DOC_ID = 'asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915';

let fixture: Fixture;
let server: RunningServer;
before(async () => {
  fixture = await buildFixture({ sources: [PDF_DIR] });
  server = await startTestServer(fixture);
});
after(async () => {
  await server.close();
  await fixture.cleanup();
});

const originalsOf = (data: string) => {
  const dir = dataDirAt(data).originalsDir;
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.pdf')) : [];
};

test('the PDF is kept byte for byte and served at its original link', async () => {
  const pdfName = fs.readdirSync(corpusPath(PDF_DIR)).find((f) => f.endsWith('.pdf'))!;
  const bytes = fs.readFileSync(corpusPath(PDF_DIR, pdfName));
  assert.equal(originalsOf(fixture.dataDir).length, 1);
  const response = await fetch(`${server.url}/doc/${DOC_ID}/original`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/pdf');
  assert.match(response.headers.get('content-disposition') ?? '', new RegExp(`inline; filename\\*=UTF-8''${pdfName.replace('.', '\\.')}`));
  assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
});

test('the chunk page links to the original at the chunk\'s PDF page', async () => {
  const hit = (await (await fetch(`${server.url}/api/search?q=asaAdminUserPassword`)).json()).hits[0];
  const html = await (await fetch(`${server.url}/chunk/${hit.chunk_id}`)).text();
  assert.ok(html.includes(`href="/doc/${DOC_ID}/original#page=${hit.page}"`), 'Open original link with #page');
  assert.match(html, /Open original \(PDF page \d+\)/);
});

test('an unknown document has no original; removing the document removes its original', async () => {
  assert.equal((await fetch(`${server.url}/doc/${encodeURIComponent('asav-autoscale-azure::9.15::x::y')}/original`)).status, 404);
  await fixture.library.remove({ product: 'asav-autoscale-azure', version: '9.15' });
  assert.deepEqual(originalsOf(fixture.dataDir), []);
});

test('an HTML original is shown as text, never rendered', async () => {
  const file = path.join(fixture.dataDir, '..', `${path.basename(fixture.dataDir)}-page.html`);
  fs.writeFileSync(file, '<html><head><title>Hostile</title></head><body><h1>Guide</h1><p>Text.</p><script>alert(1)</script></body></html>');
  try {
    const [added] = await fixture.library.add(fixture.library.plan([file], { vendor: 'v', product: 'web', version: '1' }));
    assert.equal(added!.status, 'added', added!.error);
    const response = await fetch(`${server.url}/doc/${added!.docId}/original`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(await response.text(), /<script>alert\(1\)<\/script>/);
  } finally {
    fs.rmSync(file, { force: true });
  }
});
