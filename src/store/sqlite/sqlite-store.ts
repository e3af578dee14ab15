import type Database from 'better-sqlite3';
import type { DocumentMeta, EmbedderIdentity, Page } from '../../library/model.js';
import { documentIdOf } from '../../library/ids.js';
import { parseOrigin } from '../../library/origin.js';
import type {
  CatalogEntry, Change, ChunkRange, ChunkToIndex, CollectionEntry, DocumentFilter, DocumentSummary, IndexedChunk, IndexedVector, JobStore, LibraryStore,
  PageSlice, RebuildState, ScoredRowid, SourceStore, StoredChunk, StoredDocument, StoreReaderSpec, VersionTotals,
} from '../store.js';
import { VECTORS_DROPPED } from '../store.js';
import { openConnection, type Connection, type OpenOptions } from './connection.js';
import { SqliteJobs } from './sqlite-jobs.js';
import { SqliteSources } from './sqlite-sources.js';
import { CatalogCache, type Catalog } from './catalog-cache.js';
import { catalogOrder } from './sorted-catalog.js';
import { ChangeLog } from './change-log.js';

const EMBEDDER_KEY = 'embedder';
const CHANGE_LOG_KEY = 'change_log';
const REBUILD_KEY = 'rebuild';
/** sqlite-vec's upper bound on k in one KNN query. */
const MAX_KNN = 4096;

interface ChunkRow {
  rowid: number; chunk_id: string; doc_rowid: number; ordinal: number; page: number; page_end: number;
  page_label: string | null; heading_path: string; text: string; token_count: number;
}

/** The columns a document is made of, each at its place in a row of `SELECT * FROM documents`. */
const DOCUMENT_FIELDS = [
  'rowid', 'doc_id', 'vendor', 'vendor_label', 'product', 'product_label', 'version', 'version_label', 'collection', 'document', 'title',
  'source_path', 'original_file', 'format', 'content_hash', 'markdown_hash', 'page_count', 'chunk_count', 'converted_at', 'indexed_at',
  'nav_order', 'nav_trail', 'origin', 'collection_label', 'document_label',
] as const;
type DocumentColumns = Record<(typeof DOCUMENT_FIELDS)[number], number>;

/**
 * Rows of documents read as arrays of values (better-sqlite3 builds a row object about twice as
 * slowly), with where each column is in them.
 */
function documentStatement(db: Connection, sql: string): { statement: Database.Statement; columns: DocumentColumns } {
  const statement = db.prepare(sql).raw(true);
  const names = statement.columns().map((c) => c.name);
  const columns = {} as DocumentColumns;
  for (const field of DOCUMENT_FIELDS) {
    const index = names.indexOf(field);
    if (index < 0) throw new Error(`the documents table has no column ${field}: the index is from an unknown version`);
    columns[field] = index;
  }
  return { statement, columns };
}

/**
 * A document made straight from its row's values: no row object in between, which at 110,457
 * documents (the 1M-chunk library) was a third of the catalog's read after SQLite's own work. Each
 * document is one object literal of a fixed shape (one filled key by key is a slow dictionary).
 */
function documentFrom(v: unknown[], c: DocumentColumns): StoredDocument {
  const doc: StoredDocument = {
    rowid: v[c.rowid] as number,
    docId: v[c.doc_id] as string,
    key: { product: v[c.product] as string, version: v[c.version] as string, collection: v[c.collection] as string, document: v[c.document] as string },
    vendor: v[c.vendor] as string,
    vendorLabel: v[c.vendor_label] as string,
    productLabel: v[c.product_label] as string,
    versionLabel: v[c.version_label] as string,
    title: v[c.title] as string,
    sourcePath: v[c.source_path] as string,
    originalFile: v[c.original_file] as string,
    format: v[c.format] as DocumentMeta['format'],
    contentHash: v[c.content_hash] as string,
    markdownHash: v[c.markdown_hash] as string,
    pageCount: v[c.page_count] as number,
    chunkCount: v[c.chunk_count] as number,
    convertedAt: v[c.converted_at] as string,
    indexedAt: v[c.indexed_at] as string,
  };
  const collectionLabel = v[c.collection_label] as string | null;
  const documentLabel = v[c.document_label] as string | null;
  const navOrder = v[c.nav_order] as number | null;
  const originJson = v[c.origin] as string | null;
  if (collectionLabel !== null) doc.collectionLabel = collectionLabel;
  if (documentLabel !== null) doc.documentLabel = documentLabel;
  if (navOrder !== null) doc.navigation = { order: navOrder, trail: JSON.parse((v[c.nav_trail] as string | null) ?? '[]') as string[] };
  const origin = originJson === null ? undefined : parseOrigin(JSON.parse(originJson));
  if (origin) doc.origin = origin;
  return doc;
}

