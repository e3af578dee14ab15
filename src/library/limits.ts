/**
 * The limits every surface applies to what it is asked, in one place: the CLI, the web UI, the
 * REST API and MCP validate against these numbers, and the configuration reference lists them
 * (generated from `LIMIT_DESCRIPTIONS`).
 */
export const LIMITS = {
  queryChars: 1000,
  filterChars: 200,
  searchLimit: 100,
  searchOffset: 1000,
  chunkNeighbours: 20,
  textWindowChars: 50_000,
} as const;

export const LIMIT_DESCRIPTIONS: Readonly<Record<keyof typeof LIMITS, string>> = {
  queryChars: 'Longest search query, in characters; longer queries are refused, not cut',
  filterChars: 'Longest vendor, product, version or document filter, in characters',
  searchLimit: 'Most hits on one page of results',
  searchOffset: 'Deepest result offset; past it, narrow the search instead of paging',
  chunkNeighbours: 'Most neighbouring chunks returned on each side of a chunk',
  textWindowChars: 'Longest window of a document\'s text returned at once, in characters',
};
