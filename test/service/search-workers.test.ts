import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { LibraryError } from '../../src/library/errors.js';
import type { Library, SearchRequest } from '../../src/service/library.js';
import { startGatedEmbedder, type GatedEmbedder } from '../support/gated-embedder.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';

/**
 * Searches on worker threads: the same answers as in this thread, with the trace's steps; a worker
 * that crashes is replaced and its search runs again (or fails cleanly after a second crash);
 * beyond the queue a search is refused at once; a deadline ends a search; a cancelled search frees
 * its worker. A held embedding endpoint keeps hybrid searches running as long as a test needs.
 */
let embedder: GatedEmbedder;
let fixture: Fixture;

before(async () => {
  embedder = await startGatedEmbedder();
  fixture = await buildFixture({ embedder: embedder.spec, sources: ['pdf/cisco/ftdv-autoscale-aws/6.6.0', 'pdf/cisco/ftdv-autoscale-aws/6.7.0'] });
});

after(async () => {
  await fixture.cleanup();
  await embedder.close();
});

const REQUESTS: SearchRequest[] = [
  { query: 'lambda function' },
  { query: 'autoscale group health check', mode: 'lexical' },
  { query: 'NAT gateway', versions: 'all', limit: 5 },
  { query: 'security group rules', version: '6.6.0' },
  { query: 'CloudFormation template parameters', mode: 'vector', offset: 2 },
  { query: 'x' },
];

/**
 * A search that waits for its query vector while the embedder holds: a vector search always needs
 * it, where a hybrid one whose best lexical passage holds the whole query asks for none.
 */
function held(query: string): SearchRequest {
  return { query, mode: 'vector' };
}

function workersOf(library: Library): Worker[] {
  return (library as unknown as { workers: { pool: { slots: { worker: Worker }[] } } }).workers.pool.slots.map((s) => s.worker);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 20_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const code = (error: unknown) => (error instanceof LibraryError ? error.code : String(error));

/**
 * The error a search failed with, 'answered', or 'still waiting' after `ms`: raced with a timer,
 * because a search let in while the embedder is held would wait for it rather than fail.
 */
async function settledWithin(search: Promise<unknown>, ms: number): Promise<unknown> {
  const outcome = search.then(() => 'answered', (error: unknown) => error);
  return Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve(`still waiting after ${ms} ms`), ms))]);
}

test('searches on worker threads answer as searches in this thread do, and report their steps', async () => {
  const library = fixture.library;
  const expected = [];
  for (const request of REQUESTS) expected.push(await library.search(request));
  await library.startSearchWorkers({ workers: 2, queue: 8, deadlineMs: 30_000 });
  try {
    for (const [i, request] of REQUESTS.entries()) {
      const steps: string[] = [];
      const got = await library.search(request, { step: (name) => steps.push(name) });
      assert.deepEqual(got, expected[i], request.query);
      assert.ok(steps.includes('filter') && steps.includes('hits'), steps.join(' '));
      if (request.mode === 'vector') assert.ok(steps.includes('embed') && steps.includes('vector'), steps.join(' '));
      if (request.mode === undefined && request.query.length > 1) assert.ok(steps.includes('fuse'), steps.join(' '));
    }
    await until(() => library.searchWorkersLoad()?.workers === 2, 'the second worker is ready');
    assert.deepEqual(library.searchWorkersLoad(), { running: 0, waiting: 0, workers: 2 });
  } finally {
    await library.stopSearchWorkers();
  }
});

test('the pool is ready with its first worker; the others start once it has read the catalog, and then answer as the first does', async () => {
  const library = fixture.library;
  await library.startSearchWorkers({ workers: 3, queue: 8, deadlineMs: 30_000 });
  try {
    // Started with the first, they would have been awaited with it: three ready here.
    assert.equal(library.searchWorkersLoad()?.workers, 1);
    const expected = await library.search(REQUESTS[1]!);
    await until(() => library.searchWorkersLoad()?.workers === 3, 'every worker is ready');
    const answers = await Promise.all(Array.from({ length: 6 }, () => library.search(REQUESTS[1]!)));
    for (const answer of answers) assert.deepEqual(answer, expected);
    assert.deepEqual(library.searchWorkersLoad(), { running: 0, waiting: 0, workers: 3 });
  } finally {
    await library.stopSearchWorkers();
  }
});

