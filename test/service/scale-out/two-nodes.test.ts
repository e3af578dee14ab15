import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/config.js';
import { Library } from '../../../src/service/library.js';
import { postgresTestOptions, usePostgresCluster } from '../../support/postgres.js';

/**
 * Two libraries over one PostgreSQL database, in one process (as two nodes would be): what one
 * writes the other shows once it caught up, searches agree, and removals and embedder changes
 * travel the same way.
 */
let count = 0;
const pg = usePostgresCluster();
const folder = (prefix: string) => pg.folder(prefix);

async function node(store: string, mode: 'read' | 'write' = 'write'): Promise<Library> {
  return Library.open(loadConfig({ data: folder('mcdewey-node-'), store, embedder: 'none' }, {}), mode);
}

function markdownFile(name: string, text: string): string {
  const file = path.join(folder('mcdewey-src-'), `${name}.md`);
  fs.writeFileSync(file, text);
  return file;
}

describe('two nodes over one PostgreSQL library', postgresTestOptions(), () => {
  test('a document added on one node is found on the other, with the same hits and ids; removal travels too', async () => {
    const url = pg.database(`two_nodes_${++count}`);
    const a = await node(url);
    const b = await node(url, 'read');
    try {
      const file = markdownFile('agent-states', '# Agent states\n\nThe agent goes NOT_READY after a missed call.\n\n## Reason codes\n\nReason codes explain NOT_READY.\n');
      const [added] = await a.add(a.plan([file], { vendor: 'Cisco', product: 'Finesse', version: '12.5' }));
      assert.equal(added?.status, 'added', added?.error);
      const onA = await a.search({ query: 'NOT_READY reason' });
      assert.ok(onA.hits.length > 0);
      await b.scaleOutNode!.catchUp();
      const onB = await b.search({ query: 'NOT_READY reason' });
      assert.deepEqual(onB.hits.map((h) => [h.chunkId, h.score]), onA.hits.map((h) => [h.chunkId, h.score]));
      assert.deepEqual(b.document(added!.docId!).title, a.document(added!.docId!).title);

      const [again] = await a.add(a.plan([file], { vendor: 'Cisco', product: 'Finesse', version: '12.5' }));
      assert.equal(again?.status, 'unchanged');

      await a.remove({ product: 'finesse' });
      await b.scaleOutNode!.catchUp();
      assert.deepEqual(b.documents(), []);
      assert.deepEqual(await b.check(), []);
      assert.deepEqual(await a.check(), []);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
