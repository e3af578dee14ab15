/** Messages between an `EmbedWorker` (main thread) and `serveEmbeddings` (worker thread). */

export interface EmbedRequest {
  type: 'embed';
  id: number;
  texts: string[];
}

export type WorkerMessage =
  | { type: 'ready'; dimensions: number }
  | { type: 'load-failed'; message: string }
  | { type: 'vectors'; id: number; vectors: Float32Array[] }
  | { type: 'embed-failed'; id: number; message: string };
