import { Worker } from 'node:worker_threads';
import { LibraryError } from '../../library/errors.js';
import { resolveWorkerScript } from '../../runtime/worker-script.js';
import type { IndexHandles } from '../../search/indexes/search-indexes.js';
import type { QueryVectors } from '../../search/query-vectors.js';
import type { SearchTrace } from '../../search/trace.js';
import type { StoreReaderSpec } from '../../store/store.js';
import type { SearchRequest, SearchResponse } from '../types.js';
import type { FromSearchWorker, SearchWorkerData, ToSearchWorker, WorkerError } from './pool-protocol.js';
import { EventLoopLag } from './event-loop-lag.js';
import { WaitEstimate } from './wait-estimate.js';

export interface SearchPoolOptions {
  reader: StoreReaderSpec;
  /**
   * The indexes at start, if already loaded; later snapshots (or the first, when the pool starts
   * while the indexes load) arrive through `publish`. No search is dispatched before there are some.
   */
  indexes?: IndexHandles;
  workers: number;
  /** Searches that may wait for a worker; beyond them a search is refused at once (busy). */
  queue: number;
  /**
   * Milliseconds a search may expect to wait, for a worker and for the main thread (to read its
   * request and to write its answer); one that would wait longer is refused at once (busy). The
   * queue length alone cannot bound latency: how long 64 waiting searches take depends on the
   * library and on the load, so under overload a fixed queue fills and every accepted search waits
   * the whole queue out (Little's law: 68 in the system at 158 answers a second is 430 ms).
   * Undefined or 0: only `queue` bounds waiting.
   */
  maxWaitMs?: number;
  /** Milliseconds a search may take, waiting included. */
  deadlineMs: number;
  /** The query vectors, resolved on first use (loading a model takes seconds); null for lexical only. */
  queryVectors: () => Promise<QueryVectors | null>;
  log?: (message: string) => void;
}

/**
 * Searches a worker runs at once: while one waits for its query vector, another ranks. More would only
 * queue inside the worker, where the deadline and the admission queue cannot see them.
 */
export const SEARCHES_PER_WORKER = 2;
/** A worker still busy this long after its search was cancelled is stuck (a runaway query): it is replaced. */
const STUCK_AFTER_MS = 2_000;

interface Job {
  id: number;
  request: SearchRequest;
  trace: SearchTrace | undefined;
  resolve: (response: SearchResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  started: number;
  /** When a worker took it: its service time (without the wait) feeds the admission estimate. */
  dispatched: number;
  /** A search whose worker crashed is run once more before it fails. */
  retried: boolean;
  settled: boolean;
  vectors: QueryVectors | null;
  running?: { slot: Slot; lane: number };
}

interface Slot {
  worker: Worker;
  ready: boolean;
  cancel: Int32Array;
  lanes: (Job | undefined)[];
  stuckTimer?: NodeJS.Timeout;
}

/**
 * Runs searches on a pool of worker threads, so the main thread only parses requests and writes
 * responses. Admission control keeps latency bounded under overload: at most `workers ×
 * SEARCHES_PER_WORKER` searches run and `queue` wait; a search beyond that is refused at once with
 * `busy` and a Retry-After estimate, rather than waiting behind hundreds of others. A search that
 * outlives its deadline or whose client goes away is answered or dropped at once and cancelled in its
 * worker at the next stage; a worker that stays stuck, or crashes, is replaced, and its searches run
 * once more on another worker or fail cleanly.
 */
export class SearchPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private readonly jobs = new Map<number, Job>();
  private readonly estimate = new WaitEstimate();
  /** Runs while searches are in the pool: admission adds the main thread's waits to the workers'. */
  private readonly lag = new EventLoopLag();
  private handles: IndexHandles | undefined;
  private nextId = 1;
  private closed = false;
  private restLaunched = false;

  constructor(private readonly options: SearchPoolOptions) {
    for (const [name, value, min] of [['workers', options.workers, 1], ['queue', options.queue, 0], ['maxWaitMs', options.maxWaitMs ?? 0, 0], ['deadlineMs', options.deadlineMs, 1]] as const) {
      if (!(Number.isSafeInteger(value) && value >= min)) throw new RangeError(`search pool ${name} must be a whole number ≥ ${min}, got ${value}`);
    }
    this.handles = options.indexes;
  }

