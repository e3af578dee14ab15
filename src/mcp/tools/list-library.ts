import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { ServerContext } from '../../http/context.js';
import { LIMITS } from '../../library/limits.js';
import { compactOutputSchema } from '../output-schema.js';
import { jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';
import { jsonSchemaOnce } from '../json-schema-once.js';
import type { TreeVersion } from '../../service/tree.js';

/** Beyond this many documents the listing names versions only, which keeps a big library's answer small. */
const DOCUMENTS_LISTED_MAX = 100;

const inputSchema = jsonSchemaOnce(z.object({
  vendor: z.string().max(LIMITS.filterChars).optional(),
  product: z.string().max(LIMITS.filterChars).optional(),
}));

const outputSchema = compactOutputSchema({ vendors: 'object[]', documents: 'number', documents_omitted: 'boolean?' });

interface VersionOutput {
  version: string;
  latest: boolean;
  documents?: { doc_id: string; title: string; pages: number }[];
}

export function registerListLibrary(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'list_library',
    {
      title: 'List vendors, products, versions and documents',
      description: 'What the library holds: vendors → products → versions (newest first, latest marked) → documents with ids, titles and page counts. Use it to pick search_docs filters.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_TOOL,
    },
    ({ vendor, product }) => withLibraryErrors(() => {
      const listing = ctx.library.listing({ ...(vendor === undefined ? {} : { vendor }), ...(product === undefined ? {} : { product }) }, DOCUMENTS_LISTED_MAX);
      const { vendors, documents } = listing;
      const withDocuments = documents <= DOCUMENTS_LISTED_MAX;
      const output: { vendors: unknown[]; documents: number; documents_omitted?: boolean } = {
        vendors: vendors.map((v) => ({
          vendor: v.vendor,
          label: v.label,
          products: v.products.map((p) => ({
            product: p.product,
            label: p.label,
            versions: p.versions.map((ver) => {
              const entry: VersionOutput = { version: ver.label, latest: ver.latest };
              // Within the bound, Library.listing is the tree: its versions hold their documents.
              if (withDocuments) entry.documents = (ver as TreeVersion).documents.map((d) => ({ doc_id: d.docId, title: d.title, pages: d.pages }));
              return entry;
            }),
          })),
        })),
        documents,
      };
      if (!withDocuments) output.documents_omitted = true;
      return jsonResult(output);
    }),
  );
}
