import type { StoredDocument } from '../store/store.js';
import { slugify } from '../library/slug.js';
import { ApiError } from './errors.js';

export interface DocumentListFilter {
  vendor?: string | undefined;
  product?: string | undefined;
  version?: string | undefined;
}

/** Narrows a document list by labels or slugs ("12.5(1)" and "12.5-1" select the same version). */
export function filterDocuments(documents: StoredDocument[], filter: DocumentListFilter): StoredDocument[] {
  const vendor = filter.vendor === undefined ? undefined : slugOf(filter.vendor, 'vendor');
  const product = filter.product === undefined ? undefined : slugOf(filter.product, 'product');
  const version = filter.version === undefined ? undefined : slugOf(filter.version, 'version');
  return documents.filter(
    (doc) =>
      (vendor === undefined || doc.vendor === vendor) &&
      (product === undefined || doc.key.product === product) &&
      (version === undefined || doc.key.version === version),
  );
}

function slugOf(value: string, field: string): string {
  try {
    return slugify(value, field);
  } catch (error) {
    throw new ApiError(400, 'invalid_input', (error as Error).message);
  }
}
