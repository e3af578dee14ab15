import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/config.js';
import { Library } from '../../../src/service/library.js';
import { PgRecordStore } from '../../../src/store/postgres/pg-record-store.js';
import { postgresTestOptions, usePostgresCluster } from '../../support/postgres.js';
import { documentRecord, FAKE_EMBEDDER } from '../../store/record-fixtures.js';

/**
 * A snapshot carries the search index files its writer had saved, so that a new node loads them
 * (its index thread reports no rebuild) instead of rebuilding from every chunk; a snapshot without
 * them, or with files of another format, still starts a node, which then rebuilds. Either way the
 * new node ranks exactly as the node that wrote the snapshot.
 */
const pg = usePostgresCluster();
const POOL = { workers: 1, queue: 8, deadlineMs: 60_000 };
const QUERIES = ['circuit 3', 'provider network', 'termination', 'late passage'];
let databases = 0;

async function node(url: string): Promise<Library> {
  return Library.open(loadConfig({ data: pg.folder('mcdewey-node-'), store: url, embedder: 'none' }, {}), 'read');
}

async function hits(library: Library): Promise<unknown> {
  const all = [];
  for (const query of QUERIES) all.push((await library.search({ query, mode: 'lexical' })).hits.map((h) => [h.chunkId, h.score]));
  return all;
}

/** A library of 80 documents (with vectors) in a fresh database, and its writer. */
async function library(): Promise<{ url: string; writer: PgRecordStore }> {
  const url = pg.database(`snapshot_files_${++databases}`);
  const writer = await PgRecordStore.open(url);
  await writer.setEmbedderIdentity(FAKE_EMBEDDER);
  for (let i = 0; i < 80; i++) {
    await writer.writeDocument(await documentRecord({ document: `doc-${i}`, texts: [`Passage ${i} about circuit ${i % 17} and provider ${i % 5}.`, `Termination ${i % 7} of the provider network.`] }));
  }
  return { url, writer };
}

/** Changes after the snapshot, which a node started from it applies from the log. */
async function lateChanges(writer: PgRecordStore): Promise<void> {
  for (let i = 0; i < 5; i++) await writer.writeDocument(await documentRecord({ document: `late-${i}`, texts: [`Late passage ${i} about the provider network.`] }));
  await writer.removeDocument('finesse::12.5::guides::doc-3');
}

/** Searches in this thread (building the indexes), then moves them to search workers, which saves the files first. */
async function withSavedIndexFiles(library: Library): Promise<void> {
  await library.search({ query: 'circuit', mode: 'lexical' });
  await library.startSearchWorkers(POOL);
}

describe('snapshots with the saved search index files', postgresTestOptions(), () => {
  test('a node started from a snapshot loads its index files instead of rebuilding, and ranks as its writer', async () => {
    const { url, writer } = await library();
    const first = await node(url);
    let late: Library | undefined;
    try {
      await withSavedIndexFiles(first);
      const written = await first.scaleOutNode!.writeSnapshot();
      assert.deepEqual(written?.files, ['lexical', 'vectors']);
      await lateChanges(writer);

      late = await node(url);
      assert.equal((await late.storeStatus())?.startedFrom, 'snapshot');
      assert.ok(fs.existsSync(late.dir.searchIndexFiles.lexical) && fs.existsSync(late.dir.searchIndexFiles.vectors), 'the index files came with the snapshot');
      await late.startSearchWorkers(POOL);
      const status = late.searchIndexStatus()!;
      assert.equal(status.rebuilds, 0, 'the index thread loaded the files rather than rebuilding');
      assert.ok(status.applied > 0, 'and applied the changes made after the snapshot');
      assert.ok(status.vectors > 0);

      await first.scaleOutNode!.catchUp();
      await first.indexesCaughtUp();
      const expected = await hits(first);
      assert.ok((expected as unknown[][]).every((h) => h.length > 0));
      assert.deepEqual(await hits(late), expected);
    } finally {
      await late?.close();
      await first.close();
      await writer.close();
    }
  });

  test('a snapshot without index files, or with files of another format, starts a node that rebuilds them', async () => {
    const { url, writer } = await library();
    const first = await node(url);
    const started: Library[] = [];
    try {
      const bare = await first.scaleOutNode!.writeSnapshot();
      assert.deepEqual(bare?.files, [], 'no index files had been saved yet');
      await lateChanges(writer);
      started.push(await node(url));

      await withSavedIndexFiles(first);
      const withFiles = await first.scaleOutNode!.writeSnapshot();
      assert.deepEqual(withFiles?.files, ['lexical', 'vectors']);
      // As a snapshot written by a McDewey whose index files have another format.
      await writer.pool.query("UPDATE snapshots SET files = (SELECT jsonb_agg(f || jsonb_build_object('format', (f->>'format')::int + 1)) FROM jsonb_array_elements(files) f)");
      started.push(await node(url));

      await first.scaleOutNode!.catchUp();
      await first.indexesCaughtUp();
      const expected = await hits(first);
      for (const library of started) {
        assert.equal((await library.storeStatus())?.startedFrom, 'snapshot');
        assert.equal(fs.existsSync(library.dir.searchIndexFiles.lexical), false, 'no index file was restored');
        await library.startSearchWorkers(POOL);
        assert.equal(library.searchIndexStatus()!.rebuilds, 1, 'the index thread rebuilt the indexes');
        assert.deepEqual(await hits(library), expected);
      }
    } finally {
      for (const library of started) await library.close();
      await first.close();
      await writer.close();
    }
  });
});
