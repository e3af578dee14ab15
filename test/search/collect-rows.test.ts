import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { LocalIndexes } from '../../src/search/indexes/local-indexes.js';
import type { SearchIndexes } from '../../src/search/indexes/search-indexes.js';
import { SearchEngine, type Collected } from '../../src/search/search-engine.js';
import { Library } from '../../src/service/library.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/**
 * Collecting a search's candidates reads from the store only the rows of the passages it shows
 * (documents and folding signatures come from the lexical index), and gives what reading every
 * candidate's row gives, also when the store moved on after the index snapshot the search ranks with.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-collect-'));
const sources = path.join(root, 'sources');
let library: Library;
let store: SqliteStore;
let indexes: LocalIndexes;
const reads: number[] = [];

/** Sections shared by every version (they fold), and one per version naming the identifier. */
function guide(version: string, extra = ''): string {
  const shared = Array.from({ length: 12 }, (_, i) => `## Gateway setting ${'abcdefghijkl'[i]}\n\nThe gateway session ends after a timeout of idle minutes, setting ${'abcdefghijkl'[i]} ${'more words '.repeat(i + 1)}.\n`);
  return `# Gateway Guide\n\n${shared.join('\n')}\n## Timeouts in ${version}\n\nSet session_timeout in this release to end an idle gateway session. ${extra}\n`;
}

function write(version: string, extra = ''): void {
  const file = path.join(sources, 'acme', 'gateway', version, 'guide.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, guide(version, extra));
}

before(async () => {
  for (const version of ['1.0', '2.0', '3.0']) write(version);
  const data = path.join(root, 'data');
  library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
  assert.ok((await library.add(library.plan([sources]))).every((r) => r.status === 'added'));
  store = new SqliteStore(path.join(data, 'index.sqlite'));
  const chunksByRowid = store.chunksByRowid.bind(store);
  store.chunksByRowid = (rowids: number[]) => {
    reads.push(...rowids);
    return chunksByRowid(rowids);
  };
  indexes = new LocalIndexes(store);
});
after(async () => {
  indexes.close();
  store.close();
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const shape = (c: Collected) => ({
  total: c.total,
  answering: [...c.answering],
  passages: c.passages.map((p) => ({ score: p.score, primary: [p.primary.chunk, p.primary.doc.docId], others: p.others.map((o) => [o.chunk, o.doc.docId]) })),
});

async function collect(snapshot: () => SearchIndexes, query: string, shown: number, readAll: boolean) {
  const engine = new SearchEngine(store, snapshot, null);
  const plan = engine.plan(query, { mode: 'lexical', shown });
  const ranked = await engine.retrieve(plan);
  // A rowid no index holds makes collect read every candidate's row, as it did before (the store has none for it).
  const candidates = readAll ? [...ranked, { rowid: 987_654_321, score: 0 }] : ranked;
  reads.length = 0;
  const collected = engine.collect(plan, candidates, true);
  return { collected, reads: [...reads] };
}

for (const query of ['gateway session timeout', 'session_timeout']) {
  test(`only the shown passages' rows are read, and the result is the one reading every row gives ("${query}")`, async () => {
    const current = () => indexes.current();
    const lazy = await collect(current, query, 2, false);
    const eager = await collect(current, query, 2, true);
    assert.deepEqual(shape(lazy.collected), shape(eager.collected));
    assert.ok(lazy.collected.total > 2 && lazy.collected.passages.length === 2);
    const shown = lazy.collected.passages.flatMap((p) => [p.primary, ...p.others].map((c) => c.chunk.rowid));
    assert.deepEqual(new Set(lazy.reads), new Set(shown));
    assert.ok(eager.reads.length > lazy.reads.length, `${eager.reads.length} rows read in all, ${lazy.reads.length} lazily`);
  });
}

test('a store that moved on after the snapshot is collected from its rows', async () => {
  const stale = indexes.current();
  write('3.0', 'Rewritten since.');
  assert.deepEqual((await library.add(library.plan([sources]))).map((r) => r.status).sort(), ['unchanged', 'unchanged', 'updated']);
  const lazy = await collect(() => stale, 'gateway session timeout', 40, false);
  const eager = await collect(() => stale, 'gateway session timeout', 40, true);
  assert.deepEqual(shape(lazy.collected), shape(eager.collected));
  for (const p of lazy.collected.passages) for (const c of [p.primary, ...p.others]) assert.equal(c.chunk.docRowid, c.doc.rowid);
});
