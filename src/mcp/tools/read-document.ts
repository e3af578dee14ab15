import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { pageUrl, type ServerContext } from '../../http/context.js';
import { documentIdOf, parseChunkId } from '../../library/ids.js';
import { compactOutputSchema } from '../output-schema.js';
import { charsFor } from '../token-budget.js';
import { errorResult, jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';
import { jsonSchemaOnce } from '../json-schema-once.js';

const BUDGET_DEFAULT = 2000;
/** About 5,000 tokens: far below the 25,000-token limit hosts put on a tool result. */
const BUDGET_MAX = 5000;
const BUDGET_MIN = 50;

const inputSchema = jsonSchemaOnce(z.object({
  doc_id: z.string().min(1).max(400).describe('A document id, or a chunk id (reads its document from the chunk\'s page)'),
  page: z.number().int().min(1).optional().describe('Physical page to start at'),
  start: z.number().int().min(0).optional().describe('next_start of a previous call'),
  max_tokens: z.number().int().min(BUDGET_MIN).max(BUDGET_MAX).default(BUDGET_DEFAULT).describe('Budget for the text (≈4 characters a token)'),
}));

const outputSchema = compactOutputSchema({
  doc_id: 'string', title: 'string', product: 'string', version: 'string', page_count: 'number', start: 'number',
  first_page: 'number', last_page: 'number', total_chars: 'number', next_start: 'number?', url: 'string', text: 'string',
});

export function registerReadDocument(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'read_document',
    {
      title: 'Read a document page or window',
      description: 'A window of a document as Markdown (<!-- page N --> marks each page), from a page or an offset, within a token budget. While next_start is present, call again with start = next_start to read on.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_TOOL,
    },
    ({ doc_id, page, start, max_tokens }) =>
      withLibraryErrors(async () => {
        if (page !== undefined && start !== undefined) return errorResult('pass either page or start, not both');
        const fromChunk = parseChunkId(doc_id);
        const docId = fromChunk ? documentIdOf(fromChunk.key) : doc_id;
        const startPage = page ?? (fromChunk && start === undefined ? ctx.library.chunk(doc_id, { before: 0, after: 0 }).chunk.page : undefined);
        await ctx.library.readyToRead(docId); // a document file's layout is found off the request thread
        const window = ctx.library.textWindow(docId, {
          maxChars: charsFor(max_tokens),
          ...(startPage === undefined ? {} : { page: startPage }),
          ...(start === undefined ? {} : { start }),
        });
        const { document } = window;
        if (window.text === '' && window.start > 0) {
          return errorResult(`start ${window.start} is at or past the end of ${docId} (${window.totalChars} characters); read from a smaller start or a page`);
        }
        const output: Record<string, unknown> = {
          doc_id: document.docId,
          title: document.title,
          product: document.productLabel,
          version: document.versionLabel,
          page_count: document.pageCount,
          start: window.start,
          first_page: window.firstPage,
          last_page: window.lastPage,
          total_chars: window.totalChars,
          url: pageUrl(ctx, document.docId, window.firstPage),
          text: window.text,
        };
        if (window.nextStart !== undefined) output['next_start'] = window.nextStart;
        return jsonResult(output);
      }),
  );
}
