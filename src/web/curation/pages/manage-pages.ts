import type { DocumentInfo } from '../../../service/types.js';
import type { LibraryTree, TreeProduct, TreeVersion } from '../../../service/tree.js';
import { html, type SafeHtml } from '../../html.js';
import { layout, type RenderedPage } from '../../layout.js';
import { csrfField, labelDatalists, sessionBar } from '../form-parts.js';
import type { Curator } from '../guard.js';

export interface ManageTarget {
  product: string;
  version?: string;
  /** A document id. */
  document?: string;
}

function query(target: ManageTarget): string {
  const params = new URLSearchParams({ product: target.product });
  if (target.version) params.set('version', target.version);
  if (target.document) params.set('document', target.document);
  return params.toString();
}

function refreshButton(curator: Curator, target: ManageTarget): SafeHtml {
  return html`<form method="post" action="/curate/refresh">${csrfField(curator)}<input type="hidden" name="product" value="${target.product}">${target.version ? html`<input type="hidden" name="version" value="${target.version}">` : ''}<button type="submit" class="link-button">Refresh</button></form>`;
}

function actions(curator: Curator, target: ManageTarget): SafeHtml {
  return html`<span class="manage-actions"><a href="${`/curate/relabel?${query(target)}`}">Re-label</a> ${refreshButton(curator, target)} <a href="${`/curate/remove?${query(target)}`}">Remove</a></span>`;
}

function versionRow(curator: Curator, product: TreeProduct, version: TreeVersion): SafeHtml {
  return html`<tr><td>${product.label}</td><td>${version.label}</td><td class="num">${version.documents.length}</td><td class="num">${version.pages}</td>
    <td>${actions(curator, { product: product.product, version: version.version })}</td></tr>`;
}

/** GET /curate/library: every product and version, with re-label, refresh and remove. */
export function managePage(tree: LibraryTree, curator: Curator): RenderedPage {
  const rows = tree.vendors.flatMap((vendor) => vendor.products.flatMap((product) => [
    html`<tr><th scope="row" colspan="4">${vendor.label} · ${product.label}</th><td>${actions(curator, { product: product.product })}</td></tr>`,
    ...product.versions.map((version) => versionRow(curator, product, version)),
  ]));
  const body = html`<h1>Manage the library</h1>
${sessionBar(curator)}
<p><a href="/curate">Add documents</a> · <a href="/jobs">Jobs</a></p>
${tree.documents === 0 ? html`<p>The library is empty.</p>` : html`<div class="table-wrap"><table class="docs">
  <thead><tr><th scope="col">Product</th><th scope="col">Version</th><th scope="col" class="num">Documents</th><th scope="col" class="num">Pages</th><th scope="col">Actions</th></tr></thead>
  <tbody>${rows}</tbody>
</table></div>`}`;
  return { status: 200, body: layout({ title: 'Manage the library', body, section: 'curate', assets: ['curate.css'] }) };
}

/** GET /curate/remove: what a removal would take, and the button that does it. */
export function removeConfirmPage(docs: DocumentInfo[], target: ManageTarget, curator: Curator): RenderedPage {
  const hidden = (['product', 'version', 'document'] as const).flatMap((key) => (target[key] ? [html`<input type="hidden" name="${key}" value="${target[key]}">`] : []));
  const body = html`<h1>Remove ${docs.length === 1 ? 'this document' : `these ${docs.length} documents`}?</h1>
${sessionBar(curator)}
<p>Their Markdown files, index entries and kept originals go. Search results and links to their chunks stop working. Documents from a site or a folder come back if you add or refresh that source again.</p>
<div class="table-wrap"><table class="docs"><thead><tr><th scope="col">Document</th><th scope="col">Source</th><th scope="col" class="num">Pages</th></tr></thead>
<tbody>${docs.map((d) => html`<tr><td>${d.title}</td><td><code>${d.sourcePath}</code></td><td class="num">${d.pageCount}</td></tr>`)}</tbody></table></div>
<form class="curate-form" method="post" action="/curate/remove">
  ${csrfField(curator)}${hidden}
  <div class="manage-actions"><button type="submit" class="danger-button">Remove ${docs.length} document${docs.length === 1 ? '' : 's'}</button> <a href="/curate/library">Keep them</a></div>
</form>`;
  return { status: 200, body: layout({ title: 'Remove documents', body, section: 'curate', assets: ['curate.css'] }) };
}

export function removedPage(docs: DocumentInfo[], curator: Curator): RenderedPage {
  const body = html`<h1>Removed ${docs.length} document${docs.length === 1 ? '' : 's'}</h1>
${sessionBar(curator)}
<ul>${docs.map((d) => html`<li>${d.title} <code>${d.sourcePath}</code></li>`)}</ul>
<p><a href="/curate/library">Back to the library</a></p>`;
  return { status: 200, body: layout({ title: 'Removed', body, section: 'curate', assets: ['curate.css'] }) };
}

export interface CurrentLabels {
  vendor: string;
  product: string;
  version?: string;
}

/** GET /curate/relabel: new vendor, product or version labels for a product or one version of it. */
export function relabelPage(tree: LibraryTree, target: ManageTarget, current: CurrentLabels, curator: Curator, error?: string, status: RenderedPage['status'] = 200): RenderedPage {
  const body = html`<h1>Re-label ${current.product}${current.version ? ` ${current.version}` : ''}</h1>
${sessionBar(curator)}
${error ? html`<div class="notice error" role="alert"><p>${error}</p></div>` : ''}
<p>Labels are what people see; their slugs are part of document and chunk ids. A label whose slug changes moves the documents to new ids (old chunk links stop working). The documents are not converted again.</p>
${labelDatalists(tree)}
<form class="curate-form" method="post" action="/curate/relabel">
  ${csrfField(curator)}
  <input type="hidden" name="product" value="${target.product}">
  ${target.version ? html`<input type="hidden" name="version" value="${target.version}">` : ''}
  <div class="row">
    <label>Vendor <input type="text" name="new_vendor" value="${current.vendor}" list="known-vendors" maxlength="200" required></label>
    <label>Product <input type="text" name="new_product" value="${current.product}" maxlength="200" required></label>
    ${current.version !== undefined ? html`<label>Version <input type="text" name="new_version" value="${current.version}" maxlength="200" required></label>` : ''}
  </div>
  <div><button type="submit">Re-label</button> <a href="/curate/library">Cancel</a></div>
</form>`;
  return { status, body: layout({ title: 'Re-label', body, section: 'curate', assets: ['curate.css'] }) };
}