  /**
   * Starts the first worker; resolves when it has opened its store connection. It alone reads the
   * catalog's entries ahead, and the first search goes to it; the other workers start once it has
   * read them (see `launchRest`).
   */
  async start(): Promise<void> {
    await this.launch(true);
  }

  /**
   * The workers after the first. Started with it, they load their code while the first loads its own
   * and reads the catalog's entries and the index thread loads the indexes: four threads on two cores, and the
   * first search waited for all of them (at 100k chunks a second worker put ~0.1 s on both listening
   * and the first answer). Once the first worker is warm the cores are free for them. Until then
   * searches queue for the first worker, as they would for a busy pool. Called again (a no-op) if the
   * first worker stops before it is warm.
   */
  private launchRest(): void {
    if (this.restLaunched || this.closed) return;
    this.restLaunched = true;
    for (let i = 1; i < this.options.workers; i++) {
      // One stopped by close() while it started is no failure.
      this.launch().catch((error: Error) => this.closed || this.options.log?.(`could not start a search worker: ${error.message}`));
    }
  }

  /** Hands every worker a new snapshot of the search indexes. */
  publish(handles: IndexHandles): void {
    this.handles = handles;
    for (const slot of this.slots) slot.worker.postMessage({ type: 'indexes', handles } satisfies ToSearchWorker);
    this.dispatch();
  }