test('a worker that crashes is replaced: its search runs again, and fails cleanly after a second crash', async () => {
  const library = fixture.library;
  // Queries never searched before, so their vectors are not cached: each search waits for the held embedder.
  const first = held('lambda function scaling policy');
  const second = held('scaling policy for the lambda function');
  let answer;
  await library.startSearchWorkers({ workers: 1, queue: 8, deadlineMs: 60_000 });
  try {
    embedder.hold();
    const answered = library.search(first);
    await until(() => embedder.waiting === 1, 'the search waits for its query vector');
    const [crashed] = workersOf(library);
    await crashed!.terminate();
    await until(() => workersOf(library)[0] !== crashed && library.searchWorkersLoad()!.running === 1, 'a new worker runs the search again');
    embedder.release();
    answer = await answered;

    embedder.hold();
    const failing = library.search(second);
    failing.catch(() => {});
    for (let crash = 0; crash < 2; crash++) {
      await until(() => library.searchWorkersLoad()?.running === 1 && workersOf(library).length === 1, `the search runs (crash ${crash + 1})`);
      await workersOf(library)[0]!.terminate();
    }
    await assert.rejects(failing, (error: unknown) => code(error) === 'unavailable' && /stopped twice/.test((error as Error).message));
    embedder.release();
    await until(() => library.searchWorkersLoad()?.workers === 1, 'a worker is up again');
    assert.ok((await library.search(second)).hits.length > 0);
  } finally {
    embedder.release();
    await library.stopSearchWorkers();
  }
  assert.deepEqual(answer, await library.search(first), 'the search that ran again answers as it does in this thread');
});

test('beyond the queue a search is refused at once; a deadline ends a search; a cancelled one frees its worker', async () => {
  const library = fixture.library;
  await library.startSearchWorkers({ workers: 1, queue: 1, deadlineMs: 2_000 });
  try {
    await library.search({ query: 'warm up' });
    embedder.hold();
    // One worker runs two searches at once; one more may wait; the fourth is refused.
    const running = [library.search(held('lambda')), library.search(held('health check'))];
    const waiting = library.search(held('NAT gateway'));
    for (const p of [...running, waiting]) p.catch(() => {});
    await until(() => library.searchWorkersLoad()?.running === 2 && library.searchWorkersLoad()?.waiting === 1, 'two searches run and one waits');
    await assert.rejects(library.search({ query: 'refused' }), (error: unknown) => {
      assert.equal(code(error), 'busy');
      assert.ok((error as LibraryError).retryAfterSeconds! >= 1);
      return true;
    });
    // The deadline ends all three, waiting or not, while the embedder still holds.
    for (const p of [...running, waiting]) await assert.rejects(p, (error: unknown) => code(error) === 'deadline_exceeded');
    embedder.release();
    await until(() => library.searchWorkersLoad()?.running === 0, 'the cancelled searches leave their worker');

    embedder.hold();
    const controller = new AbortController();
    const cancelled = library.search(held('autoscale'), undefined, controller.signal);
    await until(() => library.searchWorkersLoad()?.running === 1 && embedder.waiting === 1, 'the search runs');
    controller.abort();
    await assert.rejects(cancelled, (error: unknown) => code(error) === 'unavailable' && /cancelled/.test((error as Error).message));
    // The worker stops waiting for the vector at once: the embedder is still holding.
    await until(() => library.searchWorkersLoad()?.running === 0, 'the cancelled search leaves its worker');
    assert.equal(embedder.waiting, 1);
    embedder.release();
    assert.ok((await library.search({ query: 'autoscale' })).hits.length > 0);
  } finally {
    embedder.release();
    await library.stopSearchWorkers();
  }
});

/** Two searches held at their query vectors, taking both lanes of a one-worker pool. */
async function holdBothLanes(library: Library, label: string): Promise<Promise<unknown>[]> {
  embedder.hold();
  const running = [library.search(held(`${label} one`)), library.search(held(`${label} two`))];
  await until(() => library.searchWorkersLoad()?.running === 2, 'two searches take both lanes');
  return running;
}

