/**
 * Adds documents to the library, each atomically: its Markdown file and its index rows are replaced
 * together or not at all, and a failure leaves the library as it was. Documents are written in
 * batches (see `Ingestion` and `writeDocumentsAtomically`), each document of a batch still whole or
 * absent after a crash. A document's identity is its id plus where it came from:
 *
 * - a new id: added;
 * - the same source (path or URL) with new bytes: updated;
 * - identical bytes: unchanged, except that corrected labels or title are applied (relabelled)
 *   and a new origin or navigation place is recorded;
 * - a different source with different bytes: refused, naming both, unless `replace` is set.
 *
 * The checks that decide this (and that a product belongs to one vendor) are made again under the
 * index's write lock, in the same transaction as the write, so two processes adding at once can
 * never give one product two vendors or silently replace each other's document.
 */
import type { DocumentKey, DocumentLabels, DocumentMeta, DocumentNavigation, Page } from '../library/model.js';
import type { DataDir } from '../library/data-dir.js';
import type { Embedder } from '../embed/embedder.js';
import type { ChunkToIndex, LibraryStore, StoredDocument } from '../store/store.js';
import type { DocumentRecord } from '../store/record-store.js';
import { slugify } from '../library/slug.js';
import type { Filing } from '../library/label-conflicts.js';
import { documentIdOf, sourcePathOf } from '../library/ids.js';
import { readDocumentText, removeDocumentAtomically, sha256, writeDocumentsAtomically } from '../library/library-files.js';
import { parseDocumentFile, serializeDocumentFile } from '../library/document-file.js';
import { forgetOriginal, keepOriginal, keepOriginals } from '../library/originals.js';
import { forgetPageCache } from '../library/page-cache.js';
import { LibraryError } from '../library/errors.js';
import { describeOrigin, originOf, sameSource } from '../library/origin.js';
import { failureMessage, storageFailure, storageFailureCode, type StorageFailureCode } from '../library/storage-failure.js';
import { LIMITS } from '../library/limits.js';
import { IsolatedConverter, type ConversionLimits } from './convert/isolated-convert.js';
import { prepareChunks } from './indexer.js';
import { FilingCheck } from './filing-check.js';
import type { Source } from './sources/source.js';
import type { FileOutcome, FileStatus, IngestProgress } from './progress.js';

export interface IngestContext {
  dir: DataDir;
  store: LibraryStore;
  embedder: Embedder | null;
  converter: Pick<IsolatedConverter, 'convert'>;
  /**
   * Writes documents to a store of record other than the Markdown tree (PostgreSQL), in one
   * transaction with their originals; `store` then shows them once this resolves.
   */
  commit?: (records: DocumentRecord[]) => Promise<void>;
  /** Removes a document from that store of record; `store` no longer shows it once this resolves. */
  remove?: (doc: StoredDocument) => Promise<void>;
}

export type AddStatus = Extract<FileStatus, 'added' | 'updated' | 'relabelled' | 'unchanged' | 'failed'>;

export interface AddResult extends FileOutcome {
  status: AddStatus;
  docId?: string;
  /** Set when the failure was the storage's (a full disk, say), not the document's. */
  storageFailure?: StorageFailureCode;
}

