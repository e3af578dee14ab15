import fs from 'node:fs';
import type { Embedder } from '../embed/embedder.js';
import type { DataDir } from '../library/data-dir.js';
import { parseDocumentFile } from '../library/document-file.js';
import { documentFilePath, resolveInside } from '../library/paths.js';
import { listDocumentFiles, sha256 } from '../library/library-files.js';
import type { LibraryStore } from '../store/store.js';
import { prepareChunks } from '../ingest/indexer.js';
import type { IngestProgress } from '../ingest/progress.js';

/**
 * Keeping the derived index true to the Markdown tree: rebuilding it from the files, and
 * listing where the two disagree.
 */
export interface ReindexResult { reindexed: number; removed: number; failed: { file: string; error: string }[] }

/**
 * Re-chunks and re-indexes every file (vectors of unchanged text are reused unless the embedder
 * changed) and drops index entries whose file is gone.
 */
export async function reindexFromFiles(
  dir: DataDir, store: LibraryStore, embedder: Embedder | null, progress: IngestProgress,
): Promise<ReindexResult> {
  const files = listDocumentFiles(dir);
  const result: ReindexResult = { reindexed: 0, removed: 0, failed: [] };
  const seen = new Set<string>();
  progress.start(files.length);
  for (const [index, relative] of files.entries()) {
    const file = resolveInside(dir.libraryDir, relative);
    progress.fileStarted(file, index);
    try {
      const text = fs.readFileSync(file, 'utf8');
      const { meta, pages } = parseDocumentFile(text, relative);
      if (documentFilePath(dir.libraryDir, meta.key) !== file) {
        throw new Error(`front matter names ${meta.sourcePath}, but the file is at ${relative}`);
      }
      const chunks = await prepareChunks(meta, pages, store, embedder, ({ done, total }) => progress.embedding(file, done, total));
      store.replaceDocument(meta, sha256(text), pages, chunks);
      seen.add(meta.sourcePath);
      result.reindexed++;
      progress.fileFinished({ file, status: 'updated', warnings: [], pages: pages.length, chunks: chunks.length });
    } catch (error) {
      result.failed.push({ file, error: (error as Error).message });
      progress.fileFinished({ file, status: 'failed', warnings: [], error: (error as Error).message });
    }
  }
  for (const doc of store.documents()) {
    if (!seen.has(doc.sourcePath) && !result.failed.some((f) => f.file.endsWith(doc.sourcePath))) {
      store.removeDocument(doc.docId);
      result.removed++;
    }
  }
  progress.finish();
  return result;
}

/** Differences between the Markdown tree and the index (empty when they agree). */
export function differences(dir: DataDir, store: LibraryStore): string[] {
  const problems = store.integrityProblems();
  const files = new Set(listDocumentFiles(dir));
  for (const doc of store.documents()) {
    if (!files.delete(doc.sourcePath)) {
      problems.push(`${doc.sourcePath} is indexed but its file is missing`);
      continue;
    }
    const text = fs.readFileSync(resolveInside(dir.libraryDir, doc.sourcePath), 'utf8');
    if (sha256(text) !== doc.markdownHash) problems.push(`${doc.sourcePath} changed on disk since it was indexed`);
  }
  for (const file of files) problems.push(`${file} is on disk but not indexed`);
  return problems;
}
