import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { VECTORS_DROPPED } from '../../src/store/store.js';
import { prepareChunks } from '../../src/ingest/indexer.js';
import type { DocumentMeta, Page } from '../../src/library/model.js';

/**
 * The change log: every add, replace and remove is one or two entries written with the change,
 * and a second connection (another process, in production) follows them, its catalog brought up to
 * date without reading every document again.
 */
const pages: Page[] = [{ number: 1, markdown: '# Title\n\nSome text about the agent state.' }];

function meta(document: string, product = 'prod'): DocumentMeta {
  const key = { product, version: '1.0', collection: 'c', document };
  return {
    key, vendor: 'acme', vendorLabel: 'Acme', productLabel: product, versionLabel: '1.0', title: `Guide ${document}`,
    sourcePath: `${product}/1.0/c/${document}.md`, originalFile: `/x/${document}.pdf`, format: 'pdf',
    contentHash: `h-${document}`, pageCount: 1, convertedAt: '2026-01-01T00:00:00.000Z',
  };
}

async function put(store: SqliteStore, m: DocumentMeta): Promise<void> {
  store.replaceDocument(m, 'mh', pages, await prepareChunks(m, pages, store, null));
}

test('adds, replacements, removals and vector resets are logged in commit order', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-log-')), 'index.sqlite');
  const store = new SqliteStore(file);
  assert.equal(store.changePosition(), 0);
  store.setEmbedderIdentity(null);
  await put(store, meta('a'));
  await put(store, meta('b'));
  const a1 = store.document('prod::1.0::c::a')!.rowid;
  await put(store, meta('a'));
  const a2 = store.document('prod::1.0::c::a')!.rowid;
  store.removeDocument('prod::1.0::c::b');
  const b = 2;
  const log = store.changesSince(0, 100).map(({ op, docRowid }) => [op, docRowid]);
  assert.deepEqual(log, [['reset', VECTORS_DROPPED], ['add', a1], ['add', b], ['remove', a1], ['add', a2], ['remove', b]]);
  assert.equal(store.changePosition(), 6);
  assert.deepEqual(store.changesSince(4, 1).map((c) => c.seq), [5]);
  store.close();
});

test('a second connection follows the log: its catalog sees each write without a full reload', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-log-')), 'index.sqlite');
  const writer = new SqliteStore(file);
  writer.setEmbedderIdentity(null);
  const reader = new SqliteStore(file);
  assert.deepEqual(reader.documents().map((d) => d.docId), []);
  await put(writer, meta('b'));
  await put(writer, meta('a'));
  await put(writer, meta('z', 'other'));
  assert.deepEqual(reader.documents().map((d) => d.docId), ['other::1.0::c::z', 'prod::1.0::c::a', 'prod::1.0::c::b'], 'sorted as a full read sorts');
  const replaced = { ...meta('a'), title: 'Guide a, second edition' };
  await put(writer, replaced);
  writer.removeDocument('prod::1.0::c::b');
  assert.deepEqual(reader.documents({ product: 'prod' }).map((d) => [d.docId, d.title]), [['prod::1.0::c::a', 'Guide a, second edition']]);
  assert.equal(reader.document('prod::1.0::c::b'), undefined);
  assert.equal(reader.changeToken(), writer.changeToken());
  writer.close();
  reader.close();
});
