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
import { removeDocumentAtomically } from '../library/library-files.js';
import { claimDataDir, type DataDirClaim } from '../library/ownership.js';
import { originalPath } from '../library/originals.js';
import type { Page } from '../library/model.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { DocumentFileWindows, type DocumentFileTarget } from '../library/document-file-windows.js';
import { layoutFilePath } from '../library/layout-files.js';
import { pageByteLengthsOffThread } from '../store/sqlite/page-sizes-thread.js';
import { OutlineIndexes } from './outline-indexes.js';
import { documentFilePath } from '../library/paths.js';
import { filePageText, fileVersion, indexPageText, type PageText } from './page-text.js';
import { StoreOpenError } from '../store/sqlite/connection.js';
import type { ConversionLimits } from '../ingest/convert/isolated-convert.js';
import type { JobStore, LibraryStore, ScoredRowid, StoredDocument } from '../store/store.js';
import type { DocumentRecord } from '../store/record-store.js';
import { SearchEngine, type SearchMode } from '../search/search-engine.js';
import { LocalIndexes } from '../search/indexes/local-indexes.js';
import { IndexThread, type IndexStatus } from '../search/indexes/index-thread.js';
import { SearchPool } from './search-pool/search-pool.js';
import { CachedQueryVectors, type QueryVectors } from '../search/query-vectors.js';
import type { SearchTrace } from '../search/trace.js';
import { addSources, forgetUnusedOriginal, type AddOptions, type AddResult } from '../ingest/pipeline.js';
import { IsolatedConverter } from '../ingest/convert/isolated-convert.js';
import { discoverSources, type DiscoverOptions, type LabelFlags, type SkippedEntry } from '../ingest/sources/discover.js';
import type { Source } from '../ingest/sources/source.js';
import { silentProgress, type IngestProgress } from '../ingest/progress.js';
import { LibraryError } from '../library/errors.js';
import { LIMITS } from '../library/limits.js';
import { failureMessage } from '../library/storage-failure.js';
import { chooseEmbedderSpec, recordableSpec } from './embedder-choice.js';
import { filters, resolveFilter, selectDocuments, type LibraryFilter } from './filters.js';
import { runSearch } from './search.js';
import { addUrl, crawlIntoLibrary, type SiteRequest, type SiteResult, type SiteRun, type SiteWriterContext, type UrlRequest } from './web-ingest.js';
import { relabelLibrary, relabelPlan, type NewLabels, type RelabelTarget } from './relabel.js';
import { relabelThroughRecords } from './scale-out/node-relabel.js';
import { embeddedCrawlState, type CrawlStateStore } from '../store/crawl-state.js';
import { refreshLibrary, type RefreshOptions, type RefreshResult, type RefreshTarget } from './refresh.js';
import { beginRebuild, incompleteIndexNotices } from './rebuild-state.js';
import { chunkInfo, documentInfo } from './public-types.js';
import type { ChunkInfo, DocumentInfo, SearchRequest, SearchResponse } from './types.js';
import { buildShelves, buildTree, frozenTree, prunedTree, shelvesOfProducts, type LibraryTree, type Shelves } from './tree.js';
import {
  differences, indexLostItsDocuments, moveDamagedIndexAside, reindexFromFiles, settleInterruptedWrites, type ReindexResult,
} from './maintenance.js';
import type { NodeStatus, ScaleOutNode } from './scale-out/scale-out-node.js';
import { nodeDifferences, reindexFromRecords } from './scale-out/node-maintenance.js';
import {
  chunkView, outline, pageView, readingOrder, sectionView, textWindow,
  type ChunkView, type OutlineEntry, type OutlineWindow, type PageView, type PageWindowOptions, type ReadingOrder, type SectionTarget,
  type SectionView, type TextWindow,
} from './reading.js';

export type {
  ChunkView, OutlineEntry, OutlineWindow, PageView, PageWindowOptions, ReadingOrder, ReadingOrderEntry, SectionEntry, SectionTarget,
  SectionView, SectionWindow, TextWindow, WindowPosition,
} from './reading.js';
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

