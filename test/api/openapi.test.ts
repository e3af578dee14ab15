import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import type { RunningServer } from '../../src/server/serve.js';
import { createApp } from '../../src/server/app.js';
import { authorized, call, startApiServer } from './api-server.js';

/**
 * The served OpenAPI document against the app: the same routes on both sides, and real
 * responses that validate against the document's own schemas (with Ajv, JSON Schema 2020-12).
 */
const DOC = 'asav-autoscale-azure::9.19::asav_azure_autoscale_v919::asav_azure_autoscale_v919';

interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  responses: Record<string, { content: { 'application/json': { schema: { $ref: string } } } }>;
}
type OpenApi = { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

let fixture: Fixture;
let server: RunningServer;
let document: OpenApi;
let ajv: Ajv2020;

before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.15', 'pdf/cisco/asav-autoscale-azure/9.19'] });
  server = await startApiServer(fixture);
  document = (await call<OpenApi>(server, '/api/openapi.json')).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi.json', components: document.components });
});

after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

/** Validates a live answer against the schema the document gives for that operation and status. */
async function assertConforms(method: string, template: string, url: string, init: RequestInit = {}): Promise<number> {
  const answer = await call(server, url, { ...init, method: method.toUpperCase() });
  const described = document.paths[template]?.[method]?.responses[String(answer.status)];
  assert.ok(described, `${method.toUpperCase()} ${template} answered ${answer.status}, which the document does not list`);
  const validate = ajv.getSchema(`openapi.json${described.content['application/json'].schema.$ref}`);
  assert.ok(validate, `schema ${described.content['application/json'].schema.$ref} exists`);
  assert.ok(validate(answer.body), `${url} → ${answer.status}: ${ajv.errorsText(validate.errors)}`);
  return answer.status;
}

describe('the OpenAPI document', () => {
  test('is OpenAPI 3.1 and points at this server', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(document.servers, [{ url: `${server.url}/api` }]);
  });

  test('lists exactly the routes the app serves under /api', () => {
    const served = createApp(server.ctx)
      .routes.filter((route) => route.path.startsWith('/api/') && route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path}`);
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} /api${path.replace(/\{(\w+)\}/g, ':$1')}`);
    assert.deepEqual([...new Set(served)].sort(), documented.sort());
    assert.equal(documented.length, 19);
  });

  test('names each operation once, declares every path parameter, and guards every write and every job', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    assert.equal(new Set(ids).size, ids.length);
    for (const { path, method, operation } of operations()) {
      const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared, placeholders, `${method} ${path}`);
      assert.equal(Boolean(operation.security), method !== 'get' || path.startsWith('/jobs'), `${method} ${path} security`);
      assert.ok(operation.responses['500'], `${method} ${path} documents 500`);
    }
  });

  test('every referenced schema exists', () => {
    const refs = JSON.stringify(document).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of new Set(refs)) assert.ok(ajv.getSchema(`openapi.json${ref}`), ref);
  });
});

describe('live answers validate against the document', () => {
  const chunk = `${DOC}::27`;
  const reads: [string, string][] = [
    ['/health', '/api/health'],
    ['/ready', '/api/ready'],
    ['/openapi.json', '/api/openapi.json'],
    ['/search', '/api/search?q=asaAdminUserPassword&all_versions=1'],
    ['/search', '/api/search?q=auto+scale&limit=2'],
    ['/search', '/api/search?q=x&version=1.0'],
    ['/search', '/api/search?limit=5'],
    ['/chunks/{id}', `/api/chunks/${encodeURIComponent(chunk)}?before=3&after=3`],
    ['/chunks/{id}', `/api/chunks/${encodeURIComponent(`${DOC}::0`)}`],
    ['/chunks/{id}', '/api/chunks/nope'],
    ['/documents', '/api/documents'],
    ['/documents/{docId}', `/api/documents/${encodeURIComponent(DOC)}`],
    ['/documents/{docId}/pages/{n}', `/api/documents/${encodeURIComponent(DOC)}/pages/1`],
    ['/documents/{docId}/pages/{n}', `/api/documents/${encodeURIComponent(DOC)}/pages/12`],
    ['/documents/{docId}/pages/{n}', `/api/documents/${encodeURIComponent(DOC)}/pages/99`],
    ['/documents/{docId}/text', `/api/documents/${encodeURIComponent(DOC)}/text?max_chars=1000`],
    ['/documents/{docId}/text', `/api/documents/${encodeURIComponent(DOC)}/text?page=34&max_chars=50000`],
    ['/library', '/api/library'],
  ];
  for (const [template, url] of reads) {
    test(`GET ${url.slice(0, 100)}`, async () => {
      await assertConforms('get', template, url);
    });
  }

  test('write answers: 401, 404, 422 upload result', async () => {
    assert.equal(await assertConforms('delete', '/products/{product}', '/api/products/asav-autoscale-azure'), 401);
    assert.equal(await assertConforms('delete', '/products/{product}', '/api/products/nothing', { headers: authorized() }), 404);
    const form = new FormData();
    for (const [name, value] of Object.entries({ vendor: 'Cisco', product: 'broken', version: '1' })) form.set(name, value);
    form.set('file', new File(['not a pdf'], 'broken.pdf'));
    assert.equal(await assertConforms('post', '/documents', '/api/documents?wait=1', { body: form, headers: authorized() }), 422);
  });

  test('a hit that drifts from the schema would be caught', () => {
    const validate = ajv.getSchema('openapi.json#/components/schemas/SearchHit')!;
    assert.equal(validate({ chunk_id: 'a::b::c::d::1' }), false);
  });
});
