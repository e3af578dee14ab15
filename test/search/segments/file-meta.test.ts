import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileMeta } from '../../../src/search/segments/file-meta.js';
import { IndexFileError } from '../../../src/search/segments/index-file-error.js';

/** An index file's metadata is checked field by field; anything off is a damaged file to rebuild, said with the field. */
const corrupt = (read: () => unknown, field: RegExp) =>
  assert.throws(read, (error: unknown) => {
    assert.ok(error instanceof IndexFileError, String(error));
    assert.equal(error.problem, 'corrupt');
    assert.match(error.message, field);
    assert.match(error.message, /rebuild/);
    return true;
  });

test('well-formed metadata reads back field by field', () => {
  const meta = new FileMeta('x.idx', { position: 'p:1', dims: 3, weights: [1.5, 1, 0.5], segments: [{ liveCount: 0 }, { liveCount: 7 }] });
  assert.equal(meta.string('position'), 'p:1');
  assert.equal(meta.number('dims', { min: 1 }), 3);
  assert.deepEqual(meta.numbers('weights', 3), [1.5, 1, 0.5]);
  assert.deepEqual(meta.list('segments').map((s) => s.number('liveCount', { min: 0 })), [0, 7]);
});

test('a missing, mistyped or out-of-range field is refused with its place', () => {
  const meta = new FileMeta('x.idx', { position: 4, dims: 0, ratio: Number.NaN, weights: [1, '2', 3], segments: [{ liveCount: 1 }, { liveCount: -1 }], nested: null });
  corrupt(() => meta.string('position'), /metadata\.position is not a string/);
  corrupt(() => meta.string('absent'), /metadata\.absent is not a string/);
  corrupt(() => meta.number('dims', { min: 1 }), /metadata\.dims is not a whole number ≥ 1/);
  corrupt(() => meta.number('ratio'), /metadata\.ratio is not a number/);
  corrupt(() => meta.numbers('weights', 3), /metadata\.weights is not a list of 3 numbers/);
  corrupt(() => meta.numbers('dims', 3), /metadata\.dims is not a list of 3 numbers/);
  corrupt(() => meta.list('segments').map((s) => s.number('liveCount', { min: 0 })), /metadata\.segments\[1\]\.liveCount/);
  corrupt(() => meta.at('nested').string('k1'), /metadata\.nested is not an object/);
  corrupt(() => new FileMeta('x.idx', [1, 2]).string('position'), /metadata is not an object/);
});