/** What the library holds, as /api/health reports it. */
export interface LibrarySize {
  documents: number;
  chunks: number;
}

export interface RemoveTarget { product: string; version?: string; collection?: string; document?: string }

/** Longest a reading request waits for a document file's layout before reading from the index instead. */
const READY_WAIT_MS = 10_000;
/** Characters of a document above which its outline is read through an outline index (outline-index.ts). */
const OUTLINE_SCAN_CHARS = 1_000_000;

export class Library {
  private engine_: SearchEngine | undefined;
  /** The search indexes followed in this thread (when searches run here, not in a search pool). */
  private localIndexes: LocalIndexes | undefined;
  private queryVectors_: Promise<QueryVectors | null> | undefined;
  /** Set while searches run on worker threads (a server), with the thread that follows the indexes. */
  private workers: { pool: SearchPool; indexes: IndexThread } | undefined;
  private embedderReady: Promise<Embedder | null> | undefined;
  /** Set when opening for a re-index found the index damaged and moved it aside to start over. */
  private damagedIndexMovedTo: string | undefined;
  /**
   * One conversion worker for every addition of this library's life: it stays warm from one job
   * to the next (a cold worker spends seconds compiling before it runs at full speed).
   */
  private converter_: IsolatedConverter | undefined;
  private wholeTree: { token: string; tree: LibraryTree } | undefined;
  private wholeShelves: { token: string; shelves: Shelves } | undefined;
  private wholeSize: { token: string; size: LibrarySize } | undefined;
  /** Page layouts of document files, so a window of a huge page costs the window (see page-text.ts). */
  private readonly fileWindows: DocumentFileWindows;
  /** Outline indexes of the documents read, so the outline of a late page reads only its window's pages. */
  private readonly outlineIndexes = new OutlineIndexes();

  private constructor(
    readonly dir: DataDir,
    private readonly store: LibraryStore,
    private readonly embedder_: Embedder | null,
    private readonly mode: OpenMode,
    /** How the data directory was proved to be a library (created, adopted, already marked). */
    readonly claim: DataDirClaim,
    /** The spec the embedder was made from, as the index records it. */
    private readonly embedderSpec: string,
    /** Set when the store of record is PostgreSQL: `store` is then this node's replica of it. */
    private readonly node?: ScaleOutNode,
  ) {
    // A layout scanned in the background is stored for the next start, except in a library McDewey could not mark as its own.
    this.fileWindows = new DocumentFileWindows(claim.state === 'unmarked' ? {} : { dir });
  }

  static async open(
    config: Pick<Config, 'data' | 'embedder' | 'embedderApiKey'> & Partial<Pick<Config, 'store' | 'storePoolSize'>>,
    mode: OpenMode = 'read',
  ): Promise<Library> {
    const dir = dataDirAt(config.data);
    const claim = claimDataDir(dir);
    // Loaded only for a PostgreSQL store: its client is ~50 ms of a server's start that an embedded library never uses.
    const node = config.store ? await (await import('./scale-out/scale-out-node.js')).ScaleOutNode.open(config.store, dir, { poolSize: config.storePoolSize ?? 10 }) : undefined;
    const { store, movedAside } = node ? { store: node.replica, movedAside: undefined } : openStore(dir, mode);
    let spec: string;
    let embedder: Embedder | null;
    try {
      spec = chooseEmbedderSpec(config.embedder, store.embedderIdentity());
      embedder = createEmbedder(resolveEmbedderSpec(spec, {
        modelsDir: dir.modelsDir,
        ...(config.embedderApiKey === undefined ? {} : { apiKey: config.embedderApiKey }),
      }));
    } catch (error) {
      if (node) await node.close();
      else store.close();
      throw error;
    }
    const library = new Library(dir, store, embedder, mode, claim, recordableSpec(spec), node);
    if (movedAside) library.damagedIndexMovedTo = movedAside;
    try {
      settleInterruptedWrites(dir, store, claim.state !== 'unmarked');
      if (mode !== 'reindex' && indexLostItsDocuments(dir, store)) {
        throw new LibraryError(
          'unavailable',
          `the index ${dir.indexFile} holds no documents, but the library folder has document files (the index was truncated, replaced or deleted)`,
          'Run `mcdewey reindex` to rebuild it from the Markdown files',
        );
      }
      library.checkEmbedderName();
    } catch (error) {
      if (node) await node.close();
      else store.close();
      await embedder?.close();
      throw error;
    }
    return library;
  }

