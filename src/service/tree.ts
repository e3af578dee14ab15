import type { DocumentNavigation } from '../library/model.js';
import type { DocumentSummary, VersionTotals } from '../store/store.js';
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

/**
 * The library's shelves: vendors → products → versions with their counts, without the documents.
 * What most pages and answers show of the library (the home page, the search form's filters, the
 * products a "nothing relevant" answer names), and what the store counts in one pass without a
 * row per document: at 110,457 documents the tree's first build read every row for 1.4 s.
 */
export interface ShelfVersion { version: string; label: string; latest: boolean; documentCount: number; pages: number; chunks: number }
export interface ShelfProduct { product: string; label: string; versions: ShelfVersion[]; pages: number; chunks: number }
export interface ShelfVendor { vendor: string; label: string; products: ShelfProduct[]; pages: number; chunks: number }
export interface Shelves { vendors: ShelfVendor[]; documents: number; pages: number; chunks: number }

export interface TreeVersion extends ShelfVersion { documents: TreeDocument[] }
export interface TreeProduct extends ShelfProduct { versions: TreeVersion[] }
export interface TreeVendor extends ShelfVendor { products: TreeProduct[] }
/** The shelves with every version's documents. */
export interface LibraryTree extends Shelves { vendors: TreeVendor[] }

/**
 * The shelves from their counts, given in the catalog's order (product, version): labels as the
 * tree takes them, from the first document of each vendor, product and version.
 */
export function buildShelves(counts: readonly VersionTotals[]): Shelves {
  const vendors = new Map<string, ShelfVendor>();
  let documents = 0;
  for (const c of counts) {
    let vendor = vendors.get(c.vendor);
    if (!vendor) vendors.set(c.vendor, (vendor = { vendor: c.vendor, label: c.vendorLabel, products: [], pages: 0, chunks: 0 }));
    let product = vendor.products.find((p) => p.product === c.product);
    if (!product) vendor.products.push((product = { product: c.product, label: c.productLabel, versions: [], pages: 0, chunks: 0 }));
    let version = product.versions.find((v) => v.version === c.version);
    if (!version) product.versions.push((version = { version: c.version, label: c.versionLabel, latest: false, documentCount: 0, pages: 0, chunks: 0 }));
    version.documentCount += c.documents;
    documents += c.documents;
    for (const node of [vendor, product, version]) {
      node.pages += c.pages;
      node.chunks += c.chunks;
    }
  }
  return shelvesInOrder(vendors, documents);
}

/** Vendors and products by slug, versions newest first with the newest marked latest. */
function shelvesInOrder<V extends ShelfVendor>(vendors: Map<string, V>, documents: number): { vendors: V[]; documents: number; pages: number; chunks: number } {
  const sorted = [...vendors.values()].sort((a, b) => a.vendor.localeCompare(b.vendor));
  for (const vendor of sorted) {
    vendor.products.sort((a, b) => a.product.localeCompare(b.product));
    for (const product of vendor.products) {
      product.versions.sort((a, b) => compareVersions(b.label, a.label)); // newest first
      if (product.versions[0]) product.versions[0].latest = true;
    }
  }
  return {
    vendors: sorted,
    documents,
    pages: sorted.reduce((n, v) => n + v.pages, 0),
    chunks: sorted.reduce((n, v) => n + v.chunks, 0),
  };
}

export function buildTree(documents: readonly DocumentSummary[]): LibraryTree {
  const vendors = new Map<string, TreeVendor>();
  for (const d of documents) {
    let vendor = vendors.get(d.vendor);
    if (!vendor) vendors.set(d.vendor, (vendor = { vendor: d.vendor, label: d.vendorLabel, products: [], pages: 0, chunks: 0 }));
    let product = vendor.products.find((p) => p.product === d.key.product);
    if (!product) vendor.products.push((product = { product: d.key.product, label: d.productLabel, versions: [], pages: 0, chunks: 0 }));
    let version = product.versions.find((v) => v.version === d.key.version);
    if (!version) {
      product.versions.push((version = { version: d.key.version, label: d.versionLabel, latest: false, documentCount: 0, documents: [], pages: 0, chunks: 0 }));
    }
    version.documentCount++;
    version.documents.push({
      docId: d.docId, title: d.title, collection: d.key.collection, document: d.key.document, sourcePath: d.sourcePath,
      format: d.format, pages: d.pageCount, chunks: d.chunkCount, ...(d.navigation ? { navigation: d.navigation } : {}),
    });
    for (const node of [vendor, product, version]) {
      node.pages += d.pageCount;
      node.chunks += d.chunkCount;
    }
  }
  const tree = shelvesInOrder(vendors, documents.length);
  for (const vendor of tree.vendors) for (const product of vendor.products) for (const version of product.versions) version.documents.sort(readingOrder);
  return tree;
}

/**
 * The tree cut to the documents `keep` names, as buildTree would make it of them: counts of what is
 * kept, each product's newest kept version marked latest. Made from the whole tree, which is built
 * once per library change, rather than from the documents again.
 */
export function prunedTree(whole: LibraryTree, keep: ReadonlySet<string>): LibraryTree {
  return withTotals(whole.vendors.flatMap((vendor) => {
    const products = vendor.products.flatMap((product) => {
      const versions = product.versions.flatMap((version) => {
        const documents = version.documents.filter((d) => keep.has(d.docId));
        if (documents.length === 0) return [];
        return [{ ...version, latest: false, documents, documentCount: documents.length, pages: total(documents, 'pages'), chunks: total(documents, 'chunks') }];
      });
      if (versions.length === 0) return [];
      versions[0]!.latest = true;
      return [{ ...product, versions, pages: total(versions, 'pages'), chunks: total(versions, 'chunks') }];
    });
    return products.length === 0 ? [] : [{ ...vendor, products, pages: total(products, 'pages'), chunks: total(products, 'chunks') }];
  }));
}

/** The shelves cut to some products, each kept whole. */
export function shelvesOfProducts(whole: Shelves, keep: ReadonlySet<string>): Shelves {
  return withTotals(whole.vendors.flatMap((vendor) => {
    const products = vendor.products.filter((p) => keep.has(p.product));
    return products.length === 0 ? [] : [{ ...vendor, products, pages: total(products, 'pages'), chunks: total(products, 'chunks') }];
  }));
}

/** Vendors already counted, with the whole's counts added up from them. */
function withTotals<V extends ShelfVendor>(vendors: V[]): { vendors: V[]; documents: number; pages: number; chunks: number } {
  let documents = 0;
  for (const vendor of vendors) for (const product of vendor.products) for (const version of product.versions) documents += version.documentCount;
  return { vendors, documents, pages: total(vendors, 'pages'), chunks: total(vendors, 'chunks') };
}

/** The pages or chunks of some nodes of the tree, added up. */
export function total(nodes: readonly { pages: number; chunks: number }[], field: 'pages' | 'chunks'): number {
  return nodes.reduce((n, node) => n + node[field], 0);
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
export function frozenTree<T extends Shelves>(tree: T): T {
  for (const vendor of tree.vendors) {
    for (const product of vendor.products) {
      for (const version of product.versions) {
        if ('documents' in version) {
          for (const document of (version as TreeVersion).documents) Object.freeze(document);
          Object.freeze((version as TreeVersion).documents);
        }
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
