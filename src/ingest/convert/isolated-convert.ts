import { Worker } from 'node:worker_threads';
import { resolveWorkerScript } from '../../runtime/worker-script.js';
import { ConversionError, type ConvertInput } from './types.js';
import type { SourceFormat } from './index.js';
import type { ConvertedDocument } from './types.js';

/**
 * Converts documents in a worker thread with a time limit and a heap limit per document. A
 * hostile or broken file (a PDF whose parser loops or balloons) costs at most those limits and
 * a restarted worker; the process and the rest of the batch carry on.
 */
export interface ConversionLimits {
  /** Base time allowed per document, plus `msPerMegabyte` for each MB of input. */
  timeoutMs: number;
  msPerMegabyte: number;
  /** V8 old-generation heap limit for the worker. */
  maxMemoryMb: number;
}

export const DEFAULT_LIMITS: ConversionLimits = { timeoutMs: 60_000, msPerMegabyte: 10_000, maxMemoryMb: 2048 };

type Converted = ConvertedDocument & { format: SourceFormat };
type Reply =
  | { id: number; ok: true; result: Converted }
  | { id: number; ok: false; message: string; conversion?: { fileName: string; problem: string; hint: string } };

export class IsolatedConverter {
  private worker: Worker | undefined;
  private nextId = 1;

  constructor(private readonly limits: ConversionLimits = DEFAULT_LIMITS) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const script = resolveWorkerScript('convert-worker', import.meta.url);
    const worker = new Worker(script.entry, {
      eval: script.eval,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxMemoryMb },
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  async convert(input: ConvertInput): Promise<Converted> {
    const worker = this.start();
    const id = this.nextId++;
    const megabytes = input.bytes.byteLength / 1_048_576;
    const timeoutMs = Math.round(this.limits.timeoutMs + megabytes * this.limits.msPerMegabyte);
    const bytes = new Uint8Array(input.bytes); // our own copy, transferred to the worker
    return new Promise<Converted>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const fail = (error: Error, restart: boolean) => {
        cleanup();
        if (restart) void this.stop();
        reject(error);
      };
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        cleanup();
        if (reply.ok) resolve(reply.result);
        else if (reply.conversion) reject(new ConversionError(reply.conversion.fileName, reply.conversion.problem, reply.conversion.hint));
        else reject(new ConversionError(input.fileName, `conversion failed (${reply.message})`, 'Check that the file is complete and of the type its name says.'));
      };
      const onError = (error: Error & { code?: string }) => {
        const problem = error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `conversion needed more than ${this.limits.maxMemoryMb} MB of memory`
          : `the converter crashed (${error.message})`;
        fail(new ConversionError(input.fileName, problem, 'The file is probably malformed; re-export it, or split it into smaller files.'), true);
      };
      const onExit = () => fail(new ConversionError(input.fileName, 'the converter stopped unexpectedly', 'Try again; if it repeats, the file is probably malformed.'), true);
      const timer = setTimeout(() => {
        fail(
          new ConversionError(input.fileName, `conversion took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`, 'The file may be malformed (a parser loop) or very large; split it or re-export it.'),
          true,
        );
      }, timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.ref();
      worker.postMessage({ id, bytes, fileName: input.fileName }, [bytes.buffer]);
    }).finally(() => this.worker?.unref());
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}
