/**
 * The limits every surface applies, in one place: the CLI, the web UI, the REST API and MCP
 * validate against these numbers, the service caps what it returns by them (so that no response
 * grows with the size of a document or a query), and the configuration reference lists them
 * (generated from `LIMIT_DESCRIPTIONS`).
 */
export const LIMITS = {
  queryChars: 1000,
  filterChars: 200,
  searchLimit: 100,
  searchOffset: 1000,
  chunkNeighbours: 20,
  textWindowChars: 50_000,
  pageWindowChars: 50_000,
  pageChunks: 50,
  outlineEntries: 500,
  sectionReadingChunks: 2_000,
  chunkChars: 8_000,
  headingChars: 300,
  cursorChars: 200,
  rpcBatchMessages: 10,
  queryTerms: 32,
  queryPhrases: 8,
  searchDepth: 3_300,
  alsoInListed: 24,
} as const;

export const LIMIT_DESCRIPTIONS: Readonly<Record<keyof typeof LIMITS, string>> = {
  queryChars: 'Longest search query, in characters; longer queries are refused, not cut',
  filterChars: 'Longest vendor, product, version or document filter, in characters',
  searchLimit: 'Most hits on one page of results',
  searchOffset: 'Deepest result offset (REST `offset`, CLI `--offset`, the web UI, MCP cursors); past it, narrow the search instead of paging',
  chunkNeighbours: 'Most neighbouring chunks returned on each side of a chunk',
  textWindowChars: 'Longest window of a document\'s text returned at once, in characters',
  pageWindowChars: 'Longest part of one page\'s Markdown returned at once, in characters; longer pages are read in windows (`start`, `next_start`)',
  pageChunks: 'Most chunks listed with one page window; pages with more are listed in parts (`chunks_offset`)',
  outlineEntries: 'Most heading outline entries returned at once; longer outlines are paged (`outline_offset`)',
  sectionReadingChunks: 'Most chunks a document without pages may have to be read section by section in the web viewer (each view parses the whole document); a longer one is read page by page, in windows',
  chunkChars: 'Longest chunk text served, in characters. The chunker keeps chunks far below it (an oversized word or line is split); it cuts chunks indexed before that',
  headingChars: 'Longest heading, in characters: a longer "heading" line is indexed as text, and titles are cut to it',
  cursorChars: 'Longest MCP `search_docs` cursor accepted, in characters',
  rpcBatchMessages: 'Most JSON-RPC messages in one batch on /mcp',
  queryTerms: 'Most distinct terms of a query that are scored; further terms are ignored, with a notice',
  queryPhrases: 'Most phrases (the query itself, quoted, identifiers) matched per query; further phrases are ignored, with a notice',
  searchDepth: 'Most candidates ranked per query before paging, folding and filtering',
  alsoInListed: 'Most other copies of a passage (its other versions first, one each, newest first; then its other revisions) listed under a hit\'s `also_in`; `also_in_more` counts the rest',
};
