import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dataDirAt } from '../../../src/library/data-dir.js';
import { ScaleOutNode } from '../../../src/service/scale-out/scale-out-node.js';
import { PgRecordStore } from '../../../src/store/postgres/pg-record-store.js';
import { PgSnapshots } from '../../../src/store/postgres/pg-snapshots.js';
import { INDEX_SCHEMA_VERSION } from '../../../src/store/sqlite/migrations.js';
import { postgresTestOptions, usePostgresCluster } from '../../support/postgres.js';
import { documentRecord, FAKE_EMBEDDER } from '../../store/record-fixtures.js';
import { replicaState } from './replica-state.js';

/**
 * A node started after 1,000 changes restores the snapshot another node stored (automatically,
 * every SNAPSHOT_EVERY changes) and applies only the changes after it from the log, ending with the
 * same replica as the node that followed the whole log.
 */
const options = postgresTestOptions();
const pg = usePostgresCluster();
const cacheDir = () => dataDirAt(pg.folder('mcdewey-cache-'));

describe('a node started after 1,000 changes', options, () => {
  test('restores the latest snapshot and catches up from the log to the same state', async () => {
    const url = pg.database('snapshot_start');
    const writer = await PgRecordStore.open(url);
    const first = await ScaleOutNode.open(url, cacheDir(), { pollMs: 200 });
    let late: ScaleOutNode | undefined;
    try {
      await writer.setEmbedderIdentity(FAKE_EMBEDDER);
      // 600 adds, 150 replacements (two changes each) and 99 removals: 1,000 changes.
      for (let i = 0; i < 600; i++) await writer.writeDocument(await documentRecord({ document: `doc-${i}`, texts: [`Passage ${i} about circuit ${i % 17} and provider ${i % 5}.`] }));
      for (let i = 0; i < 150; i++) await writer.writeDocument(await documentRecord({ document: `doc-${i}`, texts: [`Revised passage ${i} about termination ${i % 7}.`] }));
      for (let i = 0; i < 99; i++) await writer.removeDocument(`finesse::12.5::guides::doc-${599 - i}`);
      assert.equal(await writer.changePosition(), 1_000);

      const snapshots = new PgSnapshots(writer.pool);
      const deadline = Date.now() + 60_000;
      while (!(await snapshots.latest(INDEX_SCHEMA_VERSION)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const snapshot = await snapshots.latest(INDEX_SCHEMA_VERSION);
      assert.ok(snapshot, 'the first node stored a snapshot after 1,000 changes');
      assert.equal(snapshot.position, 1_000);

      for (let i = 0; i < 20; i++) await writer.writeDocument(await documentRecord({ document: `late-${i}`, texts: [`Late passage ${i} about the provider network.`] }));
      await writer.removeDocument('finesse::12.5::guides::doc-3');

      const started = performance.now();
      late = await ScaleOutNode.open(url, cacheDir());
      const startMs = performance.now() - started;
      const status = await late.status();
      assert.equal(status.startedFrom, 'snapshot');
      assert.equal(status.caughtUp, true);
      assert.equal(status.position, 1_021);
      await first.catchUp();
      const queries = ['circuit 3', 'provider network', 'termination', 'revised passage'];
      assert.deepEqual(await replicaState(late.replica, queries), await replicaState(first.replica, queries));
      assert.equal(late.replica.documents().length, 600 - 99 + 20 - 1);
      console.log(`# a node started from a snapshot at 1,000 changes plus 21 in the log in ${startMs.toFixed(0)} ms`);
    } finally {
      await late?.close();
      await first.close();
      await writer.close();
    }
  });
});
