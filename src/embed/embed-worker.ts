import { Worker } from 'node:worker_threads';
import { errorMessage } from './error-message.js';
import type { EmbedRequest, WorkerMessage } from './embed-worker-protocol.js';
import type { WorkerScript } from '../runtime/worker-script.js';

export interface EmbedWorkerOptions {
  script: WorkerScript;
  /** Passed to the worker as `workerData` (must be structured-cloneable). */
  workerData: unknown;
  /** Used in error messages, e.g. "use-lite". */
  label: string;
}

interface PendingRequest {
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

interface Running {
  worker: Worker;
  dimensions: number;
  pending: Map<number, PendingRequest>;
  /** Set once the worker can no longer answer; later calls fail with it. */
  failure?: Error;
}

/**
 * Owns one model worker thread, so inference never blocks the main event loop. Starts lazily and at most once
 * (until `close()`), matches answers to requests by id, and rejects every outstanding request with a clear
 * message if the worker crashes or exits. The thread is unref'd while idle, so a forgotten `close()` cannot keep
 * the process alive.
 */
export class EmbedWorker {
  private running: Promise<Running> | undefined;
  private nextId = 1;
  private loadedDimensions = 0;

  constructor(private readonly options: EmbedWorkerOptions) {}

  /** Vector length reported by the model once it has loaded; 0 before that. */
  get dimensions(): number {
    return this.loadedDimensions;
  }

  /** Starts the worker and waits until its model is loaded; resolves to the model's vector length. */
  async start(): Promise<number> {
    return (await this.run()).dimensions;
  }

  /**
   * Queues one batch. The worker is chosen when this is called, so `close()` rejects every call made before it,
   * even one still waiting for the model to load.
   */
  async embed(texts: string[]): Promise<Float32Array[]> {
    const running = await this.run();
    if (running.failure) throw running.failure;
    if (texts.length === 0) return [];

    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      running.pending.set(id, { resolve, reject });
      if (running.pending.size === 1) running.worker.ref();
      const request: EmbedRequest = { type: 'embed', id, texts };
      running.worker.postMessage(request);
    });
  }

  /** Terminates the worker; outstanding requests are rejected. A later call starts a fresh worker. */
  async close(): Promise<void> {
    const starting = this.running;
    this.running = undefined;
    if (!starting) return;
    const running = await starting.catch(() => undefined);
    if (!running) return;
    this.fail(running, new Error(`${this.options.label} worker was closed`));
    await running.worker.terminate();
  }

  private run(): Promise<Running> {
    if (!this.running) {
      const launching = this.launch();
      this.running = launching;
      // A failed start is forgotten so that the next call retries it.
      launching.catch(() => {
        if (this.running === launching) this.running = undefined;
      });
    }
    return this.running;
  }

  private async launch(): Promise<Running> {
    const { script, workerData, label } = this.options;
    const worker = new Worker(script.entry, { workerData, eval: script.eval });
    let dimensions: number;
    try {
      dimensions = await waitUntilReady(worker, label);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    this.loadedDimensions = dimensions;
    const running: Running = { worker, dimensions, pending: new Map() };
    worker.on('message', (message: WorkerMessage) => this.answer(running, message));
    worker.on('error', (error) => this.fail(running, new Error(`${label} worker crashed: ${errorMessage(error)}`)));
    worker.on('messageerror', (error) => this.fail(running, new Error(`${label} worker sent an unreadable message: ${errorMessage(error)}`)));
    worker.on('exit', (code) => this.fail(running, new Error(`${label} worker stopped unexpectedly (exit code ${code})`)));
    worker.unref();
    return running;
  }

  private answer(running: Running, message: WorkerMessage): void {
    if (message.type !== 'vectors' && message.type !== 'embed-failed') return;
    const request = running.pending.get(message.id);
    if (!request) return;
    running.pending.delete(message.id);
    if (running.pending.size === 0) running.worker.unref();
    if (message.type === 'vectors') request.resolve(message.vectors);
    else request.reject(new Error(`${this.options.label}: embedding failed: ${message.message}`));
  }

  private fail(running: Running, error: Error): void {
    running.failure ??= error;
    for (const request of running.pending.values()) request.reject(running.failure);
    running.pending.clear();
    running.worker.unref();
  }
}

function waitUntilReady(worker: Worker, label: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void): void => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      outcome();
    };
    const onMessage = (message: WorkerMessage): void => {
      if (message.type === 'ready') settle(() => resolve(message.dimensions));
      if (message.type === 'load-failed') settle(() => reject(new Error(message.message)));
    };
    const onError = (error: unknown): void =>
      settle(() => reject(new Error(`${label} worker failed while loading the model: ${errorMessage(error)}`)));
    const onExit = (code: number): void =>
      settle(() => reject(new Error(`${label} worker exited while loading the model (exit code ${code})`)));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}
