import type { StoredChunk, StoredDocument } from '../store/store.js';
import type { ChunkInfo, DocumentInfo } from './types.js';
import { originOf } from '../library/origin.js';

/**
 * The store's rows as the service's types: row ids and internal hashes stay behind. Built field by
 * field (not by spreading) so that nothing the store adds later leaks to the surfaces unnoticed.
 */
export function documentInfo(doc: StoredDocument): DocumentInfo {
  return {
    docId: doc.docId,
    key: doc.key,
    vendor: doc.vendor,
    vendorLabel: doc.vendorLabel,
    productLabel: doc.productLabel,
    versionLabel: doc.versionLabel,
    title: doc.title,
    sourcePath: doc.sourcePath,
    originalFile: doc.originalFile,
    origin: originOf(doc),
    format: doc.format,
    contentHash: doc.contentHash,
    pageCount: doc.pageCount,
    chunkCount: doc.chunkCount,
    convertedAt: doc.convertedAt,
    indexedAt: doc.indexedAt,
    ...(doc.navigation ? { navigation: doc.navigation } : {}),
  };
}

export function chunkInfo(chunk: StoredChunk, docId: string): ChunkInfo {
  const info: ChunkInfo = {
    id: chunk.id,
    docId,
    ordinal: chunk.ordinal,
    page: chunk.page,
    pageEnd: chunk.pageEnd,
    headingPath: chunk.headingPath,
    text: chunk.text,
    tokenCount: chunk.tokenCount,
  };
  if (chunk.pageLabel !== undefined) info.pageLabel = chunk.pageLabel;
  return info;
}
