import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dataDirAt } from '../../src/library/data-dir.js';
import { isLibraryError } from '../../src/library/errors.js';
import type { RecordStore } from '../../src/store/record-store.js';
import { EmbeddedRecordStore } from '../../src/store/embedded/embedded-record-store.js';
import { PgRecordStore } from '../../src/store/postgres/pg-record-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { postgresTestOptions, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { documentRecord, FAKE_EMBEDDER, fakeVector } from './record-fixtures.js';

/**
 * One contract for the store of record, run against both engines: the embedded one (Markdown tree
 * and SQLite) and PostgreSQL. What a node's replica and `mcdewey migrate` rely on is checked here
 * once, so the second engine is an adapter that behaves the same, not a rewrite that drifts.
 */
interface Engine {
  name: string;
  options: { skip?: string };
  open(): Promise<RecordStore>;
}

let cluster: TestPostgres | undefined;
let databases = 0;
const pgOptions = postgresTestOptions();

const engines: Engine[] = [
  {
    name: 'embedded',
    options: {},
    open: async () => {
      const dir = dataDirAt(fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-contract-')));
      return new EmbeddedRecordStore(dir, new SqliteStore(dir.indexFile));
    },
  },
  {
    name: 'postgres',
    options: pgOptions,
    open: async () => PgRecordStore.open(cluster!.createDatabase(`contract_${++databases}`)),
  },
];

before(async () => {
  if (!pgOptions.skip) cluster = await startTestPostgres();
});
after(() => cluster?.stop());

for (const engine of engines) {
  describe(`RecordStore contract: ${engine.name}`, engine.options, () => {
    test('a written document reads back whole: metadata, Markdown, pages, chunks with fields and vectors, original', async () => {
      const store = await engine.open();
      try {
        assert.equal(await store.embedderIdentity(), undefined);
        await store.setEmbedderIdentity(FAKE_EMBEDDER);
        assert.deepEqual(await store.embedderIdentity(), FAKE_EMBEDDER);
        const record = await documentRecord({ document: 'admin-guide' });
        const before = await store.changePosition();
        const { rowid, position } = await store.writeDocument(record);
        assert.ok(position > before);
        assert.equal(await store.changePosition(), position);

        const doc = await store.document('finesse::12.5::guides::admin-guide');
        assert.ok(doc);
        assert.equal(doc.rowid, rowid);
        assert.equal(doc.title, 'Guide admin-guide');
        assert.equal(doc.vendorLabel, 'Cisco');
        assert.equal(doc.chunkCount, record.chunks.length);
        assert.equal(await store.markdown(doc.docId), record.markdown);
        assert.deepEqual(Buffer.from((await store.original(doc.contentHash, 'markdown'))!), Buffer.from(record.original!));

        const [read] = await store.readDocuments([rowid, 999_999]);
        assert.ok(read);
        assert.deepEqual(read.pages.map((p) => [p.number, p.label, p.markdown]), record.pages.map((p) => [p.number, p.label, p.markdown]));
        assert.equal(read.chunks.length, record.chunks.length);
        for (const [i, chunk] of read.chunks.entries()) {
          const written = record.chunks[i]!;
          assert.deepEqual(chunk.chunk, written.chunk);
          assert.equal(chunk.embedHash, written.embedHash);
          assert.deepEqual([...chunk.vector!], [...written.vector!]);
        }
        const reuse = await store.vectorsByEmbedHash([record.chunks[0]!.embedHash, 'no-such-hash']);
        assert.deepEqual([...reuse.keys()], [record.chunks[0]!.embedHash]);
        assert.deepEqual(await store.counts(), { documents: 1, chunks: record.chunks.length, vectors: record.chunks.length });
      } finally {
        await store.close();
      }
    });

    test('replacing and removing are logged in commit order; an original nobody uses any more goes', async () => {
      const store = await engine.open();
      try {
        await store.setEmbedderIdentity(FAKE_EMBEDDER);
        const start = await store.changePosition();
        const first = await store.writeDocument(await documentRecord({ document: 'a', original: 'first bytes' }));
        const other = await store.writeDocument(await documentRecord({ document: 'b' }));
        const replaced = await store.writeDocument(await documentRecord({ document: 'a', original: 'second bytes', texts: ['New text only.'] }));
        assert.notEqual(replaced.rowid, first.rowid);
        const removed = await store.removeDocument('finesse::12.5::guides::b');
        assert.equal(removed.removed, true);
        assert.deepEqual(await store.removeDocument('finesse::12.5::guides::b'), { removed: false, position: removed.position });

        const changes = await store.changesSince(start, 100);
        assert.deepEqual(changes.map((c) => [c.op, c.docRowid]), [
          ['add', first.rowid], ['add', other.rowid], ['remove', first.rowid], ['add', replaced.rowid], ['remove', other.rowid],
        ]);
        assert.deepEqual(changes.map((c) => c.seq), changes.map((_, i) => start + i + 1));
        assert.deepEqual((await store.changesSince(start + 2, 2)).map((c) => c.seq), [start + 3, start + 4]);
        assert.ok((await store.changeHorizon()) <= start);

        const docs = await store.documents();
        assert.deepEqual(docs.map((d) => d.docId), ['finesse::12.5::guides::a']);
        assert.equal(await store.original(hashOf('first bytes'), 'markdown'), undefined);
        assert.ok(await store.original(hashOf('second bytes'), 'markdown'));
        assert.deepEqual(await store.readDocuments([first.rowid, other.rowid]), []);
      } finally {
        await store.close();
      }
    });

    test('a product belongs to one vendor: another vendor writing it is refused and nothing changes', async () => {
      const store = await engine.open();
      try {
        await store.setEmbedderIdentity(FAKE_EMBEDDER);
        await store.writeDocument(await documentRecord({ document: 'a' }));
        const position = await store.changePosition();
        await assert.rejects(
          store.writeDocument(await documentRecord({ document: 'b', vendor: 'acme' })),
          (error) => isLibraryError(error, 'conflict') && /already belongs to vendor "Cisco"/.test(error.message),
        );
        assert.equal(await store.changePosition(), position);
        assert.deepEqual((await store.documents()).map((d) => d.docId), ['finesse::12.5::guides::a']);
      } finally {
        await store.close();
      }
    });

    test('another embedder drops every vector and logs a reset; the same one keeps them', async () => {
      const store = await engine.open();
      try {
        await store.setEmbedderIdentity(FAKE_EMBEDDER);
        await store.writeDocument(await documentRecord({ document: 'a' }));
        const chunks = (await store.counts()).chunks;
        await store.setEmbedderIdentity({ ...FAKE_EMBEDDER, spec: 'fake again' });
        assert.equal((await store.counts()).vectors, chunks);
        const position = await store.changePosition();
        await store.setEmbedderIdentity({ name: 'other', dimensions: 8 });
        assert.deepEqual(await store.counts(), { documents: 1, chunks, vectors: 0 });
        assert.deepEqual((await store.changesSince(position, 10)).map((c) => c.op), ['reset']);
        await store.setEmbedderIdentity(null);
        assert.equal(await store.embedderIdentity(), null);
      } finally {
        await store.close();
      }
    });

    test('vectors are stored bit for bit', async () => {
      const store = await engine.open();
      try {
        await store.setEmbedderIdentity(FAKE_EMBEDDER);
        const record = await documentRecord({ document: 'bits' });
        record.chunks[0]!.vector = Float32Array.from([1e-30, -0, 0.1, -0.3333333432674408, 1, 2, 3, Math.PI].map(Math.fround));
        const { rowid } = await store.writeDocument(record);
        const [read] = await store.readDocuments([rowid]);
        assert.deepEqual(Buffer.from(read!.chunks[0]!.vector!.buffer), Buffer.from(record.chunks[0]!.vector.buffer));
        assert.deepEqual([...read!.chunks[1]!.vector!], [...fakeVector(record.chunks[1]!.chunk.text)]);
      } finally {
        await store.close();
      }
    });

    test('the crawl state of folders and sites is saved, replaced and read back; a refresh stamps its time', async () => {
      const store = await engine.open();
      try {
        const site = 'https://docs.example.com/guide/';
        assert.equal(await store.crawlState.get('site', site), undefined);
        const state = { version: 1, records: [{ url: `${site}a.html`, etag: '"1"' }] };
        await store.crawlState.save({ kind: 'site', location: site, settings: { labels: { product: 'guide' }, crawl: { maxPages: 5 } }, state });
        await store.crawlState.save({ kind: 'folder', location: '/srv/docs', settings: { labels: {} } });
        const saved = await store.crawlState.get('site', site);
        assert.deepEqual([saved?.settings, saved?.state, saved?.refreshedAt], [{ labels: { product: 'guide' }, crawl: { maxPages: 5 } }, state, undefined]);
        await store.crawlState.save({ kind: 'site', location: site, settings: saved!.settings, state: { ...state, records: [] } }, true);
        const refreshed = await store.crawlState.get('site', site);
        assert.deepEqual(refreshed?.state, { ...state, records: [] });
        assert.ok(refreshed?.refreshedAt && refreshed.addedAt === saved!.addedAt);
        assert.deepEqual((await store.crawlState.all()).map((s) => [s.kind, s.location]), [['folder', '/srv/docs'], ['site', site]]);
      } finally {
        await store.close();
      }
    });
  });
}

function hashOf(text: string): string {
  return createHash('sha256').update(Buffer.from(text)).digest('hex');
}
