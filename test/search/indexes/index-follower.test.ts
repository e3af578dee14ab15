import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { prepareChunks } from '../../../src/ingest/indexer.js';
import type { DocumentMeta, Page } from '../../../src/library/model.js';
import { ChunkAnalyzer } from '../../../src/search/indexes/index-chunks.js';
import { IndexFollower, type IndexFiles } from '../../../src/search/indexes/index-follower.js';
import type { SearchIndexes } from '../../../src/search/indexes/search-indexes.js';
import { DEFAULT_BM25 } from '../../../src/search/lexical/bm25-params.js';
import { LEXICAL_FORMAT } from '../../../src/search/lexical/lexical-file.js';
import { signatureOf } from '../../../src/search/near-duplicates.js';
import { writeArrayFile } from '../../../src/search/segments/array-file.js';
import { parseQuery } from '../../../src/search/query.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { ChunkToIndex } from '../../../src/store/store.js';
import { corpusPath, REPO_ROOT } from '../../support/corpus.js';
import { bruteForceSearch } from '../lexical/brute-force.js';

/**
 * The index follower keeps the in-memory indexes equal to the store: built from stored chunks it
 * ranks as the BM25F reference does; updated change by change it answers exactly as an index
 * rebuilt from scratch; saved, it is loaded and caught up; a file it cannot trust is rebuilt.
 */
function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? markdownFiles(full) : entry.name.endsWith('.md') ? [full] : [];
  });
}

const FILES = markdownFiles(corpusPath('markdown', 'netbox-docs', 'docs'));
const DIMS = 16;

function meta(i: number, version = '4'): DocumentMeta {
  const key = { product: 'netbox', version, collection: 'docs', document: `d${i}` };
  return {
    key, vendor: 'netbox', vendorLabel: 'NetBox', productLabel: 'NetBox', versionLabel: version, title: path.basename(FILES[i]!, '.md'),
    sourcePath: `netbox/${version}/docs/d${i}.md`, originalFile: FILES[i]!, format: 'markdown', contentHash: `${version}-${i}`, pageCount: 1, convertedAt: '',
  };
}

