import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CatalogCache, type CatalogSource } from '../../src/store/sqlite/catalog-cache.js';
import type { Change, StoredDocument } from '../../src/store/store.js';

/** A change log over documents, as the store keeps it: a re-added document is a new record (new rowid). */
class FakeSource implements CatalogSource {
  private readonly live = new Map<number, StoredDocument>();
  private readonly log: Change[] = [];
  private nextRowid = 1;

  add(product: string, version: string, document: string): void {
    const docId = `${product}::${version}::docs::${document}`;
    for (const [rowid, doc] of this.live) if (doc.docId === docId) this.remove(rowid);
    const rowid = this.nextRowid++;
    this.live.set(rowid, { rowid, docId, key: { product, version, collection: 'docs', document } } as StoredDocument);
    this.log.push({ seq: this.log.length + 1, op: 'add', docRowid: rowid });
  }

  remove(rowid: number): void {
    if (!this.live.delete(rowid)) return;
    this.log.push({ seq: this.log.length + 1, op: 'remove', docRowid: rowid });
  }

  rowids(): number[] {
    return [...this.live.keys()];
  }

  position = () => this.log.length;
  horizon = () => 0;
  since = (position: number, limit: number) => this.log.slice(position, position + limit);
  fullReads = 0;
  allDocuments = () => {
    this.fullReads++;
    return [...this.live.values()];
  };
  documentByRowid = (rowid: number) => this.live.get(rowid);
  documentById = (docId: string) => [...this.live.values()].find((d) => d.docId === docId);
}

const ids = (docs: readonly StoredDocument[]) => docs.map((d) => `${d.docId}#${d.rowid}`);

test('catching up change by change gives the catalog a full read gives, in order', () => {
  const step = fc.oneof(
    fc.record({ op: fc.constant('add' as const), product: fc.constantFrom('asav', 'ftdv', 'netbox'), version: fc.constantFrom('1', '2', '10'), document: fc.constantFrom('a', 'b', 'guide', 'notes') }),
    fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
  );
  fc.assert(fc.property(fc.array(fc.array(step, { maxLength: 12 }), { minLength: 1, maxLength: 8 }), (rounds) => {
    const source = new FakeSource();
    const cache = new CatalogCache(source);
    cache.current();
    for (const round of rounds) {
      for (const s of round) {
        if (s.op === 'add') source.add(s.product, s.version, s.document);
        else {
          const live = source.rowids();
          if (live.length > 0) source.remove(live[s.pick % live.length]!);
        }
      }
      const incremental = cache.current();
      const full = new CatalogCache(source).current();
      assert.deepEqual(ids(incremental.all), ids(full.all));
      assert.deepEqual([...incremental.byRowid.keys()].sort(), [...full.byRowid.keys()].sort());
      assert.deepEqual([...incremental.byId.keys()].sort(), [...full.byId.keys()].sort());
    }
  }), { numRuns: 300 });
});

test('one document looked up before the catalog is read comes from the store, not from a read of every document', () => {
  const source = new FakeSource();
  source.add('router', '1.0', 'guide');
  source.add('router', '2.0', 'guide');
  const cache = new CatalogCache(source);
  const [first] = source.rowids();
  assert.equal(cache.document('router::2.0::docs::guide')?.key.version, '2.0');
  assert.equal(cache.documentByRowid(first!)?.key.version, '1.0');
  assert.equal(cache.document('router::3.0::docs::guide'), undefined);
  assert.equal(source.fullReads, 0);
  // Once something reads the whole catalog, lookups use it, and it follows later changes.
  assert.equal(cache.current().all.length, 2);
  source.add('router', '3.0', 'guide');
  assert.equal(cache.document('router::3.0::docs::guide')?.key.version, '3.0');
  assert.equal(source.fullReads, 1);
});
