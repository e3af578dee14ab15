import type { Chunk, DocumentMeta, EmbedderIdentity, Page } from '../library/model.js';

/**
 * The storage boundary. Everything above it (search, service, surfaces) talks to this
 * interface only; SQLite is one implementation, a PostgreSQL/pgvector adapter would be another.
 */

export interface StoredDocument extends DocumentMeta {
  rowid: number;
  docId: string;
  /** sha256 of the Markdown file the index was built from. */
  markdownHash: string;
  chunkCount: number;
  indexedAt: string;
}

/**
 * What a search knows of every document: where it is filed, its labels and ids, not the rest of
 * its row. Resolving a filter or the product a query names needs these of the whole library, and
 * reading only them costs a tenth of reading every row (see CatalogStore.catalogEntries).
 */
export type CatalogEntry = Pick<StoredDocument, 'rowid' | 'docId' | 'key' | 'vendor' | 'vendorLabel' | 'productLabel' | 'versionLabel'>;

export interface StoredChunk extends Chunk {
  rowid: number;
  docRowid: number;
}

/**
 * A chunk to store, with (optionally) its vector. Its lexical fields are not stored: the search
 * indexes analyze the chunk's text, heading path and document title themselves (see IndexSource).
 */
export interface ChunkToIndex {
  chunk: Chunk;
  /** Hash of the text that was embedded, so unchanged chunks can reuse their vector. */
  embedHash: string;
  vector: Float32Array | null;
}

export interface DocumentFilter {
  vendor?: string;
  product?: string;
  version?: string;
  collection?: string;
  document?: string;
}

export interface ScoredRowid {
  rowid: number;
  score: number;
}

/**
 * The roles the store plays, each a small interface so that every consumer asks for only what it
 * uses: the catalog of documents, their content (pages and chunks), what the search indexes are
 * built from (the change log and the chunks and vectors it names), the writer's side, and health checks. `LibraryStore` is all of them; SQLite
 * implements it, and a second engine is another adapter of the same roles.
 */
/** One entry of the change log: a document added or removed, or the vectors reset. */
export interface Change {
  seq: number;
  op: 'add' | 'remove' | 'reset';
  /** The document; for a 'reset', VECTORS_DROPPED when every vector was dropped there, 0 when they were kept (or the entry predates the distinction). */
  docRowid: number;
}

/**
 * A 'reset' entry's docRowid when the embedder's name or dimensions changed and every vector was
 * dropped. A follower that learns the identity later (a node reading the store of record's current
 * one) cannot tell otherwise whether a switch and a switch back happened in between.
 */
export const VECTORS_DROPPED = 1;

/**
 * The change log every derived index follows (the catalog cache, the in-memory lexical and vector
 * indexes, other processes and other nodes): positions only grow, and a follower behind the horizon
 * rebuilds from the store.
 */
export interface ChangeFeed {
  /**
   * Names this change log: positions are only comparable within one log. A database replaced by
   * another (restored, rebuilt from scratch) has another id, so a follower saved against the old
   * one starts over instead of applying the new log on top of old state.
   */
  changeLogId(): string;
  /** The position of the last committed change. */
  changePosition(): number;
  /** The oldest position a follower can catch up from. */
  changeHorizon(): number;
  /** Changes after `position`, in order, at most `limit`. */
  changesSince(position: number, limit: number): Change[];
  /**
   * A stamp that differs from the last one taken whenever a commit may have changed the store
   * since (through this connection or any other, in any process); undefined when the store cannot
   * tell. A follower that caught up at a stamp it sees again has nothing to read.
   */
  changeStamp?(): string | undefined;
}

/** A chunk as the search indexes read it: what its lexical fields are analyzed from. */
export interface IndexedChunk {
  rowid: number;
  docRowid: number;
  /** The document's title (the title field). */
  title: string;
  /** The document's product, slug and label: also words of the title field (search/indexes/index-chunks.ts). */
  product: string;
  productLabel: string;
  headingPath: string[];
  text: string;
}

export interface IndexedVector {
  rowid: number;
  docRowid: number;
  vector: Float32Array;
}

/**
 * What the derived search indexes (in this process, a worker thread, another node) are built and
 * kept up to date from: the change log, and the chunks and vectors of the documents it names, read
 * in one consistent snapshot so that the changes and the content they name agree.
 */
