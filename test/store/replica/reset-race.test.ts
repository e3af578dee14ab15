import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PgRecordStore } from '../../../src/store/postgres/pg-record-store.js';
import { Replicator } from '../../../src/store/replica/replicator.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { postgresTestOptions, startTestPostgres, type TestPostgres } from '../../support/postgres.js';
import { documentRecord, FAKE_EMBEDDER } from '../record-fixtures.js';

/**
 * A node learns the embedder identity as the store of record holds it when the node catches up, not
 * as it was at each reset. A switch to another embedder and back, both committed before the node
 * catches up, leave the identity as the node knows it, but every vector was dropped in between: the
 * replica must drop its own too, as a node built fresh would have none.
 */
let cluster: TestPostgres | undefined;
let databases = 0;
const options = postgresTestOptions();

before(async () => {
  if (!options.skip) cluster = await startTestPostgres();
});
after(() => cluster?.stop());

describe('a replica and embedder switches it did not see one by one', options, () => {
  test('a switch and a switch back drop the replica\'s vectors as they dropped the store of record\'s', async () => {
    const record = await PgRecordStore.open(cluster!.createDatabase(`reset_race_${++databases}`));
    const replica = new SqliteStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-replica-')), 'index.sqlite'));
    const replicator = new Replicator(record, replica);
    try {
      await record.setEmbedderIdentity(FAKE_EMBEDDER);
      await record.writeDocument(await documentRecord({ document: 'a' }));
      await replicator.catchUp();
      assert.ok(replica.counts().vectors > 0);
      // Another embedder, then the first again, while the replica looks away.
      await record.setEmbedderIdentity({ name: 'other-8', dimensions: 8, spec: 'other' });
      await record.setEmbedderIdentity(FAKE_EMBEDDER);
      assert.equal((await record.counts()).vectors, 0);
      await replicator.catchUp();
      assert.deepEqual(replica.embedderIdentity(), FAKE_EMBEDDER);
      assert.equal(replica.counts().vectors, 0, 'the vectors the store of record dropped are gone from the replica');
      // Re-writing the same identity keeps the vectors written since, on both sides.
      await record.writeDocument(await documentRecord({ document: 'b' }));
      await record.setEmbedderIdentity({ ...FAKE_EMBEDDER, spec: 'fake again' });
      await replicator.catchUp();
      assert.equal(replica.counts().vectors, (await record.counts()).vectors);
      assert.ok(replica.counts().vectors > 0);
    } finally {
      replica.close();
      await record.close();
    }
  });
});
