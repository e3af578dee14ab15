import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreOpenError } from '../../src/store/sqlite/connection.js';
import { prepareChunks } from '../../src/ingest/indexer.js';
import { IndexFollower } from '../../src/search/indexes/index-follower.js';
import type { Bm25Params } from '../../src/search/lexical/bm25-params.js';
import { parseQuery } from '../../src/search/query.js';
import type { DocumentMeta, Page } from '../../src/library/model.js';
import type { CatalogEntry } from '../../src/store/store.js';

/** Chunks whose indexed fields hold the (analyzed) term, through the search index built from the store. */
function matching(store: SqliteStore, term: string): number[] {
  const { lexical } = IndexFollower.open(store).follower.snapshot();
  return lexical.search({ terms: new Map([[term, 1]]), phrases: [] }, 100).map((r) => r.rowid);
}

function ranker(store: SqliteStore, params: Bm25Params) {
  const { lexical } = IndexFollower.open(store, { params }).follower.snapshot();
  return lexical;
}

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-store-')), 'index.sqlite');
}

function meta(document: string, version = '1.0', title = `Guide ${document}`): DocumentMeta {
  const key = { product: 'prod', version, collection: 'c', document };
  return {
    key, vendor: 'acme', vendorLabel: 'Acme', productLabel: 'Prod', versionLabel: version, title,
    sourcePath: `prod/${version}/c/${document}.md`, originalFile: `/x/${document}.pdf`, format: 'pdf',
    contentHash: `h-${document}`, pageCount: 2, convertedAt: '2026-01-01T00:00:00.000Z',
  };
}

const pages: Page[] = [
  { number: 1, label: 'i', markdown: '# Agent states\n\nThe agent sets NOT_READY with a reason code before logout.' },
  { number: 2, markdown: '## Calls\n\nIncoming calls reserve the agent. Reserved agents answer calls.' },
];

test('a document is stored, read back, replaced and removed atomically', async () => {
  const store = new SqliteStore(tempFile());
  store.setEmbedderIdentity(null);
  const m = meta('d1');
  store.replaceDocument(m, 'mh', pages, await prepareChunks(m, pages, store, null));
  const doc = store.document('prod::1.0::c::d1')!;
  assert.equal(doc.chunkCount, 2);
  assert.equal(store.pages(doc.rowid).length, 2);
  assert.equal(store.page(doc.rowid, 1)?.label, 'i');
  const chunk = store.chunk('prod::1.0::c::d1::0')!;
  assert.equal(chunk.page, 1);
  assert.equal(chunk.pageLabel, 'i');
  assert.deepEqual(chunk.headingPath, ['Agent states']);
  assert.equal(store.chunksOnPage(doc.rowid, 2)[0]?.id, 'prod::1.0::c::d1::1');
  // Several documents by rowid at once: the ones that exist, by rowid.
  assert.deepEqual([...store.documentsByRowid([doc.rowid, doc.rowid + 1000])].map(([rowid, d]) => [rowid, d.docId]), [[doc.rowid, 'prod::1.0::c::d1']]);

  // Replacing keeps one copy; what is indexed follows the new text.
  const changed: Page[] = [{ number: 1, markdown: 'Completely different words about firewalls.' }, pages[1]!];
  store.replaceDocument(m, 'mh2', changed, await prepareChunks(m, changed, store, null));
  assert.equal(store.documents().length, 1);
  assert.equal(matching(store, 'readi').length, 0);
  assert.ok(matching(store, 'firewal').length > 0);

  assert.equal(store.removeDocument('prod::1.0::c::d1'), true);
  assert.deepEqual(store.counts(), { documents: 0, chunks: 0, vectors: 0 });
  assert.equal(matching(store, 'firewal').length, 0);
  assert.deepEqual(store.integrityProblems(), []);
  store.close();
});

