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

/** The library page's query string: an optional filter, checked once at the edge. */
export interface LibraryParams {
  filter?: string;
}

const MAX_FILTER_CHARS = 200;
/** Up to this many documents the library page is shown unfolded: a few lines need no folding. */
const UNFOLDED_LIBRARY_DOCUMENTS = 20;

export function parseLibraryParams(query: Record<string, string | undefined>): LibraryParams {
  const filter = query['filter']?.trim();
  if (!filter) return {};
  if (filter.length > MAX_FILTER_CHARS) {
    throw new LibraryError('invalid_input', `the filter is ${filter.length} characters long`, `Shorten it to at most ${MAX_FILTER_CHARS}`);
  }
  return { filter };
}

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
  const { filter } = params;
  const vendors = tree.vendors.flatMap((vendor) => {
    const products = vendor.products.flatMap((product) => {
      const versions = product.versions.flatMap((version) => {
        const documents = version.documents.filter((d) => matches(filterText(vendor, product, version, d), filter));
        return documents.length > 0 ? [{ version, documents }] : [];
      });
      return versions.length > 0 ? [{ product, versions }] : [];
    });
    return products.length > 0 ? [{ vendor, products }] : [];
  });
  // A small library hides nothing; a large one unfolds only what a filter matched.
  const unfold = filter !== undefined || tree.documents <= UNFOLDED_LIBRARY_DOCUMENTS;
  const shown = vendors.reduce((n, v) => n + v.products.reduce((m, p) => m + p.versions.reduce((k, ver) => k + ver.documents.length, 0), 0), 0);
  const status = filter === undefined
    ? ''
    : shown === 0 ? `No document matches “${filter}”.` : `${countOf(shown, 'document')} of ${tree.documents.toLocaleString('en')} match “${filter}”.`;
  const body = html`<h1>Library</h1>
<p class="meta">${countOf(tree.documents, 'document')} · ${pdfPages(tree.vendors.flatMap((v) => v.products))} ${countOf(tree.chunks, 'chunk')}. The newest version of each product is marked <span class="badge">latest</span>; searches use it unless you pick another.</p>
<form class="library-filter" role="search" action="/library" method="get">
  <label for="library-filter">Filter documents</label>
  <input type="search" id="library-filter" name="filter" value="${filter ?? ''}" placeholder="Title, product, version or file name" autocomplete="off">
  <button type="submit">Filter</button>
  ${filter === undefined ? '' : html`<a href="/library">Show all</a>`}
</form>
<p class="filter-status" role="status" data-total="${tree.documents}">${status}</p>
<div class="library-tree">
${vendors.map(({ vendor, products }) => vendorSection(vendor, products.map(({ product, versions }) =>
    productSection(vendor, product, versions.map(({ version, documents }) => versionBlock(vendor, product, version, documents, filter !== undefined)), unfold))))}
</div>`;
  return { status: 200, body: layout({ title: 'Library', body, section: 'library' }) };
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
  const pages = products.flatMap((p) => p.versions.flatMap((v) => v.documents)).filter((d) => d.format === 'pdf').reduce((n, d) => n + d.pages, 0);
  return pages > 0 ? `${countOf(pages, 'PDF page')} ·` : '';
}

function versionBlock(vendor: TreeVendor, product: TreeProduct, version: TreeVersion, documents: TreeDocument[], filtering: boolean): SafeHtml {
  const filterOf = (d: TreeDocument) => filterText(vendor, product, version, d);
  const collections = new Map<string, TreeDocument[]>();
  for (const doc of documents) collections.set(doc.collection, [...(collections.get(doc.collection) ?? []), doc]);
  const loose = documents.filter((d) => !d.navigation);
  const sites = [...collections.values()].map((docs) => docs.filter((d) => d.navigation)).filter((docs) => docs.length > 0);
  return html`<div class="version">
  <h4>Version ${version.label}${version.latest ? html` <span class="badge">latest</span>` : ''}</h4>
  ${sites.map((docs) => siteTree(docs, filterOf, filtering))}
  ${loose.length > 0 ? documentTable(loose, filterOf) : ''}
</div>`;
}

/** A docs site or folder tree: its documents in reading order under their sections, unfolded while filtering or when short. */
function siteTree(documents: TreeDocument[], filterOf: (d: TreeDocument) => string, filtering: boolean): SafeHtml {
  const tree = buildTrailTree(documents, (d) => d.navigation?.trail ?? []);
  const leaf = (d: TreeDocument) => html`<li data-filter="${filterOf(d)}"><a href="${documentHref(d.docId)}">${d.title}</a> <span class="meta">${countOf(d.chunks, 'chunk')}</span></li>`;
  return html`<div class="site-tree"><p class="meta">${documents[0]!.collection}: ${countOf(documents.length, 'document')} in reading order</p>${trailTreeHtml(tree, leaf, () => filtering || documents.length <= 12)}</div>`;
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