test('a search that would wait longer than the wait limit is refused at once, though the queue has room', async () => {
  const library = fixture.library;
  await library.startSearchWorkers({ workers: 1, queue: 8, maxWaitMs: 100, deadlineMs: 30_000 });
  try {
    // Two searches held 300 ms at their query vector: the median search now takes ≥ 300 ms.
    embedder.hold();
    const slow = [library.search(held('lambda scaling slow one')), library.search(held('health check slow two'))];
    await until(() => embedder.waiting === 2, 'two searches wait for their query vectors');
    await new Promise((resolve) => setTimeout(resolve, 300));
    embedder.release();
    await Promise.all(slow);

    const running = await holdBothLanes(library, 'NAT gateway held');
    // One search ahead of it at ≥ 300 ms over two lanes: it would wait ≥ 150 ms, more than 100.
    const outcome = await settledWithin(library.search({ query: 'refused for its wait' }), 5_000);
    assert.equal(code(outcome), 'busy');
    assert.match((outcome as Error).message, /would wait about \d+ ms, longer than the 100 ms it accepts/);
    assert.ok((outcome as LibraryError).retryAfterSeconds! >= 1);
    assert.equal(library.searchWorkersLoad()?.waiting, 0, 'nothing was queued');
    embedder.release();
    await Promise.all(running);
    // With a lane free a search runs at once, whatever the estimate.
    assert.ok((await library.search({ query: 'autoscale group' })).hits.length > 0);
  } finally {
    embedder.release();
    await library.stopSearchWorkers();
  }
});

test('a main thread that runs late refuses a search the worker queue alone would let in', async () => {
  const library = fixture.library;
  await library.startSearchWorkers({ workers: 1, queue: 8, maxWaitMs: 200, deadlineMs: 30_000 });
  try {
    // No search times yet and nobody waiting: the worker queue alone expects no wait at all.
    const running = await holdBothLanes(library, 'main thread lag');
    assert.equal(library.searchRefusal(), undefined, 'the queue has room and the main thread keeps time');
    // The main thread busy 300 ms (as with hundreds of requests in one turn of its event loop): a
    // search let in now would wait about that long for its request to be read and its answer written.
    const until300 = performance.now() + 300;
    while (performance.now() < until300);
    const outcome = await settledWithin(library.search({ query: 'refused for the main thread' }), 5_000);
    assert.equal(code(outcome), 'busy');
    assert.match((outcome as Error).message, /would wait about \d+ ms, longer than the 200 ms it accepts \((\d+) ms of it for the main thread\)/);
    assert.ok(Number(/\((\d+) ms of it/.exec((outcome as Error).message)![1]) >= 200, (outcome as Error).message);
    assert.equal(library.searchWorkersLoad()?.waiting, 0, 'nothing was queued');
    embedder.release();
    await Promise.all(running);
  } finally {
    embedder.release();
    await library.stopSearchWorkers();
  }
});

test('a queue that does not drain refuses new searches once its oldest has waited longer than the limit, and that one when its turn comes', async () => {
  const library = fixture.library;
  await library.startSearchWorkers({ workers: 1, queue: 8, maxWaitMs: 200, deadlineMs: 30_000 });
  try {
    // A new pool has no search times yet, so only what the queue has already waited can tell.
    const running = await holdBothLanes(library, 'queue drain');
    const waiting = library.search({ query: 'queue drain waiting' });
    for (const p of [...running, waiting]) p.catch(() => {});
    await until(() => library.searchWorkersLoad()?.waiting === 1, 'the third search is let in to wait');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const outcome = await settledWithin(library.search({ query: 'queue drain refused' }), 5_000);
    assert.equal(code(outcome), 'busy');
    assert.match((outcome as Error).message, /would wait about \d+ ms, longer than the 200 ms it accepts/);
    embedder.release();
    await Promise.all(running);
    // Let in on an estimate that ran short, it has now waited past the limit: refused, not run.
    const late = await settledWithin(waiting, 5_000);
    assert.equal(code(late), 'busy');
    assert.match((late as Error).message, /this search waited \d+ ms for a worker, longer than the 200 ms it accepts/);
    assert.equal(library.searchWorkersLoad()?.running, 0, 'it never reached a worker');
    // A search let in now runs at once.
    assert.ok((await library.search({ query: 'autoscale group' })).hits.length > 0);
  } finally {
    embedder.release();
    await library.stopSearchWorkers();
  }
});