export interface IndexSource extends ChangeFeed {
  /** Runs `work` over one snapshot of the store: no commit by anyone is seen half-way through it. */
  readSnapshot<T>(work: () => T): T;
  /** The chunks of these documents (every chunk when undefined), grouped by document, in reading order. */
  indexChunks(docRowids?: readonly number[]): Iterable<IndexedChunk>;
  /** The vectors of these documents' chunks (every vector when undefined), grouped by document. */
  indexVectors(docRowids?: readonly number[]): Iterable<IndexedVector>;
  /** Dimensions of the stored vectors, or undefined when the library keeps none (no embedder). */
  vectorDimensions(): number | undefined;
  /**
   * The name of the embedder the stored vectors were made with: null when the library is indexed
   * without one, undefined before any embedder was recorded (a new library).
   */
  vectorModel(): string | null | undefined;
}

/**
 * How another thread opens its own reader of the same store (a connection per thread): plain data,
 * posted to worker threads. Undefined when the store cannot be shared (an in-memory copy).
 */
export type StoreReaderSpec = { engine: 'sqlite'; file: string };

export interface SharedStore {
  readerSpec(): StoreReaderSpec | undefined;
}

/** What a collection's reading order needs of each of its documents. */
export interface CollectionEntry {
  docId: string;
  title: string;
  /** Place in the collection's navigation; absent for a document without one. */
  navOrder?: number;
  trail: string[];
}

/** Where a document is shelved: its vendor, product and version, each as its slug and its label. */
export interface ShelfLabels {
  vendor: string;
  vendorLabel: string;
  product: string;
  productLabel: string;
  version: string;
  versionLabel: string;
}

/** One version's documents counted, with the labels of its first document in the catalog's order. */
export interface VersionTotals extends ShelfLabels {
  documents: number;
  pages: number;
  chunks: number;
}

/** A document as the library's tree lists it: its filing, labels, title, source, size and reading order; no hashes, origin or times. */
export type DocumentSummary = Pick<StoredDocument,
  'docId' | 'key' | 'vendor' | 'vendorLabel' | 'productLabel' | 'versionLabel' | 'title' | 'sourcePath' | 'format' | 'pageCount' | 'chunkCount' | 'navigation'>;

export interface CatalogStore {
  documents(filter?: DocumentFilter): StoredDocument[];
  /**
   * Every document as the library's tree lists it, read now (the caller keeps what it builds until
   * the library changes): 0.56 against 1.38 s for whole rows at 110,457 documents
   * (`bench/catalog-read.ts`), and the catalog is not kept for it.
   */
  documentSummaries(): DocumentSummary[];
  /**
   * Every version's documents, pages and chunks counted, in the catalog's order (product, version):
   * counted by the store in one pass, never from a row per document.
   */
  versionTotals(): VersionTotals[];
  /**
   * Every document's entry, in the catalog's order (product, version, collection, document), kept
   * current like the catalog. A search resolves filters and scopes with these and reads whole rows
   * only of its candidates: a search worker or a CLI search just started then never reads every
   * row (whole rows 135 ms against 32 ms for the entries at 14,977 documents, 1.41 against 0.37 s at
   * 110,457: `node --expose-gc --import tsx bench/catalog-read.ts`). The list is the cache's own,
   * brought up to date in place: read it at once, never keep it across an await.
   */
  catalogEntries(): readonly CatalogEntry[];
  /**
   * One collection's documents as its reading order needs them, read from the table, not from the
   * catalog: a process just started need not read every document (0.3 s at 15,000, 1.5 s at
   * 110,000, holding the event loop) to show one page of a docs site.
   */
  collectionEntries(product: string, version: string, collection: string): CollectionEntry[];
  document(docId: string): StoredDocument | undefined;
  documentByRowid(rowid: number): StoredDocument | undefined;
  /** Several documents by rowid from one look at the catalog (absent ones left out): a search reads tens per query. */
  documentsByRowid(rowids: Iterable<number>): Map<number, StoredDocument>;
  /**
   * Changes whenever this or any other connection changes documents, chunks or vectors; used to
   * refresh caches. Jobs and sources do not move it.
   */
  changeToken(): string;
}

