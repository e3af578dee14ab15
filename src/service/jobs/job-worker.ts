/**
 * Starts and stops a server's job thread (job-thread.ts) and passes it wake-ups and cancels. Stopping
 * lets the running job give itself back to the queue, so the next start resumes it.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../../config/config.js';
import { LibraryError } from '../../library/errors.js';
import { resolveWorkerScript } from '../../runtime/worker-script.js';
import type { ThreadMessage, WorkerMessage } from './job-thread-protocol.js';

/** How long a stopping job may take to reach a point where it can give itself back. */
const STOP_TIMEOUT_MS = 30_000;

export class JobWorker {
  private readonly finishedListeners = new Set<(id: string) => void>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'finished') for (const listener of this.finishedListeners) listener(message.id);
    });
  }

  static async start(config: Config): Promise<JobWorker> {
    const script = resolveWorkerScript('job-thread', import.meta.url);
    const worker = new Worker(script.entry, { eval: script.eval, workerData: { config } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: ThreadMessage) => {
        if (message.type === 'ready') done(resolve);
        if (message.type === 'failed') done(() => reject(new LibraryError('unavailable', `the job thread could not open the library: ${message.message}`)));
      };
      const onExit = (code: number) => done(() => reject(new LibraryError('unavailable', `the job thread exited with code ${code} while starting`)));
      const onError = (error: Error) => done(() => reject(error));
      const done = (then: () => void) => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
        then();
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.once('error', onError);
    });
    worker.on('error', (error) => console.error('mcdewey: the job thread failed:', error));
    return new JobWorker(worker);
  }

  private send(message: WorkerMessage): void {
    this.worker.postMessage(message);
  }

  /** A job was queued: look now rather than at the next poll. */
  wake(): void {
    this.send({ type: 'wake' });
  }

  cancel(id: string): void {
    this.send({ type: 'cancel', id });
  }

  onFinished(listener: (id: string) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    const stopped = new Promise<void>((resolve) => this.worker.on('message', (m: ThreadMessage) => m.type === 'stopped' && resolve()));
    this.send({ type: 'stop' });
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
    if ((await Promise.race([stopped, exited, timeout])) === 'timeout') console.error('mcdewey: the job thread did not stop in time; its job resumes at the next start');
    await this.worker.terminate();
    await exited;
  }
}
