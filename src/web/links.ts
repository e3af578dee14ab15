/** Relative URLs of the web UI's own pages (search, library anchors); chunk and document links are in http/links.ts. */

export interface SearchLink {
  q?: string;
  vendor?: string;
  product?: string;
  version?: string;
  all?: boolean;
  /** False turns off narrowing to a product and version named in the query. */
  infer?: boolean;
  weak?: boolean;
  offset?: number;
}

export function searchHref(link: SearchLink): string {
  const params = new URLSearchParams();
  if (link.q) params.set('q', link.q);
  if (link.vendor) params.set('vendor', link.vendor);
  if (link.product) params.set('product', link.product);
  if (link.version) params.set('version', link.version);
  if (link.all) params.set('all', '1');
  if (link.infer === false) params.set('infer', '0');
  if (link.weak) params.set('weak', '1');
  if (link.offset) params.set('offset', String(link.offset));
  return params.size > 0 ? `/search?${params}` : '/search';
}

/** Anchor ids on the library page. */
export const vendorAnchor = (vendor: string): string => `vendor-${vendor}`;
export const productAnchor = (product: string): string => `product-${product}`;
