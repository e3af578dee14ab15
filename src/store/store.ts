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
/** One entry of the change log: a document added or removed, or the vectors reset. */
export interface Change {
  seq: number;
  op: 'add' | 'remove' | 'reset';
  docRowid: number;
}

/**
 * The change log every derived index follows (the catalog cache, the in-memory lexical and vector
 * indexes, other processes and other nodes): positions only grow, and a follower behind the horizon
 * rebuilds from the store.
 */
export interface ChangeFeed {
  /** The position of the last committed change. */
  changePosition(): number;
  /** The oldest position a follower can catch up from. */
  changeHorizon(): number;
  /** Changes after `position`, in order, at most `limit`. */
  changesSince(position: number, limit: number): Change[];
}

export interface CatalogStore {
  documents(filter?: DocumentFilter): StoredDocument[];
  document(docId: string): StoredDocument | undefined;
  documentByRowid(rowid: number): StoredDocument | undefined;
  /** Changes whenever this or any other connection commits a write; used to refresh caches. */
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
  chunk(chunkId: string): StoredChunk | undefined;
  chunksByOrdinal(docRowid: number, from: number, to: number): StoredChunk[];
  chunksByRowid(rowids: number[]): StoredChunk[];
  /** The chunks covering a page, in order; with `range`, only that part of them. */
  chunksOnPage(docRowid: number, page: number, range?: ChunkRange): StoredChunk[];
  /** How many chunks cover a page, and how many of those come before the chunk with `ordinal`. */
  chunksOnPageCount(docRowid: number, page: number, beforeOrdinal?: number): number;
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

/**
 * A re-index that has not finished cleanly, recorded when it starts and cleared only when it ends
 * without a failure: while it is there, the index may lack documents that are on disk.
 */
export interface RebuildState {
  startedAt: string;
  /** Set when it ended with failures: how many document files it saw and how many it could not index. */
  files?: number;
  failed?: number;
  /** Why the first one failed, as a storage failure code ('disk_full', …) or 'unreadable' for a file it could not read. */
  reason?: string;
}

export interface WriterStore extends VectorReuse {
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
  /** The re-index that has not finished cleanly, if any. */
  rebuildState(): RebuildState | undefined;
  setRebuildState(state: RebuildState | undefined): void;
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

export interface LibraryStore extends CatalogStore, ChangeFeed, ContentStore, RankingStore, WriterStore, HealthStore {}
