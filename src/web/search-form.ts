import { isSlug, slugify } from '../library/slug.js';
import type { Shelves } from '../service/tree.js';
import { html, type SafeHtml } from './html.js';
import type { SearchParams } from './search-params.js';

/**
 * The main search form: the query box plus vendor, product and version filters built from the
 * library tree. Products are grouped by vendor and versions by product; a version option knows
 * its product so the script can choose it too (without the script the version alone filters).
 */
export function searchForm(tree: Shelves, params: Partial<SearchParams>, options: { filters: boolean }): SafeHtml {
  return html`<form class="search-form" role="search" action="/search" method="get">
  <div class="query">
    <label for="q" class="visually-hidden">Search the library</label>
    <input type="search" id="q" name="q" value="${params.q ?? ''}" placeholder="Search the library, e.g. a command, an error code or a question" accesskey="s" autocomplete="off">
    <button type="submit">Search</button>
  </div>
  ${options.filters ? filterPanel(tree, params) : ''}
  ${params.infer === false ? html`<input type="hidden" name="infer" value="0">` : ''}
  <p class="hint">Press <kbd>/</kbd> to jump to the search box<span class="key-hint">, <kbd>?</kbd> for every shortcut</span>. Unless you pick a version, each product answers from its newest version that has a relevant passage, with the same passage in older versions listed under “also in”; a product and version named in the query (“FTDv 6.6.0”) are searched alone.</p>
</form>`;
}

/** Filters may be typed as labels ("12.5(1)") or slugs ("12.5-1"); options carry slugs. */
function asSlug(value: string | undefined): string | undefined {
  if (value === undefined || isSlug(value)) return value;
  try {
    return slugify(value);
  } catch {
    return undefined;
  }
}

function option(value: string, label: string, selected: boolean, data: SafeHtml | '' = ''): SafeHtml {
  return selected
    ? html`<option value="${value}"${data} selected>${label}</option>`
    : html`<option value="${value}"${data}>${label}</option>`;
}

/**
 * The filters fold into a <details>: open as served (so they work without script), folded by the
 * script on a phone, where the first screen is for results. The summary says what is filtered.
 */
function filterPanel(tree: Shelves, params: Partial<SearchParams>): SafeHtml {
  const active = [params.vendor, params.product, params.version].filter(Boolean) as string[];
  if (params.all) active.push('all versions');
  const summary = active.length > 0 ? html`Filters: ${active.join(', ')}` : html`Filters <span class="meta">(latest version of every product)</span>`;
  return html`<details class="filter-panel" open><summary>${summary}</summary>${filterFields(tree, params)}</details>`;
}

function filterFields(tree: Shelves, params: Partial<SearchParams>): SafeHtml {
  const chosen = { vendor: asSlug(params.vendor), product: asSlug(params.product), version: asSlug(params.version) };
  const vendors = tree.vendors.map((v) => option(v.vendor, v.label, v.vendor === chosen.vendor));
  const products = tree.vendors.map(
    (v) => html`<optgroup label="${v.label}">${v.products.map((p) => option(p.product, p.label, p.product === chosen.product))}</optgroup>`,
  );
  // The same version slug can exist in several products; mark only one option as selected.
  // "latest" without a product is the generic choice below; with a product, that product's own option.
  const genericLatest = chosen.version === 'latest' && !chosen.product;
  let versionSelected = genericLatest;
  const versions = tree.vendors.flatMap((v) =>
    v.products.map((p) => {
      const options = p.versions.map((ver) => {
        const selected = !versionSelected && ver.version === chosen.version && (!chosen.product || chosen.product === p.product);
        if (selected) versionSelected = true;
        const data = html` data-product="${p.product}" data-vendor="${v.vendor}"`;
        return option(ver.version, ver.latest ? `${ver.label} (latest)` : ver.label, selected, data);
      });
      return html`<optgroup label="${`${v.label} ${p.label}`}">${options}</optgroup>`;
    }),
  );
  return html`<fieldset class="filters">
    <legend class="visually-hidden">Filters</legend>
    <label>Vendor
      <select id="filter-vendor" name="vendor"><option value="">All vendors</option>${vendors}</select>
    </label>
    <label>Product
      <select id="filter-product" name="product"><option value="">All products</option>${products}</select>
    </label>
    <label>Version
      <select id="filter-version" name="version"><option value="">Newest relevant of each product</option>${option('latest', 'Only the latest of each product', genericLatest)}${versions}</select>
    </label>
    <label class="check"><input type="checkbox" name="all" value="1"${params.all ? html` checked` : ''}> Rank all versions alike</label>
  </fieldset>`;
}