  /**
   * Human-readable name of the embedder searches use, or null for lexical only: also when another
   * process has re-indexed the library without this embedder since it was opened (searches are then
   * lexical, and say why).
   */
  get embedderName(): string | null {
    const name = this.embedder_?.name ?? null;
    const built = name === null ? undefined : this.store.vectorModel();
    return built === undefined || built === name ? name : null;
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
        if (this.mode !== 'read' || this.store.embedderIdentity() === undefined) await this.recordIdentity(null);
        return null;
      }
      await embedder.init();
      const identity = this.identityOf(embedder);
      const recorded = this.store.embedderIdentity();
      if (recorded && recorded.name === identity.name && recorded.dimensions !== identity.dimensions && this.mode !== 'reindex') {
        throw mismatch(recorded, `${identity.name} (${identity.dimensions} dimensions)`);
      }
      if (this.mode !== 'read' || recorded === undefined) await this.recordIdentity(identity);
      return embedder;
    })();
    return this.embedderReady;
  }

  private identityOf(embedder: Embedder): EmbedderIdentity {
    return { name: embedder.name, dimensions: embedder.dimensions, spec: this.embedderSpec };
  }

  private async recordIdentity(identity: EmbedderIdentity | null): Promise<void> {
    const recorded = this.store.embedderIdentity();
    if (recorded === undefined || recorded?.name !== identity?.name || recorded?.dimensions !== identity?.dimensions || recorded?.spec !== identity?.spec) {
      await this.setIdentity(identity);
    }
  }

  /** In PostgreSQL when it is the store of record (the replica follows), else in the index. */
  private async setIdentity(identity: EmbedderIdentity | null): Promise<void> {
    if (this.node) await this.node.setEmbedderIdentity(identity);
    else this.store.setEmbedderIdentity(identity);
  }

  private async engine(): Promise<SearchEngine> {
    if (!this.engine_) {
      const queryVectors = await this.queryVectors();
      this.localIndexes ??= new LocalIndexes(this.store, { files: this.dir.searchIndexFiles, log: (message) => console.error(`mcdewey: ${message}`) });
      const indexes = this.localIndexes;
      this.engine_ ??= new SearchEngine(this.store, () => indexes.current(), queryVectors);
    }
    return this.engine_;
  }

  /**
   * Query vectors for searching, kept for repeated queries; null when the library is searched
   * lexically only (indexed without vectors, or no embedder configured).
   */
  private queryVectors(): Promise<QueryVectors | null> {
    this.queryVectors_ ??= (async () => {
      // A library indexed without vectors can only be searched lexically, whatever is configured.
      const embedder = this.store.embedderIdentity() === null ? null : await this.readyEmbedder();
      return embedder && new CachedQueryVectors(embedder.name, (query) => embedder.embedQuery(query));
    })();
    return this.queryVectors_;
  }

  // ---- ingestion ----------------------------------------------------------------------------

  /** Files that `add` would ingest, with their labels, without touching the library. */
  plan(inputs: string[], flags: LabelFlags = {}, options: DiscoverOptions = {}): Source[] {
    return this.discover(inputs, flags, options).sources;
  }

  /** As `plan`, with what the folders held that will not be read, and why (for the caller to report). */
  discover(inputs: string[], flags: LabelFlags = {}, options: DiscoverOptions = {}): { sources: Source[]; skipped: SkippedEntry[] } {
    const found: { sources: Source[]; skipped: SkippedEntry[] } = { sources: [], skipped: [] };
    for (const input of inputs) {
      const { sources, skipped } = discoverSources(input, flags, options);
      for (const source of sources) found.sources.push(source);
      for (const entry of skipped) found.skipped.push(entry);
    }
    return found;
  }

  /**
   * Adds sources, each document atomically. `replace` lets a different source take an id that is
   * in use; `conversionLimits` overrides the per-document time and memory limits of conversion;
   * `signal` stops before the next document.
   */
  async add(sources: Source[], progress: IngestProgress = silentProgress, options: AddOptions & { conversionLimits?: ConversionLimits; signal?: AbortSignal } = {}): Promise<AddResult[]> {
    this.requireWritable();
    try {
      return await addSources(await this.writer(), sources, progress, options);
    } finally {
      await this.indexesCaughtUp();
    }
  }

  /**
   * The documents `remove(target)` would take, removing nothing. Nothing at all is an error that
   * says what exists instead; a document named without its collection that exists in several
   * collections is refused as ambiguous rather than guessed.
   */
  removalPlan(target: RemoveTarget): DocumentInfo[] {
    return this.removalTargets(target).map(documentInfo);
  }

  private removalTargets(target: RemoveTarget): StoredDocument[] {
    let docs: StoredDocument[];
    try {
      docs = resolveFilter(this.store, target);
    } catch (error) {
      if (!(error instanceof LibraryError && error.code === 'not_found')) throw error;
      const what = [target.product, target.version, target.collection, target.document].filter(Boolean).join(' ');
      throw new LibraryError('not_found', `nothing in the library matches "${what}": ${error.detail}`, error.hint ?? 'See what is there with `mcdewey list`');
    }
    const collections = new Set(docs.map((d) => `${d.key.version}/${d.key.collection}`));
    if (target.document !== undefined && target.collection === undefined && collections.size > 1) {
      throw new LibraryError(
        'conflict',
        `"${target.document}" names ${docs.length} documents in different collections: ${docs.map((d) => d.docId).join(', ')}`,
        'Name the collection too (`mcdewey remove --collection <collection>`, or DELETE /api/documents/<doc id>)',
      );
    }
    return docs;
  }

  /**
   * Removes what `removalPlan(target)` lists, one document at a time, each file and index entry
   * together (see `removeDocumentAtomically`), and its kept original once nothing else uses it.
   * If one fails, the ones before it stay removed and the error says so; that document and the
   * rest are untouched.
   */
  async remove(target: RemoveTarget): Promise<DocumentInfo[]> {
    this.requireWritable();
    const docs = this.removalTargets(target);
    const removed: StoredDocument[] = [];
    for (const doc of docs) {
      try {
        if (this.node) await this.node.remove(doc.docId);
        else removeDocumentAtomically(this.dir, doc.key, doc.markdownHash, () => this.store.removeDocument(doc.docId), (work) => this.store.withWriteLock(work));
      } catch (error) {
        const done = removed.length > 0 ? `${removed.length} of ${docs.length} documents were removed before it; ` : '';
        throw new LibraryError(
          'unavailable',
          `could not remove ${doc.sourcePath}: ${failureMessage(error)}`,
          `${done}it and the ones after it are unchanged (file and index). Fix the cause and run the removal again`,
        );
      }
      // A node's originals are a cache that follows the store of record (PostgreSQL drops unused ones).
      if (!this.node) forgetUnusedOriginal({ dir: this.dir, store: this.store }, doc.contentHash, doc.format);
      removed.push(doc);
    }
    await this.indexesCaughtUp();
    return removed.map(documentInfo);
  }

  /**
   * Adds files and folders as `mcdewey add` does. Folders are remembered with their labels, so that
   * a refresh scans them again for changed, new and deleted files.
   */
  async addPaths(
    inputs: string[], flags: LabelFlags, progress: IngestProgress = silentProgress,
    options: AddOptions & DiscoverOptions & { signal?: AbortSignal } = {},
  ): Promise<AddResult[]> {
    this.requireWritable();
    const sources = this.plan(inputs, flags, options.followLinks ? { followLinks: true } : {});
    for (const input of inputs) {
      const folder = path.resolve(input);
      if (fs.statSync(folder).isDirectory()) await this.crawlState().save({ kind: 'folder', location: folder, settings: { labels: flags } });
    }
    return this.add(sources, progress, options);
  }

  /** Fetches one URL (PDF, HTML, Markdown, text) and adds it. */
  async addUrl(request: UrlRequest, progress: IngestProgress = silentProgress, signal?: AbortSignal): Promise<AddResult> {
    this.requireWritable();
    try {
      return await addUrl(await this.writer(), request, progress, signal);
    } finally {
      await this.indexesCaughtUp();
    }
  }

  /** Crawls a documentation site into one collection (see `crawlIntoLibrary`). */
  async addSite(request: SiteRequest, progress: IngestProgress = silentProgress, run: SiteRun = {}): Promise<SiteResult> {
    this.requireWritable();
    await this.caughtUpWithStore();
    try {
      return await crawlIntoLibrary(await this.writer(), request, progress, run);
    } finally {
      await this.indexesCaughtUp();
    }
  }

  /** Re-reads or re-fetches documents from their sources (see refresh.ts). */
  async refresh(target: RefreshTarget = {}, progress: IngestProgress = silentProgress, options: RefreshOptions = {}): Promise<RefreshResult> {
    this.requireWritable();
    await this.caughtUpWithStore();
    try {
      return await refreshLibrary(await this.writer(), target, progress, options);
    } finally {
      await this.indexesCaughtUp();
    }
  }

  /** New vendor, product or version labels for a product or one of its versions (see relabel.ts). */
  async relabel(target: RelabelTarget, labels: NewLabels, progress: IngestProgress = silentProgress, signal?: AbortSignal): Promise<AddResult[]> {
    this.requireWritable();
    await this.caughtUpWithStore();
    const plan = relabelPlan(this.store, target, labels);
    try {
      const writer = await this.writer();
      return this.node
        ? await relabelThroughRecords(this.node, writer.embedder, plan, progress, signal)
        : await relabelLibrary(writer, plan, progress, signal);
    } finally {
      await this.indexesCaughtUp();
    }
  }

  /** The jobs table, for the job runner and queue of this service layer (service/jobs); surfaces use those. */
  jobTable(): JobStore {
    return this.store.jobs;
  }

  /**
   * What ingestion writes through: the Markdown tree and index of an embedded library, or, on a
   * scale-out node, PostgreSQL (documents committed and removed there, the replica following).
   */
  private async writer(): Promise<SiteWriterContext> {
    this.converter_ ??= new IsolatedConverter();
    const node = this.node;
    return {
      dir: this.dir, store: this.store, embedder: await this.readyEmbedder(), converter: this.converter_, sources: this.crawlState(),
      ...(node ? {
        commit: async (records: DocumentRecord[]) => { await node.commitAll(records, [], []); },
        remove: async (doc: StoredDocument) => { await node.remove(doc.docId); },
      } : {}),
    };
  }

  /**
   * On a node, brings the replica up to what other nodes committed, so that a crawl, refresh or
   * re-labelling starts from every document there is (the next poll could be a second away).
   */
  private async caughtUpWithStore(): Promise<void> {
    await this.node?.catchUp();
  }

  /** The sources table (folders and sites added whole, a site's last crawl): PostgreSQL's on a node, so every node can refresh them. */
  private crawlState(): CrawlStateStore {
    return this.node ? this.node.sources : embeddedCrawlState(this.store.sources);
  }

  /**
   * Rebuilds the index from the Markdown tree: every file is re-chunked and re-indexed (vectors of
   * unchanged text are reused unless the embedder changed) and index entries without a file go.
   */
  async reindex(progress: IngestProgress = silentProgress): Promise<ReindexResult> {
    // Recorded before anything changes (the embedder switch below drops the vectors), cleared only
    // if every file is indexed: a partial index is then known as one (see rebuild-state.ts).
    // A node's replica is rebuilt from PostgreSQL's rows, which a failed rebuild leaves intact.
    const node = this.node;
    const started = node ? undefined : beginRebuild(this.store);
    const recorded = this.store.embedderIdentity();
    const wanted = this.embedder_?.name ?? null;
    if (recorded !== undefined && (recorded?.name ?? null) !== wanted) await this.setIdentity(null);
    const embedder = await this.readyEmbedder();
    await this.recordIdentity(embedder ? this.identityOf(embedder) : null);
    const result = node
      ? await reindexFromRecords(node, embedder, progress)
      : await reindexFromFiles(this.dir, this.store, embedder, progress, started!);
    await this.indexesCaughtUp();
    return this.damagedIndexMovedTo ? { ...result, damagedIndexMovedTo: this.damagedIndexMovedTo } : result;
  }

  /**
   * What every surface tells its reader about the library as a whole: empty while the index holds
   * every document, else that it may be partial (a re-index failed or did not finish) and why.
   */
  notices(): string[] {
    return incompleteIndexNotices(this.store);
  }

  /** Differences between the Markdown tree and the index (empty when they agree). */
  verify(): string[] {
    if (this.node) throw new Error('verify() reads the Markdown tree of an embedded library; use check()');
    return differences(this.dir, this.store);
  }

  /**
   * What `mcdewey check` reports: for an embedded library, where the Markdown tree and the index
   * disagree; for one in PostgreSQL, where the store and this node's replica disagree.
   */
  async check(): Promise<string[]> {
    return this.node ? nodeDifferences(this.node) : this.verify();
  }

  /** Where this node stands against a shared store of record; undefined for an embedded library. */
  async storeStatus(): Promise<NodeStatus | undefined> {
    return this.node?.status();
  }

  /** The scale-out node behind this library, when its store of record is PostgreSQL. */
  get scaleOutNode(): ScaleOutNode | undefined {
    return this.node;
  }

  private requireWritable(): void {
    if (this.mode === 'read') throw new Error('library opened read-only');
  }

  // ---- reading -----------------------------------------------------------------------------

  /**
   * `trace` receives each step's time: the benchmark's breakdown reads it. `signal` cancels the
   * search (a client that went away). With search workers running, the search runs on one of them.
   */
  async search(request: SearchRequest, trace?: SearchTrace, signal?: AbortSignal): Promise<SearchResponse> {
    const response = this.workers
      ? await this.workers.pool.search(request, trace, signal)
      : await runSearch(await this.engine(), this.store, request, trace);
    const notices = this.notices();
    if (response.nextOffset !== undefined && response.nextOffset > LIMITS.searchOffset) {
      // No surface pages past the deepest offset, so none is offered a page it would refuse.
      delete response.nextOffset;
      notices.push(`Results are not paged past offset ${LIMITS.searchOffset}: narrow the search with filters or other words to see others.`);
    }
    return notices.length === 0 ? response : { ...response, notices: [...notices, ...response.notices] };
  }

  /**
   * From now on, searches run on a pool of worker threads over indexes followed by an index thread,
   * so that the calling thread (a server's) only parses requests and writes responses. Searches
   * stay in this thread when the store cannot be opened by another thread (an in-memory copy).
   */
  async startSearchWorkers(options: { workers: number; queue: number; maxWaitMs?: number; deadlineMs: number }): Promise<void> {
    if (this.workers) return;
    const reader = this.store.readerSpec();
    if (!reader) return;
    const log = (message: string) => console.error(`mcdewey: ${message}`);
    // Saved first, so that the index thread starts from what this thread already built.
    this.localIndexes?.close();
    this.localIndexes = undefined;
    this.engine_ = undefined;
    const indexes = new IndexThread({ reader, files: this.dir.searchIndexFiles, log });
    // Started together: the search workers load their code while the index thread loads the indexes.
    const pool = new SearchPool({ reader, ...options, queryVectors: () => this.queryVectors(), log });
    indexes.onSnapshot((handles) => pool.publish(handles));
    try {
      await Promise.all([indexes.start(), pool.start()]);
    } catch (error) {
      await pool.close();
      await indexes.close();
      throw error;
    }
    this.workers = { pool, indexes };
  }

  /** Back to searching in this thread; the index thread saves the indexes first. */
  async stopSearchWorkers(): Promise<void> {
    const workers = this.workers;
    this.workers = undefined;
    if (!workers) return;
    await workers.pool.close();
    await workers.indexes.close();
  }

  /**
   * The `busy` refusal a search arriving now would get from the search workers, or undefined (it
   * would be let in, or searches run in this thread). It reads no request: a server's front door asks
   * it before parsing one, so that refusing costs as little as possible under overload.
   */
  searchRefusal(): LibraryError | undefined {
    return this.workers?.pool.refusal();
  }

  /** Searches running and waiting on the search workers, and the workers up (undefined without them). */
  searchWorkersLoad(): { running: number; waiting: number; workers: number } | undefined {
    return this.workers?.pool.load;
  }

  /** The search indexes as the index thread last published them (undefined without search workers). */
  searchIndexStatus(): IndexStatus | undefined {
    return this.workers?.indexes.status;
  }

  /**
   * After a write (here, or by a job thread through its own connection): searches see it once this
   * resolves (immediately when searching in this thread).
   */
  async indexesCaughtUp(): Promise<void> {
    await this.workers?.indexes.catchUp();
  }

  /** Ranked chunk rowids only, for evaluation: the engine's plan and retrieve stages. */
  async rank(query: string, mode: SearchMode, depth: number): Promise<ScoredRowid[]> {
    return (await this.engine()).rank(query, mode, depth);
  }

  /**
   * The library as a tree: vendors → products → versions → documents, optionally narrowed by a
   * filter. The whole library's tree is built once per library change, from the documents'
   * summaries, and shared (frozen): the library page, MCP version resources and short listings ask
   * for it; a filtered tree is cut from it.
   */
  tree(filter: LibraryFilter = {}): LibraryTree {
    // The token is read before the documents: a change in between only makes the next call rebuild.
    const token = this.store.changeToken();
    if (this.wholeTree?.token !== token) this.wholeTree = { token, tree: frozenTree(buildTree(this.store.documentSummaries())) };
    if (!filters(filter)) return this.wholeTree.tree;
    // The filter resolver names what an unknown filter value is, over the catalog's entries.
    return prunedTree(this.wholeTree.tree, new Set(selectDocuments(this.store.catalogEntries(), filter).map((d) => d.docId)));
  }

  /**
   * The library's shelves (vendors → products → versions, counted), optionally narrowed by vendor
   * or product: the tree without its documents, counted by the store, so that a page or an answer
   * that shows what the library holds never reads every document's row. Shared (frozen) until the
   * library changes, like the tree.
   */
  shelves(filter: Pick<LibraryFilter, 'vendor' | 'product'> = {}): Shelves {
    const token = this.store.changeToken();
    if (this.wholeShelves?.token !== token) this.wholeShelves = { token, shelves: frozenTree(buildShelves(this.store.versionTotals())) };
    const whole = this.wholeShelves.shelves;
    if (!filters(filter)) return whole;
    // The filter resolver says what an unknown vendor or product is, as it does everywhere; the
    // catalog's entries it reads are the searches' own.
    return shelvesOfProducts(whole, new Set(selectDocuments(this.store.catalogEntries(), filter).map((d) => d.key.product)));
  }

  /**
   * What a listing of the library shows: the tree while it holds at most `documentsListed`
   * documents, else the shelves alone, since the listing then leaves the documents out and need
   * not read them.
   */
  listing(filter: Pick<LibraryFilter, 'vendor' | 'product'>, documentsListed: number): LibraryTree | Shelves {
    const shelves = this.shelves(filter);
    return shelves.documents <= documentsListed ? this.tree(filter) : shelves;
  }

  /** Documents matching a filter; an unknown vendor, product or version is an error that lists what exists. */
  documents(filter: LibraryFilter = {}): DocumentInfo[] {
    return resolveFilter(this.store, filter).map(documentInfo);
  }

  /**
   * `limit` documents from `offset` of those a filter selects, and how many it selects. Only the
   * page's documents are made into DocumentInfo: making all of them took 23 ms per call at 110k
   * documents, whatever the page.
   */
  documentPage(filter: LibraryFilter, offset: number, limit: number): { documents: DocumentInfo[]; total: number } {
    const all = resolveFilter(this.store, filter);
    return { documents: all.slice(offset, offset + limit).map(documentInfo), total: all.length };
  }

  /**
   * How many documents and chunks the library holds, counted by the store once per library change
   * rather than per call (a health probe asks on every call), and never by reading the catalog: on a
   * server just started, that read held the event loop 1.5 s at 110,000 documents.
   */
  size(): LibrarySize {
    // The token is read before the count: a change in between only makes the next call count again.
    const token = this.store.changeToken();
    if (this.wholeSize?.token !== token) this.wholeSize = { token, size: this.store.documentTotals() };
    return this.wholeSize.size;
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

  /** A window of one page: its Markdown from `start`, and its chunks (see `PageWindowOptions`). */
  page(docId: string, number: number, options: PageWindowOptions = {}): PageView {
    const document = this.storedDocument(docId);
    return pageView(this.store, this.pageText(document), document, number, options);
  }

  textWindow(docId: string, options: { start?: number; page?: number; maxChars?: number } = {}): TextWindow {
    const document = this.storedDocument(docId);
    return textWindow(this.pageText(document), document, options);
  }

  /** A window of the heading outline: from `offset`, or the window that reaches `page`. */
  outline(docId: string, options: { offset?: number; page?: number } = {}): OutlineWindow {
    const document = this.storedDocument(docId);
    return outline(this.pageText(document), options, this.outlineIndexes.get(document));
  }

  /**
   * Waits (at most READY_WAIT_MS) until a document's page text can be read in windows from its
   * file: a reading route awaits it before `page`, `textWindow` or `outline`, so that a file whose
   * stored layout is missing or stale is scanned in the background while other requests go on,
   * instead of its whole page being read from the index on the request thread. With `outline`,
   * a long document's outline index is waited for too, so that its outline reads only the pages
   * of the window asked for. Never throws: the read that follows reports an unknown document.
   */
  async readyToRead(docId: string, options: { outline?: boolean } = {}): Promise<void> {
    try {
      const document = this.storedDocument(docId);
      const target = this.fileTarget(document);
      const deadline = Date.now() + READY_WAIT_MS;
      if (target) await this.fileWindows.ready(target, this.fileVersion(document), READY_WAIT_MS);
      if (options.outline) {
        // A short document's outline is found by reading it from the start, at most this much on the request thread.
        const text = this.pageText(document);
        const chars = text.pageLengths().reduce((sum, page) => sum + page.chars, 0);
        if (chars > OUTLINE_SCAN_CHARS) await this.outlineIndexes.ready(document, () => this.pageText(document), Math.max(0, deadline - Date.now()));
      }
    } catch {
      // Unknown document or unreadable file: the read itself says what is wrong.
    }
  }

  /** A document's page text, read in windows from its file where it can be (see page-text.ts). */
  private pageText(document: StoredDocument): PageText {
    const target = this.fileTarget(document);
    return target ? filePageText(this.store, document, target, this.fileWindows, this.fileVersion(document)) : indexPageText(this.store, document);
  }

  /** What the index holds of a document; its page sizes are read on another thread where the index is a file here. */
  private fileVersion(document: StoredDocument) {
    return fileVersion(this.store, document, this.node ? undefined : (docRowid, fileBytes, maxTailBytes) => pageByteLengthsOffThread(this.dir.indexFile, docRowid, fileBytes, maxTailBytes));
  }

  private fileTarget(document: StoredDocument): DocumentFileTarget | undefined {
    try {
      return { file: documentFilePath(this.dir.libraryDir, document.key), layout: layoutFilePath(this.dir, document.key) };
    } catch {
      return undefined;
    }
  }

  /** A window of a document read by section (HTML, Markdown, text), with its headings' anchors. */
  sections(docId: string, target: SectionTarget = {}): SectionView {
    return sectionView(this.store, this.storedDocument(docId), target);
  }

  /** The document's place in its collection's reading order, when it has one. */
  readingOrder(docId: string): ReadingOrder | undefined {
    return readingOrder(this.store, this.storedDocument(docId));
  }

  async close(): Promise<void> {
    await this.fileWindows.close();
    await this.outlineIndexes.close();
    await this.stopSearchWorkers();
    this.localIndexes?.close();
    await this.converter_?.stop();
    if (this.node) await this.node.close();
    else this.store.close();
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
