/**
 * The embedded store of record: the Markdown tree of a data directory with its SQLite index, as
 * `mcdewey add` writes them, behind the same asynchronous port as PostgreSQL. `mcdewey migrate`
 * copies between the two through it, and the store contract tests hold both to one behaviour.
 */
import fs from 'node:fs';
import type { DataDir } from '../../library/data-dir.js';
import { LibraryError } from '../../library/errors.js';
import { documentIdOf } from '../../library/ids.js';
import { readDocumentText, removeDocumentAtomically, sha256, writeDocumentAtomically } from '../../library/library-files.js';
import type { DocumentMeta, EmbedderIdentity } from '../../library/model.js';
import { forgetOriginal, keepOriginal, originalPath } from '../../library/originals.js';
import type { DocumentRecord, RecordCounts, RecordedDocument, RecordStore, RemoveOutcome, WriteOutcome } from '../record-store.js';
import type { SqliteStore } from '../sqlite/sqlite-store.js';
import { embeddedCrawlState, type CrawlStateStore } from '../crawl-state.js';
import type { Change, StoredDocument } from '../store.js';

export class EmbeddedRecordStore implements RecordStore {
  readonly engine = 'embedded';
  readonly crawlState: CrawlStateStore;

  constructor(private readonly dir: DataDir, private readonly store: SqliteStore) {
    this.crawlState = embeddedCrawlState(store.sources);
  }

  async embedderIdentity(): Promise<EmbedderIdentity | null | undefined> {
    return this.store.embedderIdentity();
  }

  async setEmbedderIdentity(identity: EmbedderIdentity | null): Promise<void> {
    this.store.setEmbedderIdentity(identity);
  }

  async writeDocument(record: DocumentRecord): Promise<WriteOutcome> {
    const { meta } = record;
    const docId = documentIdOf(meta.key);
    const previous = this.store.document(docId);
    if (record.original) keepOriginal(this.dir, meta.contentHash, meta.format, record.original);
    const lock = <T>(work: () => T) => this.store.withWriteLock(work);
    writeDocumentAtomically(this.dir, meta.key, record.markdown, () => {
      // Under the write lock, so no other process files the product under another vendor meanwhile.
      const owner = this.store.documents({ product: meta.key.product }).find((d) => d.vendor !== meta.vendor);
      if (owner) {
        throw new LibraryError(
          'conflict',
          `product "${meta.key.product}" already belongs to vendor "${owner.vendorLabel}", not "${meta.vendorLabel}"`,
          'Use a different --product name for this vendor',
        );
      }
      this.store.replaceDocument(meta, sha256(record.markdown), record.pages, record.chunks);
    }, lock, record.pages);
    if (previous && (previous.contentHash !== meta.contentHash || previous.format !== meta.format)) this.forgetUnused(previous);
    return { rowid: this.store.document(docId)!.rowid, position: this.store.changePosition() };
  }

  async removeDocument(docId: string): Promise<RemoveOutcome> {
    const doc = this.store.document(docId);
    if (!doc) return { removed: false, position: this.store.changePosition() };
    removeDocumentAtomically(this.dir, doc.key, doc.markdownHash, () => this.store.removeDocument(docId), (work) => this.store.withWriteLock(work));
    this.forgetUnused(doc);
    return { removed: true, position: this.store.changePosition() };
  }

  private forgetUnused(doc: StoredDocument): void {
    if (!this.store.documents().some((d) => d.contentHash === doc.contentHash && d.format === doc.format)) forgetOriginal(this.dir, doc.contentHash, doc.format);
  }

  async documents(): Promise<StoredDocument[]> {
    return this.store.documents();
  }

  async document(docId: string): Promise<StoredDocument | undefined> {
    return this.store.document(docId);
  }

  async readDocuments(rowids: readonly number[]): Promise<RecordedDocument[]> {
    return rowids.flatMap((rowid): RecordedDocument[] => {
      const document = this.store.documentByRowid(rowid);
      if (!document) return [];
      const records = new Map(this.store.chunkRecords(rowid).map((r) => [r.rowid, r]));
      const chunks = this.store.chunksByOrdinal(rowid, 0, Number.MAX_SAFE_INTEGER).map(({ rowid: chunkRowid, docRowid: _d, ...chunk }) => {
        const record = records.get(chunkRowid)!;
        return { rowid: chunkRowid, chunk, embedHash: record.embedHash, vector: record.vector };
      });
      return [{ document, pages: this.store.pages(rowid), chunks }];
    });
  }

  async markdown(docId: string): Promise<string | undefined> {
    const doc = this.store.document(docId);
    return doc && readDocumentText(this.dir, doc.key);
  }

  async original(contentHash: string, format: DocumentMeta['format']): Promise<Uint8Array | undefined> {
    const file = originalPath(this.dir, contentHash, format);
    return file && fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  }

  async vectorsByEmbedHash(hashes: readonly string[]): Promise<Map<string, Float32Array>> {
    return this.store.vectorsByEmbedHash([...hashes]);
  }

  async changePosition(): Promise<number> {
    return this.store.changePosition();
  }

  async changeHorizon(): Promise<number> {
    return this.store.changeHorizon();
  }

  async changesSince(position: number, limit: number): Promise<Change[]> {
    return this.store.changesSince(position, limit);
  }

  async counts(): Promise<RecordCounts> {
    return this.store.counts();
  }

  async close(): Promise<void> {
    this.store.close();
  }
}
