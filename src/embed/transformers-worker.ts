/**
 * Worker thread running a transformers.js feature-extraction pipeline. onnxruntime-node 1.30 computes with
 * native threads, but `InferenceSession.run` blocks the calling JavaScript thread until the batch is done
 * (node_modules/onnxruntime-node/dist/backend.js calls the binding synchronously), so without this worker a
 * batch would stall the web server for its whole duration. The worker also owns its own `env`, so the
 * offline/online settings below cannot leak into other models.
 */
import { stat } from 'node:fs/promises';
import { workerData } from 'node:worker_threads';
import { env, LogLevel, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { errorMessage, errorMessageWithCause } from './error-message.js';
import { l2normalize } from './embedder.js';
import { serveEmbeddings } from './serve-embeddings.js';
import type { TransformersWorkerData } from './transformers-options.js';

const options = workerData as TransformersWorkerData;

// The library's fallback-path warnings ("Unable to load from local path ...") would only confuse CLI users;
// real failures still reach them as errors.
env.logLevel = LogLevel.ERROR;

async function loadLocal(directory: string): Promise<FeatureExtractionPipeline> {
  const found = await stat(directory).catch(() => undefined);
  if (!found?.isDirectory()) throw new Error(`model directory not found: ${directory}`);
  env.allowRemoteModels = false;
  try {
    return await pipeline('feature-extraction', directory, {
      local_files_only: true,
      dtype: options.dtype,
      cache_dir: options.cacheDir,
    });
  } catch (error) {
    throw new Error(`could not load model from ${directory}: ${errorMessage(error)}`);
  }
}

async function loadFromHub(modelId: string): Promise<FeatureExtractionPipeline> {
  // Hub ids are never looked up in the library's bundled models folder, only in the download cache.
  env.allowLocalModels = false;
  try {
    return await pipeline('feature-extraction', modelId, { dtype: options.dtype, cache_dir: options.cacheDir });
  } catch (error) {
    if (!isDownloadFailure(error)) throw new Error(`could not load model ${modelId}: ${errorMessage(error)}`);
    throw new Error(
      `could not download model ${modelId}: ${errorMessageWithCause(error)}. ` +
        'Download it on a machine with internet access and pass its directory with --embedder-model /path',
    );
  }
}

function isDownloadFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (['ModelFileNotFoundError', 'AbortError', 'TimeoutError'].includes(error.name)) return true;
  // `fetch` reports network failures as "fetch failed"; HTTP errors from the hub name the remote URL.
  return error.message.includes('fetch failed') || error.message.includes(env.remoteHost);
}


await serveEmbeddings(async () => {
  const extractor = options.local ? await loadLocal(options.location) : await loadFromHub(options.location);
  return async (texts) => {
    const output = await extractor(texts, { pooling: options.pooling, normalize: true });
    const rows = output.tolist() as number[][];
    output.dispose();
    return rows.map((row) => l2normalize(Float32Array.from(row)));
  };
});
