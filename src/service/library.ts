/**
 * The service layer: the only thing the CLI, the web UI, the REST API and MCP call. It owns the
 * data directory, the store and the embedder, and speaks in domain terms, never SQL or HTTP.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Embedder } from '../embed/embedder.js';
import type { EmbedderIdentity } from '../library/model.js';
import { createEmbedder } from '../embed/factory.js';
import { resolveEmbedderSpec } from '../embed/resolve-spec.js';
import { dataDirAt, type DataDir } from '../library/data-dir.js';
import { parseChunkId, parseDocumentId } from '../library/ids.js';
import { originalPath } from '../library/originals.js';
import type { Page } from '../library/model.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { StoreOpenError } from '../store/sqlite/connection.js';
import type { ConversionLimits } from '../ingest/convert/isolated-convert.js';
import type { JobStore, LibraryStore, ScoredRowid, StoredDocument } from '../store/store.js';
import { SearchEngine, type SearchMode } from '../search/search-engine.js';
import type { SearchTrace } from '../search/trace.js';
import { addSources, removeDocument, type AddOptions, type AddResult, type WriterContext } from '../ingest/pipeline.js';
import { IsolatedConverter } from '../ingest/convert/isolated-convert.js';
import { discoverSources, type LabelFlags } from '../ingest/sources/discover.js';
import type { Source } from '../ingest/sources/source.js';
import { silentProgress, type IngestProgress } from '../ingest/progress.js';
import { LibraryError } from '../library/errors.js';
import { resolveFilter, type LibraryFilter } from './filters.js';
import { runSearch } from './search.js';
import { addUrl, crawlIntoLibrary, type SiteRequest, type SiteResult, type SiteRun, type UrlRequest } from './web-ingest.js';
import { relabelLibrary, type NewLabels, type RelabelTarget } from './relabel.js';
import { refreshLibrary, type RefreshOptions, type RefreshResult, type RefreshTarget } from './refresh.js';
import { chunkInfo, documentInfo } from './public-types.js';
import type { ChunkInfo, DocumentInfo, SearchRequest, SearchResponse } from './types.js';
import { buildTree, type LibraryTree } from './tree.js';
import {
  differences, indexLostItsDocuments, moveDamagedIndexAside, reindexFromFiles, settleInterruptedWrites, type ReindexResult,
} from './maintenance.js';
import {
  chunkView, outline, pageView, textWindow, type ChunkView, type OutlineEntry, type PageView, type TextWindow,
} from './reading.js';

export type { ChunkView, OutlineEntry, PageView, TextWindow } from './reading.js';
export type { ReindexResult } from './maintenance.js';
export type { AddResult } from '../ingest/pipeline.js';
export type { SiteRequest, SiteResult, SiteRun, UrlRequest } from './web-ingest.js';
export type { RefreshResult, RefreshTarget } from './refresh.js';
export type * from './types.js';

export type OpenMode =
  /** Searching and browsing. */
  | 'read'
  /** Adding or removing documents. */
  | 'write'
  /** Rebuilding the index, possibly with another embedder. */
  | 'reindex';

/** A document's kept original: where it is, the name it had, its media type, and the URL it came from. */
export interface OriginalFile {
  file: string;
  fileName: string;
  mediaType: string;
  sourceUrl?: string;
}

const MEDIA_TYPES: Readonly<Record<DocumentInfo['format'], string>> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

export interface RemoveTarget { product: string; version?: string; collection?: string; document?: string }

export class Library {
  private engine_: SearchEngine | undefined;
  private embedderReady: Promise<Embedder | null> | undefined;
  /** Set when opening for a re-index found the index damaged and moved it aside to start over. */
  private damagedIndexMovedTo: string | undefined;
  /**
   * One conversion worker for every addition of this library's life: it stays warm from one job
   * to the next (a cold worker spends seconds compiling before it runs at full speed).
   */
  private converter_: IsolatedConverter | undefined;

  private constructor(
    readonly dir: DataDir,
    private readonly store: LibraryStore,
    private readonly embedder_: Embedder | null,
    private readonly mode: OpenMode,
  ) {}