export interface AddOptions {
  /** Let a different source replace a document already filed under the same id. */
  replace?: boolean;
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

/** Refuses a different source with different bytes at an occupied id, unless replacing was asked for. */
function assertSameDocument(source: Source, docId: string, existing: StoredDocument | undefined, contentHash: string, options: AddOptions): void {
  if (!existing || options.replace || existing.contentHash === contentHash) return;
  const held = originOf(existing);
  if (sameSource(held, source.origin)) return;
  throw new LibraryError(
    'conflict',
    `${source.location}: ${docId} is already taken by another document (from ${describeOrigin(held)}); this one is ${describeOrigin(source.origin)}`,
    'Pass --replace (replace=true in the API and the web form) to replace it, or file this one separately with --document <name> or --collection <name>',
  );
}

function cutTitle(title: string): string {
  return title.length <= LIMITS.headingChars ? title : `${[...title.slice(0, LIMITS.headingChars)].slice(0, -1).join('')}…`;
}

/** Drops a kept original that no document in the library refers to any more. */
export function forgetUnusedOriginal(ctx: Pick<IngestContext, 'dir' | 'store'>, contentHash: string, format: DocumentMeta['format']): void {
  if (!ctx.store.contentInUse(contentHash)) {
    forgetOriginal(ctx.dir, contentHash, format);
    forgetPageCache(ctx.dir, contentHash);
  }
}

/**
 * Removes a document of an embedded library: its file and index entry together (see
 * `removeDocumentAtomically`), then its original if nothing else uses it.
 */
export function removeDocument(ctx: Pick<IngestContext, 'dir' | 'store'>, doc: StoredDocument): void {
  removeDocumentAtomically(ctx.dir, doc.key, doc.markdownHash, () => ctx.store.removeDocument(doc.docId), (work) => ctx.store.withWriteLock(work));
  forgetUnusedOriginal(ctx, doc.contentHash, doc.format);
}

/** Removes a document from the library's store of record: PostgreSQL through `ctx.remove`, else the tree and index. */
export async function removeStoredDocument(ctx: Pick<IngestContext, 'dir' | 'store' | 'remove'>, doc: StoredDocument): Promise<void> {
  if (ctx.remove) await ctx.remove(doc);
  else removeDocument(ctx, doc);
}

/** The pages of a stored document, read back from its file, when the file is the one indexed. */
function intactPages(ctx: IngestContext, existing: StoredDocument): Page[] | undefined {
  // A node has no Markdown tree: its replica holds the pages the store of record wrote.
  if (ctx.commit) return ctx.store.pages(existing.rowid);
  const text = readDocumentText(ctx.dir, existing.key);
  if (text === undefined || sha256(text) !== existing.markdownHash) return undefined;
  return parseDocumentFile(text, existing.sourcePath).pages;
}

/** Which labels of `meta` differ from the stored document's, by name; empty when none do. */
function labelChanges(existing: StoredDocument, meta: DocumentMeta): string[] {
  const fields = ['vendorLabel', 'productLabel', 'versionLabel', 'collectionLabel', 'documentLabel', 'title'] as const;
  // Collection and document labels a document was added without are recorded, not "corrected".
  return fields.filter((field) => existing[field] !== undefined && existing[field] !== meta[field]);
}

/** Everything else a re-add may bring with identical bytes: where it came from, its place in the site. */
function recordChanged(existing: StoredDocument, meta: DocumentMeta): boolean {
  return JSON.stringify(originOf(existing)) !== JSON.stringify(meta.origin)
    || existing.originalFile !== meta.originalFile
    || JSON.stringify(existing.navigation ?? null) !== JSON.stringify(meta.navigation ?? null)
    || existing.collectionLabel !== meta.collectionLabel || existing.documentLabel !== meta.documentLabel;
}

function metaFor(
  source: Source, filing: Filing,
  fields: Pick<DocumentMeta, 'title' | 'format' | 'contentHash' | 'pageCount' | 'convertedAt'>, navigation: DocumentNavigation | undefined,
): DocumentMeta {
  const meta: DocumentMeta = {
    key: filing.key,
    vendor: filing.vendor,
    vendorLabel: filing.labels.vendor,
    productLabel: filing.labels.product,
    versionLabel: filing.labels.version,
    collectionLabel: filing.labels.collection,
    documentLabel: filing.labels.document,
    // A title appears in every hit and citation: one taken from a runaway first line is cut.
    title: cutTitle(fields.title),
    sourcePath: sourcePathOf(filing.key),
    originalFile: source.location,
    origin: source.origin,
    format: fields.format,
    contentHash: fields.contentHash,
    pageCount: fields.pageCount,
    convertedAt: fields.convertedAt,
  };
  if (navigation) meta.navigation = navigation;
  return meta;
}

/** A document converted, chunked and embedded, ready to be written with others in one batch. */
interface PreparedDocument {
  source: Source;
  filing: Filing;
  docId: string;
  meta: DocumentMeta;
  pages: Page[];
  chunks: ChunkToIndex[];
  /** The document file's text and its sha256. */
  text: string;
  markdownHash: string;
  bytes: Uint8Array;
  status: AddStatus;
  /** The outcome so far: file, docId, sourcePath and warnings. */
  result: AddResult;
  embedded: number;
}

function failedResult(result: AddResult, error: unknown): AddResult {
  const code = error instanceof LibraryError ? error.code : storageFailure(error)?.code;
  const failure = storageFailureCode(error);
  return { ...result, status: 'failed', error: failureMessage(error), ...(code ? { code } : {}), ...(failure ? { storageFailure: failure } : {}) };
}

/**
 * Everything of adding one source that comes before the write: the identity checks, conversion
 * (unless the bytes are unchanged), chunking and embedding. Returns the final outcome instead when
 * there is nothing to write (unchanged) or the source fails.
 */
async function prepareSource(ctx: IngestContext, source: Source, progress: IngestProgress, options: AddOptions, filings: FilingCheck): Promise<PreparedDocument | AddResult> {
  const result: AddResult = { file: source.location, status: 'failed', warnings: [] };
  try {
    const filing = keyForLabels(source.labels);
    const { key } = filing;
    const docId = documentIdOf(key);
    result.docId = docId;
    result.sourcePath = sourcePathOf(key);
    filings.check(filing);
    const bytes = source.read();
    const contentHash = sha256(bytes);
    const existing = ctx.store.document(docId);
    assertSameDocument(source, docId, existing, contentHash, options);

    let pages: Page[] | undefined;
    let meta: DocumentMeta;
    let status: AddStatus;
    // A file added on its own keeps the place its folder gave it; a new place rewrites the document file.
    const navigation = source.navigation ?? existing?.navigation;
    const same = existing && existing.contentHash === contentHash ? intactPages(ctx, existing) : undefined;
    if (existing && same) {
      // Identical bytes: nothing to convert. Labels, title, origin and navigation may still be new.
      meta = metaFor(source, filing, {
        title: source.labels.title?.trim() || existing.title,
        format: existing.format,
        contentHash,
        pageCount: existing.pageCount,
        convertedAt: existing.convertedAt,
      }, navigation);
      const relabelled = labelChanges(existing, meta).length > 0;
      // Documents added before originals were kept get theirs now (a node's originals are PostgreSQL's).
      if (!ctx.commit) keepOriginal(ctx.dir, contentHash, existing.format, bytes);
      if (!relabelled && !recordChanged(existing, meta)) return { ...result, status: 'unchanged', pages: existing.pageCount, chunks: existing.chunkCount };
      pages = same;
      status = relabelled ? 'relabelled' : 'unchanged';
    } else {
      const converted = await ctx.converter.convert({ bytes, fileName: source.name });
      result.warnings.push(...converted.warnings);
      pages = converted.pages;
      meta = metaFor(source, filing, {
        title: (source.labels.title ?? converted.title).trim() || key.document,
        format: converted.format,
        contentHash,
        pageCount: pages.length,
        convertedAt: new Date().toISOString(),
      }, navigation);
      status = existing ? 'updated' : 'added';
    }

    const text = serializeDocumentFile(meta, pages);
    let embedded = 0;
    const chunks = await prepareChunks(meta, pages, ctx.store, ctx.embedder, ({ done, total }) => {
      embedded = total;
      progress.embedding(source.location, done, total);
    });
    return { source, filing, docId, meta, pages, chunks, text, markdownHash: sha256(text), bytes, status, result, embedded };
  } catch (error) {
    return failedResult(result, error);
  }
}

/**
 * Writes prepared documents: to PostgreSQL in one transaction (one each if that is refused, so
 * that a refused document fails alone), or to the embedded library as
 * one batch (see `writeDocumentsAtomically`): their originals and files flushed to disk together,
 * then, under the write lock, each document checked again (another process may have filed
 * something since) and all their rows written in one transaction. A document refused by those
 * checks fails alone; a failing write fails the batch, leaving every document as it was.
 */
async function commitDocuments(ctx: Omit<IngestContext, 'converter'>, batch: PreparedDocument[], options: AddOptions, filings: FilingCheck): Promise<AddResult[]> {
  const done = (doc: PreparedDocument, status: AddStatus): AddResult =>
    ({ ...doc.result, status, pages: doc.pages.length, chunks: doc.chunks.length, embedded: doc.embedded });
  if (ctx.commit) {
    // PostgreSQL checks the product's vendor inside its transaction; the identity check above stands.
    const record = (doc: PreparedDocument): DocumentRecord =>
      ({ meta: doc.meta, markdown: doc.text, pages: doc.pages, chunks: doc.chunks, original: doc.bytes, embedder: ctx.embedder?.name ?? null });
    if (batch.length > 1) {
      try {
        await ctx.commit(batch.map(record));
        return batch.map((doc) => done(doc, doc.status));
      } catch {
        // Nothing of the batch was written: each document is tried alone, to fail alone.
      }
    }
    const results: AddResult[] = [];
    for (const doc of batch) {
      try {
        await ctx.commit([record(doc)]);
        results.push(done(doc, doc.status));
      } catch (error) {
        results.push(failedResult(doc.result, error));
      }
    }
    return results;
  }
  const replaced: (StoredDocument | undefined)[] = [];
  let refused: Map<number, unknown>;
  try {
    await keepOriginals(ctx.dir, batch.map((doc) => ({ contentHash: doc.meta.contentHash, format: doc.meta.format, bytes: doc.bytes })));
    const filed: DocumentMeta[] = [];
    refused = await writeDocumentsAtomically(ctx.dir, batch.map((doc) => ({ key: doc.meta.key, text: doc.text, hash: doc.markdownHash, pages: doc.pages })), {
      admit: (index) => {
        const doc = batch[index]!;
        // Again under the write lock, against the documents admitted before it in this batch too.
        filings.check(doc.filing, filed);
        checkEmbedderUnchanged(ctx.store, ctx.embedder);
        replaced[index] = ctx.store.document(doc.docId);
        assertSameDocument(doc.source, doc.docId, replaced[index], doc.meta.contentHash, options);
        filed.push(doc.meta);
      },
      commit: (admitted) => {
        for (const index of admitted) {
          const doc = batch[index]!;
          ctx.store.replaceDocument(doc.meta, doc.markdownHash, doc.pages, doc.chunks);
        }
      },
    }, (work) => ctx.store.withWriteLock(work));
  } catch (error) {
    for (const doc of batch) forgetUnusedOriginal(ctx, doc.meta.contentHash, doc.meta.format);
    return batch.map((doc) => failedResult(doc.result, error));
  }
  return batch.map((doc, index) => {
    if (refused.has(index)) {
      forgetUnusedOriginal(ctx, doc.meta.contentHash, doc.meta.format);
      return failedResult(doc.result, refused.get(index));
    }
    const previous = replaced[index];
    if (previous && previous.contentHash !== doc.meta.contentHash) forgetUnusedOriginal(ctx, previous.contentHash, previous.format);
    return done(doc, doc.status === 'added' && previous ? 'updated' : doc.status);
  });
}

/** Adds one source on its own (see the module comment for what happens at an id already in use). */
export async function addSource(ctx: IngestContext, source: Source, progress: IngestProgress, options: AddOptions = {}): Promise<AddResult> {
  const filings = new FilingCheck(ctx.store);
  const prepared = await prepareSource(ctx, source, progress, options, filings);
  if (!('filing' in prepared)) return prepared;
  return (await commitDocuments(ctx, [prepared], options, filings))[0]!;
}

/** The library's context for adding: a converter may be supplied, to stay warm from one run to the next. */
export type WriterContext = Omit<IngestContext, 'converter'> & { converter?: IsolatedConverter };

/** A batch is written once it holds this many documents or bytes (files and originals), whichever comes first. */
const BATCH_DOCUMENTS = 256;
const BATCH_BYTES = 32 * 1024 * 1024;

const batchBytes = (doc: PreparedDocument) => doc.text.length + doc.bytes.byteLength;

/**
 * Adds a stream of sources: a batch of files, or the pages of a crawl as they arrive. Two sources
 * of one run filed under the same id (guide.md beside guide.html) would replace each other; the
 * later one is refused instead. Conversions run one at a time (a hostile document that makes the
 * converter restart then fails alone, not together with a neighbour), and prepared documents are
 * written in batches by group commit: while one batch is written, the documents prepared meanwhile
 * queue for the next, so a folder of small files pays one flush round and one transaction per
 * batch rather than per file, and a single large document is written as soon as it is ready.
 */
export class Ingestion {
  private readonly converter: IsolatedConverter;
  /** Whether this run started the converter (and stops it), or borrowed the library's. */
  private readonly ownsConverter: boolean;
  private readonly filedBy = new Map<string, string>();
  private converting: Promise<unknown> = Promise.resolve();
  private readonly filings: FilingCheck;
  private readonly queue: { doc: PreparedDocument; settle: (result: AddResult) => void }[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly ctx: WriterContext,
    private readonly options: AddOptions & { conversionLimits?: ConversionLimits } = {},
  ) {
    this.ownsConverter = !ctx.converter || options.conversionLimits !== undefined;
    this.converter = this.ownsConverter ? new IsolatedConverter(options.conversionLimits) : ctx.converter!;
    this.filings = new FilingCheck(ctx.store);
  }