/** A part of one page's Markdown; positions count characters (Unicode code points). */
export interface PageSlice {
  number: number;
  label?: string;
  /** Characters in the whole page. */
  chars: number;
  text: string;
}

/** Where a window falls among a page's chunks: skip `offset` of them, take at most `limit`. */
export interface ChunkRange {
  offset: number;
  limit: number;
}

export interface ContentStore {
  page(docRowid: number, number: number): Page | undefined;
  pages(docRowid: number): Page[];
  /** A document's pages one at a time, so that reading a large document never holds all of it. */
  eachPage(docRowid: number): Iterable<Page>;
  /** `length` characters of a page's Markdown from `start`, without reading the rest into memory here. */
  pageSlice(docRowid: number, number: number, start: number, length: number): PageSlice | undefined;
  /** Every page's number, label and length in characters, without its text. */
  pageLengths(docRowid: number): { number: number; label?: string; chars: number }[];
  /** Every page's number and length in UTF-8 bytes, read without reading any page's text (unlike its length in characters). */
  pageByteLengths(docRowid: number): { number: number; bytes: number }[];
  chunk(chunkId: string): StoredChunk | undefined;
  chunksByOrdinal(docRowid: number, from: number, to: number): StoredChunk[];
  chunksByRowid(rowids: number[]): StoredChunk[];
  /** The chunks covering a page, in order; with `range`, only that part of them. */
  chunksOnPage(docRowid: number, page: number, range?: ChunkRange): StoredChunk[];
  /** How many chunks cover a page, and how many of those come before the chunk with `ordinal`. */
  chunksOnPageCount(docRowid: number, page: number, beforeOrdinal?: number): number;
}

/** Vectors already stored for these embed hashes (reused when re-indexing unchanged text). */
export interface VectorReuse {
  vectorsByEmbedHash(hashes: string[]): Map<string, Float32Array>;
}

/**
 * A re-index that has not finished cleanly, recorded when it starts and cleared only when it ends
 * without a failure: while it is there, the index may lack documents that are on disk.
 */
export interface RebuildState {
  startedAt: string;
  /** Tells re-indexes apart (two may run at once, from different processes): each ends only its own record. */
  id?: string;
  /** Set when it ended with failures: how many document files it saw and how many it could not index. */
  files?: number;
  failed?: number;
  /** Why the first one failed, as a storage failure code ('disk_full', …) or 'unreadable' for a file it could not read. */
  reason?: string;
}

export interface WriterStore extends VectorReuse {
  /**
   * The vendors other than `vendor` that documents of `product` belong to (a product has one
   * vendor, so this is empty for a write that keeps it so). Read from the index, not a cache, so a
   * writer's checks cost the same in a library of any size.
   */
  otherVendorsOf(product: string, vendor: string): { vendor: string; vendorLabel: string; docId: string }[];
  /** Whether any document's original has this content hash. */
  contentInUse(contentHash: string): boolean;
  /** Embedder that built the vectors: undefined for a new index, null when built without one. */
  embedderIdentity(): EmbedderIdentity | null | undefined;
  /**
   * Records the embedder; drops every vector and (re)creates the vector table when its name or
   * dimensions change, or when `dropVectors` says the store of record dropped them (a replica).
   */
  setEmbedderIdentity(identity: EmbedderIdentity | null, options?: { dropVectors?: boolean }): void;
  /**
   * Runs `work` holding the index's write lock, as one transaction: other writers (in any
   * process) wait, readers do not. Used to make a document's file switch and its index update
   * one step that crash recovery can tell apart from a write still in progress.
   */
  withWriteLock<T>(work: () => T): T;
  /** The re-index that has not finished cleanly, if any. */
  rebuildState(): RebuildState | undefined;
  /**
   * Writes (or with undefined, clears) the re-index record. With `ifCurrent`, only while the record
   * is still that one (same id): a re-index that ends never clears the record of one started since.
   */
  setRebuildState(state: RebuildState | undefined, ifCurrent?: RebuildState): void;
  /** Replaces (or inserts) a document with its pages and chunks in one transaction. */
  replaceDocument(meta: DocumentMeta, markdownHash: string, pages: Page[], chunks: ChunkToIndex[]): void;
  removeDocument(docId: string): boolean;
}

