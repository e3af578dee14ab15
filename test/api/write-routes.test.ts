import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { corpusPath } from '../support/corpus.js';
import type { RunningServer } from '../../src/server/serve.js';
import { authorized, call, startApiServer, TOKEN } from './api-server.js';

/**
 * The authenticated write routes over the real server: token checks, a real PDF uploaded,
 * searched, re-uploaded and removed, and removal by product and version. An upload is a job: it
 * answers 202 with the job, or with ?wait=1 (used here) the outcome once the job has ended.
 */
const RELEASE_NOTES = corpusPath('pdf/paloalto/vm-series-azure-autoscaling/1.1/azure-auto-scale-template-1.1-release-notes.pdf');
const UPLOADED_ID = 'vm-series-azure-autoscaling::1.1::azure-auto-scale-template-1.1-release-notes::azure-auto-scale-template-1.1-release-notes';

let fixture: Fixture;
let server: RunningServer;

before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.15', 'pdf/cisco/asav-autoscale-azure/9.19'] });
  server = await startApiServer(fixture);
});

after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

function releaseNotesForm(labels: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set('file', new File([fs.readFileSync(RELEASE_NOTES)], path.basename(RELEASE_NOTES), { type: 'application/pdf' }));
  for (const [name, value] of Object.entries({ vendor: 'Palo Alto Networks', product: 'vm-series-azure-autoscaling', version: '1.1', ...labels })) {
    form.set(name, value);
  }
  return form;
}

/** What uploads leave behind in the staging folders once their jobs have ended: nothing. */
const tmpEntries = () => [fixture.library.dir.tmpDir, fixture.library.dir.uploadsDir].flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []));

