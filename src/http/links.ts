/**
 * Relative URLs of the pages every surface links to: a chunk and the document viewer. Relative so
 * that the web UI works under whatever host name it is reached by; absolute URLs for agents and
 * API clients come from `context.ts`.
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

/** Absolute links for agents and API clients, which cannot resolve relative ones. */
export interface PublicLinks {
  chunkUrl(chunkId: string): string;
  pageUrl(docId: string, page: number, chunkId?: string): string;
}

/** Links under a public base URL such as http://127.0.0.1:8765 (no trailing slash). */
export function publicLinks(baseUrl: string): PublicLinks {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    chunkUrl: (chunkId) => `${base}${chunkHref(chunkId)}`,
    pageUrl: (docId, page, chunkId) => `${base}${documentHref(docId, page, chunkId)}`,
  };
}

/** The base URL links point at: the configured public URL, else where `mcdewey serve` listens. */
export function configuredBaseUrl(config: { publicUrl?: string | undefined; host: string; port: number }): string {
  if (config.publicUrl !== undefined) return config.publicUrl.replace(/\/+$/, '');
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

/** A document's kept original; for a PDF, `#page=N` opens the browser's viewer at that page. */
export function originalHref(docId: string, page?: number): string {
  return `/doc/${encodeURIComponent(docId).replace(/%3A/gi, ':')}/original${page !== undefined ? `#page=${page}` : ''}`;
}
