/**
 * The one filter resolver: every surface narrows the library by vendor, product, version and
 * document through it, so that they all answer an unknown name the same way. Filters are given as
 * people and agents type them: labels or slugs ("12.5(1)" and "12.5-1" both work).
 */

import type { CatalogEntry, CatalogStore, StoredDocument } from '../store/store.js';
import { slugify } from '../library/slug.js';
import { latestVersion, sortVersions } from '../library/version.js';
import { LibraryError } from '../library/errors.js';

export interface LibraryFilter {
  vendor?: string;
  product?: string;
  version?: string;
  collection?: string;
  /** A document id (`product::version::collection::document`) or a document slug. */
  document?: string;
}

/** A filter value as the slug it names; a value that makes no slug is refused with slugify's reason. */
const asSlug = (value: string, field: string): string => slugify(value, field);

/**
 * The documents a filter selects. An unknown vendor, product or version is an error that lists
 * what is available, so that nobody is silently answered from another version.
 */
export function resolveFilter(store: CatalogStore, filter: LibraryFilter): StoredDocument[] {
  // `documents()` is the caller's own copy, and so is what is selected from it.
  return selectDocuments(store.documents(), filter) as StoredDocument[];
}

/**
 * `resolveFilter` over given documents: a search resolves its filters over the catalog's entries
 * (CatalogStore.catalogEntries), which need not read every document's whole row.
 */
export function selectDocuments<D extends CatalogEntry>(all: readonly D[], filter: LibraryFilter): readonly D[] {
  let docs = all;
  const unique = (values: string[]) => [...new Set(values)];
  if (filter.vendor !== undefined) {
    const vendor = asSlug(filter.vendor, 'vendor');
    const matching = docs.filter((d) => d.vendor === vendor);
    if (matching.length === 0) {
      throw new LibraryError('not_found', `vendor "${filter.vendor}" is not in the library`, `Available vendors: ${list(unique(docs.map((d) => d.vendorLabel)))}`);
    }
    docs = matching;
  }
  if (filter.product !== undefined) {
    const product = asSlug(filter.product, 'product');
    const matching = docs.filter((d) => d.key.product === product);
    if (matching.length === 0) {
      throw new LibraryError('not_found', `product "${filter.product}" is not in the library`, `Available products: ${list(unique(docs.map((d) => d.key.product)))}`);
    }
    docs = matching;
  }
  if (filter.version !== undefined && isLatest(filter.version)) {
    docs = newestOfEachProduct(docs);
  } else if (filter.version !== undefined) {
    const version = asSlug(filter.version, 'version');
    const matching = docs.filter((d) => d.key.version === version);
    if (matching.length === 0) {
      const where = filter.product ? ` of ${filter.product}` : '';
      throw new LibraryError(
        'not_found',
        `version "${filter.version}"${where} is not in the library`,
        `Available versions${where}: ${list(sortVersions(unique(docs.map((d) => d.versionLabel)), 'desc'))}`,
      );
    }
    docs = matching;
  }
  if (filter.collection !== undefined) {
    const collection = asSlug(filter.collection, 'collection');
    const matching = docs.filter((d) => d.key.collection === collection);
    if (matching.length === 0) {
      throw new LibraryError('not_found', `collection "${filter.collection}" is not in the library (within the other filters)`, `Available collections: ${list(unique(docs.map((d) => d.key.collection)))}`);
    }
    docs = matching;
  }
  if (filter.document !== undefined) {
    const wanted = filter.document;
    const matching = docs.filter((d) => d.docId === wanted || d.key.document === wanted);
    if (matching.length === 0) {
      throw new LibraryError('not_found', `document "${wanted}" is not in the library (within the other filters)`, 'List documents with `mcdewey list`');
    }
    docs = matching;
  }
  return docs;
}

/** "latest" as a version filter means each product's newest version (which is also what a version labelled "latest" is). */
export function isLatest(version: string): boolean {
  return version.trim().toLowerCase() === 'latest';
}

function newestOfEachProduct<D extends CatalogEntry>(docs: readonly D[]): D[] {
  const labels = new Map<string, string[]>();
  for (const d of docs) labels.set(d.key.product, [...(labels.get(d.key.product) ?? []), d.versionLabel]);
  const newest = new Map([...labels].map(([product, versions]) => [product, latestVersion(versions)]));
  return docs.filter((d) => newest.get(d.key.product) === d.versionLabel);
}

function list(values: string[]): string {
  if (values.length === 0) return '(none: the library is empty)';
  return values.length > 30 ? `${values.slice(0, 30).join(', ')}, … (${values.length} in all)` : values.join(', ');
}

/** True when the filter narrows anything at all. */
export function filters(filter: LibraryFilter): boolean {
  return [filter.vendor, filter.product, filter.version, filter.collection, filter.document].some((v) => v !== undefined);
}
