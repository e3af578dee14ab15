import { LibraryError } from '../../library/errors.js';
import type { Library } from '../../service/library.js';
import type { TreeDocument, TreeProduct, TreeVendor, TreeVersion } from '../../service/tree.js';
import { html, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { documentHref } from '../../http/links.js';
import { productAnchor, searchHref, vendorAnchor } from '../links.js';
import { countOf } from '../page-labels.js';
import { buildTrailTree, trailTreeHtml } from '../trail-tree.js';
import { emptyLibraryHelp } from './empty-library.js';
import { libraryHref, type LibraryParams } from '../library-params.js';

/** Up to this many documents the library page is shown unfolded: a few lines need no folding. */
const UNFOLDED_LIBRARY_DOCUMENTS = 20;
/**
 * Documents one library page lists. The page is one response: listing every document made it 5.3 MB
 * of HTML at 15,000 documents, and it grows with the library, so beyond this the listing is paged.
 */
export const LIBRARY_PAGE_DOCUMENTS = 400;
/** In the overview of a library too large for one page, each version lists this many documents and links to the rest. */
export const OVERVIEW_VERSION_DOCUMENTS = 10;

/** What a filter is matched against, lower-cased: the same text the script filters on as you type. */
function filterText(vendor: TreeVendor, product: TreeProduct, version: TreeVersion, doc: TreeDocument): string {
  return [vendor.label, product.label, product.product, version.label, doc.title, doc.sourcePath, ...(doc.navigation?.trail ?? [])].join(' ').toLowerCase();
}

/** A document matches when its text contains every word of the filter. */
function matches(text: string, filter: string | undefined): boolean {
  return filter === undefined || filter.toLowerCase().split(/\s+/).every((word) => text.includes(word));
}

/**
 * GET /library: vendors → products → versions → documents, folded so that a large library fits a
 * screen: vendors open, products folded (unless the library is small), each summary saying what it holds. A filter box narrows
 * it to matching documents, as a plain GET form and, with the script, as you type. Documents of a
 * docs site or folder tree are listed in their reading order, under their sections.
 */
export function libraryPage(library: Library, params: LibraryParams = {}): RenderedPage {
  const tree = library.tree();
  if (tree.documents === 0) {
    return { status: 200, body: layout({ title: 'Library', body: html`<h1>Library</h1>${emptyLibraryHelp()}`, section: 'library' }) };
  }
  const { filter, product: onlyProduct, version: onlyVersion } = params;
  const matching = matchingDocuments(tree.vendors, params);
  const narrowed = filter !== undefined || onlyProduct !== undefined;
  const shown = countListed(matching);
  if (onlyProduct !== undefined && shown === 0 && filter === undefined) {
    const what = onlyVersion === undefined ? `product "${onlyProduct}"` : `version "${onlyVersion}" of product "${onlyProduct}"`;
    throw new LibraryError('not_found', `the library holds no ${what}`, 'Pick a product and version from the library page');
  }
  // Too many documents for one page: a filter or a chosen version is paged; the overview lists a
  // few documents of each version and links to the rest, so that every version stays in view.
  const paged = shown > LIBRARY_PAGE_DOCUMENTS && narrowed;
  const overview = shown > LIBRARY_PAGE_DOCUMENTS && !narrowed;
  const pages = paged ? Math.ceil(shown / LIBRARY_PAGE_DOCUMENTS) : 1;
  const page = Math.min(params.page ?? 1, pages);
  const vendors = paged ? windowOf(matching, (page - 1) * LIBRARY_PAGE_DOCUMENTS, LIBRARY_PAGE_DOCUMENTS)
    : overview ? firstOfEachVersion(matching, OVERVIEW_VERSION_DOCUMENTS)
      : matching;
  const listed = countListed(vendors);
  // A small library hides nothing; a large one unfolds only what a filter or a chosen product holds.
  const unfold = narrowed || tree.documents <= UNFOLDED_LIBRARY_DOCUMENTS;
  const range = paged ? ` Documents ${((page - 1) * LIBRARY_PAGE_DOCUMENTS + 1).toLocaleString('en')}–${Math.min(page * LIBRARY_PAGE_DOCUMENTS, shown).toLocaleString('en')} are listed on this page.` : '';
  const chosenText = onlyProduct === undefined ? '' : onlyVersion === undefined ? `product ${onlyProduct}` : `${onlyProduct} ${onlyVersion}`;
  const status = filter === undefined
    ? (chosenText ? `${countOf(shown, 'document')} in ${chosenText}.${range}` : '')
    : shown === 0 ? `No document matches “${filter}”${chosenText ? ` in ${chosenText}` : ''}.`
      : `${countOf(shown, 'document')} of ${tree.documents.toLocaleString('en')} match “${filter}”${chosenText ? ` in ${chosenText}` : ''}.${range}`;
  const pager = paged ? libraryPager(params, page, pages) : '';
  const listLink = (product: TreeProduct, version: TreeVersion, total: number) =>
    overview && total > OVERVIEW_VERSION_DOCUMENTS ? html`<p class="more"><a href="${libraryHref({ product: product.product, version: version.version })}">All ${countOf(total, 'document')} of ${product.label} ${version.label}</a></p>` : '';
  const body = html`<h1>Library</h1>
<p class="meta">${countOf(tree.documents, 'document')} · ${pdfPages(tree.vendors.flatMap((v) => v.products))} ${countOf(tree.chunks, 'chunk')}. The newest version of each product is marked <span class="badge">latest</span>; searches use it unless you pick another.</p>
<form class="library-filter" role="search" action="/library" method="get">
  <label for="library-filter">Filter documents</label>
  <input type="search" id="library-filter" name="filter" value="${filter ?? ''}" placeholder="Title, product, version or file name" autocomplete="off">
  ${onlyProduct === undefined ? '' : html`<input type="hidden" name="product" value="${onlyProduct}">`}
  ${onlyVersion === undefined ? '' : html`<input type="hidden" name="version" value="${onlyVersion}">`}
  <button type="submit">Filter</button>
  ${narrowed ? html`<a href="/library">Show all</a>` : ''}
</form>
<p class="filter-status" role="status" data-total="${listed}">${status}</p>
${overview ? html`<p class="meta">Each version lists its first ${OVERVIEW_VERSION_DOCUMENTS} documents here; its link lists them all. Typing in the filter narrows the documents listed; press Enter to filter the whole library.</p>` : ''}
${pager}
<div class="library-tree"${paged || overview ? html` data-partial="true"` : ''}>
${vendors.map(({ vendor, products }) => vendorSection(vendor, products.map(({ product, versions }) =>
    productSection(vendor, product, versions.map(({ version, documents, all }) => html`${versionBlock(vendor, product, version, documents, all, narrowed)}${listLink(product, version, all.length)}`), unfold))))}
</div>
${pager}`;
  return { status: 200, body: layout({ title: 'Library', body, section: 'library' }) };
}

interface Listed {
  vendor: TreeVendor;
  /** Per version, the documents listed on this page and `all` that matched (more when the listing is cut). */
  products: { product: TreeProduct; versions: { version: TreeVersion; documents: TreeDocument[]; all: TreeDocument[] }[] }[];
}

/** The tree cut to the chosen product and version and to the documents the filter matches. */
function matchingDocuments(vendors: TreeVendor[], { filter, product: onlyProduct, version: onlyVersion }: LibraryParams): Listed[] {
  const chosen = (product: TreeProduct, version: TreeVersion) =>
    (onlyProduct === undefined || product.product === onlyProduct) && (onlyVersion === undefined || version.version === onlyVersion);
  return vendors.flatMap((vendor) => {
    const products = vendor.products.flatMap((product) => {
      const versions = product.versions.flatMap((version) => {
        if (!chosen(product, version)) return [];
        // Without a filter every document is listed: its filter text (a join of seven labels) is not
        // made, which for the 110,457 documents of the 1M library was half of the page's 145 ms.
        const documents = filter === undefined ? version.documents : version.documents.filter((d) => matches(filterText(vendor, product, version, d), filter));
        return documents.length > 0 ? [{ version, documents, all: documents }] : [];
      });
      return versions.length > 0 ? [{ product, versions }] : [];
    });
    return products.length > 0 ? [{ vendor, products }] : [];
  });
}

/** Each version's first `count` documents. */
function firstOfEachVersion(listed: Listed[], count: number): Listed[] {
  return listed.map(({ vendor, products }) => ({
    vendor,
    products: products.map(({ product, versions }) => ({ product, versions: versions.map((entry) => ({ ...entry, documents: entry.documents.slice(0, count) })) })),
  }));
}

function countListed(listed: Listed[]): number {
  return listed.reduce((n, v) => n + v.products.reduce((m, p) => m + p.versions.reduce((k, ver) => k + ver.documents.length, 0), 0), 0);
}

/** The part of the listing from the `offset`-th document, `limit` documents long, grouped as the whole is. */
function windowOf(listed: Listed[], offset: number, limit: number): Listed[] {
  let skip = offset;
  let left = limit;
  const out: Listed[] = [];
  for (const { vendor, products } of listed) {
    const keptProducts: Listed['products'] = [];
    for (const { product, versions } of products) {
      const keptVersions: Listed['products'][number]['versions'] = [];
      for (const entry of versions) {
        if (left === 0) break;
        if (skip >= entry.documents.length) {
          skip -= entry.documents.length;
          continue;
        }
        const documents = entry.documents.slice(skip, skip + left);
        skip = 0;
        left -= documents.length;
        keptVersions.push({ ...entry, documents });
      }
      if (keptVersions.length > 0) keptProducts.push({ product, versions: keptVersions });
    }
    if (keptProducts.length > 0) out.push({ vendor, products: keptProducts });
  }
  return out;
}

function libraryPager(params: LibraryParams, page: number, pages: number): SafeHtml {
  return html`<nav class="pager" aria-label="Pages of the library">
  ${page > 1 ? html`<a href="${libraryHref({ ...params, page: page - 1 })}" rel="prev">Previous page</a>` : ''}
  <span>Page ${page} of ${pages}</span>
  ${page < pages ? html`<a href="${libraryHref({ ...params, page: page + 1 })}" rel="next">Next page</a>` : ''}
</nav>`;
}

function vendorSection(vendor: TreeVendor, products: SafeHtml[]): SafeHtml {
  const documents = vendor.products.reduce((n, p) => n + p.versions.reduce((m, v) => m + v.documents.length, 0), 0);
  return html`<details class="vendor" id="${vendorAnchor(vendor.vendor)}" open>
  <summary><h2>${vendor.label}</h2> <span class="meta">${countOf(vendor.products.length, 'product')} · ${countOf(documents, 'document')}</span></summary>
  ${products}
</details>`;
}

function productSection(vendor: TreeVendor, product: TreeProduct, versions: SafeHtml[], open: boolean): SafeHtml {
  const documents = product.versions.reduce((n, v) => n + v.documents.length, 0);
  const versionLabels = product.versions.map((v) => (v.latest ? `${v.label} (latest)` : v.label)).join(', ');
  const summary = html`<summary><h3>${product.label}</h3> <span class="meta">${versionLabels} · ${countOf(documents, 'document')}</span></summary>`;
  const inner = html`<p class="meta">${countOf(product.versions.length, 'version')} · ${pdfPages([product])} <a href="${searchHref({ vendor: vendor.vendor, product: product.product })}">Search ${product.label}</a></p>
  ${versions}`;
  return open
    ? html`<details class="product" id="${productAnchor(product.product)}" open>${summary}${inner}</details>`
    : html`<details class="product" id="${productAnchor(product.product)}">${summary}${inner}</details>`;
}

/** "1,234 PDF pages · ": documents without pages have one "page" each, which counts nothing a reader sees. */
function pdfPages(products: TreeProduct[]): string {
  let pages = 0;
  for (const product of products) for (const version of product.versions) pages += pdfPagesOf(version);
  return pages > 0 ? `${countOf(pages, 'PDF page')} ·` : '';
}

/**
 * Per list of documents, what the page counts of it: its PDF pages and, per collection, its
 * documents placed in a reading order. The tree is shared until the library changes, so a version's
 * counts are made once, not for each request (the header, every product and every version counted
 * every document again: the page took 70 ms warm at 110,457 documents with it, 6-19 ms without).
 */
const counted = new WeakMap<readonly TreeDocument[], { pdfPages: number; placed: Map<string, number> }>();

function countsOf(documents: readonly TreeDocument[]): { pdfPages: number; placed: Map<string, number> } {
  let counts = counted.get(documents);
  if (!counts) {
    counts = { pdfPages: 0, placed: new Map() };
    for (const doc of documents) {
      if (doc.format === 'pdf') counts.pdfPages += doc.pages;
      if (doc.navigation) counts.placed.set(doc.collection, (counts.placed.get(doc.collection) ?? 0) + 1);
    }
    counted.set(documents, counts);
  }
  return counts;
}

function pdfPagesOf(version: TreeVersion): number {
  return countsOf(version.documents).pdfPages;
}

function versionBlock(vendor: TreeVendor, product: TreeProduct, version: TreeVersion, documents: TreeDocument[], all: TreeDocument[], filtering: boolean): SafeHtml {
  const filterOf = (d: TreeDocument) => filterText(vendor, product, version, d);
  const collections = new Map<string, TreeDocument[]>();
  for (const doc of documents) collections.set(doc.collection, [...(collections.get(doc.collection) ?? []), doc]);
  const sizes = countsOf(all).placed;
  const loose = documents.filter((d) => !d.navigation);
  const sites = [...collections.values()].map((docs) => docs.filter((d) => d.navigation)).filter((docs) => docs.length > 0);
  return html`<div class="version">
  <h4>Version ${version.label}${version.latest ? html` <span class="badge">latest</span>` : ''}</h4>
  ${sites.map((docs) => siteTree(docs, sizes.get(docs[0]!.collection) ?? docs.length, filterOf, filtering))}
  ${loose.length > 0 ? documentTable(loose, filterOf) : ''}
</div>`;
}

/**
 * A docs site or folder tree: its documents in reading order under their sections, unfolded while
 * filtering or when short; `total` is how many it has where a long listing lists only part of them.
 */
function siteTree(documents: TreeDocument[], total: number, filterOf: (d: TreeDocument) => string, filtering: boolean): SafeHtml {
  const tree = buildTrailTree(documents, (d) => d.navigation?.trail ?? []);
  const leaf = (d: TreeDocument) => html`<li data-filter="${filterOf(d)}"><a href="${documentHref(d.docId)}">${d.title}</a> <span class="meta">${countOf(d.chunks, 'chunk')}</span></li>`;
  const count = documents.length < total ? `${documents.length.toLocaleString('en')} of ${countOf(total, 'document')} listed here` : countOf(documents.length, 'document');
  return html`<div class="site-tree"><p class="meta">${documents[0]!.collection}: ${count} in reading order</p>${trailTreeHtml(tree, leaf, () => filtering || documents.length <= 12)}</div>`;
}

function documentTable(documents: TreeDocument[], filterOf: (d: TreeDocument) => string): SafeHtml {
  const rows = documents.map((d) => html`<tr data-filter="${filterOf(d)}">
    <td><a href="${documentHref(d.docId)}">${d.title}</a></td>
    <td class="optional"><code>${d.sourcePath}</code></td>
    <td class="num">${d.format === 'pdf' ? d.pages : html`<span title="read by section: it has no pages">–</span>`}</td>
    <td class="num">${d.chunks}</td>
  </tr>`);
  return html`<div class="table-wrap"><table class="docs">
    <thead><tr><th scope="col">Document</th><th scope="col" class="optional">Source</th><th scope="col" class="num">Pages</th><th scope="col" class="num">Chunks</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>`;
}