  /** Starts the converter before the first document arrives (a crawl fetches meanwhile). */
  warm(): void {
    this.converter.warm();
  }

  private convert: IngestContext['converter']['convert'] = (input) => {
    const run = this.converting.then(() => this.converter.convert(input));
    this.converting = run.catch(() => undefined);
    return run;
  };

  /** Adds one source; resolves once it is written (or has failed). */
  async add(source: Source, progress: IngestProgress): Promise<AddResult> {
    return (await this.submit(source, progress)).written;
  }

  /**
   * Prepares one source and queues it for writing: resolves once the next source may be prepared
   * (at once, unless the queue is full and must be written first), with the outcome to come.
   */
  async submit(source: Source, progress: IngestProgress): Promise<{ written: Promise<AddResult> }> {
    const docId = documentIdOrEmpty(source);
    const earlier = this.filedBy.get(docId);
    if (earlier !== undefined) return { written: Promise.resolve(sameDocumentInRun(source, docId, earlier)) };
    if (docId) this.filedBy.set(docId, source.location);
    const ctx = { ...this.ctx, converter: { convert: this.convert } };
    const prepared = await prepareSource(ctx, source, progress, this.options, this.filings);
    const written = 'filing' in prepared ? this.enqueue(prepared) : Promise.resolve(prepared);
    const result = written.then((outcome) => {
      if (outcome.status === 'failed' && docId) this.filedBy.delete(docId);
      return outcome;
    });
    if (this.queue.length >= BATCH_DOCUMENTS || this.queuedBytes >= BATCH_BYTES) await this.writing;
    return { written: result };
  }