/** Every document, in the table's order. */
function allDocuments(db: Connection): StoredDocument[] {
  const { statement, columns } = documentStatement(db, 'SELECT * FROM documents');
  return (statement.all() as unknown[][]).map((v) => documentFrom(v, columns));
}

/**
 * A document's shelf (product, version, collection) and labels as one string. Thousands of documents
 * share a shelf, so a read of every document makes one string of them per document where seven
 * columns made seven: every entry of the 110,457 documents of the 1M-chunk library read in 377 ms
 * against 459 ms, most of either in making strings.
 */
const SHELF_COLUMN = 'product || char(0) || version || char(0) || collection || char(0) || vendor || char(0) || vendor_label || char(0) || product_label || char(0) || version_label';

interface Shelf { product: string; version: string; collection: string; vendor: string; vendorLabel: string; productLabel: string; versionLabel: string }

/** Reads SHELF_COLUMN's strings, each distinct one split once. */
function shelfReader(): (shelf: string) => Shelf {
  const seen = new Map<string, Shelf>();
  return (text) => {
    let shelf = seen.get(text);
    if (!shelf) {
      const [product, version, collection, vendor, vendorLabel, productLabel, versionLabel] = text.split('\0') as [string, string, string, string, string, string, string];
      seen.set(text, (shelf = { product, version, collection, vendor, vendorLabel, productLabel, versionLabel }));
    }
    return shelf;
  };
}

const ENTRY_COLUMNS = `rowid, doc_id, document, ${SHELF_COLUMN}`;
type EntryRow = [number, string, string, string];

function entriesFrom(rows: readonly EntryRow[]): CatalogEntry[] {
  const read = shelfReader();
  return rows.map(([rowid, docId, document, text]) => {
    const { product, version, collection, vendor, vendorLabel, productLabel, versionLabel } = read(text);
    return { rowid, docId, vendor, vendorLabel, productLabel, versionLabel, key: { product, version, collection, document } };
  });
}

function toChunk(row: ChunkRow): StoredChunk {
  const chunk: StoredChunk = {
    rowid: row.rowid,
    docRowid: row.doc_rowid,
    id: row.chunk_id,
    ordinal: row.ordinal,
    page: row.page,
    pageEnd: row.page_end,
    headingPath: JSON.parse(row.heading_path) as string[],
    text: row.text,
    tokenCount: row.token_count,
  };
  if (row.page_label !== null) chunk.pageLabel = row.page_label;
  return chunk;
}

/** Rowids and time a replica takes from its store of record, so that every node numbers chunks alike. */
export interface PinnedRows {
  rowid: number;
  chunkRowids: readonly number[];
  indexedAt: string;
}

const vectorBlob = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const CHUNK_COLUMNS = 'rowid, chunk_id, doc_rowid, ordinal, page, page_end, page_label, heading_path, text, token_count';

export class SqliteStore implements LibraryStore {
  private readonly db: Connection;
  readonly jobs: JobStore;
  readonly sources: SourceStore;
  private readonly log: ChangeLog;
  private readonly catalogCache: CatalogCache;
  /** Every search reads its candidate chunks with this: prepared once, not per search. */
  private chunksByRowidQuery: Database.Statement | undefined;
  private changeStampQuery: Database.Statement | undefined;
  /** The catalog cache reads each document added since with this: prepared once, not per document. */
  private documentAtQuery: ReturnType<typeof documentStatement> | undefined;
  private documentWithIdQuery: ReturnType<typeof documentStatement> | undefined;
  private documentsAtQuery: ReturnType<typeof documentStatement> | undefined;
  /** Statements of the write path, compiled once: compiling them again for every document cost more than running them. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly file: string, options: OpenOptions = {}) {
    this.db = openConnection(file, options);
    this.jobs = new SqliteJobs(this.db);
    this.sources = new SqliteSources(this.db);
    this.log = new ChangeLog(this.db);
    this.catalogCache = new CatalogCache({
      position: () => this.log.position(),
      horizon: () => this.log.horizon(),
      since: (position, limit) => this.log.since(position, limit),
      allDocuments: () => allDocuments(this.db),
      documentByRowid: (rowid) => this.documentAt(rowid),
      documentById: (docId) => this.documentWithId(docId),
      documentsAt: (rowids) => this.documentsAt(rowids),
      allEntries: () => entriesFrom(this.statement(`SELECT ${ENTRY_COLUMNS} FROM documents`).raw().all() as EntryRow[]),
      entryAt: (rowid) => entriesFrom(this.statement(`SELECT ${ENTRY_COLUMNS} FROM documents WHERE rowid = ?`).raw().all(rowid) as EntryRow[])[0],
    });
  }

  /** Whole rows of several documents by rowid, in one statement. */
  private documentsAt(rowids: readonly number[]): StoredDocument[] {
    this.documentsAtQuery ??= documentStatement(this.db, 'SELECT * FROM documents WHERE rowid IN (SELECT value FROM json_each(?))');
    const { statement, columns } = this.documentsAtQuery;
    return (statement.all(JSON.stringify(rowids)) as unknown[][]).map((v) => documentFrom(v, columns));
  }

