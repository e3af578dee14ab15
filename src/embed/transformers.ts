import path from 'node:path';
import { sliceIntoBatches } from './embed-batches.js';
import { EmbedWorker } from './embed-worker.js';
import type { Embedder } from './embedder.js';
import {
  isLocalModelPath,
  type TransformersDtype,
  type TransformersPooling,
  type TransformersWorkerData,
} from './transformers-options.js';
import { resolveWorkerScript } from '../runtime/worker-script.js';

export interface TransformersEmbedderOptions {
  /** Hub id ("Xenova/bge-small-en-v1.5") or a model folder (absolute or starting with "."). */
  model: string;
  /** Default "mean". Use what the model was trained with (e.g. "cls" for BGE). */
  pooling?: TransformersPooling;
  /** Prepended to queries, e.g. "query: " for E5 or BGE's retrieval instruction. */
  queryPrefix?: string;
  /** Prepended to documents, e.g. "passage: " for E5. */
  documentPrefix?: string;
  /** ONNX weight variant; the library picks one when omitted. */
  dtype?: TransformersDtype;
  /** Where hub downloads are cached. */
  cacheDir?: string;
  batchSize?: number;
  /** Identity recorded in the index; default "transformers:<model>". */
  name?: string;
}

/**
 * Any sentence-embedding model exported for transformers.js (ONNX), run in a worker thread (see
 * transformers-worker.ts for why). Vectors are pooled and L2-normalised; the length is read from a probe
 * embedding when the model loads.
 */
export class TransformersEmbedder implements Embedder {
  readonly name: string;
  readonly batchSize: number;
  private readonly worker: EmbedWorker;

  constructor(private readonly options: TransformersEmbedderOptions) {
    this.name = options.name ?? `transformers:${options.model}`;
    this.batchSize = options.batchSize ?? 16;
    const local = isLocalModelPath(options.model);
    const workerData: TransformersWorkerData = {
      location: local ? path.resolve(options.model) : options.model,
      local,
      pooling: options.pooling ?? 'mean',
      dtype: options.dtype,
      cacheDir: options.cacheDir,
    };
    this.worker = new EmbedWorker({
      script: resolveWorkerScript('transformers-worker', import.meta.url),
      workerData,
      label: this.name,
    });
  }

  get dimensions(): number {
    return this.worker.dimensions;
  }

  async init(): Promise<void> {
    await this.worker.start();
  }

  embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return this.embedWithPrefix(texts, this.options.documentPrefix);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedWithPrefix([text], this.options.queryPrefix);
    return vector!;
  }

  close(): Promise<void> {
    return this.worker.close();
  }

  /** All batches are queued at once (the worker runs them in order), so `close()` rejects every one of them. */
  private async embedWithPrefix(texts: string[], prefix = ''): Promise<Float32Array[]> {
    const prefixed = prefix ? texts.map((text) => prefix + text) : texts;
    const batches = sliceIntoBatches(prefixed, this.batchSize).map((batch) => this.worker.embed(batch));
    return (await Promise.all(batches)).flat();
  }
}
