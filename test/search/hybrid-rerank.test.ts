import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { LocalIndexes } from '../../src/search/indexes/local-indexes.js';
import { SearchEngine } from '../../src/search/search-engine.js';
import { Library, type SearchRequest } from '../../src/service/library.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startGatedEmbedder, type GatedEmbedder } from '../support/gated-embedder.js';

/**
 * Hybrid re-ranking reads the candidates' vectors only when the vector side weighs something:
 * when the best lexical passage holds the whole query, adaptive fusion gives it no weight, and the
 * search reads no vector at all (fusion.test.ts shows the fused scores are the lexical ones then).
 * How much of the query that passage holds is read from its indexed terms, not its stored row.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-rerank-'));
let embedder: GatedEmbedder;
let library: Library;

before(async () => {
  embedder = await startGatedEmbedder();
  const file = path.join(root, 'sources', 'acme', 'gateway', '1.0', 'guide.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, [
    '# Gateway Guide',
    '## Sessions\n\nAn idle gateway session ends after the session timeout.',
    '## Backups\n\nBackup retention keeps the nightly archives for thirty days.',
    '## Logging\n\nThe gateway writes its audit log to the syslog server.',
  ].join('\n\n'));
  library = await Library.open(loadConfig({ data: path.join(root, 'data'), embedder: embedder.spec }, {}), 'write');
  assert.ok((await library.add(library.plan([path.join(root, 'sources')]))).every((r) => r.status === 'added'));
});

after(async () => {
  await library.close();
  await embedder.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The candidates the search's vector step scored, from its trace. */
async function vectorsRead(request: SearchRequest): Promise<number | undefined> {
  let read: number | undefined;
  await library.search(request, { step: (name, _ms, counts) => { if (name === 'vector') read = counts?.['candidates']; } });
  return read;
}

test('re-ranking reads no vector when the best lexical passage holds the whole query, and reads them otherwise', async () => {
  assert.equal(await vectorsRead({ query: 'idle gateway session timeout' }), 0);
  // The best passage holds "gateway session" but not "retention": the vector side weighs something.
  assert.ok((await vectorsRead({ query: 'gateway session retention' }))! > 0);
  assert.ok((await vectorsRead({ query: 'idle gateway session timeout', mode: 'vector' }))! > 0, 'vector search reads vectors whatever lexical search holds');
});

test('how much of the query the best lexical passage holds is read from the index, not from its stored row', async () => {
  const store = new SqliteStore(path.join(root, 'data', 'index.sqlite'));
  const indexes = new LocalIndexes(store);
  try {
    const reads: number[] = [];
    const chunksByRowid = store.chunksByRowid.bind(store);
    store.chunksByRowid = (rowids: number[]) => {
      reads.push(...rowids);
      return chunksByRowid(rowids);
    };
    const engine = new SearchEngine(store, () => indexes.current(), null);
    const coverage = async (query: string) => {
      const plan = engine.plan(query, { mode: 'lexical' });
      return engine.lexicalCoverage(plan, await engine.retrieve(plan));
    };
    assert.equal(await coverage('idle gateway session timeout'), 1);
    const part = await coverage('gateway session retention');
    assert.ok(part > 0 && part < 1, String(part));
    assert.deepEqual(reads, []);
  } finally {
    indexes.close();
    store.close();
  }
});
