/**
 * Converts documents in a worker thread with a time limit and a heap limit per document. A
 * hostile or broken file (a PDF whose parser loops or balloons) costs at most those limits and
 * a restarted worker; the process and the rest of the batch carry on.
 */

import { Worker } from 'node:worker_threads';
import { resolveWorkerScript } from '../../runtime/worker-script.js';
import { ConversionError, type ConvertInput } from './types.js';
import type { SourceFormat } from './index.js';
import type { ConvertedDocument } from './types.js';

export interface ConversionLimits {
  /** Base time allowed per document, plus `msPerMegabyte` for each MB of input. */
  timeoutMs: number;
  msPerMegabyte: number;
  /**
   * V8 old-generation heap limit for the worker. Decoded PDF streams live outside that heap, so
   * the process's resident memory is watched too: growth past this much (plus a fixed allowance)
   * during one conversion stops it (a "zip bomb" stream).
   */
  maxMemoryMb: number;
}

/** Memory a conversion may add besides the heap limit: young generation, code, buffers in flight. */
const WORKER_ALLOWANCE_MB = 256;
const WATCH_INTERVAL_MS = 200;
const MALFORMED = 'The file is probably malformed; re-export it, or split it into smaller files.';

/** Stops a helper process the worker started; one that has already ended is no error. */
function stopProcess(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // It ended on its own meanwhile.
  }
}

export const DEFAULT_LIMITS: ConversionLimits = { timeoutMs: 60_000, msPerMegabyte: 10_000, maxMemoryMb: 2048 };

type Converted = ConvertedDocument & { format: SourceFormat };
type Reply =
  | { id: number; ok: true; result: Converted }
  | { id: number; ok: false; message: string; conversion?: { fileName: string; problem: string; hint: string } }
  /** Slow work starting (OCR): the time limit grows by this much. */
  | { id: number; extendMs: number }
  /** The converter for the document's format is being loaded (PDF.js, on the first PDF): that time is not the document's. */
  | { id: number; loading: boolean }
  /** A helper process the worker started, or that ended. */
  | { id: number; pid: number; running: boolean };

export class IsolatedConverter {
  /** The worker, once it has loaded its modules (it says so with its first message). */
  private worker: Promise<Worker> | undefined;
  /** A stopped worker still shutting down: the next conversion waits, so its memory is not blamed on the next file. */
  private stopping: Promise<void> | undefined;
  private nextId = 1;

  constructor(private readonly limits: ConversionLimits = DEFAULT_LIMITS) {}

  private start(): Promise<Worker> {
    if (this.worker) return this.worker;
    const starting = new Promise<Worker>((resolve, reject) => {
      const script = resolveWorkerScript('convert-worker', import.meta.url);
      const worker = new Worker(script.entry, {
        eval: script.eval,
        resourceLimits: { maxOldGenerationSizeMb: this.limits.maxMemoryMb },
      });
      const failed = (error: Error) => {
        if (this.worker === starting) this.worker = undefined; // the next conversion tries a fresh worker
        reject(error);
      };
      const exited = () => failed(new Error('it exited while starting'));
      worker.once('message', () => {
        worker.off('error', failed);
        worker.off('exit', exited);
        worker.unref();
        resolve(worker);
      });
      worker.once('error', failed);
      worker.once('exit', exited);
    });
    this.worker = starting;
    return starting;
  }

  async convert(input: ConvertInput): Promise<Converted> {
    await this.stopping;
    const outOfMemory = () => new ConversionError(input.fileName, `conversion needed more than ${this.limits.maxMemoryMb} MB of memory`, MALFORMED);
    const crashed = (error: Error & { code?: string }) =>
      error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory() : new ConversionError(input.fileName, `the converter crashed (${error.message})`, MALFORMED);
    // Time and memory are measured from here: starting a worker (hundreds of MB under tsx) is not the file's doing.
    let worker: Worker;
    try {
      worker = await this.start();
    } catch (error) {
      throw crashed(error as Error);
    }
    const id = this.nextId++;
    const megabytes = input.bytes.byteLength / 1_048_576;
    const timeoutMs = Math.round(this.limits.timeoutMs + megabytes * this.limits.msPerMegabyte);
    const bytes = new Uint8Array(input.bytes); // our own copy, transferred to the worker
    return new Promise<Converted>((resolve, reject) => {
      const baseline = process.memoryUsage.rss();
      // Helper processes (OCR) outlive a terminated thread: they are stopped here, by their ids.
      const helpers = new Set<number>();
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(watch);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const fail = (error: Error, restart: boolean) => {
        cleanup();
        if (restart) {
          this.stopping = this.stop();
          for (const pid of helpers) stopProcess(pid);
        }
        reject(error);
      };
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        if ('extendMs' in reply) {
          clearTimeout(timer);
          deadline += reply.extendMs;
          timer = setTimeout(onTimeout, Math.max(0, deadline - Date.now()));
          return;
        }
        if ('loading' in reply) {
          clearTimeout(timer);
          if (reply.loading) pausedAt = Date.now();
          else {
            started += Date.now() - pausedAt;
            deadline += Date.now() - pausedAt;
            timer = setTimeout(onTimeout, Math.max(0, deadline - Date.now()));
          }
          return;
        }
        if ('pid' in reply) {
          if (reply.running) helpers.add(reply.pid);
          else helpers.delete(reply.pid);
          return;
        }
        cleanup();
        if (reply.ok) resolve(reply.result);
        else if (reply.conversion) reject(new ConversionError(reply.conversion.fileName, reply.conversion.problem, reply.conversion.hint));
        else reject(new ConversionError(input.fileName, `conversion failed (${reply.message})`, 'Check that the file is complete and of the type its name says.'));
      };
      const onError = (error: Error & { code?: string }) => fail(crashed(error), true);
      const onExit = () => fail(new ConversionError(input.fileName, 'the converter stopped unexpectedly', 'Try again; if it repeats, the file is probably malformed.'), true);
      let started = Date.now();
      let deadline = started + timeoutMs;
      let pausedAt = 0;
      const onTimeout = () => {
        const allowed = Math.round((deadline - started) / 1000);
        fail(
          new ConversionError(input.fileName, `conversion took longer than ${allowed} s and was stopped`, 'The file may be malformed (a parser loop) or very large; split it or re-export it.'),
          true,
        );
      };
      let timer = setTimeout(onTimeout, timeoutMs);
      const watch = setInterval(() => {
        if (process.memoryUsage.rss() - baseline > (this.limits.maxMemoryMb + WORKER_ALLOWANCE_MB) * 1_048_576) fail(outOfMemory(), true);
      }, WATCH_INTERVAL_MS);
      watch.unref();
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.ref();
      worker.postMessage({ id, bytes, fileName: input.fileName }, [bytes.buffer]);
    }).finally(() => worker.unref());
  }

  /** Starts the worker now (it takes a moment to load), so that the first conversion does not wait for it. */
  warm(): void {
    this.start().catch(() => undefined); // a failed start is retried, and reported, by the first conversion
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await (await worker?.catch(() => undefined))?.terminate();
  }
}
