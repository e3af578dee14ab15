import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import type { RunningServer } from '../../src/server/serve.js';
import { packageVersion } from '../../src/version.js';
import { call, isErrorBody, startApiServer, type ApiAnswer } from './api-server.js';
import { DOCUMENT_LIST_MAX } from '../../src/api/schemas.js';
import { presentTree } from '../../src/present/library-json.js';

/**
 * The read routes of the REST API over the real server and a library built from real Cisco and
 * Palo Alto PDFs. `asaAdminUserPassword` is a template parameter documented on PDF page 12 of
 * the ASAv Azure 9.19 guide and on page 8 of the 9.15 guide.
 */
const ASAV_919 = 'asav-autoscale-azure::9.19::asav_azure_autoscale_v919::asav_azure_autoscale_v919';
const ASAV_915 = 'asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915';

let fixture: Fixture;
let server: RunningServer;

before(async () => {
  fixture = await buildFixture();
  server = await startApiServer(fixture);
});

after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

describe('GET /api/health', () => {
  test('reports the version and the library size', async () => {
    const { status, body } = await call(server, '/api/health');
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.equal(body.version, packageVersion());
    assert.equal(body.documents, 6);
    assert.equal(body.chunks, fixture.library.documents().reduce((n, d) => n + d.chunkCount, 0));
    assert.ok(body.chunks > 100);
    assert.equal(body.embedder, null);
  });

  test('neither it nor the document list makes every document of the library per call', async () => {
    const library = fixture.library;
    const documents = library.documents;
    let calls = 0;
    library.documents = (...args) => {
      calls++;
      return documents.apply(library, args);
    };
    try {
      assert.equal((await call(server, '/api/health')).body.documents, 6);
      assert.equal((await call(server, '/api/documents?limit=2')).body.documents.length, 2);
      assert.equal(calls, 0, 'they read the size and one page, not every document');
    } finally {
      library.documents = documents;
    }
  });
});

