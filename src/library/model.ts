/**
 * The library's domain: vendor → product → version → collection → document → page → chunk.
 * Labels are what people typed ("12.5(1)", "Cisco Finesse"); slugs are their safe forms used in
 * paths and ids ("12.5-1", "finesse").
 */

import type { DocumentOrigin } from './origin.js';

/** Identifies one document. All fields are slugs. */
export interface DocumentKey {
  product: string;
  version: string;
  collection: string;
  document: string;
}

/** What a person labels a document with, as typed. */
export interface DocumentLabels {
  vendor: string;
  product: string;
  version: string;
  collection?: string;
  document?: string;
  title?: string;
}

/** Metadata stored in the converted Markdown file's front matter and in the index. */
export interface DocumentMeta {
  key: DocumentKey;
  /** Vendor slug; a product belongs to exactly one vendor. */
  vendor: string;
  vendorLabel: string;
  productLabel: string;
  versionLabel: string;
  /**
   * The collection and document labels as typed (or taken from file names), kept so that two
   * labels that make the same slug are told apart and refused rather than merged. Absent for
   * documents added before they were kept.
   */
  collectionLabel?: string;
  documentLabel?: string;
  title: string;
  /** `<product>/<version>/<collection>/<document>.md`, relative to the library folder. */
  sourcePath: string;
  /** Where the original came from (absolute file path or URL, as given), for people; never used as a path. */
  originalFile: string;
  /**
   * The source, as identity and for refreshing (see origin.ts). Absent only on documents written
   * before origins were recorded; `originOf` derives it from `originalFile` then.
   */
  origin?: DocumentOrigin;
  format: 'pdf' | 'html' | 'markdown' | 'text';
  /** sha256 of the original bytes: re-adding identical bytes is a no-op. */
  contentHash: string;
  pageCount: number;
  /** ISO timestamp of the conversion. */
  convertedAt: string;
  /** Where the document sits in its collection's reading order, for documents from a site or a folder tree. */
  navigation?: DocumentNavigation;
}

/**
 * A document's place in its collection's navigation: a docs site's (the order its pages are linked
 * in, and the sections above each) or a folder tree's. Readers browse a collection in this order
 * and see the trail; documents without it are ordered by title.
 */
export interface DocumentNavigation {
  /** 0-based position in the collection's reading order. */
  order: number;
  /** Titles of the sections above the document, outermost first (e.g. ["Installation", "Upgrading"]). */
  trail: string[];
}

export interface Page {
  number: number;
  label?: string;
  markdown: string;
  /** The page had no text layer: its text was recognised from its image (OCR), so it may hold misreadings. */
  ocr?: boolean;
}

export interface Chunk {
  id: string;
  ordinal: number;
  /** Physical page the chunk starts on (1-based). */
  page: number;
  /** Printed page label of that page, where the source has one. */
  pageLabel?: string;
  /** Last physical page the chunk covers (equals `page` unless a paragraph straddles pages). */
  pageEnd: number;
  headingPath: string[];
  text: string;
  tokenCount: number;
}

/** Which embedder built an index's vectors: an index refuses another one (vectors of two spaces do not compare). */
export interface EmbedderIdentity {
  name: string;
  dimensions: number;
  /**
   * The spec it was configured with (credentials removed), so that a library keeps using it
   * without the flag being repeated. Absent in indexes built before it was recorded.
   */
  spec?: string;
}
