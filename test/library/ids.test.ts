import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chunkIdOf, parseChunkId, parseDocumentId, sourcePathOf } from '../../src/library/ids.js';
import { PathEscapeError, documentFilePath, resolveInside } from '../../src/library/paths.js';

const key = { product: 'finesse', version: 'v12.5', collection: 'developer-guide', document: 'developer-guide' };

test('ids and source paths have the seed shapes', () => {
  assert.equal(sourcePathOf(key), 'finesse/v12.5/developer-guide/developer-guide.md');
  assert.equal(chunkIdOf(key, 43), 'finesse::v12.5::developer-guide::developer-guide::43');
  assert.deepEqual(parseChunkId('finesse::v12.5::developer-guide::developer-guide::43'), { key, ordinal: 43 });
  assert.deepEqual(parseDocumentId('finesse::v12.5::developer-guide::developer-guide'), key);
});

test('malformed ids are rejected, not half-parsed', () => {
  for (const bad of ['', 'a::b::c::d', 'a::b::c::d::-1', 'a::b::c::d::1.5', '../x::b::c::d::1', 'A::b::c::d::1', 'a::b::c::d::1::2']) {
    assert.equal(parseChunkId(bad), undefined, bad);
  }
});

test('resolveInside refuses paths outside the root', () => {
  const root = path.resolve('/tmp/mcdewey-root');
  assert.equal(resolveInside(root, 'library', 'x.md'), path.join(root, 'library', 'x.md'));
  assert.throws(() => resolveInside(root, '..', 'etc'), PathEscapeError);
  assert.throws(() => resolveInside(root, '/etc/passwd'), PathEscapeError);
  assert.throws(() => documentFilePath(root, { ...key, product: '..' }), PathEscapeError);
  assert.throws(() => documentFilePath(root, { ...key, document: 'a/b' }), PathEscapeError);
});
