import { sliceIntoBatches } from './embed-batches.js';
import { EmbedWorker } from './embed-worker.js';
import type { Embedder } from './embedder.js';
import { resolveWorkerScript } from '../runtime/worker-script.js';

const USE_LITE_DIMENSIONS = 512;

/**
 * Universal Sentence Encoder lite: small, offline and bundled, so it is the default. Runs in a worker thread
 * because TF.js inference is synchronous WebAssembly that would otherwise stall the web server and MCP endpoint.
 */
export class UseLiteEmbedder implements Embedder {
  readonly name = 'use-lite';
  readonly dimensions = USE_LITE_DIMENSIONS;
  readonly batchSize = 32;
  private readonly worker = new EmbedWorker({
    script: resolveWorkerScript('use-lite-worker', import.meta.url),
    workerData: null,
    label: 'use-lite',
  });

  async init(): Promise<void> {
    const dimensions = await this.worker.start();
    if (dimensions !== USE_LITE_DIMENSIONS) {
      throw new Error(`use-lite model produced ${dimensions}-dimensional vectors, expected ${USE_LITE_DIMENSIONS}`);
    }
  }

  /** All batches are queued at once (the worker runs them in order), so `close()` rejects every one of them. */
  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const batches = sliceIntoBatches(texts, this.batchSize).map((batch) => this.worker.embed(batch));
    return (await Promise.all(batches)).flat();
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedDocuments([text]);
    return vector!;
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
