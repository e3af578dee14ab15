/**
 * What the service answers with: the types every surface (CLI, web, REST, MCP) works from. They
 * carry ids and labels, never the store's row ids or hashes, and never the engine's internals.
 */

import type { Chunk, DocumentMeta } from '../library/model.js';
import type { SearchMode } from '../search/search-engine.js';

export type { SearchMode };

/** A document in the library. */
export interface DocumentInfo extends DocumentMeta {
  docId: string;
  chunkCount: number;
  indexedAt: string;
}

/** A chunk, with the id of the document it belongs to. */
export interface ChunkInfo extends Chunk {
  docId: string;
  /** Set when `text` was cut at LIMITS.chunkChars (a chunk indexed before chunks were bounded). */
  textCut?: boolean;
}

export interface SearchRequest {
  query: string;
  vendor?: string;
  product?: string;
  version?: string;
  /** A document id (`product::version::collection::document`) or a document slug. */
  document?: string;
  limit?: number;
  offset?: number;
  mode?: SearchMode;
  /** 'latest' (default): each product answers from its newest matching version unless a version is asked for. */
  versions?: 'latest' | 'all';
}

/** A short window of a chunk's text with the [start, end) character ranges of matched words. */
export interface Snippet {
  text: string;
  highlights: [number, number][];
}

/** The same passage in another version. */
export interface VersionMention {
  version: string;
  versionLabel: string;
  chunkId: string;
  page: number;
  pageLabel?: string;
}

export interface SearchHit {
  rank: number;
  score: number;
  chunkId: string;
  docId: string;
  title: string;
  vendor: string;
  vendorLabel: string;
  product: string;
  productLabel: string;
  version: string;
  versionLabel: string;
  page: number;
  pageEnd: number;
  pageLabel?: string;
  headingPath: string[];
  /** A PDF is read and cited by page; other formats (one long page) by section. */
  format: DocumentMeta['format'];
  sourcePath: string;
  snippet: Snippet;
  alsoIn: VersionMention[];
}

export interface SearchResponse {
  query: string;
  mode: SearchMode;
  hits: SearchHit[];
  /** Offset of the next page of results, when there are more. */
  nextOffset?: number;
  /** Plain statements about how the search ran (lexical only, versions searched, …). */
  notices: string[];
}