/** Deterministic unit vectors derived from a chunk's text, so a re-added chunk gets the same one. */
function vectorOf(text: string): Float32Array {
  let state = 2166136261;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 16777619);
  const v = Float32Array.from({ length: DIMS }, () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

class Library {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-follow-'));
  readonly file = path.join(this.dir, 'index.sqlite');
  readonly files: IndexFiles = { lexical: path.join(this.dir, 'index.lexical'), vectors: path.join(this.dir, 'index.vectors') };
  readonly store = new SqliteStore(this.file);

  constructor(vectors: boolean) {
    this.store.setEmbedderIdentity(vectors ? { name: 'test', dimensions: DIMS } : null);
  }

  async put(i: number, version = '4', edit = (text: string) => text): Promise<void> {
    const pages: Page[] = [{ number: 1, markdown: edit(fs.readFileSync(FILES[i]!, 'utf8')) }];
    const m = meta(i, version);
    const chunks: ChunkToIndex[] = (await prepareChunks(m, pages, this.store, null)).map((c) => ({ ...c, vector: this.store.vectorDimensions() ? vectorOf(c.chunk.text) : null }));
    this.store.replaceDocument(m, '', pages, chunks);
  }

  remove(i: number, version = '4'): void {
    this.store.removeDocument(`netbox::${version}::docs::d${i}`);
  }

  close(): void {
    this.store.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const QUERIES = [
  'virtual machines and clusters', 'ipv6.address', 'running-config', '"custom fields"', 'to be or not to be',
  'How do I configure LDAP authentication?', 'REST API token permissions', 'webhook', 'the', 'xyzzy plugh', 'prefix utilization',
];

/** Every query's top 20, lexical and vector, with and without a document filter: what must not change. */
function answers(indexes: SearchIndexes, filter: ReadonlySet<number>): unknown[] {
  return QUERIES.flatMap((text) => [undefined, filter].flatMap((allowed) => [
    indexes.lexical.search(parseQuery(text), 20, allowed),
    indexes.vectors?.search(vectorOf(text), 20, allowed) ?? [],
  ]));
}

test('built from stored chunks, the index ranks as the BM25F reference over the analyzed text', async () => {
  const lib = new Library(false);
  try {
    for (let i = 0; i < 80; i++) await lib.put(i);
    const { follower, opened } = IndexFollower.open(lib.store);
    assert.equal(opened.rebuilt, 'all');
    const analyzer = new ChunkAnalyzer();
    const docs = [...lib.store.indexChunks()].map((c) => analyzer.lexicalDoc(c));
    assert.ok(docs.length > 300, `${docs.length} chunks`);
    const { lexical } = follower.snapshot();
    const filter = new Set(docs.filter((_, i) => i % 3 === 0).map((d) => d.docRowid));
    for (const text of QUERIES) {
      for (const allowed of [undefined, filter]) {
        const query = parseQuery(text);
        assert.deepEqual(lexical.search(query, 20, allowed), bruteForceSearch(docs, DEFAULT_BM25, query, 20, allowed), text);
      }
    }
  } finally {
    lib.close();
  }
});

test('an index updated change by change answers exactly as one rebuilt from the store', async () => {
  const lib = new Library(true);
  try {
    for (let i = 0; i < 30; i++) await lib.put(i);
    const { follower } = IndexFollower.open(lib.store);
    // Adds, replacements (the same document with new text), removals and re-adds, caught up in steps.
    for (let i = 30; i < 60; i++) await lib.put(i);
    assert.ok(follower.catchUp().applied >= 30);
    for (let i = 0; i < 10; i++) await lib.put(i, '4', (text) => `${text}\n\nA webhook note added in this revision ${i}.`);
    lib.remove(12);
    lib.remove(40);
    await lib.put(61, '5');
    const step = follower.catchUp();
    assert.equal(step.rebuilt, undefined, 'applied incrementally, not rebuilt');
    assert.ok(step.applied >= 13);
    await lib.put(12);
    lib.remove(61, '5');
    follower.catchUp();
    while (follower.mergeStep());

    const fresh = IndexFollower.open(lib.store).follower;
    const filter = new Set(lib.store.documents().filter((_, i) => i % 4 === 0).map((d) => d.rowid));
    assert.equal(follower.snapshot().lexical.size, fresh.snapshot().lexical.size);
    assert.equal(follower.snapshot().vectors!.size, lib.store.counts().vectors);
    assert.deepEqual(answers(follower.snapshot(), filter), answers(fresh.snapshot(), filter));
  } finally {
    lib.close();
  }
});

test('a saved index is loaded and caught up; one it cannot trust is rebuilt', async () => {
  const lib = new Library(true);
  const logs: string[] = [];
  const options = { files: lib.files, log: (m: string) => logs.push(m) };
  try {
    for (let i = 0; i < 20; i++) await lib.put(i);
    const first = IndexFollower.open(lib.store, options);
    assert.equal(first.opened.rebuilt, 'all');
    assert.equal(first.follower.save(), true);
    assert.equal(first.follower.save(), false, 'nothing changed since');

    // Another process adds while nobody follows; the next start loads the file and applies only that.
    await lib.put(20);
    lib.remove(3);
    const second = IndexFollower.open(lib.store, options);
    assert.deepEqual(second.opened, { applied: 2 });
    const reference = IndexFollower.open(lib.store).follower.snapshot();
    const filter = new Set([lib.store.document('netbox::4::docs::d5')!.rowid]);
    assert.deepEqual(answers(second.follower.snapshot(), filter), answers(reference, filter));
    second.follower.save();

    // Damaged: rebuilt and said so.
    const bytes = fs.readFileSync(lib.files.lexical);
    bytes[bytes.length - 9]! ^= 0xff;
    fs.writeFileSync(lib.files.lexical, bytes);
    const damaged = IndexFollower.open(lib.store, options);
    assert.equal(damaged.opened.rebuilt, 'all');
    assert.match(logs.join('\n'), /index\.lexical/);
    assert.deepEqual(answers(damaged.follower.snapshot(), filter), answers(reference, filter));
    damaged.follower.save();

    // Not an index at all, or truncated.
    for (const spoil of [() => fs.writeFileSync(lib.files.lexical, 'not an index'), () => fs.truncateSync(lib.files.lexical, 100)]) {
      spoil();
      assert.equal(IndexFollower.open(lib.store, options).opened.rebuilt, 'all');
    }

    // A file of another format (written by another McDewey version) is refused, not misread.
    writeArrayFile(lib.files.lexical, { kind: 'lexical', format: 99, meta: {}, arrays: [] });
    assert.equal(IndexFollower.open(lib.store, options).opened.rebuilt, 'all');
    assert.match(logs.join('\n'), /format 99/);

    // A file of this format whose metadata is damaged (a position that is no string) is refused, not misread.
    writeArrayFile(lib.files.lexical, { kind: 'lexical', format: LEXICAL_FORMAT, meta: { params: DEFAULT_BM25, position: 12, segments: [] }, arrays: [] });
    assert.equal(IndexFollower.open(lib.store, options).opened.rebuilt, 'all');
    assert.match(logs.join('\n'), /metadata\.position is not a string; rebuilding it from the library/);

    // A file of the previous format (before each chunk's folding signature was kept) is rebuilt, with them.
    writeArrayFile(lib.files.lexical, { kind: 'lexical', format: LEXICAL_FORMAT - 1, meta: {}, arrays: [] });
    const upgraded = IndexFollower.open(lib.store, options);
    assert.equal(upgraded.opened.rebuilt, 'all');
    const { lexical } = upgraded.follower.snapshot();
    const found = lexical.search(parseQuery('device'), 5);
    assert.ok(found.length > 0);
    for (const { rowid } of found) {
      const [chunk] = lib.store.chunksByRowid([rowid]);
      assert.deepEqual(lexical.foldSignature(rowid, chunk!.docRowid), signatureOf(chunk!.text));
    }

    // A vector file that does not fit: the lexical index is kept, the vectors rebuilt.
    const kept = IndexFollower.open(lib.store, options).follower;
    kept.save();
    fs.writeFileSync(lib.files.vectors, 'junk');
    const vectorsOnly = IndexFollower.open(lib.store, options);
    assert.equal(vectorsOnly.opened.rebuilt, 'vectors');
    assert.deepEqual(answers(vectorsOnly.follower.snapshot(), filter), answers(reference, filter));
  } finally {
    lib.close();
  }
});

test('an index saved against another database, or behind the change log\'s horizon, is rebuilt', async () => {
  const lib = new Library(false);
  const other = new Library(false);
  try {
    for (let i = 0; i < 5; i++) await lib.put(i);
    for (let i = 0; i < 8; i++) await other.put(i);
    IndexFollower.open(other.store, { files: other.files }).follower.save();
    // The other library's file, copied next to this database: same positions, another change log.
    fs.copyFileSync(other.files.lexical, lib.files.lexical);
    const foreign = IndexFollower.open(lib.store, { files: lib.files });
    assert.equal(foreign.opened.rebuilt, 'all');
    assert.equal(foreign.follower.snapshot().lexical.size, lib.store.counts().chunks);
    foreign.follower.save();

    // Log entries pruned past the saved position: the follower cannot know what changed.
    await lib.put(5);
    await lib.put(6);
    const db = new Database(lib.file);
    db.prepare('DELETE FROM changes WHERE seq <= ?').run(lib.store.changePosition() - 1);
    db.close();
    const behind = IndexFollower.open(lib.store, { files: lib.files });
    assert.equal(behind.opened.rebuilt, 'all');
    assert.match(behind.opened.reason ?? '', /horizon/);
    assert.equal(behind.follower.snapshot().lexical.size, lib.store.counts().chunks);
  } finally {
    lib.close();
    other.close();
  }
});

test('the vector index finds what an exact scan finds, follows an embedder change and a switch to none', async () => {
  const lib = new Library(true);
  try {
    for (let i = 0; i < 60; i++) await lib.put(i);
    const { follower } = IndexFollower.open(lib.store);
    const vectors = follower.snapshot().vectors!;
    assert.equal(vectors.size, lib.store.counts().vectors);
    let found = 0;
    const queries = QUERIES.map(vectorOf);
    for (const query of queries) {
      const exact = lib.store.vectorSearch(query, 10).map((r) => r.rowid);
      found += vectors.search(query, 10).filter((r) => exact.includes(r.rowid)).length;
    }
    assert.ok(found / (queries.length * 10) >= 0.95, `recall@10 ${found / (queries.length * 10)}`);

    // The embedder changes: vectors are dropped (a 'reset'), the library re-embedded; the index follows.
    lib.store.setEmbedderIdentity({ name: 'other', dimensions: DIMS });
    for (let i = 0; i < 10; i++) await lib.put(i);
    const step = follower.catchUp();
    assert.equal(step.rebuilt, 'vectors');
    assert.equal(follower.snapshot().vectors!.size, lib.store.counts().vectors);
    lib.store.setEmbedderIdentity(null);
    follower.catchUp();
    assert.equal(follower.snapshot().vectors, undefined);
    assert.equal(follower.snapshot().lexical.size, lib.store.counts().chunks);
  } finally {
    lib.close();
  }
});

test('a follower reads nothing while nothing changed, and catches up with a commit by another process, another connection or its own', async () => {
  const lib = new Library(false);
  const reader = new SqliteStore(lib.file); // the follower's own connection, as a server's
  try {
    for (let i = 0; i < 3; i++) await lib.put(i);
    const { follower } = IndexFollower.open(reader);
    const size = () => follower.snapshot().lexical.size;
    const all = size();
    let reads = 0;
    const position = reader.changePosition.bind(reader);
    reader.changePosition = () => {
      reads++;
      return position();
    };
    assert.deepEqual(follower.catchUp(), { applied: 0 });
    assert.equal(reads, 0, 'nothing changed: the change log is not read');

    // Another process removes a document (as `mcdewey remove` beside a server does).
    const code = `import { SqliteStore } from './src/store/sqlite/sqlite-store.js'; const s = new SqliteStore(${JSON.stringify(lib.file)}); s.removeDocument('netbox::4::docs::d0'); s.close();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(follower.catchUp().applied, 1);
    const withoutFirst = size();
    assert.ok(withoutFirst < all);
    // Another connection of this process puts it back.
    await lib.put(0);
    assert.equal(follower.catchUp().applied, 1);
    assert.equal(size(), all);
    // The follower's own connection removes one.
    reader.removeDocument('netbox::4::docs::d0');
    assert.equal(follower.catchUp().applied, 1);
    assert.equal(size(), withoutFirst);
    reads = 0;
    assert.deepEqual(follower.catchUp(), { applied: 0 });
    assert.equal(reads, 0);
  } finally {
    reader.close();
    lib.close();
  }
});
