/**
 * The worker thread that owns a server's ingestion: it opens the library for writing on its own
 * connection and runs jobs from the jobs table, so converting, chunking and writing never hold up
 * the thread that answers searches. Messages in: wake (a job was queued), cancel, stop. Messages
 * out: ready, stopped, failed (the library could not be opened).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config/config.js';
import { failureMessage } from '../../library/storage-failure.js';
import { Library } from '../library.js';
import { JobRunner } from './job-runner.js';
import type { ThreadMessage, WorkerMessage } from './job-thread-protocol.js';

/** Queued jobs are also looked for this often: another process (the CLI) may have queued one. */
const POLL_MS = 2000;

const port = parentPort!;
const send = (message: ThreadMessage) => port.postMessage(message);
const { config } = workerData as { config: Config };

let library: Library;
try {
  library = await Library.open(config, 'write');
} catch (error) {
  send({ type: 'failed', message: failureMessage(error) });
  process.exit(1);
}
const runner = new JobRunner(library);
const shutdown = new AbortController();
let wake: (() => void) | undefined;
port.on('message', (message: WorkerMessage) => {
  if (message.type === 'cancel') runner.cancel(message.id);
  if (message.type === 'stop') shutdown.abort();
  wake?.();
});
send({ type: 'ready' });
while (!shutdown.signal.aborted) {
  await runner.drain(shutdown.signal);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, POLL_MS);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}
await library.close();
send({ type: 'stopped' });
