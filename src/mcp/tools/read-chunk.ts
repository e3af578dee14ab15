import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { ChunkInfo } from '../../service/library.js';
import { chunkUrl, type ServerContext } from '../../http/context.js';
import { citation } from '../../present/citation.js';
import { compactOutputSchema } from '../output-schema.js';
import { charsFor } from '../token-budget.js';
import { capText, jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';
import { jsonSchemaOnce } from '../json-schema-once.js';

const NEIGHBOURS_MAX = 5;
const BUDGET_DEFAULT = 2000;
const BUDGET_MAX = 8000;
const BUDGET_MIN = 100;

const inputSchema = jsonSchemaOnce(z.object({
  chunk_id: z.string().min(1).max(400),
  before: z.number().int().min(0).max(NEIGHBOURS_MAX).default(1),
  after: z.number().int().min(0).max(NEIGHBOURS_MAX).default(1),
  max_tokens: z.number().int().min(BUDGET_MIN).max(BUDGET_MAX).default(BUDGET_DEFAULT).describe('Budget for all text returned (≈4 characters a token)'),
}));

const outputSchema = compactOutputSchema({
  chunk_id: 'string', title: 'string', product: 'string', version: 'string', page: 'number', section: 'string', url: 'string',
  citation: 'string', text: 'string', before: 'object[]', after: 'object[]', previous_chunk_id: 'string?', next_chunk_id: 'string?', truncated: 'boolean?',
});

interface Neighbour { chunk_id: string; page: number; text: string }

export function registerReadChunk(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'read_chunk',
    {
      title: 'Read a chunk with its neighbours',
      description: 'The full text of a search_docs hit with its neighbouring chunks, within a token budget (nearest neighbours first).',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_TOOL,
    },
    ({ chunk_id, before, after, max_tokens }) =>
      withLibraryErrors(() => {
        const view = ctx.library.chunk(chunk_id, { before, after });
        const { chunk, document } = view;
        const budget = { left: charsFor(max_tokens), truncated: false };
        const text = spend(budget, chunk.text);
        // Nearest first, alternating sides, so a small budget keeps the closest context; a side
        // stops at its first chunk that does not fit, so what is returned stays contiguous.
        const earlier: Neighbour[] = [];
        const later: Neighbour[] = [];
        const open = { before: true, after: true };
        for (let i = 0; i < Math.max(view.before.length, view.after.length); i++) {
          const back = view.before[view.before.length - 1 - i];
          if (back && open.before) {
            if (budget.left >= back.text.length) earlier.unshift(neighbour(back, budget));
            else open.before = false;
          }
          const on = view.after[i];
          if (on && open.after) {
            if (budget.left >= on.text.length) later.push(neighbour(on, budget));
            else open.after = false;
          }
        }
        if (earlier.length < view.before.length || later.length < view.after.length) budget.truncated = true;
        const output: Record<string, unknown> = {
          chunk_id: chunk.id,
          title: document.title,
          product: document.productLabel,
          version: document.versionLabel,
          page: chunk.page,
          ...(chunk.pageEnd > chunk.page ? { page_end: chunk.pageEnd } : {}),
          ...(chunk.pageLabel !== undefined && chunk.pageLabel !== String(chunk.page) ? { page_label: chunk.pageLabel } : {}),
          section: chunk.headingPath.join(' › '),
          url: chunkUrl(ctx, chunk.id),
          citation: citation({ title: document.title, productLabel: document.productLabel, versionLabel: document.versionLabel, page: chunk.page, pageLabel: chunk.pageLabel, format: document.format, headingPath: chunk.headingPath }),
          text,
          before: earlier,
          after: later,
        };
        // Where to keep reading: the chunk just beyond what was returned on each side.
        const previousId = earlier.length < view.before.length ? view.before[view.before.length - 1 - earlier.length]!.id : view.previousId;
        const nextId = later.length < view.after.length ? view.after[later.length]!.id : view.nextId;
        if (previousId !== undefined) output['previous_chunk_id'] = previousId;
        if (nextId !== undefined) output['next_chunk_id'] = nextId;
        if (budget.truncated) output['truncated'] = true;
        return jsonResult(output);
      }),
  );
}

/** Takes text out of the budget, cut to what is left. */
function spend(budget: { left: number; truncated: boolean }, text: string): string {
  if (text.length > budget.left) {
    budget.truncated = true;
    const cut = capText(text, Math.max(1, budget.left));
    budget.left = 0;
    return cut;
  }
  budget.left -= text.length;
  return text;
}

function neighbour(chunk: ChunkInfo, budget: { left: number; truncated: boolean }): Neighbour {
  return { chunk_id: chunk.id, page: chunk.page, text: spend(budget, chunk.text) };
}
