import type { Library } from '../../service/library.js';
import type { TreeProduct, TreeVendor, TreeVersion } from '../../service/tree.js';
import { html, type SafeHtml } from '../html.js';
import { layout, type RenderedPage } from '../layout.js';
import { documentHref } from '../../http/links.js';
import { productAnchor, searchHref, vendorAnchor } from '../links.js';
import { countOf } from '../page-labels.js';
import { emptyLibraryHelp } from './empty-library.js';

/** GET /library: vendors → products → versions → documents, with page and chunk counts. */
export function libraryPage(library: Library): RenderedPage {
  const tree = library.tree();
  const body = tree.documents === 0
    ? html`<h1>Library</h1>${emptyLibraryHelp()}`
    : html`<h1>Library</h1>
<p class="meta">${countOf(tree.documents, 'document')} · ${countOf(tree.pages, 'page')} · ${countOf(tree.chunks, 'chunk')}. The newest version of each product is marked <span class="badge">latest</span>; searches use it unless you pick another.</p>
${tree.vendors.map(vendorSection)}`;
  return { status: 200, body: layout({ title: 'Library', body, section: 'library' }) };
}

function vendorSection(vendor: TreeVendor): SafeHtml {
  return html`<section class="vendor" id="${vendorAnchor(vendor.vendor)}" aria-labelledby="${`${vendorAnchor(vendor.vendor)}-title`}">
  <h2 id="${`${vendorAnchor(vendor.vendor)}-title`}">${vendor.label}</h2>
  ${vendor.products.map((product) => productSection(vendor, product))}
</section>`;
}

function productSection(vendor: TreeVendor, product: TreeProduct): SafeHtml {
  return html`<section class="product" id="${productAnchor(product.product)}">
  <h3>${product.label}</h3>
  <p class="meta">${countOf(product.versions.length, 'version')} · ${countOf(product.pages, 'page')} · <a href="${searchHref({ vendor: vendor.vendor, product: product.product })}">Search ${product.label}</a></p>
  ${product.versions.map(versionBlock)}
</section>`;
}

function versionBlock(version: TreeVersion): SafeHtml {
  const rows = version.documents.map((d) => html`<tr>
    <td><a href="${documentHref(d.docId)}">${d.title}</a></td>
    <td class="optional"><code>${d.sourcePath}</code></td>
    <td class="num">${d.pages}</td>
    <td class="num">${d.chunks}</td>
  </tr>`);
  return html`<div class="version">
  <h4>Version ${version.label}${version.latest ? html` <span class="badge">latest</span>` : ''}</h4>
  <div class="table-wrap"><table class="docs">
    <thead><tr><th scope="col">Document</th><th scope="col" class="optional">Source</th><th scope="col" class="num">Pages</th><th scope="col" class="num">Chunks</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
</div>`;
}