  static async open(config: Pick<Config, 'data' | 'embedder' | 'embedderApiKey'>, mode: OpenMode = 'read'): Promise<Library> {
    const dir = dataDirAt(config.data);
    const embedderConfig = resolveEmbedderSpec(config.embedder, {
      modelsDir: dir.modelsDir,
      ...(config.embedderApiKey === undefined ? {} : { apiKey: config.embedderApiKey }),
    });
    const embedder = createEmbedder(embedderConfig);
    const { store, movedAside } = openStore(dir, mode);
    const library = new Library(dir, store, embedder, mode);
    if (movedAside) library.damagedIndexMovedTo = movedAside;
    try {
      settleInterruptedWrites(dir, store);
      if (mode !== 'reindex' && indexLostItsDocuments(dir, store)) {
        throw new LibraryError(
          'unavailable',
          `the index ${dir.indexFile} holds no documents, but the library folder has document files (the index was truncated, replaced or deleted)`,
          'Run `mcdewey reindex` to rebuild it from the Markdown files',
        );
      }
      library.checkEmbedderName();
    } catch (error) {
      store.close();
      await embedder?.close();
      throw error;
    }
    return library;
  }

  /** Human-readable name of the embedder searches use, or null for lexical only. */
  get embedderName(): string | null {
    return this.embedder_?.name ?? null;
  }

  /**
   * An index remembers the embedder that built it. Another one would compare vectors from two
   * different spaces, so it is refused with the command that fixes it. Searching a vector index
   * with no embedder is allowed: that is plain lexical search.
   */
  private checkEmbedderName(): void {
    if (this.mode === 'reindex') return;
    const recorded = this.store.embedderIdentity();
    if (recorded === undefined || this.store.counts().documents === 0) return;
    const wanted = this.embedder_?.name ?? null;
    const built = recorded?.name ?? null;
    if (wanted === built) return;
    if (wanted === null && this.mode === 'read') return;
    throw mismatch(recorded, wanted);
  }

  /** The embedder, initialised on first use (loading a model takes seconds). */
  private async readyEmbedder(): Promise<Embedder | null> {
    this.embedderReady ??= (async () => {
      const embedder = this.embedder_;
      if (!embedder) {
        if (this.mode !== 'read' || this.store.embedderIdentity() === undefined) this.recordIdentity(null);
        return null;
      }
      await embedder.init();
      const identity = { name: embedder.name, dimensions: embedder.dimensions };
      const recorded = this.store.embedderIdentity();
      if (recorded && recorded.name === identity.name && recorded.dimensions !== identity.dimensions && this.mode !== 'reindex') {
        throw mismatch(recorded, `${identity.name} (${identity.dimensions} dimensions)`);
      }
      if (this.mode !== 'read' || recorded === undefined) this.recordIdentity(identity);
      return embedder;
    })();
    return this.embedderReady;
  }

  private recordIdentity(identity: EmbedderIdentity | null): void {
    const recorded = this.store.embedderIdentity();
    if (recorded === undefined || recorded?.name !== identity?.name || recorded?.dimensions !== identity?.dimensions) {
      this.store.setEmbedderIdentity(identity);
    }
  }

  private async engine(): Promise<SearchEngine> {
    if (!this.engine_) {
      const recorded = this.store.embedderIdentity();
      // A library indexed without vectors can only be searched lexically, whatever is configured.
      const embedder = recorded === null ? null : await this.readyEmbedder();
      this.engine_ ??= new SearchEngine(this.store, embedder);
    }
    return this.engine_;
  }

  // ---- ingestion ----------------------------------------------------------------------------

  /** Files that `add` would ingest, with their labels, without touching the library. */
  plan(inputs: string[], flags: LabelFlags = {}): Source[] {
    return inputs.flatMap((input) => discoverSources(input, flags));
  }

  /**
   * Adds sources, each document atomically. `replace` lets a different source take an id that is
   * in use; `conversionLimits` overrides the per-document time and memory limits of conversion;
   * `signal` stops before the next document.
   */
  async add(sources: Source[], progress: IngestProgress = silentProgress, options: AddOptions & { conversionLimits?: ConversionLimits; signal?: AbortSignal } = {}): Promise<AddResult[]> {
    this.requireWritable();
    return addSources(await this.writer(), sources, progress, options);
  }

  async remove(target: RemoveTarget): Promise<DocumentInfo[]> {
    this.requireWritable();
    const docs = this.targets(target);
    for (const doc of docs) removeDocument({ dir: this.dir, store: this.store }, doc);
    return docs.map(documentInfo);
  }

  /** What a removal names; nothing at all is an error that says what exists instead. */
  private targets(target: RemoveTarget): StoredDocument[] {
    try {
      return resolveFilter(this.store, target);
    } catch (error) {
      if (!(error instanceof LibraryError && error.code === 'not_found')) throw error;
      const what = [target.product, target.version, target.collection, target.document].filter(Boolean).join(' ');
      throw new LibraryError('not_found', `nothing in the library matches "${what}": ${error.detail}`, error.hint ?? 'See what is there with `mcdewey list`');
    }
  }

