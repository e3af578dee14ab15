import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { silentProgress } from '../../src/ingest/progress.js';
import { LibraryError } from '../../src/library/errors.js';
import { parseJobRequest } from '../../src/service/jobs/job-request.js';
import { runJobRequest, type JobRun } from '../../src/service/jobs/run-job.js';
import { Library } from '../../src/service/library.js';

/**
 * A re-labelling job resumed after an interrupted run had already made the change (it died between
 * the change and the job's "done"): the resumed run says so and is done, rather than failing on a
 * product that is no longer there. A first run naming a missing product still fails.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-relabel-resume-'));
let library: Library;

before(async () => {
  const sources = path.join(root, 'sources');
  fs.mkdirSync(path.join(sources, 'acme', 'router', '1.0'), { recursive: true });
  fs.writeFileSync(path.join(sources, 'acme', 'router', '1.0', 'guide.md'), '# Router Guide\n\nAdd a static route with the route add command.\n');
  library = await Library.open(loadConfig({ data: path.join(root, 'data'), embedder: 'none' }, {}), 'write');
  await library.add(library.plan([sources]));
});
after(async () => {
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function run(checkpoint?: unknown): JobRun & { saved: unknown[] } {
  const saved: unknown[] = [];
  return { library, progress: silentProgress, signal: new AbortController().signal, ...(checkpoint === undefined ? {} : { checkpoint }), saveCheckpoint: (value) => saved.push(value), saved };
}

test('a resumed re-labelling whose change was already made is done; a first run on a missing product fails', async () => {
  const request = parseJobRequest({ kind: 'relabel', product: 'router', labels: { product: 'Edge Router' } });
  const first = run();
  const outcome = await runJobRequest(request, first);
  assert.equal(outcome.status, 'done');
  assert.deepEqual(first.saved, [{ relabel: 'started' }], 'the start is recorded before anything changes');
  assert.deepEqual(library.documents().map((d) => d.docId.split('::')[0]), ['edge-router']);

  // The same job again, as a runner resumes it after the process died before marking it done.
  const resumed = await runJobRequest(request, run({ relabel: 'started' }));
  assert.equal(resumed.status, 'done');
  assert.match(resumed.summary, /^already re-labelled: nothing is filed under router any more, and edge-router holds its documents/);

  // Not resumed: the missing product is the caller's mistake and is reported as one.
  await assert.rejects(runJobRequest(request, run()), (e: unknown) => e instanceof LibraryError && e.code === 'not_found');
  // Resumed, but the new labels hold nothing either: not a finished change.
  const elsewhere = parseJobRequest({ kind: 'relabel', product: 'router', labels: { product: 'Core Router' } });
  await assert.rejects(runJobRequest(elsewhere, run({ relabel: 'started' })), (e: unknown) => e instanceof LibraryError && e.code === 'not_found');
});
