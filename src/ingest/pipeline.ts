import type { DocumentKey, DocumentLabels, DocumentMeta, DocumentNavigation, Page } from '../library/model.js';
import type { DataDir } from '../library/data-dir.js';
import type { Embedder } from '../embed/embedder.js';
import type { LibraryStore } from '../store/store.js';
import type { DocumentRecord } from '../store/record-store.js';
import { slugify } from '../library/slug.js';
import { filingConflict, type Filing } from '../library/label-conflicts.js';
import { documentIdOf, sourcePathOf } from '../library/ids.js';
import { readDocumentText, sha256, writeDocumentAtomically } from '../library/library-files.js';
import { serializeDocumentFile } from '../library/document-file.js';
import { forgetOriginal, keepOriginal } from '../library/originals.js';
import { forgetPageCache } from '../library/page-cache.js';
import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';
import { failureMessage, storageFailureCode, type StorageFailureCode } from '../library/storage-failure.js';
import { IsolatedConverter, type ConversionLimits } from './convert/isolated-convert.js';
import { prepareChunks } from './indexer.js';
import type { SourceFile } from './sources/discover.js';
import { readRegularFile } from './sources/read-source.js';
import type { FileOutcome, FileStatus, IngestProgress } from './progress.js';

export interface IngestContext {
  dir: DataDir;
  store: LibraryStore;
  embedder: Embedder | null;
  converter: IsolatedConverter;
  /**
   * Writes a document to a store of record other than the Markdown tree (PostgreSQL), in one
   * transaction with its original; `store` then shows it once this resolves.
   */
  commit?: (record: DocumentRecord) => Promise<void>;
}

export type AddStatus = Exclude<FileStatus, 'reindexed' | 'skipped'>;

export interface AddResult extends FileOutcome {
  status: AddStatus;
  docId?: string;
  /** Set when the failure was the storage's (a full disk, say), not the document's. */
  storageFailure?: StorageFailureCode;
}

/** Resolves typed labels into the document's key (all slugs) and the labels each slug was made from. */
export function keyForLabels(labels: DocumentLabels): Filing {
  const documentLabel = (labels.document ?? labels.title ?? 'document').trim();
  const document = slugify(documentLabel, 'document');
  const collectionLabel = (labels.collection ?? documentLabel).trim();
  return {
    vendor: slugify(labels.vendor, 'vendor'),
    key: {
      product: slugify(labels.product, 'product'),
      version: slugify(labels.version, 'version'),
      collection: slugify(collectionLabel, 'collection'),
      document,
    },
    labels: {
      vendor: labels.vendor.trim(),
      product: labels.product.trim(),
      version: labels.version.trim(),
      collection: collectionLabel,
      document: documentLabel,
    },
  };
}

/** Refuses a filing whose product belongs to another vendor or whose labels would merge with different ones. */
function checkFiling(store: LibraryStore, filing: Filing): void {
  const conflict = filingConflict(filing, store.documents());
  if (conflict) throw conflict;
}

/**
 * Refuses to commit vectors from another embedder than the one the index now records: a re-index
 * in another process may have switched embedders while this document was embedded, and vectors
 * from two models do not compare.
 */
export function checkEmbedderUnchanged(store: LibraryStore, embedder: Embedder | null): void {
  const recorded = store.embedderIdentity();
  if (recorded === undefined || (recorded?.name ?? null) === (embedder?.name ?? null)) return;
  throw new LibraryError(
    'conflict',
    `the library's embedder changed to ${recorded?.name ?? 'none'} while this document was embedded with ${embedder?.name ?? 'none'} (a re-index ran meanwhile)`,
    'Run the command again: it uses the library\'s embedder now',
  );
}

/**
 * Adds one source file. Each document is atomic: its Markdown file and its index rows are
 * replaced together or not at all, and a failure leaves the library as it was.
 */