describe('GET /api/search', () => {
  test('finds an identifier on its page in the latest version, with links and highlights', async () => {
    const { status, body } = await call(server, '/api/search?q=asaAdminUserPassword');
    assert.equal(status, 200);
    assert.equal(body.query, 'asaAdminUserPassword');
    assert.equal(body.mode, 'lexical');
    assert.ok(body.notices.some((n: string) => /lexical/i.test(n)));
    const hit = body.hits[0];
    assert.equal(hit.version, '9.19');
    assert.equal(hit.page, 12);
    assert.equal(hit.page_label, undefined, 'the printed label is given only where it differs from the page');
    assert.ok(hit.chunk_id.startsWith(`${ASAV_919}::`));
    assert.equal(hit.match, 'strong');
    assert.equal(body.best_match, 'strong');
    assert.equal(body.chunk_url, `${server.url}/chunk/{chunk_id}`);
    assert.match(hit.snippet, /\*\*asaAdminUserPassword\*\*/, 'matched words are marked in the snippet');
    const older = hit.also_in.find((m: { version: string }) => m.version === '9.15');
    assert.ok(older, 'the same parameter in 9.15 is folded into also_in');
    assert.equal(older.page, 8);
  });

  test('a version filter answers from that version only', async () => {
    const { status, body } = await call(server, '/api/search?q=asaAdminUserPassword&product=asav-autoscale-azure&version=9.15');
    assert.equal(status, 200);
    assert.ok(body.hits.length > 0);
    assert.ok(body.hits.every((h: { version: string }) => h.version === '9.15'));
    assert.ok(body.hits[0].chunk_id.startsWith(`${ASAV_915}::`));
    assert.equal(body.hits[0].page, 8);
  });

  test('an unknown version is a 404 that lists the available ones', async () => {
    const { status, body } = await call(server, '/api/search?q=scaling&product=asav-autoscale-azure&version=9.99');
    assert.equal(status, 404);
    assert.ok(isErrorBody(body));
    assert.equal(body.error.code, 'not_found');
    assert.match(body.error.message, /9\.99/);
    assert.match(body.error.hint ?? '', /9\.19.*9\.15/);
  });

  test('vendor filter, limit and next_offset page through the hits', async () => {
    const first = await call(server, '/api/search?q=auto+scale&vendor=Cisco&limit=3');
    assert.equal(first.status, 200);
    assert.equal(first.body.hits.length, 3);
    assert.ok(first.body.hits.every((h: { vendor: string }) => h.vendor === 'cisco'));
    assert.equal(first.body.next_offset, 3);
    const second = await call(server, `/api/search?q=auto+scale&vendor=Cisco&limit=3&offset=${first.body.next_offset}`);
    assert.equal(second.body.hits.length, 3);
    const firstIds = new Set(first.body.hits.map((h: { chunk_id: string }) => h.chunk_id));
    assert.ok(second.body.hits.every((h: { chunk_id: string }) => !firstIds.has(h.chunk_id)));
  });

  test('all_versions searches older versions too', async () => {
    const latest = await call(server, '/api/search?q=asaAdminUserPassword&product=asav-autoscale-azure&limit=50&mode=lexical');
    const all = await call(server, '/api/search?q=asaAdminUserPassword&product=asav-autoscale-azure&limit=50&mode=lexical&all_versions=true');
    const versionsOf = (hits: { version: string; also_in: { version: string }[] }[]) =>
      new Set(hits.flatMap((h) => [h.version, ...h.also_in.map((m) => m.version)]));
    assert.deepEqual([...versionsOf(latest.body.hits)].filter((v) => v !== '9.19' && v !== '9.15'), []);
    assert.ok(versionsOf(all.body.hits).has('9.15'));
    assert.ok(all.body.hits.length >= latest.body.hits.length);
  });

  test('a query of 1,000 characters (the limit on every surface) is accepted; a longer one is a 400 naming the limit', async () => {
    const q = `asaAdminUserPassword ${'x'.repeat(979)}`;
    assert.equal(q.length, 1000);
    assert.equal((await call(server, `/api/search?q=${encodeURIComponent(q)}`)).status, 200);
    const longer = await call(server, `/api/search?q=${encodeURIComponent(`${q}x`)}`);
    assert.equal(longer.status, 400);
    assert.match(JSON.stringify(longer.body.error), /1000/);
  });
});