  /** Runs a search on a worker; `trace` receives the worker's step times, `signal` cancels it. */
  async search(request: SearchRequest, trace?: SearchTrace, signal?: AbortSignal): Promise<SearchResponse> {
    if (this.closed) throw new LibraryError('unavailable', 'the server is shutting down', 'Retry in a moment');
    if (signal?.aborted) throw clientGone();
    const refusal = this.refusal();
    if (refusal) throw refusal;
    const vectors = await this.options.queryVectors();
    return new Promise<SearchResponse>((resolve, reject) => {
      const id = this.nextId++;
      const job: Job = {
        id, request, trace, resolve, reject, signal, vectors, started: performance.now(), dispatched: 0, retried: false, settled: false, onAbort: undefined,
        timer: setTimeout(() => this.expire(job), this.options.deadlineMs),
      };
      if (signal) {
        job.onAbort = () => this.finish(job, clientGone());
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.jobs.set(id, job);
      this.lag.start();
      this.waiting.push(job);
      this.dispatch();
    });
  }

  /** Searches running and waiting, for health reports and tests. */
  get load(): { running: number; waiting: number; workers: number } {
    return { running: this.running(), waiting: this.waiting.length, workers: this.slots.filter((s) => s.ready).length };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.lag.stop();
    for (const job of [...this.jobs.values()]) this.finish(job, new LibraryError('unavailable', 'the server is shutting down', 'Retry in a moment'));
    const slots = this.slots.splice(0);
    for (const slot of slots) clearTimeout(slot.stuckTimer);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /**
   * Undefined when a search arriving now may wait for a worker; otherwise the `busy` refusal it
   * would get: every worker lane is taken and either the queue is full or the search would wait
   * longer than `maxWaitMs`. It depends on no request, so a front door can ask before it reads one.
   */
  refusal(): LibraryError | undefined {
    const running = this.running();
    // A closed pool has no lanes; `search` tells its callers it is shutting down.
    if (this.closed || running < this.slots.length * SEARCHES_PER_WORKER) return undefined;
    // The wait for a worker (wait-estimate.ts), or what the oldest waiting search has already
    // waited if that is longer (a busy main thread hands searches to workers late); then
    // twice the main thread's lag: a turn of its event loop before the request is read, another
    // before the answer is written, and under overload a turn answers hundreds of requests.
    const oldest = this.waiting[0];
    const queueMs = Math.max(this.estimate.waitMs(this.waiting.length + 1, this.slots.length * SEARCHES_PER_WORKER), oldest ? performance.now() - oldest.started : 0);
    const mainThreadMs = 2 * this.lag.ms;
    const expectedMs = queueMs + mainThreadMs;
    const maxWaitMs = this.options.maxWaitMs ?? 0;
    const queueFull = this.waiting.length >= this.options.queue;
    if (!queueFull && !(maxWaitMs > 0 && expectedMs > maxWaitMs)) return undefined;
    const why = queueFull
      ? `${running} searches are running and ${this.waiting.length} waiting, as many as it accepts`
      : `${running} searches are running and ${this.waiting.length} waiting; this one would wait about ${Math.round(expectedMs)} ms, longer than the ${maxWaitMs} ms it accepts (${Math.round(mainThreadMs)} ms of it for the main thread)`;
    return busy(why, expectedMs);
  }

  /**
   * A search whose wait for a worker already passed `maxWaitMs` is refused when its turn comes
   * instead of run: admission only estimates the wait, and when the machine slows down (the CPU
   * taken by other work, a burst of refusals on the main thread) the estimate runs short. Refusing
   * it keeps the bound admission promises, and frees its turn for a search that can still make it.
   * A search run again after its worker crashed keeps its turn.
   */
  private waitedTooLong(job: Job): boolean {
    const maxWaitMs = this.options.maxWaitMs ?? 0;
    const waited = performance.now() - job.started;
    if (maxWaitMs <= 0 || job.retried || waited <= maxWaitMs) return false;
    this.finish(job, busy(`this search waited ${Math.round(waited)} ms for a worker, longer than the ${maxWaitMs} ms it accepts`, waited));
    return true;
  }

  private running(): number {
    let count = 0;
    for (const slot of this.slots) for (const lane of slot.lanes) if (lane) count++;
    return count;
  }

  private launch(readAhead = false): Promise<void> {
    const cancel = new Int32Array(new SharedArrayBuffer(SEARCHES_PER_WORKER * Int32Array.BYTES_PER_ELEMENT));
    const data: SearchWorkerData = { reader: this.options.reader, cancel, readAhead, ...(this.handles ? { indexes: this.handles } : {}) };
    const script = resolveWorkerScript('search-worker', import.meta.url);
    const worker = new Worker(script.entry, { eval: script.eval, workerData: data });
    const slot: Slot = { worker, ready: false, cancel, lanes: new Array<Job | undefined>(SEARCHES_PER_WORKER).fill(undefined) };
    this.slots.push(slot);
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromSearchWorker) => {
        if (message.type === 'ready') {
          slot.ready = true;
          // A snapshot published while the worker started would otherwise be missed.
          if (this.handles) worker.postMessage({ type: 'indexes', handles: this.handles } satisfies ToSearchWorker);
          resolve();
          this.dispatch();
        } else if (message.type === 'warm') {
          this.launchRest();
        } else {
          this.answer(slot, message);
        }
      });
      worker.on('error', (error) => this.options.log?.(`a search worker crashed: ${error.stack ?? error.message}`));
      worker.on('exit', (code) => {
        if (!slot.ready) reject(new Error(`a search worker stopped while starting (exit code ${code})`));
        this.replace(slot, code);
      });
    });
  }

  private dispatch(): void {
    if (!this.handles) return;
    while (this.waiting.length > 0) {
      let best: Slot | undefined;
      let bestFree = 0;
      for (const slot of this.slots) {
        if (!slot.ready) continue;
        const free = slot.lanes.filter((lane) => lane === undefined).length;
        if (free > bestFree) {
          best = slot;
          bestFree = free;
        }
      }
      if (!best) return;
      const job = this.waiting.shift()!;
      if (this.waitedTooLong(job)) continue;
      const lane = best.lanes.indexOf(undefined);
      best.lanes[lane] = job;
      job.running = { slot: best, lane };
      job.dispatched = performance.now();
      Atomics.store(best.cancel, lane, 0);
      best.worker.postMessage({
        type: 'search', id: job.id, slot: lane, request: job.request, model: job.vectors?.model ?? null, traced: job.trace !== undefined,
      } satisfies ToSearchWorker);
    }
  }

  private answer(slot: Slot, message: Exclude<FromSearchWorker, { type: 'ready' | 'warm' }>): void {
    const job = this.jobs.get(message.id);
    if (message.type === 'embed') {
      if (!job?.vectors) {
        slot.worker.postMessage({ type: 'vector-failed', id: message.id, message: 'the search was cancelled' } satisfies ToSearchWorker);
        return;
      }
      job.vectors.vectorFor(message.query).then(
        (vector) => slot.worker.postMessage({ type: 'vector', id: message.id, vector } satisfies ToSearchWorker),
        (error: Error) => slot.worker.postMessage({ type: 'vector-failed', id: message.id, message: error.message } satisfies ToSearchWorker),
      );
      return;
    }
    this.freeLane(slot, message.id);
    const now = performance.now();
    this.estimate.finished(now, job && message.type === 'result' ? now - job.dispatched : undefined, this.waiting.length);
    if (!job) return; // answered already (deadline, client gone)
    if (message.type === 'result') {
      if (job.trace) for (const step of message.steps) job.trace.step(step.name, step.ms, step.counts);
      this.finish(job, undefined, message.response);
    } else {
      this.finish(job, fromWorkerError(message.error));
    }
    this.dispatch();
  }

  private freeLane(slot: Slot, id: number): void {
    const lane = slot.lanes.findIndex((job) => job?.id === id);
    if (lane >= 0) slot.lanes[lane] = undefined;
    if (slot.lanes.every((job) => job === undefined || job.settled)) {
      clearTimeout(slot.stuckTimer);
      slot.stuckTimer = undefined;
    }
  }

  private expire(job: Job): void {
    const waited = Math.round(performance.now() - job.started);
    this.finish(job, new LibraryError(
      'deadline_exceeded',
      `the search did not finish within ${this.options.deadlineMs} ms (${waited} ms with waiting for a free worker)`,
      'Retry, or narrow the search with filters or fewer words',
      { retryAfterSeconds: 1 },
    ));
  }

  /** Settles a job once; a job still running in a worker is cancelled there and its lane watched. */
  private finish(job: Job, error: Error | undefined, response?: SearchResponse): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    this.jobs.delete(job.id);
    if (this.jobs.size === 0) this.lag.stop();
    const queued = this.waiting.indexOf(job);
    if (queued >= 0) this.waiting.splice(queued, 1);
    const running = job.running;
    if (error && running && running.slot.lanes[running.lane] === job) {
      // The flag stops it between stages; the message ends a wait for its query vector.
      Atomics.store(running.slot.cancel, running.lane, job.id);
      running.slot.worker.postMessage({ type: 'cancel', id: job.id } satisfies ToSearchWorker);
      running.slot.stuckTimer ??= setTimeout(() => this.unstick(running.slot), STUCK_AFTER_MS);
    }
    if (error) job.reject(error);
    else job.resolve(response!);
  }

  /** A worker that has not let go of a cancelled search: only stopping it frees the core. */
  private unstick(slot: Slot): void {
    if (!slot.lanes.some((job) => job?.settled)) return;
    this.options.log?.('a search worker is stuck in a cancelled search; replacing it');
    void slot.worker.terminate();
  }

  /** A worker gone (crashed, stuck, stopped): its searches run once more elsewhere or fail; a new worker takes its place. */
  private replace(slot: Slot, code: number): void {
    clearTimeout(slot.stuckTimer);
    const at = this.slots.indexOf(slot);
    if (at < 0) return; // closed
    this.slots.splice(at, 1);
    const orphans = slot.lanes.filter((job): job is Job => job !== undefined && !job.settled);
    for (const job of orphans) {
      job.running = undefined;
      if (job.retried) {
        this.finish(job, new LibraryError('unavailable', `the search worker stopped twice while running this search (exit code ${code})`, 'Retry; if it keeps failing, see the server log'));
      } else {
        job.retried = true;
        this.waiting.unshift(job);
      }
    }
    if (this.closed) return;
    // One that never started (a store it cannot open) would fail again: searches then end at their deadline.
    if (!slot.ready) return;
    this.options.log?.(`a search worker stopped (exit code ${code}); starting another`);
    this.launch().catch((error: Error) => this.options.log?.(`could not start a search worker: ${error.message}`));
    // The first worker, stopped before it was warm, never asks for the others.
    this.launchRest();
    this.dispatch();
  }
}

/**
 * A refusal is an answer, not a bug: its stack trace is never read, and capturing one for each of
 * thousands of refusals a second was 5 % of the main thread in an overload profile.
 */
function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The `busy` refusal: why, and a Retry-After of about the wait in question (a second at least). */
function busy(why: string, waitMs: number): LibraryError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return withoutStack(() => new LibraryError('busy', `the server is busy: ${why}`, `Retry in ${retryAfterSeconds} s`, { retryAfterSeconds }));
}

function clientGone(): LibraryError {
  return new LibraryError('unavailable', 'the search was cancelled: the client closed the connection');
}

function fromWorkerError(error: WorkerError): Error {
  switch (error.kind) {
    case 'library':
      return new LibraryError(error.code, error.detail, error.hint);
    case 'cancelled':
      return new LibraryError('unavailable', 'the search was cancelled');
    case 'other':
      // A bug in the worker: logged by whoever catches it, never shown to clients.
      return new Error(`search worker: ${error.message}`);
  }
}
