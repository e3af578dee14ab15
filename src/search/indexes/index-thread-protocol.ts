import type { MergePolicy } from '../segments/merge-policy.js';
import type { StoreReaderSpec } from '../../store/store.js';
import type { Bm25Params } from '../lexical/bm25-params.js';
import type { IndexFiles } from './index-follower.js';
import type { IndexHandles } from './search-indexes.js';

/** Messages between `IndexThread` (main thread) and the index worker (index-worker.ts). */
export interface IndexWorkerData {
  reader: StoreReaderSpec;
  files?: IndexFiles;
  params?: Bm25Params;
  mergePolicy?: Partial<MergePolicy>;
  /** How often the change log is looked at for writes by other processes. */
  pollMs: number;
  /** Changed indexes are saved once this long has passed without further changes. */
  saveAfterMs: number;
}

export type ToIndexWorker =
  /** Look at the change log now (after a write in this process) and answer with `caught-up`. */
  | { type: 'catch-up'; id: number }
  /** Save if anything changed, then answer `closed`. */
  | { type: 'close' };

export interface IndexStatus {
  position: number;
  chunks: number;
  vectors: number;
  segments: number;
  /** Full rebuilds since the worker started (loading a usable file is not one). */
  rebuilds: number;
  /** Changes applied one by one since the worker started. */
  applied: number;
}

export type FromIndexWorker =
  | { type: 'indexes'; handles: IndexHandles; status: IndexStatus }
  | { type: 'caught-up'; id: number; position: number }
  | { type: 'log'; message: string }
  | { type: 'failed'; message: string }
  | { type: 'closed' };
