import { ResourceTemplate, UriTemplate, type McpServer } from '@modelcontextprotocol/server';
import type { ServerContext } from '../../http/context.js';
import { commentJson } from '../../library/html-comment.js';
import { documentUri, DOCUMENT_TEMPLATE, orNotFound, RESOURCE_CACHE_HINT, RESOURCES_LISTED_MAX, suggest, variable } from './resource-uris.js';

/** A document resource holds at most this much Markdown; read_document pages through the rest. */
const DOCUMENT_RESOURCE_MAX_CHARS = 50_000;

/** Parsed once: /mcp builds a server, and so registers this template, for every request. */
const URI_TEMPLATE = new UriTemplate(DOCUMENT_TEMPLATE);

export function registerDocumentResource(server: McpServer, ctx: ServerContext): void {
  const template = new ResourceTemplate(URI_TEMPLATE, {
    list: () => ({
      resources: ctx.library
        .documents()
        .slice(0, RESOURCES_LISTED_MAX)
        .map((d) => ({
          uri: documentUri(d.docId),
          name: d.docId,
          title: `${d.title} (${d.productLabel} ${d.versionLabel})`,
          description: `${d.vendorLabel} ${d.productLabel} ${d.versionLabel}, ${d.pageCount} pages`,
          mimeType: 'text/markdown',
        })),
    }),
    complete: {
      doc_id: (typed) => suggest(ctx.library.documents().map((d) => d.docId), typed),
    },
  });
  server.registerResource(
    'document',
    template,
    {
      title: 'Document',
      description: 'A whole document as Markdown with <!-- page N --> markers (long documents are cut; read on with read_document)',
      mimeType: 'text/markdown',
      cacheHint: RESOURCE_CACHE_HINT,
    },
    async (uri, variables) => {
      // A document file's layout is found off the request thread; a bad id is reported by the read below.
      await ctx.library.readyToRead(variable(variables, 'doc_id'));
      return orNotFound(uri, () => {
        const docId = variable(variables, 'doc_id');
        const window = ctx.library.textWindow(docId, { start: 0, maxChars: DOCUMENT_RESOURCE_MAX_CHARS });
        const rest = window.truncated
          ? `\n\n<!-- cut at character ${window.nextStart} of ${window.totalChars}: read on with read_document {"doc_id": ${commentJson(docId)}, "start": ${window.nextStart}} -->\n`
          : '';
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: window.text + rest }] };
      });
    },
  );
}
