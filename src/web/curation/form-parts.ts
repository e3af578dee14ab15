/**
 * Pieces every curation form shares: the hidden CSRF field, label inputs with suggestions from the
 * library (datalists of the vendors, products and versions it holds), and the log-out bar.
 */
import type { LibraryTree } from '../../service/tree.js';
import { html, type SafeHtml } from '../html.js';
import type { Curator } from './guard.js';

export function csrfField(curator: Curator): SafeHtml {
  return curator.csrf ? html`<input type="hidden" name="csrf" value="${curator.csrf}">` : html``;
}

export function sessionBar(curator: Curator): SafeHtml {
  if (!curator.session) return html``;
  return html`<div class="session-bar"><p class="hint">Logged in as the curator of this library.</p>
<form method="post" action="/logout">${csrfField(curator)}<button type="submit" class="link-button">Log out</button></form></div>`;
}

/** Datalists of the labels the library already uses, so new documents join existing vendors and products. */
export function labelDatalists(tree: LibraryTree): SafeHtml {
  const vendors = tree.vendors.map((v) => v.label);
  const products = tree.vendors.flatMap((v) => v.products.map((p) => p.label));
  const versions = [...new Set(tree.vendors.flatMap((v) => v.products.flatMap((p) => p.versions.map((version) => version.label))))];
  const list = (id: string, values: string[]) => html`<datalist id="${id}">${values.map((value) => html`<option value="${value}">`)}</datalist>`;
  return html`${list('known-vendors', vendors)}${list('known-products', products)}${list('known-versions', versions)}`;
}

export interface LabelValues {
  vendor?: string;
  product?: string;
  version?: string;
  collection?: string;
}

/**
 * Vendor, product, version and collection inputs, pre-filled with `values`. `required` makes the
 * browser insist on the first three; the URL form leaves that to the server, which offers labels
 * read from the URL when they are missing.
 */
export function labelInputs(prefix: string, values: LabelValues, hints: LabelValues = {}, required = true): SafeHtml {
  const input = (name: keyof LabelValues, label: string, list: string | undefined, required: boolean) => html`<label>${label}
    <input type="text" name="${name}" id="${`${prefix}-${name}`}" value="${values[name] ?? ''}" ${list ? html`list="${list}"` : ''} ${required ? html`required` : ''} maxlength="200" autocomplete="off" placeholder="${hints[name] ?? ''}"></label>`;
  return html`<div class="row">
    ${input('vendor', 'Vendor', 'known-vendors', required)}
    ${input('product', 'Product', 'known-products', required)}
    ${input('version', 'Version', 'known-versions', required)}
    ${input('collection', 'Collection (optional)', undefined, false)}
  </div>`;
}