  private enqueue(doc: PreparedDocument): Promise<AddResult> {
    return new Promise((settle) => {
      this.queue.push({ doc, settle });
      this.queuedBytes += batchBytes(doc);
      this.writing ??= this.writeQueued();
    });
  }

  /** Writes what is queued, batch after batch, until the queue is empty. */
  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      let bytes = 0;
      let count = 0;
      while (count < this.queue.length && count < BATCH_DOCUMENTS && (count === 0 || bytes + batchBytes(this.queue[count]!.doc) <= BATCH_BYTES)) {
        bytes += batchBytes(this.queue[count]!.doc);
        count++;
      }
      const batch = this.queue.splice(0, count);
      this.queuedBytes -= bytes;
      const docs = batch.map((entry) => entry.doc);
      let results: AddResult[];
      try {
        results = await commitDocuments(this.ctx, docs, this.options, this.filings);
      } catch (error) {
        results = docs.map((doc) => failedResult(doc.result, error));
      }
      batch.forEach((entry, i) => entry.settle(results[i]!));
    }
    this.writing = undefined;
  }

  async close(): Promise<void> {
    await this.writing;
    await this.converting;
    if (this.ownsConverter) await this.converter.stop();
  }
}

function documentIdOrEmpty(source: Source): string {
  try {
    return documentIdOf(keyForLabels(source.labels).key);
  } catch {
    return ''; // invalid labels: addSource reports them
  }
}

function sameDocumentInRun(source: Source, docId: string, earlier: string): AddResult {
  const error = new LibraryError(
    'conflict',
    `${source.location}: would be filed as the same document (${docId}) as ${earlier}, added earlier in this batch`,
    'Rename one of them, or add them separately with different --collection labels',
  );
  return { file: source.location, status: 'failed', docId, warnings: [], error: error.message, code: error.code };
}

export async function addSources(
  ctx: WriterContext,
  sources: Source[],
  progress: IngestProgress,
  options: AddOptions & { conversionLimits?: ConversionLimits; signal?: AbortSignal } = {},
): Promise<AddResult[]> {
  const ingestion = new Ingestion(ctx, options);
  progress.start(sources.length);
  const results: AddResult[] = [];
  try {
    const written: Promise<void>[] = [];
    for (const [index, source] of sources.entries()) {
      if (options.signal?.aborted) break;
      progress.fileStarted(source.location, index);
      const submitted = await ingestion.submit(source, progress);
      written.push(submitted.written.then((result) => {
        progress.fileFinished(result);
        results[index] = result;
      }));
    }
    await Promise.all(written);
  } finally {
    await ingestion.close();
  }
  progress.finish();
  return results;
}
