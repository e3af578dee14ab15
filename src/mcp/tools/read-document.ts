import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { pageUrl, type ServerContext } from '../../http/context.js';
import { errorResult, jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';

const READ_DEFAULT_CHARS = 8000;
/** About 5,000 tokens: far below the 25,000-token limit hosts put on a tool result. */
const READ_MAX_CHARS = 20_000;

const inputSchema = z.object({
  doc_id: z.string().min(1).max(400).describe('A document id from search_docs or list_library'),
  page: z.number().int().min(1).optional().describe('Start reading at this physical page (the "page" of a search hit)'),
  start: z.number().int().min(0).optional().describe('Start reading at this character offset (next_start of a previous call)'),
  max_chars: z.number().int().min(200).max(READ_MAX_CHARS).default(READ_DEFAULT_CHARS).describe(`Characters to return (default ${READ_DEFAULT_CHARS}, at most ${READ_MAX_CHARS})`),
});

const outputSchema = z.object({
  doc_id: z.string(),
  title: z.string(),
  vendor: z.string(),
  product: z.string(),
  version: z.string(),
  source_path: z.string(),
  page_count: z.number().int(),
  start: z.number().int().describe('Character offset of text in the whole document'),
  first_page: z.number().int(),
  last_page: z.number().int(),
  total_chars: z.number().int(),
  truncated: z.boolean().describe('True when the document goes on after this window'),
  next_start: z.number().int().optional().describe('Pass as start to read on'),
  url: z.string().describe('The document viewer at first_page'),
  text: z.string().describe('Markdown; <!-- page N --> comments mark where each page begins'),
});

export function registerReadDocument(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'read_document',
    {
      title: 'Read a document page or window',
      description:
        'A window of a document as Markdown, starting at a page or a character offset. ' +
        'When truncated is true, call again with start = next_start to read on.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_TOOL,
    },
    ({ doc_id, page, start, max_chars }) =>
      withLibraryErrors(() => {
        if (page !== undefined && start !== undefined) return errorResult('pass either page or start, not both');
        const window = ctx.library.textWindow(doc_id, {
          maxChars: max_chars,
          ...(page === undefined ? {} : { page }),
          ...(start === undefined ? {} : { start }),
        });
        const { document } = window;
        if (window.text === '' && window.start > 0) {
          return errorResult(`start ${window.start} is at or past the end of ${doc_id} (${window.totalChars} characters); read from a smaller start or a page`);
        }
        const output: z.infer<typeof outputSchema> = {
          doc_id: document.docId,
          title: document.title,
          vendor: document.vendorLabel,
          product: document.productLabel,
          version: document.versionLabel,
          source_path: document.sourcePath,
          page_count: document.pageCount,
          start: window.start,
          first_page: window.firstPage,
          last_page: window.lastPage,
          total_chars: window.totalChars,
          truncated: window.truncated,
          url: pageUrl(ctx, document.docId, window.firstPage),
          text: window.text,
        };
        if (window.nextStart !== undefined) output.next_start = window.nextStart;
        return jsonResult(output);
      }),
  );
}
