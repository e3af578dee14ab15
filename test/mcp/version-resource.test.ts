import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { versionListing, VERSION_DOCUMENTS_LISTED } from '../../src/mcp/resources/version-resource.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';

/** A version resource names a bounded number of documents, and says how many it leaves out. */

let fixture: Fixture;

before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.19'] });
});

after(async () => {
  await fixture?.cleanup();
});

function version() {
  const vendor = fixture.library.tree().vendors[0]!;
  const product = vendor.products[0]!;
  return { vendor, product, version: product.versions[0]! };
}

test('a version within the bound lists every document, with their count', () => {
  const { vendor, product, version: v } = version();
  const listing = versionListing(vendor, product, v);
  assert.ok(v.documents.length <= VERSION_DOCUMENTS_LISTED);
  assert.equal(listing.documents.length, v.documents.length);
  assert.equal(listing.document_count, v.documents.length);
  assert.equal('documents_omitted' in listing, false);
});

test('a version past the bound lists the first documents and says how many it leaves out and where they are', () => {
  const { vendor, product, version: v } = version();
  const listing = versionListing(vendor, product, v, 0);
  assert.deepEqual(listing.documents, []);
  assert.equal(listing.document_count, v.documents.length);
  assert.equal(listing.documents_omitted, v.documents.length);
  assert.match(listing.hint ?? '', /search_docs/);
});
