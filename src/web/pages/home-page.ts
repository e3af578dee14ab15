import type { Library } from '../../service/library.js';
import type { Shelves } from '../../service/tree.js';
import { html, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { productAnchor, vendorAnchor } from '../links.js';
import { plural } from '../page-labels.js';
import { searchForm } from '../search-form.js';
import { emptyLibraryHelp } from './empty-library.js';

/** GET /: the search box and what the library holds (or how to fill it). */
export function homePage(library: Library): RenderedPage {
  const tree = library.shelves();
  const notices = library.notices();
  const body = html`<h1>Search the library</h1>
${notices.length > 0 ? html`<div class="notice" role="status">${notices.map((n) => html`<p>${n}</p>`)}</div>` : ''}
${searchForm(tree, {}, { filters: false })}
${tree.documents === 0 ? emptyLibraryHelp() : summary(tree)}`;
  return { status: 200, body: layout({ title: 'Home', body, headerSearch: false }) };
}

function summary(tree: Shelves): SafeHtml {
  const products = tree.vendors.flatMap((v) => v.products);
  const versions = products.reduce((n, p) => n + p.versions.length, 0);
  const vendors = tree.vendors.map((vendor) => html`<li>
    <h3><a href="/library#${vendorAnchor(vendor.vendor)}">${vendor.label}</a></h3>
    <ul>${vendor.products.map((p) => html`<li><a href="/library#${productAnchor(p.product)}">${p.label}</a>: ${p.versions.map((v) => v.label).join(', ')}</li>`)}</ul>
  </li>`);
  return html`<section aria-labelledby="summary-title">
  <h2 id="summary-title">In the library</h2>
  <ul class="stats">
    ${stat(tree.vendors.length, 'vendor')}
    ${stat(products.length, 'product')}
    ${stat(versions, 'version')}
    ${stat(tree.documents, 'document')}
    ${stat(tree.pages, 'page')}
    ${stat(tree.chunks, 'chunk')}
  </ul>
  <ul class="summary-list">${vendors}</ul>
  <p><a href="/library">Browse every document →</a></p>
</section>`;
}

function stat(n: number, noun: string): SafeHtml {
  return html`<li><strong>${n.toLocaleString('en')}</strong> ${plural(n, noun)}</li>`;
}
