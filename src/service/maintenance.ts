/**
 * Keeping the derived index true to the Markdown tree: rebuilding it from the files, and
 * listing where the two disagree.
 */

import fs from 'node:fs';
import type { Embedder } from '../embed/embedder.js';
import type { DataDir } from '../library/data-dir.js';
import { parseDocumentFile } from '../library/document-file.js';
import { documentFilePath, resolveInside } from '../library/paths.js';
import { journalNames, listDocumentFiles, recoverInterruptedWrites, sha256, storeLayoutOf } from '../library/library-files.js';
import { removeStrayLayouts } from '../library/layout-files.js';
import { clearStaleStaging } from '../library/staging.js';
import { documentIdOf } from '../library/ids.js';
import type { LibraryStore, RebuildState } from '../store/store.js';
import { finishRebuild, incompleteIndexNotices } from './rebuild-state.js';
import { prepareChunks } from '../ingest/indexer.js';
import type { IngestProgress } from '../ingest/progress.js';
import { checkEmbedderUnchanged } from '../ingest/pipeline.js';
import { failureMessage } from '../library/storage-failure.js';

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
 *
 * Other processes may add, replace and remove documents while it runs (their file switch and index
 * update happen together under the index's write lock), so nothing it decided from an earlier look
 * is trusted at commit time: each document is committed under the write lock only if its file
 * still holds the text that was indexed (otherwise the writer that changed it has indexed it
 * itself), and at the end, under the lock, only entries whose file is gone then are dropped, never
 * the documents committed while it ran. `started` is the record `beginRebuild` wrote: cleared at
 * the end only if every file was indexed.
 */
export async function reindexFromFiles(
  dir: DataDir, store: LibraryStore, embedder: Embedder | null, progress: IngestProgress, started: RebuildState,
): Promise<ReindexResult> {
  const files = listDocumentFiles(dir);
  const result: ReindexResult = { reindexed: 0, removed: 0, failed: [] };
  const failures: unknown[] = [];
  progress.start(files.length);
  for (const [index, relative] of files.entries()) {
    const file = resolveInside(dir.libraryDir, relative);
    progress.fileStarted(file, index);
    try {
      const text = readIfPresent(file);
      if (text === undefined) {
        progress.fileFinished({ file, status: 'skipped', warnings: ['removed while the index was rebuilt'] });
        continue;
      }
      const { meta, pages } = parseDocumentFile(text, relative);
      if (documentFilePath(dir.libraryDir, meta.key) !== file) {
        throw new Error(`front matter names ${meta.sourcePath}, but the file is at ${relative}`);
      }
      const chunks = await prepareChunks(meta, pages, store, embedder, ({ done, total }) => progress.embedding(file, done, total));
      const hash = sha256(text);
      const committed = store.withWriteLock(() => {
        checkEmbedderUnchanged(store, embedder);
        const now = readIfPresent(file);
        if (now === undefined || sha256(now) !== hash) return false; // changed or removed meanwhile: its writer indexed it
        store.replaceDocument(meta, hash, pages, chunks);
        return true;
      });
      if (committed) {
        result.reindexed++;
        storeLayoutOf(dir, meta.key, text, hash, pages);
      }
      progress.fileFinished(committed
        ? { file, status: 'reindexed', sourcePath: meta.sourcePath, warnings: [], pages: pages.length, chunks: chunks.length }
        : { file, status: 'skipped', sourcePath: meta.sourcePath, warnings: ['changed or removed by another writer while the index was rebuilt'] });
    } catch (error) {
      const message = failureMessage(error);
      failures.push(error);
      result.failed.push({ file, error: message });
      progress.fileFinished({ file, status: 'failed', warnings: [], error: message });
    }
  }
  result.removed = store.withWriteLock(() => {
    let removed = 0;
    for (const doc of store.documents()) {
      if (!fs.existsSync(resolveInside(dir.libraryDir, doc.sourcePath)) && store.removeDocument(doc.docId)) removed++;
    }
    // Layouts of documents no longer in the library (a crash between a removal and its layout's).
    removeStrayLayouts(dir, new Set(store.documents().map((doc) => doc.sourcePath)));
    return removed;
  });
  finishRebuild(store, started, files.length, failures);
  progress.finish();
  return result;
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Differences between the Markdown tree and the index (empty when they agree). Files and index
 * rows are read one after the other, so a write committed in between (another process's add or
 * removal) can look like a difference: any found are confirmed by a second look under the write
 * lock, where no write is half done.
 */
export function differences(dir: DataDir, store: LibraryStore): string[] {
  const problems = lookForDifferences(dir, store);
  if (problems.length === 0 || store.counts().documents === 0) return problems;
  try {
    return store.withWriteLock(() => lookForDifferences(dir, store));
  } catch (error) {
    // A read-only copy of the index takes no lock, and one held too long is not worth failing for.
    if (/SQLITE_(BUSY|READONLY)/.test(String((error as { code?: unknown }).code))) return problems;
    throw error;
  }
}

function lookForDifferences(dir: DataDir, store: LibraryStore): string[] {
  const problems = [...store.integrityProblems(), ...incompleteIndexNotices(store)];
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
