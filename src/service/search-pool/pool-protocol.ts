import type { IndexHandles } from '../../search/indexes/search-indexes.js';
import type { SearchStep } from '../../search/trace.js';
import type { StoreReaderSpec } from '../../store/store.js';
import { LibraryError, type ErrorCode } from '../../library/errors.js';
import type { SearchRequest, SearchResponse } from '../types.js';

/** Messages between `SearchPool` (main thread) and a search worker (search-worker.ts). */
export interface SearchWorkerData {
  reader: StoreReaderSpec;
  /** Absent when the worker starts while the indexes load: they follow in an `indexes` message. */
  indexes?: IndexHandles;
  /**
   * One slot per search the worker may run at once: the main thread writes a search's id into its
   * slot to cancel it, and the worker reads the slot between stages without waiting for a message.
   */
  cancel: Int32Array;
  /** Read the catalog's entries once started, before the first search needs them. */
  readAhead: boolean;
}

export type ToSearchWorker =
  | { type: 'search'; id: number; slot: number; request: SearchRequest; /** The embedder the main thread embeds this search's query with; null for lexical only. */ model: string | null; traced: boolean }
  | { type: 'cancel'; id: number }
  | { type: 'indexes'; handles: IndexHandles }
  | { type: 'vector'; id: number; vector: Float32Array }
  | { type: 'vector-failed'; id: number; message: string };

export interface TracedStep {
  name: SearchStep;
  ms: number;
  counts?: Record<string, number>;
}

export type FromSearchWorker =
  | { type: 'ready' }
  /** The worker that reads the catalog's entries ahead has read them: the pool starts its other workers. */
  | { type: 'warm' }
  | { type: 'result'; id: number; response: SearchResponse; steps: TracedStep[] }
  | { type: 'failed'; id: number; error: WorkerError }
  /** The search needs its query's vector: the main thread owns the embedder (and its cache). */
  | { type: 'embed'; id: number; query: string };

/** A failure as it crosses threads: library errors keep their code and advice; anything else is a bug. */
export type WorkerError =
  | { kind: 'library'; code: ErrorCode; detail: string; hint?: string }
  | { kind: 'cancelled' }
  | { kind: 'other'; message: string };

export function toWorkerError(error: unknown): WorkerError {
  if (error instanceof LibraryError) return { kind: 'library', code: error.code, detail: error.detail, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  if (error instanceof SearchCancelled) return { kind: 'cancelled' };
  return { kind: 'other', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/** Thrown inside a worker when the main thread cancelled the search (deadline, client gone). */
export class SearchCancelled extends Error {
  constructor() {
    super('the search was cancelled');
    this.name = 'SearchCancelled';
  }
}
