import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CandidateRows, StaleCandidates } from '../../src/search/candidate-rows.js';
import type { StoredChunk } from '../../src/store/store.js';

/**
 * A search's candidates take their documents from the index and read their rows only when asked,
 * each at most once, several in one query; a row the store holds otherwise than the index (a write
 * after the snapshot) is reported, so that the search reads every row from the store instead.
 */
function chunk(rowid: number, docRowid: number): StoredChunk {
  return { rowid, docRowid, id: `c${rowid}`, ordinal: rowid, page: 1, pageEnd: 1, headingPath: [], text: `text of ${rowid}`, tokenCount: 3 } as unknown as StoredChunk;
}

function fakeStore(rows: StoredChunk[]) {
  const reads: number[][] = [];
  return {
    reads,
    chunksByRowid(rowids: number[]): StoredChunk[] {
      reads.push([...rowids]);
      return rowids.flatMap((r) => rows.filter((c) => c.rowid === r));
    },
  };
}

const index = new Map([[1, 10], [2, 10], [3, 20]]);

test('documents come from the index; rows are read only when asked, once, several in one query', () => {
  const store = fakeStore([chunk(1, 10), chunk(2, 10), chunk(3, 20)]);
  const rows = CandidateRows.fromIndex(store, [3, 1, 2], (r) => index.get(r))!;
  assert.equal(rows.documentOf(3), 20);
  assert.equal(rows.documentOf(99), undefined);
  assert.deepEqual(store.reads, [], 'nothing read to know the documents');
  assert.equal(rows.chunk(3).text, 'text of 3');
  rows.load([3, 1, 2]);
  assert.equal(rows.chunk(1).rowid, 1);
  assert.deepEqual(store.reads, [[3], [1, 2]], 'each row read once');
});

test('a candidate the index does not hold means the rows are read from the store', () => {
  const store = fakeStore([chunk(1, 10)]);
  assert.equal(CandidateRows.fromIndex(store, [1, 4], (r) => index.get(r)), undefined);
  const rows = CandidateRows.fromStore(store, [1, 4]);
  assert.deepEqual(store.reads, [[1, 4]]);
  assert.equal(rows.documentOf(1), 10);
  assert.equal(rows.documentOf(4), undefined, 'a chunk the store no longer holds has no document');
});

test('a row the store holds for another document, or no longer holds, is stale', () => {
  const moved = CandidateRows.fromIndex(fakeStore([chunk(1, 10), chunk(2, 11)]), [1, 2], (r) => index.get(r))!;
  assert.throws(() => moved.load([1, 2]), (e: unknown) => e instanceof StaleCandidates && e.rowid === 2);
  const gone = CandidateRows.fromIndex(fakeStore([chunk(1, 10)]), [1, 3], (r) => index.get(r))!;
  assert.throws(() => gone.chunk(3), (e: unknown) => e instanceof StaleCandidates && e.rowid === 3);
  // Read from the store, rows are what the store says: nothing is stale.
  const stored = CandidateRows.fromStore(fakeStore([chunk(1, 10), chunk(2, 11)]), [1, 2]);
  assert.equal(stored.documentOf(2), 11);
  assert.equal(stored.chunk(2).docRowid, 11);
});
