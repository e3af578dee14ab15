import type { DocumentMeta, Page } from '../library/model.js';
import type { Embedder } from '../embed/embedder.js';
import type { ChunkToIndex, LibraryStore } from '../store/store.js';
import { analyze } from '../search/analyzer.js';
import { chunkDocument } from './chunking/chunker.js';
import { sha256 } from '../library/library-files.js';

/**
 * Turns a converted document (metadata + pages) into what the store indexes: chunks with
 * analyzed fields and vectors. Vectors of chunks whose embedded text is unchanged are reused
 * from the index, so re-indexing and adding near-identical versions embed only what is new.
 */
export interface IndexProgress {
  (event: { phase: 'embed'; done: number; total: number }): void;
}

/** The text a chunk is embedded as: where it sits (title, section) and what it says. */
export function embeddingText(title: string, headingPath: string[], text: string): string {
  const context = [title, ...headingPath].filter(Boolean).join(' › ');
  return `${context}\n\n${text}`;
}

export async function prepareChunks(
  meta: DocumentMeta,
  pages: Page[],
  store: LibraryStore,
  embedder: Embedder | null,
  onProgress?: IndexProgress,
): Promise<ChunkToIndex[]> {
  const chunks = chunkDocument(meta.key, pages);
  const title = analyze(meta.title);
  const embedTexts = chunks.map((chunk) => embeddingText(meta.title, chunk.headingPath, chunk.text));
  const prepared: ChunkToIndex[] = chunks.map((chunk, i) => {
    const headings = analyze(chunk.headingPath.join(' '));
    const body = analyze(chunk.text);
    return {
      chunk,
      fields: { title: title.join(' '), headings: headings.join(' '), body: body.join(' ') },
      lengths: { title: title.length, headings: headings.length, body: body.length },
      embedHash: sha256(`${embedder?.name ?? 'none'}\n${embedTexts[i]}`),
      vector: null,
    };
  });
  if (!embedder) return prepared;

  const reusable = store.vectorsByEmbedHash(prepared.map((c) => c.embedHash));
  const missing: number[] = [];
  prepared.forEach((c, i) => {
    c.vector = reusable.get(c.embedHash) ?? null;
    if (!c.vector) missing.push(i);
  });
  const total = missing.length;
  onProgress?.({ phase: 'embed', done: 0, total });
  for (let start = 0; start < total; start += embedder.batchSize) {
    const batch = missing.slice(start, start + embedder.batchSize);
    const vectors = await embedder.embedDocuments(batch.map((i) => embedTexts[i]!));
    batch.forEach((chunkIndex, j) => (prepared[chunkIndex]!.vector = vectors[j]!));
    onProgress?.({ phase: 'embed', done: start + batch.length, total });
  }
  return prepared;
}
