import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CatalogCache, type CatalogSource } from '../../src/store/sqlite/catalog-cache.js';
import type { CatalogEntry, Change, StoredDocument } from '../../src/store/store.js';

/** A change log over documents, as the store keeps it: a re-added document is a new record (new rowid). */
class FakeSource implements CatalogSource {
  private readonly live = new Map<number, StoredDocument>();
  private readonly log: Change[] = [];
  private nextRowid = 1;

  add(product: string, version: string, document: string): void {
    const docId = `${product}::${version}::docs::${document}`;
    for (const [rowid, doc] of this.live) if (doc.docId === docId) this.remove(rowid);
    const rowid = this.nextRowid++;
    this.live.set(rowid, { rowid, docId, key: { product, version, collection: 'docs', document }, title: `${document} ${version}` } as StoredDocument);
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
  rowsRead = 0;
  documentsAt = (rowids: readonly number[]) => {
    this.rowsRead += rowids.length;
    return rowids.flatMap((rowid) => this.live.get(rowid) ?? []);
  };
  entryReads = 0;
  allEntries = () => {
    this.entryReads++;
    return [...this.live.values()].map(entryOf);
  };
  entryAt = (rowid: number) => {
    const doc = this.live.get(rowid);
    return doc && entryOf(doc);
  };
}

/** What the store reads of a document for the catalog's entries: no title, no origin, no hashes. */
function entryOf({ rowid, docId, key, vendor, vendorLabel, productLabel, versionLabel }: StoredDocument): CatalogEntry {
  return { rowid, docId, key, vendor, vendorLabel, productLabel, versionLabel };
}

const ids = (docs: readonly CatalogEntry[]) => docs.map((d) => `${d.docId}#${d.rowid}`);

test('catching up change by change gives the catalog a full read gives, in order', () => {
  const step = fc.oneof(
    fc.record({ op: fc.constant('add' as const), product: fc.constantFrom('asav', 'ftdv', 'netbox'), version: fc.constantFrom('1', '2', '10'), document: fc.constantFrom('a', 'b', 'guide', 'notes') }),
    fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
  );
  fc.assert(fc.property(fc.array(fc.array(step, { maxLength: 12 }), { minLength: 1, maxLength: 8 }), (rounds) => {
    const source = new FakeSource();
    const cache = new CatalogCache(source);
    // The entries are read (and caught up) on their own until the whole catalog is read.
    const entries = new CatalogCache(source);
    entries.catalogEntries();
    cache.current();
    for (const round of rounds) {
      for (const s of round) {
        if (s.op === 'add') source.add(s.product, s.version, s.document);
        else {
          const live = source.rowids();
          if (live.length > 0) source.remove(live[s.pick % live.length]!);
        }
      }
      assert.deepEqual(ids(entries.catalogEntries()), ids(new CatalogCache(source).current().all));
      const incremental = cache.current();
      const full = new CatalogCache(source).current();
      assert.deepEqual(ids(incremental.all), ids(full.all));
      assert.deepEqual(ids(cache.catalogEntries()), ids(full.all));
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

test('a search\'s reads — every entry, the rows of its candidates — never read every row, and follow changes', () => {
  const source = new FakeSource();
  for (const version of ['1', '2', '3']) for (const document of ['a', 'b', 'c']) source.add('router', version, document);
  const cache = new CatalogCache(source);
  assert.deepEqual(cache.catalogEntries().map((e) => e.docId).slice(0, 3), ['router::1::docs::a', 'router::1::docs::b', 'router::1::docs::c']);
  const [first, second] = source.rowids();
  assert.equal(cache.documentsByRowid([first!, second!, first!]).get(second!)?.title, 'b 1');
  assert.equal(source.rowsRead, 2);
  // Rows read once are kept: asking again reads nothing.
  assert.equal(cache.documentByRowid(first!)?.title, 'a 1');
  assert.equal(source.rowsRead, 2);
  // A removed document is gone from the entries and from the rows kept, without a full read.
  source.remove(first!);
  source.add('router', '4', 'a');
  assert.equal(cache.documentByRowid(first!), undefined);
  assert.equal(cache.catalogEntries().length, 9);
  assert.ok(cache.catalogEntries().some((e) => e.docId === 'router::4::docs::a'));
  assert.ok(!cache.catalogEntries().some((e) => e.rowid === first));
  assert.equal(source.fullReads, 0);
  assert.equal(source.entryReads, 1);
});

test('the rows kept are bounded: past the bound the rows read longest ago go first', () => {
  const source = new FakeSource();
  for (let i = 0; i < 10; i++) source.add('router', '1', `doc-${i}`);
  const cache = new CatalogCache(source, 4);
  const rowids = source.rowids();
  cache.documentsByRowid(rowids.slice(0, 4));
  cache.documentsByRowid(rowids.slice(4, 6));
  assert.equal(source.rowsRead, 6);
  // The last four read are kept; the first two were let go and are read again.
  cache.documentsByRowid(rowids.slice(2, 6));
  assert.equal(source.rowsRead, 6);
  cache.documentsByRowid(rowids.slice(0, 2));
  assert.equal(source.rowsRead, 8);
  assert.equal(source.fullReads, 0);
});

test('once the whole catalog is read, entries and rows come from it', () => {
  const source = new FakeSource();
  source.add('router', '1', 'a');
  source.add('router', '2', 'a');
  const cache = new CatalogCache(source);
  assert.equal(cache.current().all.length, 2);
  assert.equal(cache.catalogEntries().length, 2);
  assert.equal(cache.documentsByRowid(source.rowids()).size, 2);
  assert.equal(source.entryReads, 0);
  assert.equal(source.rowsRead, 0);
  assert.equal(source.fullReads, 1);
});
