import { parentPort } from 'node:worker_threads';
import { errorMessage } from './error-message.js';
import type { EmbedRequest, WorkerMessage } from './embed-worker-protocol.js';

/** Embeds a batch. The vectors' buffers are transferred, not copied, so they must not be memory the model reuses. */
export type EmbedBatch = (texts: string[]) => Promise<Float32Array[]>;

const PROBE_TEXT = 'dimension probe';

/**
 * Worker-thread side of `EmbedWorker`: loads the model, reports its vector length (from one probe embedding),
 * then answers embed requests strictly one after another so a model never runs two batches at once.
 */
export async function serveEmbeddings(loadModel: () => Promise<EmbedBatch>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveEmbeddings must run inside a worker thread');
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

  let embed: EmbedBatch;
  try {
    embed = await loadModel();
    const [probe] = await embed([PROBE_TEXT]);
    if (!probe || probe.length === 0) throw new Error('the model returned an empty probe vector');
    post({ type: 'ready', dimensions: probe.length });
  } catch (error) {
    post({ type: 'load-failed', message: errorMessage(error) });
    return;
  }

  let queue = Promise.resolve();
  port.on('message', (request: EmbedRequest) => {
    queue = queue.then(async () => {
      try {
        const vectors = await embed(request.texts);
        post({ type: 'vectors', id: request.id, vectors }, [...new Set(vectors.map((v) => v.buffer as ArrayBuffer))]);
      } catch (error) {
        post({ type: 'embed-failed', id: request.id, message: errorMessage(error) });
      }
    });
  });
}
