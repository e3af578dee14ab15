/**
 * What the service answers with: the types every surface (CLI, web, REST, MCP) works from. They
 * carry ids and labels, never the store's row ids or hashes, and never the engine's internals.
 */

import type { Chunk, DocumentMeta } from '../library/model.js';
import type { SearchMode } from '../search/search-engine.js';
import type { MatchLevel } from '../search/relevance.js';
import type { ShelfLabels } from '../store/store.js';

export type { MatchLevel, SearchMode };

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
  /** A version as the vendor writes it, or "latest" (each product's newest version) or "all" (every version alike). */
  version?: string;
  /** A document id (`product::version::collection::document`) or a document slug. */
  document?: string;
  limit?: number;
  offset?: number;
  mode?: SearchMode;
  /**
   * 'latest' (default): each product answers from its newest version that has a relevant passage;
   * the same passage in other versions is folded under it, passages only older versions hold rank
   * lower. 'all': every version ranks alike (identical passages still fold, newest shown).
   */
  versions?: 'latest' | 'all';
  /** Recognise a product and version named in the query ("FTDv 6.6.0") and search only those (default true). */
  inferScope?: boolean;
  /** Return the closest passages even when none matches well enough to count as relevant (default false). */
  includeWeak?: boolean;
}

/** A short window of a chunk's text with the [start, end) character ranges of matched words. */
export interface Snippet {
  text: string;
  highlights: [number, number][];
}

/** Products (and versions) the query named: searched alone ('only', when a version was named) or ranked first ('first'). */
export interface InferredScopeInfo {
  applied: 'only' | 'first';
  products: { product: string; productLabel: string; version?: string; versionLabel?: string }[];
}

/** The same passage in another version, or in another revision within the version. */
export interface VersionMention {
  version: string;
  versionLabel: string;
  chunkId: string;
  page: number;
  pageLabel?: string;
}

export interface SearchHit extends ShelfLabels {
  rank: number;
  score: number;
  /** How well the passage matches the query: see search/relevance.ts. */
  match: MatchLevel;
  chunkId: string;
  docId: string;
  title: string;
  /** The physical page the best-matching text is on (1-based), and its printed label. */
  page: number;
  pageLabel?: string;
  /** The pages the whole chunk spans; usually both equal `page`. */
  chunkPage: number;
  chunkPageEnd: number;
  headingPath: string[];
  /** A PDF is read and cited by page; other formats (one long page) by section. */
  format: DocumentMeta['format'];
  sourcePath: string;
  snippet: Snippet;
  /** The same passage in other versions (one each, newest first) and revisions, at most LIMITS.alsoInListed. */
  alsoIn: VersionMention[];
  /** Further copies of the passage that alsoIn does not list. */
  alsoInMore?: number;
}

export interface SearchResponse {
  query: string;
  mode: SearchMode;
  /** How well the best passage matched; 'weak' or 'none' means nothing relevant was found (and `hits` is empty unless weak hits were asked for). */
  bestMatch: MatchLevel | 'none';
  /** What was searched, in words: "the library", "ftdv-autoscale-aws 6.6.0 (named in the query)", … */
  scope: string;
  /** The product and version recognised in the query and searched alone, when there was one. */
  inferredScope?: InferredScopeInfo;
  hits: SearchHit[];
  /** Offset of the next page of results, when there are more. */
  nextOffset?: number;
  /** Plain statements about how the search ran (lexical only, versions searched, …). */
  notices: string[];
}
