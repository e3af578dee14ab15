import { ResourceTemplate, UriTemplate, type McpServer } from '@modelcontextprotocol/server';
import { chunkUrl, type ServerContext } from '../../http/context.js';
import { citation } from '../../present/citation.js';
import { commentText } from '../../library/html-comment.js';
import { CHUNK_TEMPLATE, orNotFound, RESOURCE_CACHE_HINT, variable } from './resource-uris.js';

/** Parsed once: /mcp builds a server, and so registers this template, for every request. */
const URI_TEMPLATE = new UriTemplate(CHUNK_TEMPLATE);

export function registerChunkResource(server: McpServer, ctx: ServerContext): void {
  // No list: a library holds tens of thousands of chunks, and agents reach them through search_docs.
  const template = new ResourceTemplate(URI_TEMPLATE, { list: undefined });
  server.registerResource(
    'chunk',
    template,
    {
      title: 'Chunk',
      description: 'One chunk (a passage of a page) as Markdown, headed by its citation and web URL',
      mimeType: 'text/markdown',
      cacheHint: RESOURCE_CACHE_HINT,
    },
    (uri, variables) =>
      orNotFound(uri, () => {
        const { chunk, document } = ctx.library.chunk(variable(variables, 'chunk_id'), { before: 0, after: 0 });
        const cite = `${citation({ title: document.title, productLabel: document.productLabel, versionLabel: document.versionLabel, page: chunk.page, pageLabel: chunk.pageLabel, format: document.format, headingPath: chunk.headingPath })} (chunk ${chunk.id})`;
        // Titles, page labels and headings are the document's text: escaped for the comment they sit in.
        const header = [
          `<!-- ${commentText(cite)} -->`,
          `<!-- source: ${commentText(`${document.sourcePath} · ${chunkUrl(ctx, chunk.id)}`)} -->`,
          chunk.headingPath.length > 0 ? `<!-- section: ${commentText(chunk.headingPath.join(' › '))} -->` : undefined,
        ].filter((line) => line !== undefined);
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: `${header.join('\n')}\n\n${chunk.text}\n` }] };
      }),
  );
}
