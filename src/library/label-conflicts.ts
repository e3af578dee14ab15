/**
 * Where a document is filed is decided by slugs, and different labels can make the same slug
 * ("12.5(1)", "12.5-1" and "12.5 1." all make "12.5-1"). Merging them would put two versions'
 * documents on one shelf, or replace one document with another, so a label whose slug is already
 * taken by a different label is refused, naming both. Labels that differ only in case, spacing or
 * compatibility forms ("Cisco" and "cisco", "ｆｉｎｅｓｓｅ" and "finesse") are the same label.
 */

import { LibraryError } from './errors.js';
import { documentIdOf } from './ids.js';
import type { DocumentKey, DocumentMeta } from './model.js';

/** A document about to be filed: its slugs and the labels they were made from. */
export interface Filing {
  key: DocumentKey;
  vendor: string;
  labels: { vendor: string; product: string; version: string; collection: string; document: string };
}

type Field = keyof Filing['labels'];

/**
 * Normalised labels, remembered: every filing is compared with every document of the library, and
 * normalising each document's labels again for each file made adding a folder quadratic in CPU
 * (55 s of user CPU for 5,183 small files). A library holds few distinct labels; the bound only
 * guards against an unbounded stream of them.
 */
const KEYS = new Map<string, string>();
const MAX_KEYS = 50_000;

function labelKey(label: string): string {
  let key = KEYS.get(label);
  if (key === undefined) {
    if (KEYS.size >= MAX_KEYS) KEYS.clear();
    key = label.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
    KEYS.set(label, key);
  }
  return key;
}

/** True when two labels name the same thing, written differently only in case, spacing or compatibility forms. */
export function sameLabel(a: string, b: string): boolean {
  return labelKey(a) === labelKey(b);
}

const WHERE: Readonly<Record<Field, (key: DocumentKey) => string>> = {
  vendor: () => 'the library',
  product: () => 'the library',
  version: (key) => `product "${key.product}"`,
  collection: (key) => `${key.product} ${key.version}`,
  document: (key) => `${key.product} ${key.version} ${key.collection}`,
};

function conflict(field: Field, filing: Filing, slug: string, taken: string): LibraryError {
  const typed = filing.labels[field];
  return new LibraryError(
    'conflict',
    `${field} "${typed}" would be filed as "${slug}", which ${field} "${taken}" already uses in ${WHERE[field](filing.key)}; different labels are never merged`,
    `If they are the same ${field}, use "${taken}"; otherwise choose a ${field} label that differs in its letters or digits`,
  );
}

/**
 * The first reason `filing` cannot join the library as `existing` holds it: its product belongs
 * to another vendor, or one of its labels (vendor, product, version, collection, document) makes
 * a slug that a different label already uses. Collection and document labels are compared only
 * where the library kept them.
 */
export function filingConflict(filing: Filing, existing: Iterable<DocumentMeta>): LibraryError | undefined {
  const { key, vendor, labels } = filing;
  const docId = documentIdOf(key);
  for (const doc of existing) {
    if (doc.vendor === vendor && !sameLabel(doc.vendorLabel, labels.vendor)) return conflict('vendor', filing, vendor, doc.vendorLabel);
    if (doc.key.product !== key.product) continue;
    if (doc.vendor !== vendor) {
      return new LibraryError(
        'conflict',
        `product "${key.product}" already belongs to vendor "${doc.vendorLabel}", not "${labels.vendor}"`,
        'Use a different --product name for this vendor',
      );
    }
    if (!sameLabel(doc.productLabel, labels.product)) return conflict('product', filing, key.product, doc.productLabel);
    if (doc.key.version !== key.version) continue;
    if (!sameLabel(doc.versionLabel, labels.version)) return conflict('version', filing, key.version, doc.versionLabel);
    if (doc.key.collection !== key.collection) continue;
    if (doc.collectionLabel !== undefined && !sameLabel(doc.collectionLabel, labels.collection)) {
      return conflict('collection', filing, key.collection, doc.collectionLabel);
    }
    if (documentIdOf(doc.key) === docId && doc.documentLabel !== undefined && !sameLabel(doc.documentLabel, labels.document)) {
      return conflict('document', filing, key.document, doc.documentLabel);
    }
  }
  return undefined;
}
