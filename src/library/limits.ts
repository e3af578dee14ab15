/**
 * The limits every surface applies to what it is asked, in one place: the CLI, the web UI, the
 * REST API and MCP validate against these numbers and the configuration reference lists them.
 */
export const LIMITS = {
  /** Longest query, in characters. Longer queries are refused, not cut. */
  queryChars: 1000,
  /** Longest vendor, product, version or document filter, in characters. */
  filterChars: 200,
  /** Most hits on one page of results. */
  searchLimit: 100,
  /** Deepest result offset: past it, paging costs more than any reader needs. */
  searchOffset: 1000,
  /** Most neighbouring chunks returned on each side of a chunk. */
  chunkNeighbours: 20,
  /** Longest window of a document's text returned at once, in characters. */
  textWindowChars: 50_000,
} as const;
