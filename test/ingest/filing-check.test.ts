import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FilingCheck, type FilingStore } from '../../src/ingest/filing-check.js';
import { documentIdOf } from '../../src/library/ids.js';
import { filingConflict, type Filing } from '../../src/library/label-conflicts.js';
import type { Change, StoredDocument } from '../../src/store/store.js';

/**
 * The filing check keeps one document of each kind and follows the change log. Whatever the
 * library went through (documents added, replaced, removed; labels that collide or not), a
 * long-lived check must refuse exactly the filings that comparing with every document refuses,
 * and it must read only the changes since its last check, never the whole library again.
 */

/** A catalog with a change log, as the SQLite store keeps them, in memory. */
class MemoryCatalog implements FilingStore {
  readonly docs = new Map<number, StoredDocument>();
  readonly log: Change[] = [];
  private nextRowid = 1;
  /** Times every document was listed: the whole-library pass the check must not repeat. */
  listed = 0;

  file(filing: Filing): void {
    const existing = this.document(documentIdOf(filing.key));
    if (existing) this.remove(existing.rowid);
    const rowid = this.nextRowid++;
    this.docs.set(rowid, storedOf(filing, rowid));
    this.log.push({ seq: this.log.length + 1, op: 'add', docRowid: rowid });
  }

  remove(rowid: number): void {
    if (!this.docs.delete(rowid)) return;
    this.log.push({ seq: this.log.length + 1, op: 'remove', docRowid: rowid });
  }

  documents(): StoredDocument[] {
    this.listed++;
    return [...this.docs.values()];
  }

  document(docId: string): StoredDocument | undefined {
    return [...this.docs.values()].find((doc) => doc.docId === docId);
  }

  documentByRowid(rowid: number): StoredDocument | undefined {
    return this.docs.get(rowid);
  }

  changePosition(): number {
    return this.log.length;
  }

  changeHorizon(): number {
    return 0;
  }

  changesSince(position: number, limit: number): Change[] {
    return this.log.slice(position, position + limit);
  }
}

/** The catalog entry a filing becomes. */
function storedOf(filing: Filing, rowid: number): StoredDocument {
  const docId = documentIdOf(filing.key);
  const { labels } = filing;
  return {
    rowid, docId, key: filing.key, vendor: filing.vendor, vendorLabel: labels.vendor, productLabel: labels.product,
    versionLabel: labels.version, collectionLabel: labels.collection, documentLabel: labels.document, title: labels.document,
    sourcePath: `${docId}.md`, originalFile: `${labels.document}.md`, format: 'markdown', contentHash: docId, pageCount: 1,
    convertedAt: '2026-12-06T00:00:00Z', markdownHash: docId, chunkCount: 1, indexedAt: '2026-12-06T00:00:00Z',
  } as StoredDocument;
}

/** Labels from small pools, so that slugs collide often: "Acme"/"ACME " are one label, "acme"/"Acme Corp" are not. */
const filingArb: fc.Arbitrary<Filing> = fc.record({
  vendor: fc.constantFrom('acme', 'globex'),
  vendorLabel: fc.constantFrom('Acme', 'ACME ', 'Acme Corp', 'Globex'),
  product: fc.constantFrom('router', 'switch'),
  productLabel: fc.constantFrom('Router', 'router', 'ROUTER!'),
  version: fc.constantFrom('1.0', '2.0'),
  versionLabel: fc.constantFrom('1.0', '1-0', '2.0'),
  collection: fc.constantFrom('guides', 'notes'),
  collectionLabel: fc.constantFrom('Guides', 'guides', 'Notes'),
  document: fc.constantFrom('install', 'upgrade'),
  documentLabel: fc.constantFrom('Install', 'install', 'Upgrade'),
}).map((f) => ({
  key: { product: f.product, version: f.version, collection: f.collection, document: f.document },
  vendor: f.vendor,
  labels: { vendor: f.vendorLabel, product: f.productLabel, version: f.versionLabel, collection: f.collectionLabel, document: f.documentLabel },
}));

type Step = { kind: 'file'; filing: Filing } | { kind: 'remove'; pick: number } | { kind: 'check'; filing: Filing };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  filingArb.map((filing) => ({ kind: 'file' as const, filing })),
  fc.nat(50).map((pick) => ({ kind: 'remove' as const, pick })),
  filingArb.map((filing) => ({ kind: 'check' as const, filing })),
);

const refuses = (run: () => void): boolean => {
  try {
    run();
    return false;
  } catch {
    return true;
  }
};

test('a long-lived check refuses exactly what comparing with every document refuses, after any history', () => {
  fc.assert(fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
    const catalog = new MemoryCatalog();
    const check = new FilingCheck(catalog);
    for (const step of steps) {
      if (step.kind === 'file') {
        // Only what the library would accept is filed, so the history stays one a library can have.
        if (filingConflict(step.filing, catalog.docs.values()) === undefined) catalog.file(step.filing);
      } else if (step.kind === 'remove') {
        const rowids = [...catalog.docs.keys()];
        if (rowids.length > 0) catalog.remove(rowids[step.pick % rowids.length]!);
      } else {
        const everyDocument = filingConflict(step.filing, catalog.docs.values()) !== undefined;
        assert.equal(refuses(() => check.check(step.filing)), everyDocument, JSON.stringify(step.filing));
      }
    }
  }), { numRuns: 300 });
});

test('documents about to join the library count too', () => {
  const catalog = new MemoryCatalog();
  const check = new FilingCheck(catalog);
  const [first, second] = fc.sample(filingArb, { numRuns: 1, seed: 1 }).flatMap((f) => [
    { ...f, labels: { ...f.labels, product: 'Router' } },
    { ...f, key: { ...f.key, document: 'other' }, labels: { ...f.labels, product: 'ROUTER!' } },
  ]);
  assert.equal(refuses(() => check.check(second!, [storedOf(first!, 0)])), true, 'two product labels making one slug in one batch');
  assert.equal(refuses(() => check.check(second!)), false);
});

test('each check reads only the changes since the last one: the library is listed once', () => {
  const catalog = new MemoryCatalog();
  const check = new FilingCheck(catalog);
  const base: Filing = {
    key: { product: 'router', version: '1.0', collection: 'guides', document: 'd0' }, vendor: 'acme',
    labels: { vendor: 'Acme', product: 'Router', version: '1.0', collection: 'Guides', document: 'd0' },
  };
  for (let i = 0; i < 200; i++) {
    const filing = { ...base, key: { ...base.key, document: `d${i}` }, labels: { ...base.labels, document: `d${i}` } };
    check.check(filing);
    catalog.file(filing);
  }
  assert.equal(catalog.listed, 1, 'gathered from every document once, then followed the change log');
  // The product's vendor is still known after most of its documents are gone, and forgotten with the last.
  for (const rowid of [...catalog.docs.keys()].slice(0, 199)) catalog.remove(rowid);
  const otherVendor: Filing = { ...base, vendor: 'globex', labels: { ...base.labels, vendor: 'Globex' } };
  assert.equal(refuses(() => check.check(otherVendor)), true);
  catalog.remove([...catalog.docs.keys()][0]!);
  assert.equal(refuses(() => check.check(otherVendor)), false);
  assert.equal(catalog.listed, 1);
});