export interface HealthStore {
  counts(): { documents: number; chunks: number; vectors: number };
  /**
   * Documents and the chunks they record, counted in the table: a health check on a server just
   * started must not wait for the whole catalog to be read (1.5 s at 110,000 documents).
   */
  documentTotals(): { documents: number; chunks: number };
  /** Verifies the database file is not damaged. */
  integrityProblems(): string[];
  close(): void;
}

/** A folder or a site that was added whole: refreshing re-scans or re-crawls it. */
export interface StoredSource {
  kind: 'folder' | 'site';
  /** The folder's absolute path, or the site's start URL. */
  location: string;
  /** What it was added with (labels, crawl options), as JSON that the service validates. */
  settings: unknown;
  /** A site's last finished crawl (its saved state), for a conditional refresh. */
  state?: unknown;
  addedAt: string;
  refreshedAt?: string;
}

export interface SourceStore {
  all(): StoredSource[];
  get(kind: StoredSource['kind'], location: string): StoredSource | undefined;
  /** Inserts or replaces the settings and state; `refreshed` stamps the time of a finished refresh. */
  save(source: Pick<StoredSource, 'kind' | 'location' | 'settings' | 'state'>, refreshed?: boolean): void;
  remove(kind: StoredSource['kind'], location: string): void;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** An ingestion job as stored. Request, progress, checkpoint and result are JSON the service validates. */
export interface StoredJob {
  id: string;
  kind: string;
  status: JobStatus;
  request: unknown;
  progress: unknown;
  checkpoint?: unknown;
  result?: unknown;
  error?: string;
  /** The process running it (`host:pid:nonce`), while it runs. */
  owner?: string;
  /** Epoch ms of the owner's last sign of life. */
  heartbeatAt?: number;
  cancelRequested: boolean;
  /** How many times a runner started it (more than one: it was resumed). */
  attempts: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  updatedAt: string;
}

/** What became of one item of a job: a file, an upload, a fetched page. */
export interface StoredJobItem {
  seq: number;
  item: string;
  status: string;
  docId?: string;
  pages?: number;
  chunks?: number;
  message?: string;
  warnings: string[];
}

export interface JobStore {
  /** A new job: queued, or already running when an owner runs it at once (the CLI). */
  create(job: { id: string; kind: string; request: unknown; progress: unknown; owner?: string }): StoredJob;
  get(id: string): StoredJob | undefined;
  /** Newest first. */
  list(options?: { limit?: number; statuses?: readonly JobStatus[] }): StoredJob[];
  /**
   * Takes the oldest queued job, or a running one whose owner `abandoned` says is gone, for `owner`,
   * in one step under the write lock (two runners never take the same job).
   */
  claim(owner: string, abandoned: (job: StoredJob) => boolean): StoredJob | undefined;
  /**
   * Records progress (and a checkpoint) as the owner, which also counts as a sign of life. Undefined
   * when the job is no longer this owner's (another runner resumed it), which tells the owner to stop.
   */
  heartbeat(id: string, owner: string, update?: { progress?: unknown; checkpoint?: unknown }): { cancelRequested: boolean } | undefined;
  addItem(id: string, item: Omit<StoredJobItem, 'seq'>): void;
  items(id: string, options?: { offset?: number; limit?: number }): StoredJobItem[];
  finish(id: string, owner: string, status: Extract<JobStatus, 'done' | 'failed' | 'cancelled'>, outcome?: { error?: string; result?: unknown; progress?: unknown }): void;
  /** Gives a running job back to the queue (its runner is shutting down); the next runner resumes it. */
  release(id: string, owner: string): void;
  /** Forgets the items of an earlier run (a resumed job that starts over). */
  clearItems(id: string): void;
  /** A queued job is cancelled at once; a running one is asked to stop (its owner sees the flag). */
  requestCancel(id: string): StoredJob | undefined;
}

/** What a reader thread opens (see StoreReaderSpec): everything a search reads, nothing that writes. */
export interface ReaderStore extends CatalogStore, ContentStore, IndexSource {
  close(): void;
}

export interface LibraryStore extends CatalogStore, ContentStore, IndexSource, SharedStore, WriterStore, HealthStore {
  readonly sources: SourceStore;
  readonly jobs: JobStore;
}