  /**
   * Adds files and folders as `mcdewey add` does. Folders are remembered with their labels, so that
   * a refresh scans them again for changed, new and deleted files.
   */
  async addPaths(inputs: string[], flags: LabelFlags, progress: IngestProgress = silentProgress, options: AddOptions & { signal?: AbortSignal } = {}): Promise<AddResult[]> {
    this.requireWritable();
    const sources = this.plan(inputs, flags);
    for (const input of inputs) {
      const folder = path.resolve(input);
      if (fs.statSync(folder).isDirectory()) this.store.sources.save({ kind: 'folder', location: folder, settings: { labels: flags } });
    }
    return this.add(sources, progress, options);
  }

  /** Fetches one URL (PDF, HTML, Markdown, text) and adds it. */
  async addUrl(request: UrlRequest, progress: IngestProgress = silentProgress, signal?: AbortSignal): Promise<AddResult> {
    this.requireWritable();
    return addUrl(await this.writer(), request, progress, signal);
  }

  /** Crawls a documentation site into one collection (see `crawlIntoLibrary`). */
  async addSite(request: SiteRequest, progress: IngestProgress = silentProgress, run: SiteRun = {}): Promise<SiteResult> {
    this.requireWritable();
    return crawlIntoLibrary(await this.writer(), request, progress, run);
  }

  /** Re-reads or re-fetches documents from their sources (see refresh.ts). */
  async refresh(target: RefreshTarget = {}, progress: IngestProgress = silentProgress, options: RefreshOptions = {}): Promise<RefreshResult> {
    this.requireWritable();
    return refreshLibrary(await this.writer(), target, progress, options);
  }

  /** New vendor, product or version labels for a product or one of its versions (see relabel.ts). */
  async relabel(target: RelabelTarget, labels: NewLabels, progress: IngestProgress = silentProgress, signal?: AbortSignal): Promise<AddResult[]> {
    this.requireWritable();
    return relabelLibrary(await this.writer(), target, labels, progress, signal);
  }

  /** The jobs table, for the job runner and queue of this service layer (service/jobs); surfaces use those. */
  jobTable(): JobStore {
    return this.store.jobs;
  }

  private async writer(): Promise<WriterContext> {
    this.converter_ ??= new IsolatedConverter();
    return { dir: this.dir, store: this.store, embedder: await this.readyEmbedder(), converter: this.converter_ };
  }

  /**
   * Rebuilds the index from the Markdown tree: every file is re-chunked and re-indexed (vectors of
   * unchanged text are reused unless the embedder changed) and index entries without a file go.
   */
  async reindex(progress: IngestProgress = silentProgress): Promise<ReindexResult> {
    const recorded = this.store.embedderIdentity();
    const wanted = this.embedder_?.name ?? null;
    if (recorded !== undefined && (recorded?.name ?? null) !== wanted) this.store.setEmbedderIdentity(null);
    const embedder = await this.readyEmbedder();
    this.recordIdentity(embedder ? { name: embedder.name, dimensions: embedder.dimensions } : null);
    const result = await reindexFromFiles(this.dir, this.store, embedder, progress);
    return this.damagedIndexMovedTo ? { ...result, damagedIndexMovedTo: this.damagedIndexMovedTo } : result;
  }

  /** Differences between the Markdown tree and the index (empty when they agree). */
  verify(): string[] {
    return differences(this.dir, this.store);
  }

  private requireWritable(): void {
    if (this.mode === 'read') throw new Error('library opened read-only');
  }

  // ---- reading -----------------------------------------------------------------------------

  /** `trace` receives each step's time: the benchmark's breakdown reads it. */
  async search(request: SearchRequest, trace?: SearchTrace): Promise<SearchResponse> {
    return runSearch(await this.engine(), this.store, request, trace);
  }

  /** Ranked chunk rowids only, for evaluation: the engine's plan and retrieve stages. */
  async rank(query: string, mode: SearchMode, depth: number): Promise<ScoredRowid[]> {
    return (await this.engine()).rank(query, mode, depth);
  }

  /** The library as vendors → products → versions → documents, optionally narrowed by a filter. */
  tree(filter: LibraryFilter = {}): LibraryTree {
    return buildTree(resolveFilter(this.store, filter));
  }

  /** Documents matching a filter; an unknown vendor, product or version is an error that lists what exists. */
  documents(filter: LibraryFilter = {}): DocumentInfo[] {
    return resolveFilter(this.store, filter).map(documentInfo);
  }

  document(docId: string): DocumentInfo {
    return documentInfo(this.storedDocument(docId));
  }

