import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { runCliAsync } from '../support/cli.js';
import { corpusPath } from '../support/corpus.js';
import { buildFixture } from '../support/library-fixture.js';
import { startTestServer } from '../support/server.js';

/**
 * A running server follows the library: a document added by another process (`mcdewey add` beside
 * it) becomes searchable through the change log, applied to the indexes without a rebuild; removed
 * again, it is gone. Restarted, the server loads the indexes it saved instead of rebuilding them.
 */
test('a write by another process reaches a running server incrementally; a restart loads the saved indexes', async () => {
  const fixture = await buildFixture({ sources: ['pdf/cisco/ftdv-autoscale-aws/6.6.0'] });
  const { library, dataDir } = fixture;
  let server = await startTestServer(fixture);
  try {
    const hits = async (q: string) => ((await (await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}&all_versions=true`)).json()) as { hits: { chunk_id: string }[] }).hits;
    const before = library.searchIndexStatus()!;
    assert.equal((await hits('Azure Function App')).some((h) => h.chunk_id.startsWith('asav-autoscale-azure')), false);

    const added = await runCliAsync(['--data', dataDir, '--embedder', 'none', 'add', corpusPath('pdf/cisco/asav-autoscale-azure/9.15')]);
    assert.equal(added.status, 0, added.stderr);
    for (let waited = 0; !(await hits('Azure Function App')).some((h) => h.chunk_id.startsWith('asav-autoscale-azure')); waited += 100) {
      if (waited > 30_000) assert.fail('the added document never became searchable');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = library.searchIndexStatus()!;
    assert.equal(after.rebuilds, before.rebuilds, 'applied from the change log, not rebuilt');
    assert.ok(after.applied > before.applied && after.chunks > before.chunks);

    const removed = await runCliAsync(['--data', dataDir, 'remove', 'asav-autoscale-azure', '--yes']);
    assert.equal(removed.status, 0, removed.stderr);
    for (let waited = 0; library.searchIndexStatus()!.chunks !== before.chunks; waited += 100) {
      if (waited > 30_000) assert.fail('the removed document stayed in the index');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal((await hits('Azure Function App')).some((h) => h.chunk_id.startsWith('asav-autoscale-azure')), false);
    assert.equal(library.searchIndexStatus()!.rebuilds, before.rebuilds);

    await server.close();
    assert.ok(fs.existsSync(`${dataDir}/index.lexical`), 'the indexes are saved when the server stops');
    server = await startTestServer(fixture);
    assert.equal(library.searchIndexStatus()!.rebuilds, 0, 'loaded, not rebuilt');
    assert.ok((await hits('autoscale group')).length > 0);
  } finally {
    await server.close();
    await fixture.cleanup();
  }
});