test('a document\'s navigation is stored and read back; documents without one have none', async () => {
  const store = new SqliteStore(tempFile());
  store.setEmbedderIdentity(null);
  const placed: DocumentMeta = { ...meta('nav'), navigation: { order: 3, trail: ['Install', 'Docker'] } };
  store.replaceDocument(placed, 'mh', pages, await prepareChunks(placed, pages, store, null));
  const plain = meta('plain');
  store.replaceDocument(plain, 'mh', pages, await prepareChunks(plain, pages, store, null));
  assert.deepEqual(store.document('prod::1.0::c::nav')!.navigation, { order: 3, trail: ['Install', 'Docker'] });
  assert.equal(store.document('prod::1.0::c::plain')!.navigation, undefined);
  // A reading order reads the collection's entries from the table alone.
  assert.deepEqual(store.collectionEntries('prod', '1.0', 'c').sort((a, b) => a.docId.localeCompare(b.docId)), [
    { docId: 'prod::1.0::c::nav', title: placed.title, navOrder: 3, trail: ['Install', 'Docker'] },
    { docId: 'prod::1.0::c::plain', title: plain.title, trail: [] },
  ]);
  assert.deepEqual(store.collectionEntries('prod', '1.0', 'other'), []);
  store.close();
});

test('the catalog\'s entries are every document\'s filing and labels, in the catalog\'s order, read without whole rows, and follow another connection\'s writes', async () => {
  const file = tempFile();
  const store = new SqliteStore(file);
  store.setEmbedderIdentity(null);
  const labelled = (document: string, version: string, versionLabel: string): DocumentMeta => ({ ...meta(document, version), vendorLabel: 'Ácme Corp', productLabel: 'Prod Ü', versionLabel });
  for (const m of [labelled('b', '2.0', '2.0'), labelled('a', '2.0', 'V2.0'), labelled('a', '10.0', '10.0'), labelled('z', '1.0', '1.0')]) {
    store.replaceDocument(m, 'mh', pages, await prepareChunks(m, pages, store, null));
  }
  const reader = new SqliteStore(file, { readonly: true });
  const entry = ({ rowid, docId, key, vendor, vendorLabel, productLabel, versionLabel }: CatalogEntry) => ({ rowid, docId, key, vendor, vendorLabel, productLabel, versionLabel });
  assert.deepEqual(reader.catalogEntries().map(entry), store.documents().map(entry));
  assert.deepEqual(reader.catalogEntries().map((e) => `${e.docId} ${e.versionLabel}`), ['prod::1.0::c::z 1.0', 'prod::10.0::c::a 10.0', 'prod::2.0::c::a V2.0', 'prod::2.0::c::b 2.0']);
  // Rows by rowid before the catalog is read; a document removed and one added elsewhere are followed.
  const removed = store.document('prod::2.0::c::b')!;
  assert.equal(reader.documentsByRowid([removed.rowid]).get(removed.rowid)?.title, removed.title);
  store.removeDocument(removed.docId);
  const added = labelled('c', '2.0', '2.0');
  store.replaceDocument(added, 'mh', pages, await prepareChunks(added, pages, store, null));
  assert.equal(reader.documentsByRowid([removed.rowid]).size, 0);
  assert.deepEqual(reader.catalogEntries().map(entry), store.documents().map(entry));
  reader.close();
  store.close();
});

test('a failing write rolls back completely', async () => {
  const store = new SqliteStore(tempFile());
  store.setEmbedderIdentity(null);
  const m = meta('d1');
  const chunks = await prepareChunks(m, pages, store, null);
  store.replaceDocument(m, 'mh', pages, chunks);
  const duplicate = [...chunks, chunks[0]!]; // same chunk id twice violates UNIQUE midway
  assert.throws(() => store.replaceDocument(m, 'mh3', pages, duplicate));
  assert.equal(store.document('prod::1.0::c::d1')?.markdownHash, 'mh');
  assert.equal(store.counts().chunks, 2);
  assert.ok(matching(store, 'readi').length > 0);
  store.close();
});

