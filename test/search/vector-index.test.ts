import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { VectorIndex } from '../../src/search/vector-index.js';
import type { DocumentMeta } from '../../src/library/model.js';

/** Deterministic pseudo-random unit vectors. */
function vectors(count: number, dims: number, seed: number): Float32Array[] {
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dims }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

test('the approximate index finds what an exact scan finds, and honours document filters', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-vi-')), 'index.sqlite');
  const store = new SqliteStore(file);
  const dims = 64;
  store.setEmbedderIdentity({ name: 'test', dimensions: dims });
  const data = vectors(3000, dims, 7);
  for (let d = 0; d < 3; d++) {
    const key = { product: 'p', version: String(d), collection: 'c', document: 'd' };
    const meta: DocumentMeta = {
      key, vendor: 'v', vendorLabel: 'V', productLabel: 'P', versionLabel: String(d), title: 't', sourcePath: `p/${d}/c/d.md`,
      originalFile: 'x', format: 'text', contentHash: String(d), pageCount: 1, convertedAt: '',
    };
    const chunks = data.slice(d * 1000, (d + 1) * 1000).map((vector, i) => ({
      chunk: { id: `p::${d}::c::d::${i}`, ordinal: i, page: 1, pageEnd: 1, headingPath: [], text: 'x', tokenCount: 1 },
      fields: { title: '', headings: '', body: 'x' }, lengths: { title: 0, headings: 0, body: 1 }, embedHash: `${d}-${i}`, vector,
    }));
    store.replaceDocument(meta, String(d), [{ number: 1, markdown: 'x' }], chunks);
  }
  const index = new VectorIndex(store);
  let found = 0;
  for (const query of vectors(20, dims, 99)) {
    const exact = store.vectorSearch(query, 10).map((r) => r.rowid);
    const approx = index.search(query, 10);
    found += approx.filter((r) => exact.includes(r.rowid)).length;
    // Scores are cosine similarities (to 8-bit precision).
    const best = store.vectorSearch(query, 1)[0]!;
    const same = approx.find((r) => r.rowid === best.rowid);
    if (same) assert.ok(Math.abs(same.score - best.score) < 0.02);
  }
  assert.ok(found / 200 >= 0.95, `recall@10 ${found / 200}`);

  const doc1 = store.document('p::1::c::d')!;
  const filtered = index.search(vectors(1, dims, 5)[0]!, 50, new Set([doc1.rowid]));
  assert.equal(filtered.length, 50);
  const allowed = new Set(store.chunksByOrdinal(doc1.rowid, 0, 999).map((c) => c.rowid));
  assert.ok(filtered.every((r) => allowed.has(r.rowid)));

  // A change to the library is picked up on the next search.
  store.removeDocument('p::1::c::d');
  assert.equal(index.search(vectors(1, dims, 5)[0]!, 50, new Set([doc1.rowid])).length, 0);
  store.close();
});
