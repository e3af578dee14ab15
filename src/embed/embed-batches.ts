import type { Embedder } from './embedder.js';

export type EmbedProgress = (done: number, total: number) => void;

export function sliceIntoBatches<T>(items: readonly T[], batchSize: number): T[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += batchSize) batches.push(items.slice(start, start + batchSize));
  return batches;
}

/** Embeds documents one `embedder.batchSize` slice at a time, reporting progress after each slice. */
export async function embedInBatches(
  embedder: Embedder,
  texts: readonly string[],
  onProgress?: EmbedProgress,
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (const batch of sliceIntoBatches(texts, embedder.batchSize)) {
    const batchVectors = await embedder.embedDocuments(batch);
    if (batchVectors.length !== batch.length) {
      throw new Error(`${embedder.name} returned ${batchVectors.length} vectors for ${batch.length} texts`);
    }
    vectors.push(...batchVectors);
    onProgress?.(vectors.length, texts.length);
  }
  return vectors;
}
