/**
 * One small interface for every embedding backend. Vectors are L2-normalised so that the store
 * can rank by dot product / cosine regardless of backend.
 */
export interface Embedder {
  /** Stable identity recorded in the index, e.g. "use-lite", "transformers:Xenova/bge-small-en-v1.5". */
  readonly name: string;
  /** Vector length. Known after `init()`. */
  readonly dimensions: number;
  /** Texts per call that the backend handles well. */
  readonly batchSize: number;
  /** Load the model (idempotent). */
  init(): Promise<void>;
  /** Embed documents/passages. Returns one normalised vector per text, same order. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  /** Embed a search query (some models use a query instruction/prefix). */
  embedQuery(text: string): Promise<Float32Array>;
  /** Release resources (worker threads, sessions). */
  close(): Promise<void>;
}

export interface EmbedderIdentity {
  name: string;
  dimensions: number;
  /**
   * The spec it was configured with (credentials removed), so that a library keeps using it
   * without the flag being repeated. Absent in indexes built before it was recorded.
   */
  spec?: string;
}

export function l2normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}