describe('GET /api/chunks/{id}', () => {
  test('returns the chunk with neighbours, its document and links, by raw and by encoded id', async () => {
    const hit = (await call(server, '/api/search?q=asaAdminUserPassword')).body.hits[0];
    const encoded = await call(server, `/api/chunks/${encodeURIComponent(hit.chunk_id)}?before=2&after=1`);
    const raw = await call(server, `/api/chunks/${hit.chunk_id}?before=2&after=1`);
    assert.equal(encoded.status, 200);
    assert.deepEqual(raw.body, encoded.body);
    const { chunk, document, before: previous, after: next } = encoded.body;
    assert.equal(chunk.chunk_id, hit.chunk_id);
    assert.equal(chunk.page, 12);
    assert.match(chunk.text, /asaAdminUserPassword/);
    assert.equal(document.doc_id, ASAV_919);
    assert.equal(document.version_label, '9.19');
    assert.equal(previous.length, 2);
    assert.equal(next.length, 1);
    assert.deepEqual(previous.map((c: { ordinal: number }) => c.ordinal), [chunk.ordinal - 2, chunk.ordinal - 1]);
    assert.equal(next[0].ordinal, chunk.ordinal + 1);
    assert.equal(encoded.body.previous_id, `${ASAV_919}::${chunk.ordinal - 3}`);
    assert.equal(encoded.body.next_id, `${ASAV_919}::${chunk.ordinal + 2}`);
    assert.equal(chunk.url, `${server.url}/chunk/${hit.chunk_id}`);
  });

  test('an unknown chunk is a 404, a malformed id a 400', async () => {
    const missing = await call(server, `/api/chunks/${encodeURIComponent(`${ASAV_919}::99999`)}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
    const malformed = await call(server, '/api/chunks/not-a-chunk-id');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'invalid_input');
    assert.ok(malformed.body.error.hint);
  });
});

describe('GET /api/documents', () => {
  test('lists every document, or those of one vendor, product and version (labels or slugs)', async () => {
    const all = await call(server, '/api/documents');
    assert.equal(all.status, 200);
    assert.equal(all.body.documents.length, 6);
    const paloalto = await call(server, '/api/documents?vendor=paloalto');
    assert.deepEqual(paloalto.body.documents.map((d: { product: string }) => d.product), ['vm-series-aws-autoscaling-template']);
    const one = await call(server, '/api/documents?product=asav-autoscale-azure&version=9.15');
    assert.deepEqual(one.body.documents.map((d: { doc_id: string }) => d.doc_id), [ASAV_915]);
    const doc = one.body.documents[0];
    assert.equal(doc.format, 'pdf');
    assert.equal(doc.pages, 28);
    assert.equal(doc.url, `${server.url}/doc/${ASAV_915}?page=1`);
    assert.equal('original_file' in doc || 'rowid' in doc, false, 'no server paths or row ids');
    // The same answer as /api/search gives an unknown version: a 404 that lists what exists.
    const none = await call(server, '/api/documents?version=0.0.1');
    assert.equal(none.status, 404);
    assert.match(none.body.error.hint, /9\.19/);
  });

  test(`lists at most ${DOCUMENT_LIST_MAX} documents at once, in pages that follow next_offset`, async () => {
    const all = await call(server, '/api/documents');
    assert.equal(all.body.next_offset, undefined, 'the whole list fits one page: no next_offset');
    const paged: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page: ApiAnswer = await call(server, `/api/documents?limit=4&offset=${offset}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.documents.length <= 4);
      paged.push(...page.body.documents.map((d: { doc_id: string }) => d.doc_id));
      offset = page.body.next_offset;
    }
    assert.deepEqual(paged, all.body.documents.map((d: { doc_id: string }) => d.doc_id));
    const tooMany = await call(server, `/api/documents?limit=${DOCUMENT_LIST_MAX + 1}`);
    assert.equal(tooMany.status, 400);
    assert.match(JSON.stringify(tooMany.body.error), new RegExp(`limit[^]*${DOCUMENT_LIST_MAX}`));
    const past = await call(server, '/api/documents?offset=6');
    assert.deepEqual([past.status, past.body.documents, past.body.next_offset], [200, [], undefined]);
  });
});

describe('GET /api/documents/{docId}', () => {
  test('returns metadata and the heading outline, by raw and by encoded id', async () => {
    const encoded = await call(server, `/api/documents/${encodeURIComponent(ASAV_919)}`);
    const raw = await call(server, `/api/documents/${ASAV_919}`);
    assert.equal(encoded.status, 200);
    assert.deepEqual(raw.body, encoded.body);
    assert.equal(encoded.body.document.title, 'Deploy the ASAv Auto Scale Solution on Microsoft Azure');
    assert.equal(encoded.body.document.pages, 34);
    const outline = encoded.body.outline as { level: number; text: string; page: number }[];
    assert.ok(outline.length > 10);
    assert.ok(outline.some((e) => e.text === 'Auto Scale Solution Prerequisites' && e.page === 7));
  });

  test('an unknown document is a 404', async () => {
    const { status, body } = await call(server, `/api/documents/${encodeURIComponent('asav-autoscale-azure::9.19::nope::nope')}`);
    assert.equal(status, 404);
    assert.equal(body.error.code, 'not_found');
  });
});

