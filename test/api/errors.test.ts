import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import type { RunningServer } from '../../src/server/serve.js';
import { authorized, call, isErrorBody, startApiServer } from './api-server.js';

/** Every failure is a JSON error with a code and a message a person can act on, never a stack. */
const DOC = 'asav-autoscale-azure::9.19::asav_azure_autoscale_v919::asav_azure_autoscale_v919';

let fixture: Fixture;
let server: RunningServer;

before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.19'] });
  server = await startApiServer(fixture);
});

after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

async function expectError(path: string, status: number, code: string, init: RequestInit = {}): Promise<{ code: string; message: string; hint?: string }> {
  const answer = await call(server, path, init);
  assert.equal(answer.status, status, `${path}: ${JSON.stringify(answer.body)}`);
  assert.ok(isErrorBody(answer.body), `${path} answers the error shape`);
  assert.equal(answer.body.error.code, code);
  assert.doesNotMatch(JSON.stringify(answer.body), /\n\s+at |\.ts:\d+/, 'no stack trace');
  return answer.body.error;
}

describe('bad query parameters are 400s that name the parameter', () => {
  const cases: [string, RegExp][] = [
    ['/api/search', /"q" is required/],
    ['/api/search?q=', /"q"/],
    ['/api/search?q=x&limit=0', /"limit"/],
    ['/api/search?q=x&limit=101', /"limit"/],
    ['/api/search?q=x&limit=ten', /"limit"/],
    ['/api/search?q=x&offset=-1', /"offset"/],
    ['/api/search?q=x&mode=semantic', /"mode"/],
    ['/api/search?q=x&all_versions=yes', /"all_versions"/],
    [`/api/search?q=${'a'.repeat(10_001)}`, /"q"/],
    ['/api/search?q=x&verison=9.15', /unknown query parameter "verison"/],
    [`/api/chunks/${encodeURIComponent(`${DOC}::1`)}?before=21`, /"before"/],
    [`/api/documents/${encodeURIComponent(DOC)}/text?max_chars=10`, /"max_chars"/],
    [`/api/documents/${encodeURIComponent(DOC)}/text?start=0&page=2`, /start or page/],
    [`/api/documents/${encodeURIComponent(DOC)}/pages/0`, /"n"/],
    [`/api/documents/${encodeURIComponent(DOC)}/pages/two`, /"n"/],
    ['/api/documents?vendor=%2F%2F', /vendor/],
  ];
  for (const [path, message] of cases) {
    test(path.slice(0, 90), async () => {
      const error = await expectError(path, 400, 'invalid_input');
      assert.match(error.message, message);
    });
  }

  test('an unknown parameter lists the accepted ones', async () => {
    const error = await expectError('/api/documents?format=pdf', 400, 'invalid_input');
    assert.match(error.hint ?? '', /vendor, product, version/);
  });
});

describe('unknown things are 404s', () => {
  test('an unknown route under /api', async () => {
    const error = await expectError('/api/nothing/here', 404, 'not_found');
    assert.match(error.hint ?? '', /openapi\.json/);
  });

  test('an unknown page of a known document', async () => {
    await expectError(`/api/documents/${encodeURIComponent(DOC)}/pages/999`, 404, 'not_found');
  });

  test('an unknown product in a search filter lists the known ones', async () => {
    const error = await expectError('/api/search?q=x&product=finesse', 404, 'not_found');
    assert.match(error.hint ?? '', /asav-autoscale-azure/);
  });
});

describe('a known path with another method is a 405 with Allow', () => {
  test('PUT /api/search', async () => {
    const answer = await call(server, '/api/search?q=x', { method: 'PUT' });
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.get('Allow'), 'GET');
    assert.equal(answer.body.error.code, 'method_not_allowed');
  });

  test('POST /api/documents/{docId} allows GET and DELETE', async () => {
    const answer = await call(server, `/api/documents/${encodeURIComponent(DOC)}`, { method: 'POST', headers: authorized() });
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.get('Allow'), 'GET, DELETE');
  });
});

describe('malformed upload bodies', () => {
  const upload = (body: RequestInit['body'], headers: Record<string, string> = {}) =>
    ({ method: 'POST', body, headers: { ...authorized(), ...headers } }) satisfies RequestInit;

  test('JSON instead of a form is a 415', async () => {
    const error = await expectError('/api/documents', 415, 'unsupported_media_type', upload('{"vendor": "x"', { 'Content-Type': 'application/json' }));
    assert.match(error.hint ?? '', /curl -F/);
  });

  test('a multipart body that does not match its boundary is a 400', async () => {
    const body = '--other\r\nContent-Disposition: form-data; name="vendor"\r\n\r\nCisco\r\n--other--\r\n';
    await expectError('/api/documents', 400, 'invalid_input', upload(body, { 'Content-Type': 'multipart/form-data; boundary=expected' }));
  });

  test('a missing field, a missing file, an empty file and an unsupported type are 400s', async () => {
    const form = (fields: Record<string, string>, file?: File) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.set(name, value);
      if (file) data.set('file', file);
      return data;
    };
    const labels = { vendor: 'Cisco', product: 'asav-autoscale-azure', version: '9.19' };
    const pdf = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'guide.pdf');
    assert.match((await expectError('/api/documents', 400, 'invalid_input', upload(form({ vendor: 'Cisco', product: 'p' }, pdf)))).message, /"version" is required/);
    assert.match((await expectError('/api/documents', 400, 'invalid_input', upload(form(labels)))).message, /"file" is required/);
    assert.match((await expectError('/api/documents', 400, 'invalid_input', upload(form(labels, new File([], 'guide.pdf'))))).message, /empty/);
    assert.match((await expectError('/api/documents', 400, 'invalid_input', upload(form(labels, new File(['x'], 'guide.docx'))))).message, /unsupported file type/);
    assert.match((await expectError('/api/documents', 400, 'invalid_input', upload(form({ ...labels, file: 'not a file' })))).message, /"file"/);
  });

  test('a field given twice is a 400', async () => {
    const data = new FormData();
    data.append('vendor', 'Cisco');
    data.append('vendor', 'Palo Alto');
    await expectError('/api/documents', 400, 'invalid_input', upload(data));
  });
});
