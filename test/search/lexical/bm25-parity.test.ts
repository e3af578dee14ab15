import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { prepareChunks } from '../../../src/ingest/indexer.js';
import type { DocumentMeta } from '../../../src/library/model.js';
import { Bm25Ranker } from '../../../src/search/bm25.js';
import { LexicalIndex, type LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { parseQuery } from '../../../src/search/query.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { corpusPath } from '../../support/corpus.js';

/**
 * The engine ranks exactly as the current SQLite/FTS5 ranker (src/search/bm25.ts) on real
 * documents ingested through the real pipeline: the same chunks in the same order with the same
 * scores (to rounding: the FTS5 path adds a chunk's fields in another order), for real sentences,
 * headings, identifiers, quoted phrases, stop-word-only queries and a document filter.
 */
function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? markdownFiles(full) : entry.name.endsWith('.md') ? [full] : [];
  });
}

test('the engine ranks like the FTS5-backed BM25F ranker on real documents', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-parity-'));
  const store = new SqliteStore(path.join(dir, 'index.sqlite'));
  try {
    const files = markdownFiles(corpusPath('markdown', 'netbox-docs', 'docs')).slice(0, 120);
    const docs: LexicalDoc[] = [];
    const texts: string[] = [];
    for (const [i, file] of files.entries()) {
      const markdown = fs.readFileSync(file, 'utf8');
      texts.push(markdown);
      const key = { product: 'netbox', version: '4', collection: 'docs', document: `d${i}` };
      const meta: DocumentMeta = {
        key, vendor: 'netbox', vendorLabel: 'NetBox', productLabel: 'NetBox', versionLabel: '4', title: path.basename(file, '.md'),
        sourcePath: `netbox/4/docs/d${i}.md`, originalFile: file, format: 'markdown', contentHash: String(i), pageCount: 1, convertedAt: '',
      };
      const pages = [{ number: 1, markdown }];
      const prepared = await prepareChunks(meta, pages, store, null);
      store.replaceDocument(meta, '', pages, prepared);
      const stored = store.document(`netbox::4::docs::d${i}`)!;
      const chunks = store.chunksByOrdinal(stored.rowid, 0, Number.MAX_SAFE_INTEGER);
      assert.equal(chunks.length, prepared.length);
      chunks.forEach((chunk, j) => {
        const f = prepared[j]!.fields;
        const split = (s: string) => (s === '' ? [] : s.split(' '));
        docs.push({ rowid: chunk.rowid, docRowid: stored.rowid, fields: [split(f.title), split(f.headings), split(f.body)] });
      });
    }
    const index = LexicalIndex.create();
    // Several batches, so the comparison also covers global statistics across segments.
    for (let start = 0; start < docs.length; start += 400) index.add(docs.slice(start, start + 400));
    assert.ok(index.segmentCount > 1 && docs.length > 800, `${docs.length} chunks in ${index.segmentCount} segments`);

    const queries = [
      'virtual machines and clusters', 'ipv6.address', 'running-config', '"custom fields"', 'to be or not to be',
      'How do I configure LDAP authentication?', 'REST API token permissions', 'webhook', 'the', 'xyzzy plugh',
    ];
    for (const text of texts.slice(0, 40)) {
      const sentence = text.split('\n').find((line) => line.split(' ').length > 6 && !line.startsWith('#'));
      if (sentence) queries.push(sentence.slice(0, 200));
      const heading = text.split('\n').find((line) => line.startsWith('## '));
      if (heading) queries.push(heading.slice(3));
    }
    const ranker = new Bm25Ranker(store);
    const filter = new Set(docs.filter((_, i) => i % 3 === 0).map((d) => d.docRowid));
    let compared = 0;
    for (const text of queries) {
      for (const allowed of [undefined, filter]) {
        const query = parseQuery(text);
        const reference = ranker.search(query, 100_000, allowed);
        const expected = new Map(reference.map((r) => [r.rowid, r.score]));
        const got = index.search(query, 20, allowed);
        assert.equal(got.length, Math.min(20, reference.length), text);
        got.forEach((hit, i) => {
          const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
          assert.ok(close(hit.score, reference[i]!.score), `${text}: rank ${i + 1} scores ${hit.score}, FTS5 ranker ${reference[i]!.score}`);
          assert.ok(close(hit.score, expected.get(hit.rowid) ?? Number.NaN), `${text}: chunk ${hit.rowid} scored differently`);
        });
        compared += got.length;
      }
    }
    assert.ok(compared > 1000, `${compared} ranked chunks compared`);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
