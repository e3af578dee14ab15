import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uploadAnswer } from '../../src/api/upload.js';
import type { ServerContext } from '../../src/http/context.js';
import type { AddResult } from '../../src/ingest/pipeline.js';
import { LibraryError } from '../../src/library/errors.js';

/**
 * An upload that succeeded is answered as one even when another writer removed the document
 * between the job's end and the answer (a race test/hardening/race-interleavings.test.ts found:
 * the answer was a 404 for an upload that had been added).
 */
test('an added upload removed by another writer before the answer is still answered as added, with a warning', () => {
  const docId = 'raced::1::doc-0::doc-0';
  const ctx = {
    library: { document: (id: string) => { throw new LibraryError('not_found', `no document "${id}"`, 'See `mcdewey list`'); } },
  } as unknown as ServerContext;
  const result: AddResult = { file: 'doc-0.md', status: 'added', docId, sourcePath: 'raced/1/doc-0/doc-0.md', pages: 1, chunks: 1, warnings: [] };
  const reply = uploadAnswer(ctx, result, 'doc-0.md', (text) => text);
  assert.equal(reply.status, 201);
  const body = reply.body as { doc_id: string; document?: unknown; warnings: string[] };
  assert.equal(body.doc_id, docId);
  assert.equal(body.document, undefined);
  assert.deepEqual(body.warnings, [`${docId} was added, then removed by another writer before this answer`]);

  // Any other failure to read it is still an error.
  const broken = { library: { document: () => { throw new LibraryError('io', 'disk I/O error', 'Check the disk'); } } } as unknown as ServerContext;
  assert.throws(() => uploadAnswer(broken, result, 'doc-0.md', (text) => text), (e: unknown) => e instanceof LibraryError && e.code === 'io');
});
