import { Worker } from 'node:worker_threads';
import { resolveWorkerScript } from '../../runtime/worker-script.js';
import type { FromIndexWorker, IndexStatus, IndexWorkerData, ToIndexWorker } from './index-thread-protocol.js';
import type { IndexHandles } from './search-indexes.js';

export type { IndexStatus } from './index-thread-protocol.js';

export interface IndexThreadOptions extends Omit<IndexWorkerData, 'pollMs' | 'saveAfterMs'> {
  pollMs?: number;
  saveAfterMs?: number;
  log?: (message: string) => void;
}

/** Another process's write reaches a server within this long. */
export const DEFAULT_POLL_MS = 200;
const DEFAULT_SAVE_AFTER_MS = 5_000;
/** How long closing waits for the worker to save before stopping it anyway. */
const CLOSE_GRACE_MS = 30_000;

/**
 * The search indexes followed in a worker thread (index-worker.ts), for a server: every snapshot the
 * worker publishes is handed to `onSnapshot` listeners (the search workers), and `catchUp()` waits
 * until a write made in this process is in the indexes. A worker that dies is started again; it
 * loads the saved files and catches up.
 */
export class IndexThread {
  private worker: Worker | undefined;
  private latest: { handles: IndexHandles; status: IndexStatus } | undefined;
  private readonly listeners: ((handles: IndexHandles) => void)[] = [];
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private ready: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: IndexThreadOptions) {}

  /** Starts the worker; resolves once the first snapshot is published (the indexes loaded or built). */
  start(): Promise<void> {
    this.ready ??= this.launch();
    return this.ready;
  }

  get handles(): IndexHandles {
    if (!this.latest) throw new Error('the index thread has not published its indexes yet; await start()');
    return this.latest.handles;
  }

  get status(): IndexStatus | undefined {
    return this.latest?.status;
  }

  onSnapshot(listener: (handles: IndexHandles) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves once the indexes reflect every change committed before the call. */
  catchUp(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.closed) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ type: 'catch-up', id } satisfies ToIndexWorker);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const closed = new Promise<void>((resolve) => {
      worker.on('message', (message: FromIndexWorker) => message.type === 'closed' && resolve());
      worker.once('exit', () => resolve());
    });
    worker.postMessage({ type: 'close' } satisfies ToIndexWorker);
    const grace = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    await closed;
    clearTimeout(grace);
    await worker.terminate();
    this.failWaiting(new Error('the index thread was closed'));
  }

  private launch(): Promise<void> {
    const { log, pollMs, saveAfterMs, ...rest } = this.options;
    const data: IndexWorkerData = { ...rest, pollMs: pollMs ?? DEFAULT_POLL_MS, saveAfterMs: saveAfterMs ?? DEFAULT_SAVE_AFTER_MS };
    const script = resolveWorkerScript('index-worker', import.meta.url);
    const worker = new Worker(script.entry, { eval: script.eval, workerData: data });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (message: FromIndexWorker) => {
        switch (message.type) {
          case 'indexes':
            this.latest = { handles: message.handles, status: message.status };
            for (const listener of this.listeners) listener(message.handles);
            if (!started) {
              started = true;
              resolve();
            }
            break;
          case 'caught-up':
            this.waiting.get(message.id)?.resolve();
            this.waiting.delete(message.id);
            break;
          case 'log':
            log?.(message.message);
            break;
          case 'failed':
            log?.(`the index worker failed: ${message.message}`);
            if (!started) reject(new Error(`could not load or build the search indexes: ${message.message.split('\n')[0]}`));
            break;
          case 'closed':
            break;
        }
      });
      worker.on('error', (error) => log?.(`the index worker crashed: ${error.stack ?? error.message}`));
      worker.on('exit', (code) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        if (!started) {
          reject(new Error(`the index worker stopped while loading the search indexes (exit code ${code})`));
          return;
        }
        if (this.closed) return;
        // Searches go on with the last snapshot meanwhile; writes waiting for a catch-up are retried by the new worker.
        log?.(`the index worker stopped (exit code ${code}); starting it again`);
        const pending = [...this.waiting.values()];
        this.waiting.clear();
        this.ready = this.launch();
        this.ready.then(() => pending.forEach((p) => p.resolve()), (error: Error) => pending.forEach((p) => p.reject(error)));
      });
    });
  }

  private failWaiting(error: Error): void {
    for (const pending of this.waiting.values()) pending.reject(error);
    this.waiting.clear();
  }
}
