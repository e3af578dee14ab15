/**
 * The index worker: follows the store's change log in its own thread and hands the main thread each
 * new snapshot of the search indexes (shared memory, not copies). Catching up, analyzing new chunks
 * and merging segments all happen here, so none of it delays a request; searches keep using the
 * previous snapshot until the next one is published.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStoreReader } from '../../store/open-reader.js';
import { IndexFollower, type CatchUp } from './index-follower.js';
import type { FromIndexWorker, IndexStatus, IndexWorkerData, ToIndexWorker } from './index-thread-protocol.js';

const port = parentPort!;
const options = workerData as IndexWorkerData;
const post = (message: FromIndexWorker) => port.postMessage(message);

let follower: IndexFollower;
const store = openStoreReader(options.reader);
const totals = { rebuilds: 0, applied: 0 };
let lastChange = 0;
let closing = false;
const waiting: number[] = [];
let wake: () => void = () => {};

function count(result: CatchUp): boolean {
  if (result.rebuilt) totals.rebuilds++;
  totals.applied += result.applied;
  const changed = result.applied > 0 || result.rebuilt !== undefined;
  if (changed) lastChange = performance.now();
  return changed;
}

function publish(): void {
  const handles = follower.share();
  const { lexical, vectors } = follower.snapshot();
  const status: IndexStatus = {
    position: follower.at, chunks: lexical.size, vectors: vectors?.size ?? 0,
    segments: lexical.segmentCount + (vectors?.segmentCount ?? 0), ...totals,
  };
  post({ type: 'indexes', handles, status });
}

function answerWaiting(): void {
  for (const id of waiting.splice(0)) post({ type: 'caught-up', id, position: follower.at });
}

port.on('message', (message: ToIndexWorker) => {
  if (message.type === 'catch-up') waiting.push(message.id);
  else closing = true;
  wake();
});

try {
  const opened = IndexFollower.open(store, {
    ...(options.files ? { files: options.files } : {}),
    ...(options.params ? { params: options.params } : {}),
    ...(options.mergePolicy ? { mergePolicy: options.mergePolicy } : {}),
    shared: true,
    log: (message) => post({ type: 'log', message }),
  });
  follower = opened.follower;
  if (count(opened.opened)) follower.save();
  publish();
} catch (error) {
  post({ type: 'failed', message: (error as Error).stack ?? String(error) });
  store.close();
  process.exit(1);
}

// One loop: catch up, then one merge step at most, then save once things settle; a catch-up request
// (a write in this process) cuts the wait short. Each step publishes what it changed.
while (!closing) {
  const asked = waiting.length > 0;
  if (count(follower.catchUp())) publish();
  answerWaiting();
  if (!asked && follower.mergeStep()) {
    publish();
    await sleep(0);
    continue;
  }
  if (performance.now() - lastChange >= options.saveAfterMs) follower.save();
  if (waiting.length === 0 && !closing) {
    const timer = new AbortController();
    await Promise.race([sleep(options.pollMs, undefined, { signal: timer.signal }).catch(() => {}), new Promise<void>((resolve) => (wake = resolve))]);
    timer.abort();
  }
}
follower.save();
store.close();
post({ type: 'closed' });
