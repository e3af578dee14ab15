import { z } from 'zod';
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import type { SearchResponse } from '../../service/library.js';
import { linksOf, type ServerContext } from '../../http/context.js';
import { LIMITS } from '../../library/limits.js';
import { searchResponseJson } from '../../present/search-json.js';
import { cursorSecret, decodeCursor, encodeCursor, type SearchScope } from '../cursor.js';
import { compactOutputSchema } from '../output-schema.js';
import { errorResult, jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';
import { jsonSchemaOnce } from '../json-schema-once.js';
import { withEitherSignal } from '../either-signal.js';
import type { RequestSlot } from '../server-pool.js';

const SEARCH_LIMIT_DEFAULT = 5;
const SEARCH_LIMIT_MAX = 20;

const inputSchema = jsonSchemaOnce(z.object({
  query: z.string().trim().min(1).max(LIMITS.queryChars).describe('A question, phrase, command, API name or error code'),
  vendor: z.string().max(LIMITS.filterChars).optional(),
  product: z.string().max(LIMITS.filterChars).optional(),
  version: z.string().max(LIMITS.filterChars).optional().describe('A version, "latest" or "all"'),
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT),
  cursor: z.string().max(LIMITS.cursorChars).optional().describe('next_cursor of the same search'),
  infer_scope: z.boolean().default(true).describe('false: ignore a product/version named in the query'),
}));

/** The hit shape is documented once (docs/api.md); the schema only states the fields' types. */
const outputSchema = compactOutputSchema({
  query: 'string', mode: 'string', best_match: 'string', scope: 'string', chunk_url: 'string', hits: 'object[]', notices: 'string[]', next_cursor: 'string?',
});

type SearchInput = z.infer<typeof inputSchema>;

/** `slot.signal` is the HTTP request's being served (aborted when the client disconnects); stdio has none. */
export function registerSearchDocs(server: McpServer, ctx: ServerContext, slot: RequestSlot): void {
  server.registerTool(
    'search_docs',
    {
      title: 'Search the documentation library',
      description:
        'Ranked passages from vendor manuals, each with a chunk id, page, snippet, match (strong/partial/weak) and citation. ' +
        'By default each product answers from its newest version that has a relevant passage (older versions fold into also_in); ' +
        'a product and version named in the query are searched alone. Says so when nothing relevant is found.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_TOOL,
    },
    (input, extra) => {
      // Read when the call starts: a pooled server serves another request once this exchange closes.
      // The request's signal aborts when its client goes away; the SDK's on a cancel notification.
      const requestSignal = slot.signal;
      const cancel = extra.mcpReq.signal;
      return withLibraryErrors(() => (requestSignal ? withEitherSignal(requestSignal, cancel, (signal) => searchDocs(ctx, input, signal)) : searchDocs(ctx, input, cancel)));
    },
  );
}

/**
 * search_docs as the SDK would run it for the endpoint's direct path (see direct-search.ts): the
 * arguments checked against the same input schema, the tool's answer, and its structured content
 * checked against the same output schema. Undefined when either check fails: the call then goes to
 * the SDK, whose error answer for it is the protocol's.
 */
export async function callSearchDocs(ctx: ServerContext, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult | undefined> {
  const input = inputSchema.safeParse(args);
  if (!input.success) return undefined;
  const result = await withLibraryErrors(() => searchDocs(ctx, input.data, signal));
  if (!result.isError && (outputSchema['~standard'].validate(result.structuredContent) as { issues?: unknown }).issues !== undefined) return undefined;
  return result;
}

async function searchDocs(ctx: ServerContext, input: SearchInput, signal: AbortSignal) {
  const scope: SearchScope = { query: input.query, vendor: input.vendor, product: input.product, version: input.version, inferScope: input.infer_scope };
  const offset = input.cursor === undefined ? 0 : decodeCursor(input.cursor, scope, cursorSecret(ctx));
  const response = await ctx.library.search({
    query: input.query,
    ...(input.vendor === undefined ? {} : { vendor: input.vendor }),
    ...(input.product === undefined ? {} : { product: input.product }),
    ...(input.version === undefined ? {} : { version: input.version }),
    limit: input.limit,
    offset,
    inferScope: input.infer_scope,
  }, undefined, signal);
  if (response.hits.length === 0) return errorResult(noResultsMessage(ctx, input, offset > 0, response));
  const output: Record<string, unknown> = searchResponseJson(response, linksOf(ctx));
  if (response.nextOffset !== undefined) output['next_cursor'] = encodeCursor(response.nextOffset, scope, cursorSecret(ctx));
  return jsonResult(output);
}

/**
 * Nothing to cite is an error the agent can act on: what was searched, why nothing counts, what
 * the scope holds and how to broaden, so that it neither cites an unrelated page nor guesses from
 * another version.
 */
function noResultsMessage(ctx: ServerContext, input: SearchInput, pastFirstPage: boolean, response: SearchResponse): string {
  if (pastFirstPage) return `No more results for "${input.query}" in ${response.scope}; that was the last page.`;
  const nothing = response.notices.find((n) => n.startsWith('Nothing relevant found')) ?? `No results for "${input.query}" in ${response.scope}.`;
  const others = response.notices.filter((n) => n !== nothing);
  const holds = holdings(ctx, input, response);
  return [nothing, holds, ...others, 'Do not answer from these manuals without a relevant passage; list_library shows everything the library holds.']
    .filter(Boolean).join(' ');
}

/** The products (and their versions, newest first) of the searched scope, briefly. */
function holdings(ctx: ServerContext, input: SearchInput, response: SearchResponse): string {
  const inferred = response.inferredScope?.products.map((p) => p.product);
  const tree = ctx.library.shelves({ ...(input.vendor === undefined ? {} : { vendor: input.vendor }), ...(input.product === undefined ? {} : { product: input.product }) });
  const products = tree.vendors.flatMap((v) => v.products).filter((p) => !inferred || inferred.includes(p.product));
  if (products.length === 0 || products.length > 12) return '';
  return `The library holds: ${products.map((p) => `${p.product} (${p.versions.map((v) => v.label).join(', ')})`).join('; ')}.`;
}