  private storedDocument(docId: string): StoredDocument {
    const key = parseDocumentId(docId);
    const doc = key && this.store.document(docId);
    if (!doc) {
      throw new LibraryError('not_found', `no document "${docId}"`, 'Document ids look like finesse::v12.5::developer-guide::developer-guide; see `mcdewey list`');
    }
    return doc;
  }

  /** Every page of a document, in order. */
  pages(docId: string): Page[] {
    return this.store.pages(this.storedDocument(docId).rowid);
  }

  /** Every chunk of a document, in order. */
  chunksOf(docId: string): ChunkInfo[] {
    const doc = this.storedDocument(docId);
    return this.store.chunksByOrdinal(doc.rowid, 0, Number.MAX_SAFE_INTEGER).map((c) => chunkInfo(c, docId));
  }

  /**
   * The document's original file as it was added, for "Open original". Documents added before
   * originals were kept have none until they are added again.
   */
  original(docId: string): OriginalFile {
    const doc = this.storedDocument(docId);
    const file = originalPath(this.dir, doc.contentHash, doc.format);
    if (!file || !fs.existsSync(file)) {
      throw new LibraryError('not_found', `the original of ${docId} is not kept`, 'Add the document again (unchanged documents are not re-converted) to keep its original');
    }
    const name = /^[a-z]+:\/\//i.test(doc.originalFile) ? new URL(doc.originalFile).pathname : doc.originalFile;
    const fileName = path.basename(name.replace(/\\/g, '/')) || `${doc.key.document}.${path.extname(file).slice(1)}`;
    return { file, fileName, mediaType: MEDIA_TYPES[doc.format], ...(/^https?:\/\//i.test(doc.originalFile) ? { sourceUrl: doc.originalFile } : {}) };
  }

  counts(): { documents: number; chunks: number; vectors: number } {
    return this.store.counts();
  }

  chunk(chunkId: string, window: { before?: number; after?: number } = {}): ChunkView {
    if (!parseChunkId(chunkId)) {
      throw new LibraryError('invalid_input', `"${chunkId.slice(0, 200)}" is not a chunk id`, 'Chunk ids look like finesse::v12.5::developer-guide::developer-guide::43');
    }
    const chunk = this.store.chunk(chunkId);
    if (!chunk) throw new LibraryError('not_found', `no chunk "${chunkId}" in the library`, 'It may have been removed or re-indexed; search again');
    return chunkView(this.store, chunk, window);
  }

  page(docId: string, number: number): PageView {
    return pageView(this.store, this.storedDocument(docId), number);
  }

  textWindow(docId: string, options: { start?: number; page?: number; maxChars?: number } = {}): TextWindow {
    return textWindow(this.store, this.storedDocument(docId), options);
  }

  outline(docId: string): OutlineEntry[] {
    return outline(this.store, this.storedDocument(docId));
  }

  async close(): Promise<void> {
    await this.converter_?.stop();
    this.store.close();
    await this.embedder_?.close();
  }
}

/**
 * Opens the index; a read can fall back to an in-memory copy where the data directory cannot be
 * written (read-only, or a full disk), and a re-index starts over from a damaged file, which it
 * keeps aside for inspection.
 */
function openStore(dir: DataDir, mode: OpenMode): { store: SqliteStore; movedAside?: string } {
  if (mode !== 'reindex') return { store: new SqliteStore(dir.indexFile, { snapshotIfUnwritable: mode === 'read' }) };
  const movedAside = indexIsDamaged(dir) ? moveDamagedIndexAside(dir) : undefined;
  return { store: new SqliteStore(dir.indexFile), ...(movedAside ? { movedAside } : {}) };
}

function indexIsDamaged(dir: DataDir): boolean {
  let store: SqliteStore | undefined;
  try {
    store = new SqliteStore(dir.indexFile);
    return store.integrityProblems().length > 0;
  } catch (error) {
    if (error instanceof StoreOpenError ? error.reason === 'damaged' : /malformed|not a database|corrupt/i.test(String(error))) return true;
    throw error;
  } finally {
    store?.close();
  }
}

function mismatch(recorded: EmbedderIdentity | null, wanted: string | null): LibraryError {
  const built = recorded ? `${recorded.name} (${recorded.dimensions} dimensions)` : 'no embedder (lexical only)';
  const fix = wanted ?? 'none';
  return new LibraryError(
    'embedder_mismatch',
    `this library's index was built with ${built}, but the configured embedder is ${wanted ?? 'none'}`,
    `Run \`mcdewey reindex --embedder ${fix}\` to rebuild the vectors with it, or use --embedder ${recorded?.name ?? 'none'}`,
  );
}
