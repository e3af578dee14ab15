import { parentPort, workerData } from 'node:worker_threads';
import { LexicalIndex, type LexicalIndexHandle, type LexicalQuery } from '../../../src/search/lexical/lexical-index.js';

/** Test worker: attaches to a shared index snapshot and answers queries with it. */
const { handle, queries } = workerData as { handle: LexicalIndexHandle; queries: LexicalQuery[] };
const index = LexicalIndex.attach(handle);
parentPort!.postMessage({
  shared: handle.segments.every((s) => s.data.forward.buffer instanceof SharedArrayBuffer && s.live.removed.buffer instanceof SharedArrayBuffer),
  results: queries.map((q) => index.search(q, 10)),
  readOnly: (() => {
    try {
      index.add([]);
      return false;
    } catch {
      return true;
    }
  })(),
});
