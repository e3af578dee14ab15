/** PostgreSQL rows of the store of record and the domain values they hold. */
import type { DocumentMeta, Page } from '../../library/model.js';
import type { RecordedChunk } from '../record-store.js';
import type { StoredDocument } from '../store.js';

export interface DocumentRow {
  rowid: number; doc_id: string; markdown_hash: string; meta: DocumentMeta; chunk_count: number; indexed_at: Date;
}

export interface PageRow { doc_rowid: number; number: number; label: string | null; markdown: string; ocr: boolean }

export interface ChunkRow {
  rowid: number; doc_rowid: number; chunk_id: string; ordinal: number; page: number; page_end: number; page_label: string | null;
  heading_path: string[]; text: string; token_count: number; embed_hash: string; vector: Buffer | null;
}

export const DOCUMENT_COLUMNS = 'rowid, doc_id, markdown_hash, meta, chunk_count, indexed_at';

export function toStoredDocument(row: DocumentRow): StoredDocument {
  return { ...row.meta, rowid: row.rowid, docId: row.doc_id, markdownHash: row.markdown_hash, chunkCount: row.chunk_count, indexedAt: row.indexed_at.toISOString() };
}

export function toPage(row: PageRow): Page {
  const page: Page = { number: row.number, markdown: row.markdown };
  if (row.label !== null) page.label = row.label;
  if (row.ocr) page.ocr = true;
  return page;
}

export function toRecordedChunk(row: ChunkRow): RecordedChunk {
  const chunk: RecordedChunk['chunk'] = {
    id: row.chunk_id, ordinal: row.ordinal, page: row.page, pageEnd: row.page_end, headingPath: row.heading_path, text: row.text, tokenCount: row.token_count,
  };
  if (row.page_label !== null) chunk.pageLabel = row.page_label;
  return {
    rowid: row.rowid,
    chunk,
    embedHash: row.embed_hash,
    vector: row.vector ? vectorOf(row.vector) : null,
  };
}

/** float32 little-endian bytes, as stored (and as SQLite's vec0 stores them). */
export function vectorBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** A copy, so the Float32Array is aligned whatever offset the driver's buffer had. */
export function vectorOf(bytes: Buffer): Float32Array {
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The metadata as stored: the domain fields only, whatever object carried them. */
export function metaOf(doc: DocumentMeta): DocumentMeta {
  const { rowid: _r, docId: _d, markdownHash: _m, chunkCount: _c, indexedAt: _i, ...meta } = doc as DocumentMeta & Partial<StoredDocument>;
  return meta;
}
