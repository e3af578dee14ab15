import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { SearchHit, SearchResponse } from '../../search/search-service.js';
import type { Snippet } from '../../search/snippet.js';
import { chunkUrl, pageUrl, type ServerContext } from '../../server/context.js';
import { decodeCursor, encodeCursor, type SearchScope } from '../cursor.js';
import { citation } from '../citation.js';
import { capText, errorResult, jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';

const SEARCH_LIMIT_DEFAULT = 5;
const SEARCH_LIMIT_MAX = 20;
const SNIPPET_MAX_CHARS = 320;

const inputSchema = z.object({
  query: z.string().trim().min(1).max(500).describe('What to look for: a question, phrase, CLI command, API name or error code'),
  vendor: z.string().max(100).optional().describe('Only this vendor, e.g. "cisco" (see list_library)'),
  product: z.string().max(100).optional().describe('Only this product, e.g. "finesse" (see list_library)'),
  version: z.string().max(100).optional().describe('Only this version, e.g. "12.5"; without it the latest version of each product is searched'),
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT).describe(`Hits per page (default ${SEARCH_LIMIT_DEFAULT}, at most ${SEARCH_LIMIT_MAX})`),
  cursor: z.string().max(500).optional().describe('nextCursor from a previous call with the same query and filters, for the next page'),
});

const alsoInSchema = z.object({
  version: z.string(),
  chunk_id: z.string(),
  page: z.number().int(),
  url: z.string(),
});

const hitSchema = z.object({
  rank: z.number().int(),
  chunk_id: z.string().describe('Stable id; pass to read_chunk for the full text and its neighbours'),
  doc_id: z.string().describe('Pass to read_document to read around the hit'),
  title: z.string(),
  vendor: z.string(),
  product: z.string(),
  version: z.string(),
  page: z.number().int().describe('Physical page of the PDF (1-based)'),
  page_label: z.string().optional().describe('Page number printed on the page, where the document has one'),
  section: z.string().describe('Heading path of the chunk'),
  source_path: z.string(),
  snippet: z.string().describe('Short excerpt; query terms are marked **like this**'),
  score: z.number(),
  url: z.string().describe('Web page of this chunk: give it with the citation'),
  context_url: z.string().describe('The document viewer at this page, with the chunk highlighted'),
  citation: z.string(),
  also_in: z.array(alsoInSchema).describe('Other versions with the same passage'),
});

const outputSchema = z.object({
  query: z.string(),
  hits: z.array(hitSchema),
  notices: z.array(z.string()).describe('How the search ran: lexical only, which versions were searched, …'),
  nextCursor: z.string().optional().describe('Pass as cursor, with the same query and filters, for more hits'),
});

type SearchInput = z.infer<typeof inputSchema>;
type HitOutput = z.infer<typeof hitSchema>;

export function registerSearchDocs(server: McpServer, ctx: ServerContext): void {
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
    (input) => withLibraryErrors(() => searchDocs(ctx, input)),
  );
}

async function searchDocs(ctx: ServerContext, input: SearchInput) {
  const scope: SearchScope = { query: input.query, vendor: input.vendor, product: input.product, version: input.version };
  const offset = input.cursor === undefined ? 0 : decodeCursor(input.cursor, scope);
  const response = await ctx.library.search({
    query: input.query,
    ...(input.vendor === undefined ? {} : { vendor: input.vendor }),
    ...(input.product === undefined ? {} : { product: input.product }),
    ...(input.version === undefined ? {} : { version: input.version }),
    limit: input.limit,
    offset,
  });
  if (response.hits.length === 0) return errorResult(noResultsMessage(input, offset > 0, response));
  const output: z.infer<typeof outputSchema> = {
    query: input.query,
    hits: response.hits.map((hit) => hitOutput(ctx, hit)),
    notices: response.notices,
  };
  if (response.nextOffset !== undefined) output.nextCursor = encodeCursor(response.nextOffset, scope);
  return jsonResult(output);
}

function hitOutput(ctx: ServerContext, hit: SearchHit): HitOutput {
  const output: HitOutput = {
    rank: hit.rank,
    chunk_id: hit.chunkId,
    doc_id: hit.docId,
    title: hit.title,
    vendor: hit.vendorLabel,
    product: hit.productLabel,
    version: hit.versionLabel,
    page: hit.page,
    section: capText(hit.headingPath.join(' › '), 200),
    source_path: hit.sourcePath,
    snippet: markHighlights(hit.snippet),
    score: Math.round(hit.score * 1e4) / 1e4,
    url: chunkUrl(ctx, hit.chunkId),
    context_url: pageUrl(ctx, hit.docId, hit.page, hit.chunkId),
    citation: citation(hit),
    also_in: hit.alsoIn.map((other) => ({
      version: other.versionLabel,
      chunk_id: other.chunkId,
      page: other.page,
      url: chunkUrl(ctx, other.chunkId),
    })),
  };
  if (hit.pageLabel !== undefined) output.page_label = hit.pageLabel;
  return output;
}

/** Markdown bold around the matched words: models read it, and it survives any host's rendering. */
function markHighlights(snippet: Snippet): string {
  let text = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    text += `${snippet.text.slice(at, start)}**${snippet.text.slice(start, end)}**`;
    at = end;
  }
  return capText(text + snippet.text.slice(at), SNIPPET_MAX_CHARS);
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
