import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { LexicalIndex } from '../../../src/search/lexical/lexical-index.js';
import { LEXICAL_FORMAT } from '../../../src/search/lexical/lexical-file.js';
import { writeArrayFile } from '../../../src/search/segments/array-file.js';
import { IndexFileError, type IndexFileProblem } from '../../../src/search/segments/index-file-error.js';
import { parseQuery } from '../../../src/search/query.js';
import { sciFactSample } from './real-chunks.js';

/**
 * The saved index: one file, written atomically, read back into arrays viewed in place (optionally
 * in shared memory) that rank exactly as before and accept further changes; a file of another
 * format, kind or parameters, a truncated file and a damaged one are each refused with a typed
 * error that says to rebuild.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-lexfile-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function savedIndex() {
  const { chunks, claims } = await sciFactSample(300);
  const index = LexicalIndex.create();
  index.add(chunks.slice(0, 200));
  index.add(chunks.slice(200));
  index.remove(chunks.slice(0, 30).map((c) => c.rowid));
  const file = path.join(dir, 'lexical.idx');
  index.save(file, 'change-log:1234');
  return { index, file, chunks, queries: claims.slice(0, 40).map(parseQuery) };
}

function expectProblem(file: string, problem: IndexFileProblem, options?: Parameters<typeof LexicalIndex.load>[1]) {
  assert.throws(() => LexicalIndex.load(file, options), (error: unknown) => {
    assert.ok(error instanceof IndexFileError, String(error));
    assert.equal(error.problem, problem, error.message);
    assert.match(error.message, /rebuild/);
    return true;
  });
}

test('a saved index loads back, ranks the same, keeps its position string and accepts changes', async () => {
  const { index, file, chunks, queries } = await savedIndex();
  assert.deepEqual(fs.readdirSync(dir), ['lexical.idx'], 'no temporary file is left behind');
  for (const shared of [false, true]) {
    const { index: loaded, position } = LexicalIndex.load(file, { shared });
    assert.equal(position, 'change-log:1234');
    assert.equal(loaded.size, index.size);
    assert.equal(loaded.stats().bytes, index.stats().bytes);
    const handle = loaded.share();
    assert.equal(handle.segments[0]!.data.tfCodes.buffer instanceof SharedArrayBuffer, shared);
    for (const q of queries) assert.deepEqual(loaded.search(q, 10), index.search(q, 10));
    // Changes after loading copy what they change (the file's arrays are views, not edited), and the
    // result ranks like a fresh index of the same live chunks.
    loaded.remove(chunks.slice(30, 60).map((c) => c.rowid));
    loaded.add(chunks.slice(0, 30));
    while (loaded.mergeStep());
    const fresh = LexicalIndex.create();
    fresh.add([...chunks.slice(0, 30), ...chunks.slice(60)]);
    for (const q of queries) assert.deepEqual(loaded.search(q, 10), fresh.search(q, 10));
  }
  // Saving over an existing file replaces it whole.
  index.save(file, 'change-log:1300');
  assert.equal(LexicalIndex.load(file).position, 'change-log:1300');
});

test('missing, foreign, other-format, truncated and damaged files are refused', async () => {
  const { file } = await savedIndex();
  const bytes = fs.readFileSync(file);
  const variant = (name: string, content: Uint8Array) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, content);
    return target;
  };
  expectProblem(path.join(dir, 'nothing-here.idx'), 'missing');
  expectProblem(variant('text.idx', Buffer.from('just some text that is long enough to hold a header')), 'not-an-index');
  expectProblem(variant('short.idx', bytes.subarray(0, 20)), 'truncated');
  expectProblem(variant('truncated.idx', bytes.subarray(0, bytes.length - 1000)), 'truncated');
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.length / 2)]! ^= 0x10;
  expectProblem(variant('flipped.idx', flipped), 'corrupt');
  expectProblem(variant('longer.idx', Buffer.concat([bytes, Buffer.alloc(8)])), 'corrupt');
  // A future container version, with a valid header checksum.
  const future = Buffer.from(bytes);
  future.writeUInt32LE(2, 8);
  future.writeUInt32LE(zlib.crc32(future.subarray(0, 28)), 28);
  expectProblem(variant('future.idx', future), 'version');
  // Another lexical format, and another kind of index.
  const otherFormat = path.join(dir, 'format.idx');
  writeArrayFile(otherFormat, { kind: 'lexical', format: LEXICAL_FORMAT + 1, meta: {}, arrays: [] });
  expectProblem(otherFormat, 'version');
  const otherKind = path.join(dir, 'vector.idx');
  writeArrayFile(otherKind, { kind: 'vector', format: 1, meta: {}, arrays: [] });
  expectProblem(otherKind, 'not-an-index');
  // A sound container whose metadata is damaged: a position that is not a string, a negative count.
  const good = { params: { k1: 0.9, b: 0.4, fieldWeights: [1.5, 1.2, 1], phraseBoost: 0.5 }, position: 'change-log:1', segments: [] };
  for (const [name, meta] of [['position.idx', { ...good, position: 7 }], ['weights.idx', { ...good, params: { ...good.params, fieldWeights: [1, 1] } }],
    ['count.idx', { ...good, segments: [{ liveCount: -1, liveLengths: [0, 0, 0] }] }]] as const) {
    writeArrayFile(path.join(dir, name), { kind: 'lexical', format: LEXICAL_FORMAT, meta, arrays: [] });
    expectProblem(path.join(dir, name), 'corrupt');
  }
  // Built with other BM25 parameters than the caller expects.
  expectProblem(file, 'mismatch', { params: { k1: 1.2, b: 0.75, fieldWeights: [1, 1, 1], phraseBoost: 0.5 } });
});

test('an index with empty arrays (one chunk, no frequency exceptions, nothing removed) saves and loads', () => {
  const index = LexicalIndex.create();
  index.add([{ rowid: 1, docRowid: 1, fields: [['guide'], [], ['hello', 'world']] }]);
  const file = path.join(dir, 'tiny.idx');
  index.save(file, 'change-log:1');
  const { index: loaded, position } = LexicalIndex.load(file);
  assert.equal(position, 'change-log:1');
  assert.deepEqual(loaded.search(parseQuery('hello'), 5), index.search(parseQuery('hello'), 5));
});
