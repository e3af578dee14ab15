import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedIngestFiles, ingestCodeDigest, ingestCodeFiles } from '../../bench/lib/fixtures/libraries.js';

test('a cached library names the ingestion files changed since it was built: changed, added and removed alike', () => {
  const now = ingestCodeFiles();
  const names = Object.keys(now);
  assert.ok(names.includes('store/sqlite/catalog-cache.ts') && names.every((n) => /^(ingest|library|store)\//.test(n)), 'paths under src/, of the three folders');
  assert.deepEqual(changedIngestFiles({ ...now }, now), []);
  const [first, second] = names as [string, string];
  const built: Record<string, string> = { ...now, [first]: '0000000000000000', 'store/gone.ts': 'abcd' };
  delete built[second];
  assert.deepEqual(changedIngestFiles(built, now), [`src/${first}`, `src/${second}`, 'src/store/gone.ts'].sort());
  assert.equal(changedIngestFiles(undefined, now), undefined, 'a library that recorded no files says nothing rather than "none changed"');
});

test('the per-file record and the digest read the same files', () => {
  assert.match(ingestCodeDigest(), /^[0-9a-f]{16}$/);
  assert.ok(Object.keys(ingestCodeFiles()).length > 20);
});
