import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listedCopies } from '../../src/search/also-in.js';
import type { StoredDocument } from '../../src/store/store.js';

const copy = (version: string, document: string) => ({ doc: { key: { version }, versionLabel: version } as StoredDocument, name: `${version}/${document}` });

test('also in names every version once before listing a version\'s other copies, newest first', () => {
  // Three versions, each holding the passage in four reference pages, listed in rank order.
  const copies = ['1.0', '3.0', '2.0'].flatMap((version) => ['a', 'b', 'c', 'd'].map((document) => copy(version, document)));
  assert.deepEqual(listedCopies(copies, 5).map((c) => c.name), ['3.0/a', '3.0/b', '3.0/c', '2.0/a', '1.0/a']);
  assert.deepEqual(listedCopies(copies, 3).map((c) => c.name), ['3.0/a', '2.0/a', '1.0/a']);
  assert.equal(listedCopies(copies, 12).length, 12);
  // Version labels order as versions do, not as text.
  assert.deepEqual(listedCopies([copy('9', 'a'), copy('10', 'a'), copy('9', 'b')], 2).map((c) => c.name), ['10/a', '9/a']);
});
