import type { DocumentNavigation } from '../library/model.js';
import type { DocumentInfo } from './types.js';
import { compareVersions } from '../library/version.js';

/** The library as people browse it: vendors → products → versions → documents, with counts. */
export interface TreeDocument {
  docId: string;
  title: string;
  collection: string;
  document: string;
  sourcePath: string;
  format: string;
  pages: number;
  chunks: number;
  /** Place in its collection's reading order, for documents of a docs site or folder tree. */
  navigation?: DocumentNavigation;
}
export interface TreeVersion { version: string; label: string; latest: boolean; documents: TreeDocument[]; pages: number; chunks: number }
export interface TreeProduct { product: string; label: string; versions: TreeVersion[]; pages: number; chunks: number }
export interface TreeVendor { vendor: string; label: string; products: TreeProduct[]; pages: number; chunks: number }
export interface LibraryTree { vendors: TreeVendor[]; documents: number; pages: number; chunks: number }

export function buildTree(documents: DocumentInfo[]): LibraryTree {
  const vendors = new Map<string, TreeVendor>();
  for (const d of documents) {
    let vendor = vendors.get(d.vendor);
    if (!vendor) vendors.set(d.vendor, (vendor = { vendor: d.vendor, label: d.vendorLabel, products: [], pages: 0, chunks: 0 }));
    let product = vendor.products.find((p) => p.product === d.key.product);
    if (!product) vendor.products.push((product = { product: d.key.product, label: d.productLabel, versions: [], pages: 0, chunks: 0 }));
    let version = product.versions.find((v) => v.version === d.key.version);
    if (!version) {
      product.versions.push((version = { version: d.key.version, label: d.versionLabel, latest: false, documents: [], pages: 0, chunks: 0 }));
    }
    version.documents.push({
      docId: d.docId, title: d.title, collection: d.key.collection, document: d.key.document, sourcePath: d.sourcePath,
      format: d.format, pages: d.pageCount, chunks: d.chunkCount, ...(d.navigation ? { navigation: d.navigation } : {}),
    });
    for (const node of [vendor, product, version]) {
      node.pages += d.pageCount;
      node.chunks += d.chunkCount;
    }
  }
  const sorted = [...vendors.values()].sort((a, b) => a.vendor.localeCompare(b.vendor));
  for (const vendor of sorted) {
    vendor.products.sort((a, b) => a.product.localeCompare(b.product));
    for (const product of vendor.products) {
      product.versions.sort((a, b) => compareVersions(b.label, a.label)); // newest first
      if (product.versions[0]) product.versions[0].latest = true;
      for (const version of product.versions) version.documents.sort(readingOrder);
    }
  }
  return {
    vendors: sorted,
    documents: documents.length,
    pages: sorted.reduce((n, v) => n + v.pages, 0),
    chunks: sorted.reduce((n, v) => n + v.chunks, 0),
  };
}

/** Documents without a place in the navigation come after those with one. */
const UNPLACED = Number.MAX_SAFE_INTEGER;

/** A collection's documents in their navigation order (those without one after, by title); collections by name. */
function readingOrder(a: TreeDocument, b: TreeDocument): number {
  return a.collection.localeCompare(b.collection)
    || (a.navigation?.order ?? UNPLACED) - (b.navigation?.order ?? UNPLACED)
    || a.title.localeCompare(b.title);
}

/**
 * The tree frozen throughout, so one copy can be handed to every caller until the library changes
 * (a caller that tried to edit it would throw rather than change what the next caller sees).
 */
export function frozenTree(tree: LibraryTree): LibraryTree {
  for (const vendor of tree.vendors) {
    for (const product of vendor.products) {
      for (const version of product.versions) {
        for (const document of version.documents) Object.freeze(document);
        Object.freeze(version.documents);
        Object.freeze(version);
      }
      Object.freeze(product.versions);
      Object.freeze(product);
    }
    Object.freeze(vendor.products);
    Object.freeze(vendor);
  }
  Object.freeze(tree.vendors);
  return Object.freeze(tree);
}
