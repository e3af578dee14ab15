import type { StoredChunk, StoredDocument } from '../store/store.js';
import type { ChunkInfo, DocumentInfo } from './types.js';
import { originOf } from '../library/origin.js';
import { LIMITS } from '../library/limits.js';

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

/**
 * A chunk as surfaces get it. The chunker keeps chunks far below LIMITS.chunkChars; chunks indexed
 * before it did are cut to it here (and their headings to LIMITS.headingChars), so that no answer
 * carries a chunk of megabytes.
 */
export function chunkInfo(chunk: StoredChunk, docId: string): ChunkInfo {
  const info: ChunkInfo = {
    id: chunk.id,
    docId,
    ordinal: chunk.ordinal,
    page: chunk.page,
    pageEnd: chunk.pageEnd,
    headingPath: chunk.headingPath.map((heading) => cutText(heading, LIMITS.headingChars)),
    text: cutText(chunk.text, LIMITS.chunkChars),
    tokenCount: chunk.tokenCount,
  };
  if (chunk.pageLabel !== undefined) info.pageLabel = cutText(chunk.pageLabel, LIMITS.headingChars);
  if (info.text.length < chunk.text.length) info.textCut = true;
  return info;
}

/** At most `max` UTF-16 units, never ending in half a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = (text.charCodeAt(max - 1) & 0xfc00) === 0xd800 ? max - 1 : max;
  return text.slice(0, end);
}