  /** One document by its id, if it exists. */
  private documentWithId(docId: string): StoredDocument | undefined {
    this.documentWithIdQuery ??= documentStatement(this.db, 'SELECT * FROM documents WHERE doc_id = ?');
    const { statement, columns } = this.documentWithIdQuery;
    const v = statement.get(docId) as unknown[] | undefined;
    return v && documentFrom(v, columns);
  }

  /** One document by its rowid, if it exists. */
  private documentAt(rowid: number): StoredDocument | undefined {
    this.documentAtQuery ??= documentStatement(this.db, 'SELECT * FROM documents WHERE rowid = ?');
    const { statement, columns } = this.documentAtQuery;
    const v = statement.get(rowid) as unknown[] | undefined;
    return v && documentFrom(v, columns);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  changeLogId(): string {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(CHANGE_LOG_KEY) as { value: string } | undefined;
    // Only a database older than migration 4 opened read-only lacks one; its log is then this file's.
    return row?.value ?? `file:${this.file}`;
  }

  changePosition(): number {
    return this.log.position();
  }

  changeHorizon(): number {
    return this.log.horizon();
  }

  changesSince(position: number, limit: number): Change[] {
    return this.log.since(position, limit);
  }

  embedderIdentity(): EmbedderIdentity | null | undefined {
    const row = this.statement('SELECT value FROM meta WHERE key = ?').get(EMBEDDER_KEY) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as EmbedderIdentity | null);
  }

  setEmbedderIdentity(identity: EmbedderIdentity | null, options: { dropVectors?: boolean } = {}): void {
    this.writeTransaction(() => {
      const previous = this.embedderIdentity();
      const sameShape = previous && identity && previous.dimensions === identity.dimensions && this.hasVectorTable();
      const drop = options.dropVectors === true || !sameShape || previous?.name !== identity?.name;
      if (drop) {
        this.db.exec('DROP TABLE IF EXISTS chunk_vectors');
        if (identity) {
          this.db.exec(
            `CREATE VIRTUAL TABLE chunk_vectors USING vec0 (doc_rowid integer, embedding float[${identity.dimensions}] distance_metric=cosine)`,
          );
        }
      }
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(EMBEDDER_KEY, JSON.stringify(identity));
      this.log.record('reset', drop ? VECTORS_DROPPED : 0);
    });
  }

