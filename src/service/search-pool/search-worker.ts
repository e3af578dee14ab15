/**
 * A search worker: runs whole searches (plan → retrieve → collect → hits) off the main thread, over
 * the shared search indexes the index thread publishes and its own read-only connection to the
 * store. The query's vector is asked of the main thread, which owns the embedder and its cache, as
 * soon as the search starts, so it is computed while this thread ranks lexically.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attachIndexes, type SearchIndexes } from '../../search/indexes/search-indexes.js';
import type { QueryVectors } from '../../search/query-vectors.js';
import { SearchEngine } from '../../search/search-engine.js';
import type { SearchTrace } from '../../search/trace.js';
import { openStoreReader } from '../../store/open-reader.js';
import { runSearch } from '../search.js';
import { SearchCancelled, toWorkerError, type FromSearchWorker, type SearchWorkerData, type ToSearchWorker, type TracedStep } from './pool-protocol.js';

const port = parentPort!;
const data = workerData as SearchWorkerData;
const post = (message: FromSearchWorker) => port.postMessage(message);
const store = openStoreReader(data.reader);
let indexes: SearchIndexes | undefined = data.indexes && attachIndexes(data.indexes);
// The pool dispatches no search before it has published indexes, and messages arrive in order.
const current = (): SearchIndexes => {
  if (!indexes) throw new Error('a search reached the worker before any search indexes');
  return indexes;
};
const vectorWaits = new Map<number, { resolve: (vector: Float32Array) => void; reject: (error: Error) => void }>();

/** Query vectors from the main thread, one request per search. */
function remoteVectors(id: number, model: string): QueryVectors {
  return {
    model,
    vectorFor: (query) => new Promise((resolve, reject) => {
      vectorWaits.set(id, { resolve, reject });
      post({ type: 'embed', id, query });
    }),
  };
}

async function search(message: Extract<ToSearchWorker, { type: 'search' }>): Promise<void> {
  const { id, slot } = message;
  const steps: TracedStep[] = [];
  const cancelled = () => Atomics.load(data.cancel, slot) === id;
  // The trace hook runs after every stage: the place to notice a cancellation without a message.
  const trace: SearchTrace = {
    step(name, ms, counts) {
      if (message.traced) steps.push(counts ? { name, ms, counts: { ...counts } } : { name, ms });
      if (cancelled()) throw new SearchCancelled();
    },
  };
  try {
    const engine = new SearchEngine(store, current, message.model === null ? null : remoteVectors(id, message.model));
    const response = await runSearch(engine, store, message.request, trace);
    post({ type: 'result', id, response, steps });
  } catch (error) {
    post({ type: 'failed', id, error: toWorkerError(error) });
  } finally {
    vectorWaits.delete(id);
  }
}

port.on('message', (message: ToSearchWorker) => {
  switch (message.type) {
    case 'search':
      void search(message);
      break;
    case 'cancel':
      vectorWaits.get(message.id)?.reject(new SearchCancelled());
      break;
    case 'indexes':
      indexes = attachIndexes(message.handles);
      break;
    case 'vector':
      vectorWaits.get(message.id)?.resolve(message.vector);
      break;
    case 'vector-failed':
      vectorWaits.get(message.id)?.reject(new Error(message.message));
      break;
  }
});
post({ type: 'ready' });
// Every search resolves its filters and the product its query names against every document's entry,
// which a new connection reads whole (32 ms at 14,977 documents, 0.37 s at 110,457): the worker that
// takes the first search reads them now, while the index thread is still loading the indexes. A
// search that arrives meanwhile waits for it, as it would anyway.
if (data.readAhead) {
  setImmediate(() => {
    try {
      store.catalogEntries();
    } finally {
      post({ type: 'warm' });
    }
  });
}