test('vectors are stored, searched with filters, reused by hash and dropped with the embedder', () => {
  const store = new SqliteStore(tempFile());
  store.setEmbedderIdentity({ name: 'test', dimensions: 3 });
  const m1 = meta('d1');
  const m2 = meta('d2', '2.0');
  const one = (v: number[], hash: string, id: string) => ({
    chunk: { id, ordinal: 0, page: 1, pageEnd: 1, headingPath: [], text: hash, tokenCount: 1 },
    embedHash: hash, vector: new Float32Array(v),
  });
  store.replaceDocument(m1, 'a', [{ number: 1, markdown: 'x' }], [one([1, 0, 0], 'h1', 'prod::1.0::c::d1::0')]);
  store.replaceDocument(m2, 'b', [{ number: 1, markdown: 'y' }], [one([0, 1, 0], 'h2', 'prod::2.0::c::d2::0')]);
  const all = store.vectorSearch(new Float32Array([0.9, 0.1, 0]), 10);
  assert.equal(all.length, 2);
  assert.ok(all[0]!.score > all[1]!.score);
  const d2 = store.document('prod::2.0::c::d2')!;
  const filtered = store.vectorSearch(new Float32Array([0.9, 0.1, 0]), 10, [d2.rowid]);
  assert.deepEqual(filtered.map((r) => r.rowid), store.chunksByOrdinal(d2.rowid, 0, 0).map((c) => c.rowid));
  assert.deepEqual([...store.vectorsByEmbedHash(['h1', 'nope']).keys()], ['h1']);
  store.setEmbedderIdentity({ name: 'other', dimensions: 4 });
  assert.equal(store.counts().vectors, 0);
  store.close();
});

test('BM25F over the stored chunks matches a direct computation and honours phrases and filters', async () => {
  const store = new SqliteStore(tempFile());
  store.setEmbedderIdentity(null);
  const docs = [
    ['a', 'Agent state changes: READY, NOT_READY and TALKING states.'],
    ['b', 'The ready agent answers. Not every agent is ready for calls.'],
    ['c', 'Firewall auto scale groups and load balancers.'],
  ] as const;
  for (const [name, text] of docs) {
    const m = meta(name);
    const p = [{ number: 1, markdown: text }];
    store.replaceDocument(m, name, p, await prepareChunks(m, p, store, null));
  }
  const hits = ranker(store, { k1: 0.9, b: 0.4, fieldWeights: [0, 0, 1], phraseBoost: 0 }).search(parseQuery('ready'), 10);
  assert.equal(hits.length, 2);
  // Direct BM25 for document b: tf = 2, |d| = 11, avgdl over 3 docs.
  const lengths = [9, 11, 7];
  const avg = lengths.reduce((s, n) => s + n, 0) / 3;
  const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
  const tf = 2 / (1 - 0.4 + (0.4 * 11) / avg);
  const expected = idf * ((tf * 1.9) / (tf + 0.9));
  const b = store.chunk('prod::1.0::c::b::0')!;
  assert.ok(Math.abs(hits.find((h) => h.rowid === b.rowid)!.score - expected) < 1e-9);

  // The identifier NOT_READY matches as a phrase: document a wins once phrases count.
  const phrased = ranker(store, { k1: 0.9, b: 0.4, fieldWeights: [0, 0, 1], phraseBoost: 1 });
  const a = store.chunk('prod::1.0::c::a::0')!;
  assert.equal(phrased.search(parseQuery('NOT_READY'), 1)[0]!.rowid, a.rowid);
  // Filters restrict to the given documents.
  const only = phrased.search(parseQuery('ready'), 10, new Set([store.document('prod::1.0::c::b')!.rowid]));
  assert.deepEqual(only.map((h) => h.rowid), [b.rowid]);
  store.close();
});

test('a damaged database file is reported with the fix', () => {
  const file = tempFile();
  fs.writeFileSync(file, Buffer.alloc(8192, 7));
  assert.throws(() => new SqliteStore(file), (e: unknown) => e instanceof StoreOpenError && /mcdewey reindex/.test(e.message));
});
