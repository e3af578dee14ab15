import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { beginRebuild, finishRebuild, incompleteIndexNotices } from '../../src/service/rebuild-state.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/**
 * Two re-indexes may run at once (from two processes: writes serialise per document). Each ends
 * only its own record, so a re-index that finishes never clears the record of one started since:
 * were that one killed, the library would be called whole while it may be partial.
 */
test('a re-index that ends leaves the record of one started since, which then ends its own', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-rebuild-'));
  const store = new SqliteStore(path.join(dir, 'index.sqlite'));
  try {
    const first = beginRebuild(store);
    const second = beginRebuild(store);
    finishRebuild(store, first, 3, []);
    assert.deepEqual(store.rebuildState(), second, 'the first cleared the record of the second');
    assert.equal(incompleteIndexNotices(store).length, 1);
    // Had the first failed, its failures would not replace the second's record either.
    finishRebuild(store, first, 3, [new Error('unreadable')]);
    assert.deepEqual(store.rebuildState(), second);
    finishRebuild(store, second, 3, []);
    assert.equal(store.rebuildState(), undefined);
    assert.deepEqual(incompleteIndexNotices(store), []);
    // A record written before re-indexes had ids is ended by the re-index that finds it.
    store.setRebuildState({ startedAt: '2026-01-01T00:00:00.000Z' });
    finishRebuild(store, { startedAt: '2026-01-01T00:00:00.000Z' }, 1, []);
    assert.equal(store.rebuildState(), undefined);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
