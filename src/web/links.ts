/**
 * Relative URLs of the web UI's pages. Relative so that the UI works under whatever host name
 * it is reached by; absolute URLs for agents come from server/context.ts.
 */

/** Ids keep their `::` readable in links (":" is allowed in paths and fragments); all else is encoded. */
function encodeId(id: string): string {
  return encodeURIComponent(id).replace(/%3A/gi, ':');
}

export function chunkHref(chunkId: string): string {
  return `/chunk/${encodeId(chunkId)}`;
}

/** The document viewer at a page, with a chunk highlighted and scrolled to. */
export function documentHref(docId: string, page?: number, chunkId?: string): string {
  const params = [page !== undefined ? `page=${page}` : '', chunkId !== undefined ? `chunk=${encodeId(chunkId)}` : ''].filter(Boolean);
  const query = params.length > 0 ? `?${params.join('&')}` : '';
  const fragment = chunkId !== undefined ? `#${encodeId(chunkId)}` : '';
  return `/doc/${encodeId(docId)}${query}${fragment}`;
}

export interface SearchLink {
  q?: string;
  vendor?: string;
  product?: string;
  version?: string;
  all?: boolean;
  offset?: number;
}

export function searchHref(link: SearchLink): string {
  const params = new URLSearchParams();
  if (link.q) params.set('q', link.q);
  if (link.vendor) params.set('vendor', link.vendor);
  if (link.product) params.set('product', link.product);
  if (link.version) params.set('version', link.version);
  if (link.all) params.set('all', '1');
  if (link.offset) params.set('offset', String(link.offset));
  return params.size > 0 ? `/search?${params}` : '/search';
}

/** Anchor ids on the library page. */
export const vendorAnchor = (vendor: string): string => `vendor-${vendor}`;
export const productAnchor = (product: string): string => `product-${product}`;
