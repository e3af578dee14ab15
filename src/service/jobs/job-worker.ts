/**
 * A server's job thread (job-thread.ts), started on the first job (or at start-up when jobs are
 * waiting, so that a restart resumes them) and given wake-ups and cancels. Stopping lets the
 * running job give itself back to the queue, so the next start resumes it.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../../config/config.js';
import { resolveWorkerScript } from '../../runtime/worker-script.js';
import type { ThreadMessage, WorkerMessage } from './job-thread-protocol.js';

/** How long a stopping job may take to reach a point where it can give itself back. */
const STOP_TIMEOUT_MS = 30_000;

export class JobWorker {
  private thread: Promise<Worker | undefined> | undefined;

  constructor(private readonly config: Config) {}

  private start(): Promise<Worker | undefined> {
    this.thread ??= new Promise<Worker | undefined>((resolve) => {
      const script = resolveWorkerScript('job-thread', import.meta.url);
      const worker = new Worker(script.entry, { eval: script.eval, workerData: { config: this.config } });
      const failed = (why: string) => {
        console.error(`mcdewey: the job thread could not start (${why}); queued jobs wait for the next start`);
        this.thread = undefined;
        resolve(undefined);
      };
      worker.on('message', (message: ThreadMessage) => {
        if (message.type === 'ready') resolve(worker);
        if (message.type === 'failed') failed(message.message);
      });
      worker.on('error', (error) => console.error('mcdewey: the job thread failed:', error));
      worker.once('exit', (code) => {
        if (this.thread) failed(`it exited with code ${code}`);
      });
    });
    return this.thread;
  }

  private send(message: WorkerMessage): void {
    void this.start().then((worker) => worker?.postMessage(message));
  }

  /** A job was queued (or jobs wait from before a restart): run them. */
  wake(): void {
    this.send({ type: 'wake' });
  }

  cancel(id: string): void {
    if (this.thread) this.send({ type: 'cancel', id });
  }

  async stop(): Promise<void> {
    const worker = await this.thread;
    this.thread = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const stopped = new Promise<void>((resolve) => worker.on('message', (m: ThreadMessage) => m.type === 'stopped' && resolve()));
    worker.postMessage({ type: 'stop' } satisfies WorkerMessage);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
    if ((await Promise.race([stopped, exited, timeout])) === 'timeout') console.error('mcdewey: the job thread did not stop in time; its job resumes at the next start');
    await worker.terminate();
    await exited;
  }
}