describe('GET /api/documents/{docId}/pages/{n}', () => {
  test('returns the page Markdown, its label, its chunks and neighbours', async () => {
    const { status, body } = await call(server, `/api/documents/${encodeURIComponent(ASAV_919)}/pages/12`);
    assert.equal(status, 200);
    assert.equal(body.page.number, 12);
    assert.equal(body.page.label, '12');
    assert.match(body.page.markdown, /asaAdminUserPassword/);
    assert.ok(body.chunks.length > 0);
    assert.ok(body.chunks.every((c: { page: number }) => c.page === 12));
    assert.equal(body.previous_page, 11);
    assert.equal(body.next_page, 13);
    assert.equal(body.url, `${server.url}/doc/${ASAV_919}?page=12`);
  });

  test('the first and last pages have one neighbour; past the end is a 404', async () => {
    const first = await call(server, `/api/documents/${ASAV_919}/pages/1`);
    assert.equal(first.body.previous_page, undefined);
    assert.equal(first.body.next_page, 2);
    const last = await call(server, `/api/documents/${ASAV_919}/pages/34`);
    assert.equal(last.body.next_page, undefined);
    const beyond = await call(server, `/api/documents/${ASAV_919}/pages/35`);
    assert.equal(beyond.status, 404);
    assert.match(beyond.body.error.hint, /1 to 34/);
  });
});

describe('GET /api/documents/{docId}/text', () => {
  test('windows follow each other through next_start until the end', async () => {
    const path = `/api/documents/${encodeURIComponent(ASAV_915)}/text`;
    const first = await call(server, `${path}?max_chars=2000`);
    assert.equal(first.status, 200);
    assert.equal(first.body.start, 0);
    assert.equal(first.body.truncated, true);
    assert.ok(first.body.text.length <= 2000);
    assert.match(first.body.text, /<!-- page 1/);
    const second = await call(server, `${path}?max_chars=2000&start=${first.body.next_start}`);
    assert.equal(second.body.start, first.body.next_start);
    const whole = await call(server, `${path}?max_chars=50000`);
    assert.ok(whole.body.text.startsWith(first.body.text + second.body.text.slice(0, 100)));
    assert.equal(whole.body.total_chars, first.body.total_chars);
  });

  test('page= starts the window at that page', async () => {
    const { body } = await call(server, `/api/documents/${encodeURIComponent(ASAV_915)}/text?page=8&max_chars=500`);
    assert.equal(body.first_page, 8);
    assert.match(body.text, /^<!-- page 8/);
  });
});

describe('GET /api/library', () => {
  test('returns vendors, products and versions, newest first, with counts', async () => {
    const { status, body } = await call(server, '/api/library');
    assert.equal(status, 200);
    assert.equal(body.documents, 6);
    assert.deepEqual(body.vendors.map((v: { vendor: string }) => v.vendor), ['cisco', 'paloalto']);
    const asav = body.vendors[0].products.find((p: { product: string }) => p.product === 'asav-autoscale-azure');
    assert.deepEqual(asav.versions.map((v: { version: string; latest: boolean }) => [v.version, v.latest]), [['9.19', true], ['9.15', false]]);
    assert.equal(asav.versions[0].documents[0].doc_id, ASAV_919);
    assert.equal(asav.pages, 34 + 28);
    assert.equal(asav.versions[0].document_count, asav.versions[0].documents.length);
    assert.equal(body.documents_omitted, undefined);
  });

  test('beyond the documents it lists at once, the tree keeps its counts and leaves the documents to GET /api/documents', () => {
    const whole = presentTree(fixture.library.tree(), 6);
    assert.equal(whole.documents_omitted, undefined);
    const bounded = presentTree(fixture.library.tree(), 5);
    assert.equal(bounded.documents_omitted, true);
    const versions = bounded.vendors.flatMap((v) => v.products).flatMap((p) => p.versions);
    assert.ok(versions.every((v) => v.documents === undefined));
    assert.equal(versions.reduce((n, v) => n + v.document_count, 0), 6);
    assert.ok(JSON.stringify(bounded).length < JSON.stringify(whole).length);
  });
});