  /**
   * Runs a write as one transaction that takes the write lock up front (BEGIN IMMEDIATE): a
   * deferred one that reads first cannot be upgraded once another process has committed since
   * its read began, and fails at once with "database is locked" instead of waiting its turn.
   * Inside `withWriteLock` it is a savepoint.
   */
  private writeTransaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  rebuildState(): RebuildState | undefined {
    // Asked on every search (for its notices): the compiled statement is kept.
    const row = this.statement('SELECT value FROM meta WHERE key = ?').get(REBUILD_KEY) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as RebuildState);
  }

  setRebuildState(state: RebuildState | undefined, ifCurrent?: RebuildState): void {
    this.writeTransaction(() => {
      if (ifCurrent !== undefined && this.rebuildState()?.id !== ifCurrent.id) return;
      if (state === undefined) this.db.prepare('DELETE FROM meta WHERE key = ?').run(REBUILD_KEY);
      else this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(REBUILD_KEY, JSON.stringify(state));
    });
  }

  private hasVectorTable(): boolean {
    return this.statement("SELECT 1 FROM sqlite_master WHERE name = 'chunk_vectors'").get() !== undefined;
  }

  private catalog(): Catalog {
    return this.catalogCache.current();
  }

  documents(filter: DocumentFilter = {}): StoredDocument[] {
    const fields = (['vendor', 'product', 'version', 'collection', 'document'] as const).filter((f) => filter[f] !== undefined);
    const value = (d: StoredDocument, field: (typeof fields)[number]) => (field === 'vendor' ? d.vendor : d.key[field]);
    // Most searches filter nothing: a copy of the catalog's list, without a test per document.
    if (fields.length === 0) return this.catalog().all.slice();
    return this.catalog().all.filter((d) => fields.every((f) => value(d, f) === filter[f]));
  }

  document(docId: string): StoredDocument | undefined {
    return this.catalogCache.document(docId);
  }

  collectionEntries(product: string, version: string, collection: string): CollectionEntry[] {
    const rows = this.statement('SELECT doc_id, title, nav_order, nav_trail FROM documents WHERE product = ? AND version = ? AND collection = ?')
      .raw().all(product, version, collection) as [string, string, number | null, string | null][];
    return rows.map(([docId, title, navOrder, trail]) => ({
      docId, title, ...(navOrder !== null ? { navOrder } : {}), trail: trail === null ? [] : (JSON.parse(trail) as string[]),
    }));
  }

  otherVendorsOf(product: string, vendor: string): { vendor: string; vendorLabel: string; docId: string }[] {
    return (this.db.prepare('SELECT vendor, vendor_label, doc_id FROM documents WHERE product = ? AND vendor != ?').all(product, vendor) as {
      vendor: string; vendor_label: string; doc_id: string;
    }[]).map((r) => ({ vendor: r.vendor, vendorLabel: r.vendor_label, docId: r.doc_id }));
  }

  contentInUse(contentHash: string): boolean {
    return this.db.prepare('SELECT 1 FROM documents WHERE content_hash = ? LIMIT 1').get(contentHash) !== undefined;
  }

  documentByRowid(rowid: number): StoredDocument | undefined {
    return this.catalogCache.documentByRowid(rowid);
  }

  documentsByRowid(rowids: Iterable<number>): Map<number, StoredDocument> {
    return this.catalogCache.documentsByRowid(rowids);
  }

  catalogEntries(): readonly CatalogEntry[] {
    return this.catalogCache.catalogEntries();
  }

  withWriteLock<T>(work: () => T): T {
    // BEGIN IMMEDIATE takes SQLite's write lock up front; transactions inside become savepoints.
    return this.db.transaction(work).immediate();
  }

  replaceDocument(meta: DocumentMeta, markdownHash: string, pages: Page[], chunks: ChunkToIndex[], pinned?: PinnedRows): void {
    const docId = documentIdOf(meta.key);
    this.writeTransaction(() => {
      const hasVectors = this.hasVectorTable();
      this.deleteDocument(docId, hasVectors);
      const { lastInsertRowid } = this.statement(
        `INSERT INTO documents (rowid, doc_id, vendor, vendor_label, product, product_label, version, version_label, collection,
           document, title, source_path, original_file, format, content_hash, markdown_hash, page_count, chunk_count,
           converted_at, indexed_at, nav_order, nav_trail, origin, collection_label, document_label)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        pinned?.rowid ?? null, docId, meta.vendor, meta.vendorLabel, meta.key.product, meta.productLabel, meta.key.version, meta.versionLabel,
        meta.key.collection, meta.key.document, meta.title, meta.sourcePath, meta.originalFile, meta.format,
        meta.contentHash, markdownHash, meta.pageCount, chunks.length, meta.convertedAt, pinned?.indexedAt ?? new Date().toISOString(),
        meta.navigation?.order ?? null, meta.navigation ? JSON.stringify(meta.navigation.trail) : null,
        meta.origin ? JSON.stringify(meta.origin) : null,
        meta.collectionLabel ?? null, meta.documentLabel ?? null,
      );
      const docRowid = Number(lastInsertRowid);
      this.log.record('add', docRowid);
      const insertPage = this.statement('INSERT INTO pages (doc_rowid, number, label, markdown) VALUES (?, ?, ?, ?)');
      for (const page of pages) insertPage.run(docRowid, page.number, page.label ?? null, page.markdown);
      const insertChunk = this.statement(
        `INSERT INTO chunks (rowid, chunk_id, doc_rowid, ordinal, page, page_end, page_label, heading_path, text, token_count, embed_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertVector = hasVectors
        ? this.statement('INSERT INTO chunk_vectors (rowid, doc_rowid, embedding) VALUES (?, ?, ?)')
        : undefined;
      for (const [i, { chunk, embedHash, vector }] of chunks.entries()) {
        const rowid = Number(
          insertChunk.run(
            pinned?.chunkRowids[i] ?? null, chunk.id, docRowid, chunk.ordinal, chunk.page, chunk.pageEnd, chunk.pageLabel ?? null,
            JSON.stringify(chunk.headingPath), chunk.text, chunk.tokenCount, embedHash,
          ).lastInsertRowid,
        );
        if (insertVector && vector) insertVector.run(BigInt(rowid), BigInt(docRowid), vectorBlob(vector));
      }
    });
  }

  removeDocument(docId: string): boolean {
    return this.writeTransaction(() => this.deleteDocument(docId, this.hasVectorTable()));
  }

  private deleteDocument(docId: string, hasVectors: boolean): boolean {
    const doc = this.statement('SELECT rowid FROM documents WHERE doc_id = ?').get(docId) as { rowid: number } | undefined;
    if (!doc) return false;
    if (hasVectors) {
      const deleteVector = this.statement('DELETE FROM chunk_vectors WHERE rowid = ?');
      for (const rowid of this.statement('SELECT rowid FROM chunks WHERE doc_rowid = ?').pluck().all(doc.rowid) as number[]) {
        deleteVector.run(BigInt(rowid));
      }
    }
    this.statement('DELETE FROM documents WHERE rowid = ?').run(doc.rowid); // cascades to pages and chunks
    this.log.record('remove', doc.rowid);
    return true;
  }

  /** A value this store keeps for its owner (a replica's position in the store of record, say). */
  readMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined);
  }

  writeMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /**
   * A consistent copy of the whole index in a new file (a snapshot for other nodes), made a few
   * pages at a time so that searches keep being answered meanwhile.
   */
  async backupTo(file: string): Promise<void> {
    await this.db.backup(file);
  }

  /** What the indexer stored of a document's chunks besides their text: embed hashes and vectors. */
  chunkRecords(docRowid: number): { rowid: number; embedHash: string; vector: Float32Array | null }[] {
    const vectors = this.hasVectorTable() ? 'v.embedding' : 'NULL';
    const join = this.hasVectorTable() ? 'LEFT JOIN chunk_vectors v ON v.rowid = c.rowid' : '';
    return (this.db.prepare(`SELECT c.rowid, c.embed_hash, ${vectors} AS embedding FROM chunks c ${join} WHERE c.doc_rowid = ? ORDER BY c.ordinal`)
      .raw().all(docRowid) as [number, string, Buffer | null][])
      .map(([rowid, embedHash, blob]) => ({ rowid, embedHash, vector: blob ? new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)) : null }));
  }

  vectorsByEmbedHash(hashes: string[]): Map<string, Float32Array> {
    const found = new Map<string, Float32Array>();
    if (!this.hasVectorTable() || hashes.length === 0) return found;
    const lookup = this.db.prepare(
      `SELECT v.embedding AS embedding FROM chunks c JOIN chunk_vectors v ON v.rowid = c.rowid WHERE c.embed_hash = ? LIMIT 1`,
    );
    for (const hash of new Set(hashes)) {
      const row = lookup.get(hash) as { embedding: Buffer } | undefined;
      if (row) found.set(hash, new Float32Array(row.embedding.buffer.slice(row.embedding.byteOffset, row.embedding.byteOffset + row.embedding.byteLength)));
    }
    return found;
  }

  page(docRowid: number, number: number): Page | undefined {
    const row = this.db.prepare('SELECT number, label, markdown FROM pages WHERE doc_rowid = ? AND number = ?')
      .get(docRowid, number) as { number: number; label: string | null; markdown: string } | undefined;
    return row && toPage(row);
  }

  pages(docRowid: number): Page[] {
    return (this.db.prepare('SELECT number, label, markdown FROM pages WHERE doc_rowid = ? ORDER BY number').all(docRowid) as {
      number: number; label: string | null; markdown: string;
    }[]).map(toPage);
  }

  *eachPage(docRowid: number): Iterable<Page> {
    const rows = this.db.prepare('SELECT number, label, markdown FROM pages WHERE doc_rowid = ? ORDER BY number').iterate(docRowid) as Iterable<{
      number: number; label: string | null; markdown: string;
    }>;
    for (const row of rows) yield toPage(row);
  }

  pageSlice(docRowid: number, number: number, start: number, length: number): PageSlice | undefined {
    // substr and length count characters, as the slice's positions do; the page text stays in SQLite.
    const row = this.db.prepare('SELECT number, label, length(markdown) AS chars, substr(markdown, ?, ?) AS text FROM pages WHERE doc_rowid = ? AND number = ?')
      .get(start + 1, length, docRowid, number) as { number: number; label: string | null; chars: number; text: string } | undefined;
    if (!row) return undefined;
    const slice: PageSlice = { number: row.number, chars: row.chars, text: row.text };
    if (row.label !== null) slice.label = row.label;
    return slice;
  }

  pageLengths(docRowid: number): { number: number; label?: string; chars: number }[] {
    return (this.db.prepare('SELECT number, label, length(markdown) AS chars FROM pages WHERE doc_rowid = ? ORDER BY number').all(docRowid) as {
      number: number; label: string | null; chars: number;
    }[]).map(({ number, label, chars }) => (label === null ? { number, chars } : { number, label, chars }));
  }

  pageByteLengths(docRowid: number): { number: number; bytes: number }[] {
    // octet_length reads a value's size from its header, where length() must decode all of it (75 ms for a 30 MB page).
    return this.db.prepare('SELECT number, octet_length(markdown) AS bytes FROM pages WHERE doc_rowid = ? ORDER BY number').all(docRowid) as { number: number; bytes: number }[];
  }

  chunk(chunkId: string): StoredChunk | undefined {
    const row = this.db.prepare(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE chunk_id = ?`).get(chunkId) as ChunkRow | undefined;
    return row && toChunk(row);
  }

  chunksByOrdinal(docRowid: number, from: number, to: number): StoredChunk[] {
    return (this.db.prepare(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE doc_rowid = ? AND ordinal BETWEEN ? AND ? ORDER BY ordinal`)
      .all(docRowid, from, to) as ChunkRow[]).map(toChunk);
  }

  chunksByRowid(rowids: number[]): StoredChunk[] {
    if (rowids.length === 0) return [];
    const byRowid = new Map<number, StoredChunk>();
    this.chunksByRowidQuery ??= this.db.prepare(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE rowid IN (SELECT value FROM json_each(?))`);
    for (const row of this.chunksByRowidQuery.all(JSON.stringify(rowids)) as ChunkRow[]) byRowid.set(row.rowid, toChunk(row));
    return rowids.flatMap((r) => byRowid.get(r) ?? []);
  }

  chunksOnPage(docRowid: number, page: number, range?: ChunkRange): StoredChunk[] {
    const ordinals = this.pageOrdinals(docRowid, page);
    if (!ordinals) return [];
    let { first } = ordinals;
    if (range) {
      // The index alone finds where the window starts: OFFSET over full rows would read each skipped chunk.
      const at = this.db.prepare('SELECT ordinal FROM chunks WHERE doc_rowid = ? AND ordinal BETWEEN ? AND ? ORDER BY ordinal LIMIT 1 OFFSET ?')
        .pluck().get(docRowid, first, ordinals.last, range.offset) as number | undefined;
      if (at === undefined) return [];
      first = at;
    }
    return (this.db.prepare(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE doc_rowid = ? AND ordinal BETWEEN ? AND ? ORDER BY ordinal LIMIT ?`)
      .all(docRowid, first, ordinals.last, range ? range.limit : -1) as ChunkRow[]).map(toChunk);
  }

  chunksOnPageCount(docRowid: number, page: number, beforeOrdinal = Number.MAX_SAFE_INTEGER): number {
    const ordinals = this.pageOrdinals(docRowid, page);
    if (!ordinals || beforeOrdinal <= ordinals.first) return 0;
    return this.db.prepare('SELECT count(*) FROM chunks WHERE doc_rowid = ? AND ordinal BETWEEN ? AND ?')
      .pluck().get(docRowid, ordinals.first, Math.min(ordinals.last, beforeOrdinal - 1)) as number;
  }

  /**
   * The ordinals of the first and last chunk covering a page. Chunks are stored in reading order,
   * so neither `page` nor `page_end` decreases as the ordinal grows, and the chunks covering a page
   * are consecutive: two binary searches over the ordinal index find them, reading O(log n) rows
   * where filtering on `page_end` read every chunk up to the page (15,000 for a 30 MB page).
   */
  private pageOrdinals(docRowid: number, page: number): { first: number; last: number } | undefined {
    const min = this.db.prepare('SELECT min(ordinal) FROM chunks WHERE doc_rowid = ?').pluck().get(docRowid) as number | null;
    const max = this.db.prepare('SELECT max(ordinal) FROM chunks WHERE doc_rowid = ?').pluck().get(docRowid) as number | null;
    if (min === null || max === null) return undefined;
    const atOrAfter = this.db.prepare('SELECT ordinal, page, page_end FROM chunks WHERE doc_rowid = ? AND ordinal >= ? ORDER BY ordinal LIMIT 1').raw();
    /** The first ordinal from which the chunks meet `test` (max + 1 when none does); `test` must stay true once true. */
    const firstWhere = (test: (chunkPage: number, chunkPageEnd: number) => boolean): number => {
      let low = min;
      let high = max + 1;
      while (low < high) {
        const middle = Math.floor((low + high) / 2);
        const [, chunkPage, chunkPageEnd] = atOrAfter.get(docRowid, middle) as [number, number, number];
        if (test(chunkPage, chunkPageEnd)) high = middle;
        else low = middle + 1;
      }
      return low;
    };
    const reaching = firstWhere((_, pageEnd) => pageEnd >= page);
    if (reaching > max) return undefined;
    const [first, firstPage] = atOrAfter.get(docRowid, reaching) as [number, number, number];
    if (firstPage > page) return undefined; // the chunks jump past this page: none covers it
    const beyond = firstWhere((chunkPage) => chunkPage > page);
    const last = this.db.prepare('SELECT max(ordinal) FROM chunks WHERE doc_rowid = ? AND ordinal < ?').pluck().get(docRowid, beyond) as number;
    return { first, last };
  }

  /**
   * SQLite's data_version moves when another connection commits (another process's or another
   * thread's), total_changes() when this one writes: one statement, where catching the indexes up
   * read the log's position and horizon and the vector table's shape in a transaction of their own
   * before every search (LocalIndexes.current() at 100k chunks: 24 → 9 µs). Inside a transaction
   * this connection's writes may still be rolled back, so there is no stamp then.
   */
  changeStamp(): string | undefined {
    if (this.db.inTransaction) return undefined;
    this.changeStampQuery ??= this.db.prepare('SELECT (SELECT data_version FROM pragma_data_version) AS version, total_changes() AS changes');
    const { version, changes } = this.changeStampQuery.get() as { version: number; changes: number };
    return `${version}:${changes}`;
  }

  changeToken(): string {
    return String(this.log.position());
  }

  vectorSearch(vector: Float32Array, k: number, docRowids?: number[]): ScoredRowid[] {
    if (!this.hasVectorTable() || (docRowids && docRowids.length === 0)) return [];
    const filter = docRowids ? `AND doc_rowid IN (${docRowids.map(() => '?').join(',')})` : '';
    const rows = this.db.prepare(
      `SELECT rowid, distance FROM chunk_vectors WHERE embedding MATCH ? AND k = ? ${filter} ORDER BY distance`,
    ).raw().all(vectorBlob(vector), Math.min(k, MAX_KNN), ...(docRowids ?? [])) as [number, number][];
    return rows.map(([rowid, distance]) => ({ rowid, score: 1 - distance }));
  }

  readSnapshot<T>(work: () => T): T {
    // A deferred transaction: in WAL mode every read inside it sees the database as of its first read.
    return this.db.transaction(work)();
  }

  *indexChunks(docRowids?: readonly number[]): Iterable<IndexedChunk> {
    const columns = 'SELECT c.rowid, c.doc_rowid, d.title, d.product, d.product_label, c.heading_path, c.text FROM chunks c JOIN documents d ON d.rowid = c.doc_rowid';
    const rows = (docRowids === undefined
      ? this.db.prepare(`${columns} ORDER BY c.doc_rowid, c.ordinal`).raw().iterate()
      : this.db.prepare(`${columns} WHERE c.doc_rowid IN (SELECT value FROM json_each(?)) ORDER BY c.doc_rowid, c.ordinal`).raw().iterate(JSON.stringify(docRowids))) as Iterable<[number, number, string, string, string, string, string]>;
    for (const [rowid, docRowid, title, product, productLabel, headingPath, text] of rows) {
      yield { rowid, docRowid, title, product, productLabel, headingPath: JSON.parse(headingPath) as string[], text };
    }
  }

  *indexVectors(docRowids?: readonly number[]): Iterable<IndexedVector> {
    if (!this.hasVectorTable()) return;
    const rows = (docRowids === undefined
      ? this.db.prepare('SELECT rowid, doc_rowid, embedding FROM chunk_vectors').raw().iterate()
      : this.db.prepare(
        `SELECT c.rowid, c.doc_rowid, v.embedding FROM chunks c JOIN chunk_vectors v ON v.rowid = c.rowid
         WHERE c.doc_rowid IN (SELECT value FROM json_each(?)) ORDER BY c.doc_rowid, c.ordinal`,
      ).raw().iterate(JSON.stringify(docRowids))) as Iterable<[number, number, Buffer]>;
    for (const [rowid, docRowid, blob] of rows) {
      yield { rowid, docRowid, vector: new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)) };
    }
  }

  vectorModel(): string | null | undefined {
    const identity = this.embedderIdentity();
    return identity === undefined || identity === null ? identity : identity.name;
  }

  vectorDimensions(): number | undefined {
    const identity = this.embedderIdentity();
    return identity && this.hasVectorTable() ? identity.dimensions : undefined;
  }

  /** Another thread's own connection to this file; none for an in-memory copy of a read-only library. */
  readerSpec(): StoreReaderSpec | undefined {
    return this.db.memory ? undefined : { engine: 'sqlite', file: this.file };
  }

  counts(): { documents: number; chunks: number; vectors: number } {
    const one = (sql: string) => (this.db.prepare(sql).pluck().get() as number) ?? 0;
    return {
      documents: one('SELECT count(*) FROM documents'),
      chunks: one('SELECT count(*) FROM chunks'),
      vectors: this.hasVectorTable() ? one('SELECT count(*) FROM chunk_vectors') : 0,
    };
  }

  documentSummaries(): DocumentSummary[] {
    const rows = this.statement(`SELECT doc_id, document, title, source_path, format, page_count, chunk_count, nav_order, nav_trail, ${SHELF_COLUMN} FROM documents`)
      .raw().all() as [string, string, string, string, DocumentSummary['format'], number, number, number | null, string | null, string][];
    const read = shelfReader();
    // In the catalog's order, as the tree was built from the catalog: ties in its sorts keep it.
    return rows.map(([docId, document, title, sourcePath, format, pageCount, chunkCount, navOrder, trail, text]) => {
      const { product, version, collection, vendor, vendorLabel, productLabel, versionLabel } = read(text);
      const summary: DocumentSummary = {
        docId, vendor, vendorLabel, productLabel, versionLabel, title, sourcePath, format, pageCount, chunkCount,
        key: { product, version, collection, document },
      };
      if (navOrder !== null) summary.navigation = { order: navOrder, trail: JSON.parse(trail ?? '[]') as string[] };
      return summary;
    }).sort(catalogOrder);
  }

  versionTotals(): VersionTotals[] {
    // One row per version and spelling of its labels (nearly always one), with where its first
    // document sorts; the rows are ordered here as the catalog orders documents (JavaScript's order,
    // which SQLite's byte order differs from beyond the Basic Multilingual Plane), and each version
    // takes the labels of its first row, as the catalog's tree takes its first document's.
    const rows = this.statement(`SELECT product, version, min(collection || char(0) || document), vendor, vendor_label, product_label, version_label,
        count(*), total(page_count), total(chunk_count)
      FROM documents GROUP BY product, version, vendor, vendor_label, product_label, version_label`)
      .raw().all() as [string, string, string, string, string, string, string, number, number, number][];
    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    rows.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]) || compare(a[2], b[2]));
    const totals: VersionTotals[] = [];
    for (const [product, version, , vendor, vendorLabel, productLabel, versionLabel, documents, pages, chunks] of rows) {
      const last = totals.at(-1);
      if (last?.product === product && last.version === version) {
        last.documents += documents;
        last.pages += pages;
        last.chunks += chunks;
      } else {
        totals.push({ vendor, vendorLabel, product, productLabel, version, versionLabel, documents, pages, chunks });
      }
    }
    return totals;
  }

  documentTotals(): { documents: number; chunks: number } {
    const [documents, chunks] = this.statement('SELECT count(*), total(chunk_count) FROM documents').raw().get() as [number, number];
    return { documents, chunks };
  }

  integrityProblems(): string[] {
    const rows = this.db.pragma('quick_check') as { quick_check: string }[];
    return rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
  }

  close(): void {
    this.db.close();
  }
}

function toPage(row: { number: number; label: string | null; markdown: string }): Page {
  const page: Page = { number: row.number, markdown: row.markdown };
  if (row.label !== null) page.label = row.label;
  return page;
}
