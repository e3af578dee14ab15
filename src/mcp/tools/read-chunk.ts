import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { ChunkInfo } from '../../service/library.js';
import { chunkUrl, pageUrl, type ServerContext } from '../../http/context.js';
import { citation } from '../../present/citation.js';
import { capText, jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';

const NEIGHBOURS_MAX = 5;
/** Chunks are a few hundred tokens; the cap only guards against a pathological one. */
const CHUNK_TEXT_MAX_CHARS = 6000;

const inputSchema = z.object({
  chunk_id: z.string().min(1).max(400).describe('A chunk id from search_docs, e.g. "finesse::v12.5::developer-guide::developer-guide::43"'),
  before: z.number().int().min(0).max(NEIGHBOURS_MAX).default(1).describe(`Preceding chunks to include (0-${NEIGHBOURS_MAX}, default 1)`),
  after: z.number().int().min(0).max(NEIGHBOURS_MAX).default(1).describe(`Following chunks to include (0-${NEIGHBOURS_MAX}, default 1)`),
});

const neighbourSchema = z.object({ chunk_id: z.string(), page: z.number().int(), text: z.string() });

const outputSchema = z.object({
  chunk_id: z.string(),
  doc_id: z.string(),
  title: z.string(),
  vendor: z.string(),
  product: z.string(),
  version: z.string(),
  page: z.number().int(),
  page_end: z.number().int(),
  page_label: z.string().optional(),
  section: z.string(),
  source_path: z.string(),
  url: z.string(),
  context_url: z.string(),
  citation: z.string(),
  text: z.string(),
  before: z.array(neighbourSchema).describe('Preceding chunks, in document order'),
  after: z.array(neighbourSchema).describe('Following chunks, in document order'),
  previous_chunk_id: z.string().optional().describe('Next chunk further back, to keep reading backwards'),
  next_chunk_id: z.string().optional().describe('Next chunk further on, to keep reading forwards'),
});

export function registerReadChunk(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'read_chunk',
    {
      title: 'Read a chunk with its neighbours',
      description: 'The full text of a chunk found by search_docs, with neighbouring chunks for context, its page, source and citable URL.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_TOOL,
    },
    ({ chunk_id, before, after }) =>
      withLibraryErrors(() => {
        const view = ctx.library.chunk(chunk_id, { before, after });
        const { chunk, document } = view;
        const output: z.infer<typeof outputSchema> = {
          chunk_id: chunk.id,
          doc_id: document.docId,
          title: document.title,
          vendor: document.vendorLabel,
          product: document.productLabel,
          version: document.versionLabel,
          page: chunk.page,
          page_end: chunk.pageEnd,
          section: chunk.headingPath.join(' › '),
          source_path: document.sourcePath,
          url: chunkUrl(ctx, chunk.id),
          context_url: pageUrl(ctx, document.docId, chunk.page, chunk.id),
          citation: citation({ title: document.title, versionLabel: document.versionLabel, page: chunk.page, pageLabel: chunk.pageLabel, chunkId: chunk.id, format: document.format, headingPath: chunk.headingPath }),
          text: capText(chunk.text, CHUNK_TEXT_MAX_CHARS),
          before: view.before.map(neighbour),
          after: view.after.map(neighbour),
        };
        if (chunk.pageLabel !== undefined) output.page_label = chunk.pageLabel;
        if (view.previousId !== undefined) output.previous_chunk_id = view.previousId;
        if (view.nextId !== undefined) output.next_chunk_id = view.nextId;
        return jsonResult(output);
      }),
  );
}

function neighbour(chunk: ChunkInfo): z.infer<typeof neighbourSchema> {
  return { chunk_id: chunk.id, page: chunk.page, text: capText(chunk.text, CHUNK_TEXT_MAX_CHARS) };
}