describe('authentication of write routes', () => {
  const writes: [string, string][] = [
    ['POST', '/api/documents'],
    ['DELETE', `/api/documents/${encodeURIComponent('asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915')}`],
    ['DELETE', '/api/products/asav-autoscale-azure'],
    ['DELETE', '/api/products/asav-autoscale-azure/versions/9.15'],
  ];

  for (const [method, route] of writes) {
    test(`${method} ${route.slice(0, 60)} without a token is a 401 asking for one`, async () => {
      const answer = await call(server, route, { method });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'unauthorized');
      assert.match(answer.headers.get('WWW-Authenticate') ?? '', /^Bearer /);
    });
  }

  test('a wrong token is a 401 that says the token is wrong', async () => {
    const answer = await call(server, '/api/products/asav-autoscale-azure', { method: 'DELETE', headers: authorized(`${TOKEN}-wrong`) });
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get('WWW-Authenticate') ?? '', /invalid_token/);
    assert.match(answer.body.error.message, /not the one/);
  });

  test('a server started without a token refuses writes with 403 and says how to enable them', async () => {
    const readOnly = await startApiServer(fixture, { token: undefined });
    try {
      for (const init of [{ method: 'DELETE' }, { method: 'DELETE', headers: authorized() }]) {
        const answer = await call(readOnly, '/api/products/asav-autoscale-azure', init);
        assert.equal(answer.status, 403);
        assert.equal(answer.body.error.code, 'writes_disabled');
        assert.match(answer.body.error.hint, /--token/);
        assert.match(answer.body.error.hint, /MCDEWEY_TOKEN/);
      }
      const upload = await call(readOnly, '/api/documents', { method: 'POST', body: releaseNotesForm() });
      assert.equal(upload.status, 403);
      assert.equal((await call(readOnly, '/api/health')).status, 200, 'reads still work');
    } finally {
      await readOnly.close();
    }
    assert.equal((await call(server, '/api/documents')).body.documents.length, 2, 'nothing was removed');
  });

  test('a declared body over the limit is a 413 before the body is read', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${server.url}/api/documents`, {
        method: 'POST',
        headers: { ...authorized(), 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(300 * 1024 * 1024) },
      });
      request.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (part: string) => (body += part));
        response.on('end', () => {
          request.destroy();
          resolve({ status: response.statusCode ?? 0, body });
        });
      });
      request.on('error', reject);
      request.write('--x\r\n');
    });
    assert.equal(answer.status, 413);
    assert.equal(JSON.parse(answer.body).error.code, 'payload_too_large');
  });
});

describe('uploading a real PDF', () => {
  test('adds it, makes it searchable, keeps it on re-upload and removes it', async () => {
    const added = await call(server, '/api/documents?wait=1', { method: 'POST', body: releaseNotesForm(), headers: authorized() });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.status, 'added');
    assert.equal(added.body.file, 'azure-auto-scale-template-1.1-release-notes.pdf');
    assert.equal(added.body.doc_id, UPLOADED_ID);
    assert.equal(added.body.source_path, 'vm-series-azure-autoscaling/1.1/azure-auto-scale-template-1.1-release-notes/azure-auto-scale-template-1.1-release-notes.md');
    assert.ok(added.body.pages > 0 && added.body.chunks > 0);
    assert.equal(added.body.document.vendor, 'palo-alto-networks');
    assert.equal(added.body.document.vendor_label, 'Palo Alto Networks');
    assert.deepEqual(tmpEntries(), [], 'the upload is not left in tmp');
    assert.equal(fixture.library.document(UPLOADED_ID).originalFile, 'azure-auto-scale-template-1.1-release-notes.pdf');

    // The release notes name the template parameter vmSeriesImageVersion on their only page.
    const search = await call(server, '/api/search?q=vmSeriesImageVersion');
    assert.equal(search.status, 200);
    // A hit's only id is its chunk id, whose document part is the document's id.
    assert.ok(search.body.hits[0]?.chunk_id.startsWith(`${UPLOADED_ID}::`), search.body.hits[0]?.chunk_id);
    assert.equal(search.body.hits[0].page, 1);
    assert.equal(search.body.hits[0].version, '1.1');

    const again = await call(server, '/api/documents?wait=1', { method: 'POST', body: releaseNotesForm(), headers: authorized() });
    assert.equal(again.status, 200);
    assert.equal(again.body.status, 'unchanged');
    assert.equal(again.body.doc_id, UPLOADED_ID);

    const removed = await call(server, `/api/documents/${encodeURIComponent(UPLOADED_ID)}`, { method: 'DELETE', headers: authorized() });
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.removed.map((d: { doc_id: string }) => d.doc_id), [UPLOADED_ID]);
    assert.equal((await call(server, `/api/documents/${encodeURIComponent(UPLOADED_ID)}`)).status, 404);
    const gone = await call(server, '/api/search?q=vmSeriesImageVersion');
    assert.deepEqual(gone.body.hits, []);
    const twice = await call(server, `/api/documents/${UPLOADED_ID}`, { method: 'DELETE', headers: authorized() });
    assert.equal(twice.status, 404);
  });

  test('a file that is not a PDF fails with 422, says why, and changes nothing', async () => {
    const form = releaseNotesForm({ product: 'broken-upload' });
    form.set('file', new File(['this is not a PDF'], 'broken.pdf'));
    const answer = await call(server, '/api/documents?wait=1', { method: 'POST', body: form, headers: authorized() });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.status, 'failed');
    assert.equal(answer.body.error.code, 'ingest_failed');
    assert.match(answer.body.error.message, /broken\.pdf/);
    assert.doesNotMatch(answer.body.error.message, /upload-|\/tmp\//, 'no server paths');
    assert.equal((await call(server, '/api/documents?product=broken-upload')).status, 404);
    assert.deepEqual(tmpEntries(), []);
  });

  test('a path in the uploaded file name cannot escape the library', async () => {
    const form = releaseNotesForm({ product: 'escape-test', version: '1.0' });
    form.set('file', new File([fs.readFileSync(RELEASE_NOTES)], '../../../etc/Release Notes.pdf'));
    const answer = await call(server, '/api/documents?wait=1', { method: 'POST', body: form, headers: authorized() });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.file, 'Release Notes.pdf');
    assert.equal(answer.body.source_path, 'escape-test/1.0/release-notes/release-notes.md');
    const removed = await call(server, '/api/products/escape-test', { method: 'DELETE', headers: authorized() });
    assert.equal(removed.body.removed.length, 1);
  });
});

describe('an upload is a job', () => {
  test('without wait it answers 202 with the job, which runs in the background and ends done', async () => {
    const queued = await call(server, '/api/documents', { method: 'POST', body: releaseNotesForm({ product: 'job-upload' }), headers: authorized() });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    assert.equal(queued.body.kind, 'add-upload');
    assert.deepEqual(queued.body.request.files, ['azure-auto-scale-template-1.1-release-notes.pdf'], 'the job shows file names, not where they are staged');
    let job = queued.body;
    // Up to two minutes: a loaded machine starts the conversion worker slowly (30 s was seen to run out at load 8-12).
    for (let i = 0; i < 1200 && !['done', 'failed', 'cancelled'].includes(job.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await call(server, `/api/jobs/${job.id}`, { headers: authorized() })).body;
    }
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.items[0].status, 'added');
    assert.equal(job.items[0].doc_id, UPLOADED_ID.replace(/^vm-series-azure-autoscaling/, 'job-upload'));
    assert.deepEqual(tmpEntries(), []);
    assert.equal((await call(server, '/api/products/job-upload', { method: 'DELETE', headers: authorized() })).status, 200);
  });

  test('another file of the same name is refused with 409 naming both; replace=true replaces it; a corrected title on the same bytes is applied', async () => {
    const first = await call(server, '/api/documents?wait=1', { method: 'POST', body: releaseNotesForm({ product: 'identity' }), headers: authorized() });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const sameName = releaseNotesForm({ product: 'identity' });
    sameName.set('file', new File([fs.readFileSync(corpusPath('pdf/paloalto/vm-series-aws-autoscaling-template/2.0.1/Release_Notes_AWS_AutoScaling_2_0_1.pdf'))], 'azure-auto-scale-template-1.1-release-notes.pdf'));
    const refused = await call(server, '/api/documents?wait=1', { method: 'POST', body: sameName, headers: authorized() });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'conflict');
    assert.match(refused.body.error.message, /is already taken by another document \(from upload "azure-auto-scale-template-1\.1-release-notes\.pdf"\); this one is upload/);
    assert.match(refused.body.error.message, /replace=true/);
    sameName.set('replace', 'true');
    const replaced = await call(server, '/api/documents?wait=1', { method: 'POST', body: sameName, headers: authorized() });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(replaced.body.status, 'updated');
    sameName.delete('replace');
    sameName.set('title', 'Auto Scaling Release Notes');
    const relabelled = await call(server, '/api/documents?wait=1', { method: 'POST', body: sameName, headers: authorized() });
    assert.equal(relabelled.body.status, 'relabelled', JSON.stringify(relabelled.body));
    assert.equal(relabelled.body.document.title, 'Auto Scaling Release Notes');
    assert.equal((await call(server, '/api/products/identity', { method: 'DELETE', headers: authorized() })).status, 200);
  });
});

describe('removing by product and version', () => {
  test('DELETE a version removes only that version; DELETE the product removes the rest', async () => {
    const version = await call(server, '/api/products/asav-autoscale-azure/versions/9.15', { method: 'DELETE', headers: authorized() });
    assert.equal(version.status, 200);
    assert.deepEqual(version.body.removed.map((d: { version: string }) => d.version), ['9.15']);
    const left = await call(server, '/api/documents?product=asav-autoscale-azure');
    assert.deepEqual(left.body.documents.map((d: { version: string }) => d.version), ['9.19']);

    const missing = await call(server, '/api/products/asav-autoscale-azure/versions/9.15', { method: 'DELETE', headers: authorized() });
    assert.equal(missing.status, 404);

    const product = await call(server, '/api/products/asav-autoscale-azure', { method: 'DELETE', headers: authorized() });
    assert.deepEqual(product.body.removed.map((d: { version: string }) => d.version), ['9.19']);
    assert.equal((await call(server, '/api/health')).body.documents, 0);
  });
});
