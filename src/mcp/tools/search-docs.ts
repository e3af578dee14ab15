import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { SearchResponse } from '../../service/library.js';
import { linksOf, type ServerContext } from '../../http/context.js';
import { LIMITS } from '../../library/limits.js';
import { SearchResponseJson, searchResponseJson } from '../../present/search-json.js';
import { cursorSecret, decodeCursor, encodeCursor, type SearchScope } from '../cursor.js';
import { errorResult, jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';

const SEARCH_LIMIT_DEFAULT = 5;
const SEARCH_LIMIT_MAX = 20;

const inputSchema = z.object({
  query: z.string().trim().min(1).max(LIMITS.queryChars).describe('What to look for: a question, phrase, CLI command, API name or error code'),
  vendor: z.string().max(LIMITS.filterChars).optional().describe('Only this vendor, e.g. "cisco" (see list_library)'),
  product: z.string().max(LIMITS.filterChars).optional().describe('Only this product, e.g. "finesse" (see list_library)'),
  version: z.string().max(LIMITS.filterChars).optional().describe('Only this version, e.g. "12.5"; without it the latest version of each product is searched'),
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT).describe(`Hits per page (default ${SEARCH_LIMIT_DEFAULT}, at most ${SEARCH_LIMIT_MAX})`),
  cursor: z.string().max(LIMITS.cursorChars).optional().describe('next_cursor from a previous call with the same query and filters, for the next page'),
});

const outputSchema = SearchResponseJson.extend({
  next_cursor: z.string().optional().describe('Pass as cursor, with the same query and filters, for more hits'),
});

type SearchInput = z.infer<typeof inputSchema>;

/** `requestSignal` is the HTTP request's (aborted when the client disconnects); stdio has none. */
export function registerSearchDocs(server: McpServer, ctx: ServerContext, requestSignal?: AbortSignal): void {
  server.registerTool(
    'search_docs',
    {
      title: 'Search the documentation library',
      description:
        'Ranked passages from vendor manuals for a query, each with a stable chunk id, page, source, a short snippet and a citable URL. ' +
        'Filter by vendor, product and version (list_library shows them); without a version only the latest version of each product is searched. ' +
        'Widen context with read_chunk or read_document.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_TOOL,
    },
    (input, extra) => withLibraryErrors(() => searchDocs(ctx, input, requestSignal ? AbortSignal.any([requestSignal, extra.mcpReq.signal]) : extra.mcpReq.signal)),
  );
}

async function searchDocs(ctx: ServerContext, input: SearchInput, signal: AbortSignal) {
  const scope: SearchScope = { query: input.query, vendor: input.vendor, product: input.product, version: input.version };
  const offset = input.cursor === undefined ? 0 : decodeCursor(input.cursor, scope, cursorSecret(ctx));
  const response = await ctx.library.search({
    query: input.query,
    ...(input.vendor === undefined ? {} : { vendor: input.vendor }),
    ...(input.product === undefined ? {} : { product: input.product }),
    ...(input.version === undefined ? {} : { version: input.version }),
    limit: input.limit,
    offset,
  }, undefined, signal);
  if (response.hits.length === 0) return errorResult(noResultsMessage(input, offset > 0, response));
  const output: z.infer<typeof outputSchema> = searchResponseJson(response, linksOf(ctx));
  if (response.nextOffset !== undefined) output.next_cursor = encodeCursor(response.nextOffset, scope, cursorSecret(ctx));
  return jsonResult(output);
}

/**
 * An empty page is an error the agent can act on, naming exactly what was searched, so that it
 * widens the search itself rather than guessing from another version.
 */
function noResultsMessage(input: SearchInput, pastFirstPage: boolean, response: SearchResponse): string {
  const version = input.version && (/^\d/.test(input.version) ? `v${input.version}` : input.version);
  const where = [input.vendor, input.product, version].filter(Boolean).join(' ');
  const scope = where ? ` in ${where}` : ' in the library';
  if (pastFirstPage) return `no more results for "${input.query}"${scope}; that was the last page`;
  const advice = input.version
    ? 'try a broader query or omit version'
    : input.product || input.vendor
      ? 'try a broader query or omit the product/vendor filter'
      : 'try other words or a broader query; list_library shows what the library holds';
  const notices = response.notices.length > 0 ? ` (${response.notices.join(' ')})` : '';
  return `no results for "${input.query}"${scope}; ${advice}${notices}`;
}