export async function addSourceFile(ctx: IngestContext, source: SourceFile, progress: IngestProgress): Promise<AddResult> {
  const result: AddResult = { file: source.path, status: 'failed', warnings: [] };
  try {
    const filing = keyForLabels(source.labels);
    const { key, vendor } = filing;
    const docId = documentIdOf(key);
    result.docId = docId;
    result.sourcePath = sourcePathOf(key);
    checkFiling(ctx.store, filing);
    const bytes = readRegularFile(source.path);
    const contentHash = sha256(bytes);
    const existing = ctx.store.document(docId);
    // A file added on its own keeps the place its folder gave it; a new place rewrites the document file.
    const navigation = source.navigation ?? existing?.navigation;
    if (existing && existing.contentHash === contentHash && sameNavigation(existing.navigation, navigation)) {
      // A store of record holds the Markdown in the document's own row: nothing on disk to compare.
      if (ctx.commit) return { ...result, status: 'unchanged', pages: existing.pageCount, chunks: existing.chunkCount };
      const onDisk = readDocumentText(ctx.dir, key);
      if (onDisk !== undefined && sha256(onDisk) === existing.markdownHash) {
        // Documents added before originals were kept get theirs now.
        keepOriginal(ctx.dir, contentHash, existing.format, bytes);
        return { ...result, status: 'unchanged', pages: existing.pageCount, chunks: existing.chunkCount };
      }
    }
    const converted = await ctx.converter.convert({ bytes, fileName: source.path });
    result.warnings.push(...converted.warnings);
    const pages: Page[] = converted.pages;
    const meta: DocumentMeta = {
      key,
      vendor,
      vendorLabel: filing.labels.vendor,
      productLabel: filing.labels.product,
      versionLabel: filing.labels.version,
      collectionLabel: filing.labels.collection,
      documentLabel: filing.labels.document,
      // A title appears in every hit and citation: one taken from a runaway first line is cut.
      title: cutTitle((source.labels.title ?? converted.title).trim()) || key.document,
      sourcePath: sourcePathOf(key),
      originalFile: source.originalFile ?? source.path,
      format: converted.format,
      contentHash,
      pageCount: pages.length,
      convertedAt: new Date().toISOString(),
      ...(navigation ? { navigation } : {}),
    };
    const text = serializeDocumentFile(meta, pages);
    let embedded = 0;
    const chunks = await prepareChunks(meta, pages, ctx.store, ctx.embedder, ({ done, total }) => {
      embedded = total;
      progress.embedding(source.path, done, total);
    });
    if (ctx.commit) {
      await ctx.commit({ meta, markdown: text, pages, chunks, original: bytes, embedder: ctx.embedder?.name ?? null });
      return { ...result, status: existing ? 'updated' : 'added', pages: pages.length, chunks: chunks.length, embedded };
    }
    keepOriginal(ctx.dir, contentHash, meta.format, bytes);
    try {
      // Checked again under the write lock: another process may have filed a conflicting label
      // while this document was converted.
      const commit = () => {
        checkFiling(ctx.store, filing);
        checkEmbedderUnchanged(ctx.store, ctx.embedder);
        ctx.store.replaceDocument(meta, sha256(text), pages, chunks);
      };
      writeDocumentAtomically(ctx.dir, key, text, commit, (work) => ctx.store.withWriteLock(work));
    } catch (error) {
      forgetUnusedOriginal(ctx, contentHash, meta.format);
      throw error;
    }
    if (existing && existing.contentHash !== contentHash) forgetUnusedOriginal(ctx, existing.contentHash, existing.format);
    return { ...result, status: existing ? 'updated' : 'added', pages: pages.length, chunks: chunks.length, embedded };
  } catch (error) {
    const storageFailure = storageFailureCode(error);
    return { ...result, status: 'failed', error: failureMessage(error), ...(storageFailure ? { storageFailure } : {}) };
  }
}

function sameNavigation(a: DocumentNavigation | undefined, b: DocumentNavigation | undefined): boolean {
  return a?.order === b?.order && JSON.stringify(a?.trail) === JSON.stringify(b?.trail);
}

function cutTitle(title: string): string {
  return title.length <= LIMITS.headingChars ? title : `${[...title.slice(0, LIMITS.headingChars)].slice(0, -1).join('')}…`;
}

/** Drops a kept original that no document in the library refers to any more. */
export function forgetUnusedOriginal(ctx: Pick<IngestContext, 'dir' | 'store'>, contentHash: string, format: DocumentMeta['format']): void {
  if (!ctx.store.documents().some((d) => d.contentHash === contentHash)) {
    forgetOriginal(ctx.dir, contentHash, format);
    forgetPageCache(ctx.dir, contentHash);
  }
}

function documentIdOrEmpty(source: SourceFile): string {
  try {
    return documentIdOf(keyForLabels(source.labels).key);
  } catch {
    return ''; // invalid labels: addSourceFile reports them
  }
}

function sameDocument(source: SourceFile, earlier: string): AddResult {
  const docId = documentIdOrEmpty(source);
  const error = new LibraryError(
    'conflict',
    `${source.path}: would be filed as the same document (${docId}) as ${earlier}, added earlier in this batch`,
    'Rename one of them, or add them separately with different --collection labels',
  );
  return { file: source.path, status: 'failed', docId, warnings: [], error: error.message };
}

export async function addSources(
  ctx: Omit<IngestContext, 'converter'>,
  sources: SourceFile[],
  progress: IngestProgress,
  limits?: ConversionLimits,
): Promise<AddResult[]> {
  const converter = new IsolatedConverter(limits);
  progress.start(sources.length);
  const results: AddResult[] = [];
  // Two files of one batch filed as the same document (guide.md beside guide.html) would
  // silently replace each other; the later one is refused instead.
  const filedBy = new Map<string, string>();
  try {
    for (const [index, source] of sources.entries()) {
      progress.fileStarted(source.path, index);
      const earlier = filedBy.get(documentIdOrEmpty(source));
      const result = earlier === undefined ? await addSourceFile({ ...ctx, converter }, source, progress) : sameDocument(source, earlier);
      if (result.status !== 'failed' && result.docId) filedBy.set(result.docId, source.path);
      progress.fileFinished(result);
      results.push(result);
    }
  } finally {
    await converter.stop();
  }
  progress.finish();
  return results;
}
