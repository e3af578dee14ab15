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
 * Hybrid re-ranking embeds the query and reads the candidates' vectors only when the vector side
 * weighs something: when the best lexical passage holds the whole query, adaptive fusion gives it
 * no weight, and the search neither embeds the query nor reads a vector (fusion.test.ts shows the
 * fused scores are the lexical ones then).
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

/** The steps a search ran, each with what it counted, from its trace. */
async function stepsOf(request: SearchRequest): Promise<Map<string, Record<string, number> | undefined>> {
  const steps = new Map<string, Record<string, number> | undefined>();
  await library.search(request, { step: (name, _ms, counts) => steps.set(name, counts) });
  return steps;
}

test('a query the best lexical passage holds whole is neither embedded nor re-ranked by vectors; other queries are', async () => {
  // While the embedder holds every request, a search that asked for the query's vector would wait.
  embedder.hold();
  try {
    const whole = await stepsOf({ query: 'idle gateway session timeout' });
    assert.equal(embedder.waiting, 0, 'the query was sent to the embedder');
    assert.ok(!whole.has('embed') && !whole.has('vector'), [...whole.keys()].join(', '));
    // The best passage holds "gateway session" but not "retention": the vector side weighs something.
    const partial = stepsOf({ query: 'gateway session retention' });
    for (let i = 0; i < 200 && embedder.waiting === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(embedder.waiting, 1, 'the query was not sent to the embedder');
    embedder.release();
    assert.ok((await partial).get('vector')!['candidates']! > 0);
  } finally {
    embedder.release();
  }
  const vector = await stepsOf({ query: 'idle gateway session timeout', mode: 'vector' });
  assert.ok(vector.get('vector')!['candidates']! > 0, 'vector search reads vectors whatever lexical search holds');
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
