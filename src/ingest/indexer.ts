/**
 * The one indexer: turns converted documents (metadata + pages) into what the store keeps, chunks
 * and their vectors. Adding, re-indexing and evaluation all go through it. Lexical fields are not
 * made here: the search indexes analyze the stored chunks themselves (src/search/indexes).
 * Vectors of chunks whose embedded text is unchanged are reused from the index, so re-indexing and
 * adding near-identical versions embed only what is new; the rest is embedded in full batches
 * across documents.
 */

import type { DocumentMeta, Page } from '../library/model.js';
import type { Embedder } from '../embed/embedder.js';
import type { ChunkToIndex, VectorReuse } from '../store/store.js';
import { chunkDocument } from './chunking/chunker.js';
import { sha256 } from '../library/library-files.js';

export interface IndexProgress {
  (event: { phase: 'embed'; done: number; total: number }): void;
}

export interface DocumentToIndex {
  meta: DocumentMeta;
  pages: Page[];
}

/** The text a chunk is embedded as: where it sits (title, section) and what it says. */
export function embeddingText(title: string, headingPath: string[], text: string): string {
  const context = [title, ...headingPath].filter(Boolean).join(' › ');
  return `${context}\n\n${text}`;
}

export async function prepareChunks(
  meta: DocumentMeta,
  pages: Page[],
  store: VectorReuse,
  embedder: Embedder | null,
  onProgress?: IndexProgress,
): Promise<ChunkToIndex[]> {
  return (await prepareDocuments([{ meta, pages }], store, embedder, onProgress))[0]!;
}

/** Chunks for each document, in the order given. */
export async function prepareDocuments(
  documents: DocumentToIndex[],
  store: VectorReuse,
  embedder: Embedder | null,
  onProgress?: IndexProgress,
): Promise<ChunkToIndex[][]> {
  const embedTexts: string[] = [];
  const prepared = documents.map(({ meta, pages }) => {
    return chunkDocument(meta.key, pages).map((chunk): ChunkToIndex => {
      const embedText = embeddingText(meta.title, chunk.headingPath, chunk.text);
      embedTexts.push(embedText);
      return {
        chunk,
        embedHash: sha256(`${embedder?.name ?? 'none'}\n${embedText}`),
        vector: null,
      };
    });
  });
  if (!embedder) return prepared;

  const all = prepared.flat();
  const reusable = store.vectorsByEmbedHash(all.map((c) => c.embedHash));
  const missing: number[] = [];
  all.forEach((c, i) => {
    c.vector = reusable.get(c.embedHash) ?? null;
    if (!c.vector) missing.push(i);
  });
  const total = missing.length;
  onProgress?.({ phase: 'embed', done: 0, total });
  for (let start = 0; start < total; start += embedder.batchSize) {
    const batch = missing.slice(start, start + embedder.batchSize);
    const vectors = await embedder.embedDocuments(batch.map((i) => embedTexts[i]!));
    batch.forEach((chunkIndex, j) => (all[chunkIndex]!.vector = vectors[j]!));
    onProgress?.({ phase: 'embed', done: start + batch.length, total });
  }
  return prepared;
}
