/**
 * Keeping the derived index true to the Markdown tree: rebuilding it from the files, and
 * listing where the two disagree.
 */

import fs from 'node:fs';
import type { Embedder } from '../embed/embedder.js';
import type { DataDir } from '../library/data-dir.js';
import { parseDocumentFile } from '../library/document-file.js';
import { documentFilePath, resolveInside } from '../library/paths.js';
import { journalNames, listDocumentFiles, recoverInterruptedWrites, sha256 } from '../library/library-files.js';
import { clearStaleStaging } from '../library/staging.js';
import { documentIdOf } from '../library/ids.js';
import type { LibraryStore } from '../store/store.js';
import { prepareChunks } from '../ingest/indexer.js';
import type { IngestProgress } from '../ingest/progress.js';

export interface ReindexResult {
  reindexed: number;
  removed: number;
  failed: { file: string; error: string }[];
  /** Where a damaged index file was moved before this re-index started over. */
  damagedIndexMovedTo?: string;
}

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
      progress.fileFinished({ file, status: 'reindexed', sourcePath: meta.sourcePath, warnings: [], pages: pages.length, chunks: chunks.length });
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
  // With an embedder recorded every passage has a vector; fewer means a re-index that switched
  // embedders was interrupted, and the vector side of search would silently miss the rest.
  const { chunks, vectors } = store.counts();
  if (store.embedderIdentity() && vectors !== chunks) {
    problems.push(`${chunks - vectors} of ${chunks} passages have no vector (an interrupted re-index?)`);
  }
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

/**
 * Settles document writes a crash interrupted (kill -9 mid-add): each is rolled back or, if its
 * index transaction committed, finished; staged entries McDewey made that are older than an hour
 * go too. Only for a data directory proved to be McDewey's (`owned`): elsewhere nothing is
 * touched. Does nothing where the data directory cannot be written; `mcdewey check` then
 * reports the disagreement.
 */
export function settleInterruptedWrites(dir: DataDir, store: LibraryStore, owned: boolean): void {
  if (!owned) return;
  try {
    if (journalNames(dir).length > 0) {
      store.withWriteLock(() => recoverInterruptedWrites(dir, (key) => store.document(documentIdOf(key))?.markdownHash));
    }
  } catch {
    // Read-only, or another writer holds the lock past the busy timeout: the next start tries again.
  }
  // Entries it cannot remove are left for the next start; the rest are removed regardless.
  clearStaleStaging(dir);
}

/**
 * True when the index holds no documents although the library folder has document files: the
 * index was truncated, replaced or deleted. Confirmed under the write lock where possible, so a
 * first `add` in another process, between its file landing and its commit, is not mistaken for it.
 */
export function indexLostItsDocuments(dir: DataDir, store: LibraryStore): boolean {
  const lost = () => store.counts().documents === 0 && listDocumentFiles(dir).length > 0;
  if (!lost()) return false;
  try {
    return store.withWriteLock(lost);
  } catch (error) {
    // Busy: a writer is at work, so this cannot be confirmed and is no reason to refuse to start.
    // Anything else (a read-only copy of the index): nothing can be in progress.
    return !String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');
  }
}

/** Moves a damaged index (with its -wal and -shm files) aside as `index.sqlite.damaged-<time>`. */
export function moveDamagedIndexAside(dir: DataDir): string {
  const aside = `${dir.indexFile}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(dir.indexFile, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(dir.indexFile + suffix)) fs.renameSync(dir.indexFile + suffix, aside + suffix);
  }
  return aside;
}
