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

export interface StoredChunk extends Chunk {
  rowid: number;
  docRowid: number;
}

/** A chunk as indexed: its analyzed fields and (optionally) its vector. */
export interface ChunkToIndex {
  chunk: Chunk;
  fields: { title: string; headings: string; body: string };
  lengths: { title: number; headings: number; body: number };
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

export interface Posting {
  rowid: number;
  /** 0 title, 1 headings, 2 body. */
  column: number;
  tf: number;
}

export interface ChunkStats {
  rowid: number;
  docRowid: number;
  lengths: [number, number, number];
}

export interface ScoredRowid {
  rowid: number;
  score: number;
}

/**
 * The roles the store plays, each a small interface so that every consumer asks for only what it
 * uses: the catalog of documents, their content (pages and chunks), what lexical and vector
 * ranking read, the writer's side, and health checks. `LibraryStore` is all of them; SQLite
 * implements it, and a second engine is another adapter of the same roles.
 */
export interface CatalogStore {
  documents(filter?: DocumentFilter): StoredDocument[];
  document(docId: string): StoredDocument | undefined;
  documentByRowid(rowid: number): StoredDocument | undefined;
  /**
   * Changes whenever this or any other connection changes documents, chunks or vectors; used to
   * refresh caches. Jobs and sources do not move it.
   */
  changeToken(): string;
}

export interface ContentStore {
  page(docRowid: number, number: number): Page | undefined;
  pages(docRowid: number): Page[];
  chunk(chunkId: string): StoredChunk | undefined;
  chunksByOrdinal(docRowid: number, from: number, to: number): StoredChunk[];
  chunksByRowid(rowids: number[]): StoredChunk[];
  chunksOnPage(docRowid: number, page: number): StoredChunk[];
}

export interface RankingStore {
  /** Per-term postings for lexical ranking. */
  postings(term: string): Posting[];
  /** Rowids of chunks containing the phrase in any field. */
  phraseMatches(tokens: string[], limit: number): number[];
  chunkStats(): ChunkStats[];
  /** Every stored vector, for in-memory indexes. */
  vectors(): Iterable<{ rowid: number; docRowid: number; vector: Float32Array }>;
  changeToken(): string;
}

/** Vectors already stored for these embed hashes (reused when re-indexing unchanged text). */
export interface VectorReuse {
  vectorsByEmbedHash(hashes: string[]): Map<string, Float32Array>;
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
  /** Records the embedder; (re)creates the vector table when dimensions change. */
  setEmbedderIdentity(identity: EmbedderIdentity | null): void;
  /**
   * Runs `work` holding the index's write lock, as one transaction: other writers (in any
   * process) wait, readers do not. Used to make a document's file switch and its index update
   * one step that crash recovery can tell apart from a write still in progress.
   */
  withWriteLock<T>(work: () => T): T;
  /** Replaces (or inserts) a document with its pages and chunks in one transaction. */
  replaceDocument(meta: DocumentMeta, markdownHash: string, pages: Page[], chunks: ChunkToIndex[]): void;
  removeDocument(docId: string): boolean;
}

export interface HealthStore {
  counts(): { documents: number; chunks: number; vectors: number };
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

export interface LibraryStore extends CatalogStore, ContentStore, RankingStore, WriterStore, HealthStore {
  readonly sources: SourceStore;
  readonly jobs: JobStore;
}
