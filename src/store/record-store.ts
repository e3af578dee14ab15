import type { DocumentMeta, EmbedderIdentity, Page } from '../library/model.js';
import type { Change, ChunkToIndex, StoredDocument } from './store.js';
import type { CrawlStateStore } from './crawl-state.js';

/**
 * The store of record, as an asynchronous port. In the embedded library it is the Markdown tree
 * plus the SQLite index (as it always was); in a scale-out deployment it is PostgreSQL, shared by
 * every node. Each node reads from a derived local replica (a `LibraryStore`) that a replicator
 * keeps current by following `changesSince`; only writes and replication talk to this port.
 *
 * Rowids are the store of record's: a replica keeps them, so every node ranks the same chunks under
 * the same numbers and breaks ties alike.
 */

/** One document as it is written: what the indexer made of it, its Markdown file and its original. */
export interface DocumentRecord {
  meta: DocumentMeta;
  /** The document file (front matter and page markers), as `reindex` reads it back. */
  markdown: string;
  pages: Page[];
  chunks: ChunkToIndex[];
  /** The original's bytes, kept by content hash; absent keeps whatever is kept already. */
  original?: Uint8Array;
  /**
   * The embedder that made the chunks' vectors (null: none). When given, the write is refused if
   * the library's recorded embedder is another by the time it commits (a re-index switched it).
   */
  embedder?: string | null;
}

/** A chunk as recorded, with the rowid it has everywhere. */
export interface RecordedChunk extends ChunkToIndex {
  rowid: number;
}

/** A document read back whole, for a replica to apply. */
export interface RecordedDocument {
  document: StoredDocument;
  pages: Page[];
  chunks: RecordedChunk[];
}

export interface WriteOutcome {
  rowid: number;
  /** The change-log position once this write committed: a replica at or past it shows the write. */
  position: number;
}

export interface RemoveOutcome {
  removed: boolean;
  position: number;
}

export interface RecordCounts {
  documents: number;
  chunks: number;
  vectors: number;
}

export interface RecordStore {
  /** 'postgres' or 'embedded', for messages and health. */
  readonly engine: string;
  /** Embedder that built the vectors: undefined for a new library, null when built without one. */
  embedderIdentity(): Promise<EmbedderIdentity | null | undefined>;
  /** Records the embedder; a change of name or dimensions drops every vector (a 'reset' change). */
  setEmbedderIdentity(identity: EmbedderIdentity | null): Promise<void>;
  /**
   * Replaces (or inserts) a document with its pages, chunks, vectors, Markdown and original in one
   * transaction: another reader sees all of it or none of it. A product already held by another
   * vendor is refused (`conflict`), checked inside the transaction.
   */
  writeDocument(record: DocumentRecord): Promise<WriteOutcome>;
  /** Removes a document (and its original, once nothing else refers to it) in one transaction. */
  removeDocument(docId: string): Promise<RemoveOutcome>;
  /** Every document, in no particular order. */
  documents(): Promise<StoredDocument[]>;
  document(docId: string): Promise<StoredDocument | undefined>;
  /** Documents by rowid, with their pages and chunks (vectors included); rowids not found are left out. */
  readDocuments(rowids: readonly number[]): Promise<RecordedDocument[]>;
  /** The document's Markdown file as written. */
  markdown(docId: string): Promise<string | undefined>;
  /** The kept original with this content hash, if any. */
  original(contentHash: string, format: DocumentMeta['format']): Promise<Uint8Array | undefined>;
  vectorsByEmbedHash(hashes: readonly string[]): Promise<Map<string, Float32Array>>;
  /** The position of the last committed change. */
  changePosition(): Promise<number>;
  /** The oldest position a follower can catch up from (earlier entries were pruned). */
  changeHorizon(): Promise<number>;
  /** Changes after `position`, in commit order, at most `limit`. */
  changesSince(position: number, limit: number): Promise<Change[]>;
  counts(): Promise<RecordCounts>;
  /** The folders and sites added whole, with a site's last crawl (the sources table refresh reads). */
  readonly crawlState: CrawlStateStore;
  close(): Promise<void>;
}
