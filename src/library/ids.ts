import type { DocumentKey } from './model.js';
import { isSlug } from './slug.js';

const SEPARATOR = '::';

/** `finesse/v12.5/developer-guide/developer-guide.md` */
export function sourcePathOf(key: DocumentKey): string {
  return `${key.product}/${key.version}/${key.collection}/${key.document}.md`;
}

/** `finesse::v12.5::developer-guide::developer-guide` */
export function documentIdOf(key: DocumentKey): string {
  return [key.product, key.version, key.collection, key.document].join(SEPARATOR);
}

/** `finesse::v12.5::developer-guide::developer-guide::43` */
export function chunkIdOf(key: DocumentKey, ordinal: number): string {
  return `${documentIdOf(key)}${SEPARATOR}${ordinal}`;
}

export interface ParsedChunkId {
  key: DocumentKey;
  ordinal: number;
}

/** Parses a chunk id; returns undefined for anything that is not exactly a well-formed id. */
export function parseChunkId(id: string): ParsedChunkId | undefined {
  const parts = id.split(SEPARATOR);
  if (parts.length !== 5) return undefined;
  const [product, version, collection, document, ordinalText] = parts as [string, string, string, string, string];
  if (![product, version, collection, document].every(isSlug)) return undefined;
  if (!/^\d{1,9}$/.test(ordinalText)) return undefined;
  return { key: { product, version, collection, document }, ordinal: Number(ordinalText) };
}

/** Parses a document id (a chunk id without its ordinal). */
export function parseDocumentId(id: string): DocumentKey | undefined {
  const parts = id.split(SEPARATOR);
  if (parts.length !== 4 || !parts.every(isSlug)) return undefined;
  const [product, version, collection, document] = parts as [string, string, string, string];
  return { product, version, collection, document };
}
